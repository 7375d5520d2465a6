/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-page.h: a therapist's week — the appointments of a week by
 * day, with their status and what can be done next (confirm, complete, mark
 * as no-show, cancel with a reason) — and the way to the weekly hours and
 * blocked dates (TfAvailabilityEditor) and to the services and prices
 * (TfServicesEditor).
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_SCHEDULE_PAGE (tf_schedule_page_get_type ())
G_DECLARE_FINAL_TYPE (TfSchedulePage, tf_schedule_page, TF, SCHEDULE_PAGE, GtkWidget)

/* The schedule of the unlocked @session's therapist, this week first.
 * ::saved (message) and ::failed (message) tell the window what to say,
 * for the agenda and the availability editor alike.
 *
 * Actions (group "schedule"): previous-week, next-week, this-week,
 * availability, services, agenda; and with the appointment's id ("s"): confirm,
 * complete, no-show, cancel (asks for the reason first). */
GtkWidget *tf_schedule_page_new (TfSession *session);

G_END_DECLS
