/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-calendar-week.h: the calendar's week view — the days' headings over
 * the time grid (TfCalendarGrid) of their appointments — and, with one
 * day, its day view.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_CALENDAR_WEEK (tf_calendar_week_get_type ())
G_DECLARE_FINAL_TYPE (TfCalendarWeek, tf_calendar_week, TF, CALENDAR_WEEK, GtkBox)

/* ::day-activated (date "YYYY-MM-DD"): a day's heading was pressed.
 * ::slot-activated (GDateTime *at): a click on the grid where no
 * appointment is, at its half hour.  ::appointment-dropped (id,
 * GDateTime *to): an appointment's block dragged to another start.  The
 * times in the therapist's zone. */
GtkWidget *tf_calendar_week_new          (void);
/* Shows @n_days days from @start (a local midnight in the therapist's
 * zone), and the appointments of @model (TfItem of tf_schedule_range_new,
 * those of these days; NULL: none), kept up to date as it changes. */
void       tf_calendar_week_set_days     (TfCalendarWeek *self,
                                          GDateTime      *start,
                                          int             n_days,
                                          GListModel     *model);
/* Lets go of the model and its blocks (a view no longer shown). */
void       tf_calendar_week_drop_model   (TfCalendarWeek *self);
/* Marks day @index (from the first shown; -1 none) as selected. */
void       tf_calendar_week_set_selected (TfCalendarWeek *self,
                                          int             index);
/* Opens the first appointment of day @index; FALSE when it has none. */
gboolean   tf_calendar_week_open_first   (TfCalendarWeek *self,
                                          int             index);

G_END_DECLS
