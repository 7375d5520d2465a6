/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-rules-group.h: a therapist's booking rules and practice
 * details — the notice a client gives, the time kept free between
 * sessions, how far ahead a client books, the meeting link template and
 * the practice's address — as a group of the Hours and Days Off page.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_BOOKING_RULES_GROUP (tf_booking_rules_group_get_type ())
G_DECLARE_FINAL_TYPE (TfBookingRulesGroup, tf_booking_rules_group, TF, BOOKING_RULES_GROUP,
                      AdwPreferencesGroup)

/* The group, filled from @session's vault.  Save Rules (booking-rules-save)
 * writes through tf_booking_set_practice; ::saved or ::failed (a message)
 * say how it went, and a refusal also shows under the rows. */
GtkWidget *tf_booking_rules_group_new    (TfSession           *session);
/* Fills the rows again from what is stored. */
void       tf_booking_rules_group_reload (TfBookingRulesGroup *self);

G_END_DECLS
