/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-page.h: a therapist's calendar — the day, week and month
 * views of their appointments and the week's list, each appointment with
 * its status and what can be done next (confirm, complete, mark as
 * no-show, cancel with a reason) — and the way to the weekly hours and
 * blocked dates (TfAvailabilityEditor) and to the services and prices
 * (TfServicesEditor).
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_SCHEDULE_PAGE (tf_schedule_page_get_type ())
G_DECLARE_FINAL_TYPE (TfSchedulePage, tf_schedule_page, TF, SCHEDULE_PAGE, GtkWidget)

/* The schedule of the unlocked @session's therapist, this week's view
 * first, in the therapist's zone.  ::saved (message) and ::failed (message)
 * tell the window what to say, for the calendar and the editors alike.
 *
 * Properties: "view" ("day", "week", "month", "list"), "date" (the selected
 * day, "YYYY-MM-DD").
 * Actions (group "calendar"): view ("s", the property's), previous, next,
 * today, move ("i", days), up, down (a week; in the day view a day),
 * open (the selected day's first appointment); keys ← → ↑ ↓, Page Up,
 * Page Down, T and Enter in the views.
 * Actions (group "schedule"): availability, services, agenda; and with the
 * appointment's id ("s"): confirm, complete, no-show, cancel (asks for the
 * reason first). */
GtkWidget *tf_schedule_page_new (TfSession *session);

G_END_DECLS
