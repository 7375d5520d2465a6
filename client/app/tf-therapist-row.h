/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-therapist-row.h: one of the client's therapists in "My
 * appointments", the state of their safety number, and Verify (the page's
 * appointments.verify-keys action, the therapist's id its target).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_THERAPIST_ROW (tf_therapist_row_get_type ())
G_DECLARE_FINAL_TYPE (TfTherapistRow, tf_therapist_row, TF, THERAPIST_ROW, AdwActionRow)

/* Therapist @therapist_id, shown as @name over @state. */
GtkWidget *tf_therapist_row_new (const char *therapist_id,
                                 const char *name,
                                 const char *state);

G_END_DECLS
