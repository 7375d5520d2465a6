/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-calendar-month.h: the calendar's month view — six weeks, Monday
 * first, each day with how many appointments it has and the first of
 * them; a day pressed opens its day view.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_CALENDAR_MONTH (tf_calendar_month_get_type ())
G_DECLARE_FINAL_TYPE (TfCalendarMonth, tf_calendar_month, TF, CALENDAR_MONTH, GtkBox)

/* How many weeks a month's grid shows. */
#define TF_CALENDAR_MONTH_WEEKS 6

/* ::day-activated (date "YYYY-MM-DD"): a day was pressed. */
GtkWidget *tf_calendar_month_new          (void);
/* Shows the month of @first (the 1st's local midnight in the therapist's
 * zone) from @grid_start (the Monday on or before it) for
 * TF_CALENDAR_MONTH_WEEKS weeks, with @model's appointments (TfItem of
 * tf_schedule_range_new for those weeks; NULL: none), kept up to date. */
void       tf_calendar_month_set_month    (TfCalendarMonth *self,
                                           GDateTime       *first,
                                           GDateTime       *grid_start,
                                           GListModel      *model);
/* Lets go of the model and the days' appointments (a view no longer shown). */
void       tf_calendar_month_drop_model   (TfCalendarMonth *self);
/* Marks the day @index days after the grid's start (-1: none) as selected. */
void       tf_calendar_month_set_selected (TfCalendarMonth *self,
                                           int              index);
/* Opens the first appointment of the day @index; FALSE when it has none. */
gboolean   tf_calendar_month_open_first   (TfCalendarMonth *self,
                                           int              index);

G_END_DECLS
