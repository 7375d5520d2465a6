/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-day.h: a day of the Schedule page's week, its name over a
 * boxed list of its appointments.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_SCHEDULE_DAY (tf_schedule_day_get_type ())
G_DECLARE_FINAL_TYPE (TfScheduleDay, tf_schedule_day, TF, SCHEDULE_DAY, GtkBox)

/* The day of @date (local), "Monday 7 December", with no appointment yet. */
GtkWidget *tf_schedule_day_new    (GDateTime     *date);
/* Adds @row (a TfScheduleRow) at the end of the day's list. */
void       tf_schedule_day_append (TfScheduleDay *self,
                                   GtkWidget     *row);

G_END_DECLS
