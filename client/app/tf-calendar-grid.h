/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-calendar-grid.h: the time grid of the calendar's day and week views —
 * hours down, days across — with appointments (TfCalendarBlock) placed by
 * their local start and length, those that overlap side by side, and a
 * line at the current time on today's column.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_CALENDAR_GRID (tf_calendar_grid_get_type ())
G_DECLARE_FINAL_TYPE (TfCalendarGrid, tf_calendar_grid, TF, CALENDAR_GRID, GtkWidget)

/* How tall an hour is and how wide the column of hours. */
#define TF_CALENDAR_HOUR_HEIGHT 60
#define TF_CALENDAR_HOURS_WIDTH 44

/* Loads the calendar's style sheet (tf-calendar.css) for the display,
 * once; the views call it as they are made. */
void       tf_calendar_style_ensure      (void);

/* ::slot-activated (GDateTime *at): a click where no appointment is, at
 * the half hour there.  ::block-dropped (TfCalendarBlock *block,
 * GDateTime *to): a block dragged and dropped at another time or day (a
 * quarter of an hour's start).  Both times in the therapist's zone. */
GtkWidget *tf_calendar_grid_new          (void);
/* The wall-clock time at @x, @y of the grid, down to a multiple of @step
 * minutes, on its day; NULL outside the days. */
GDateTime *tf_calendar_grid_time_at      (TfCalendarGrid *self,
                                          double          x,
                                          double          y,
                                          int             step);
/* Shows @n_days days from @start (a local midnight in the therapist's zone,
 * whose zone the grid's days and the current time follow). */
void       tf_calendar_grid_set_days     (TfCalendarGrid *self,
                                          GDateTime      *start,
                                          int             n_days);
/* Marks day @index (0 … n_days - 1; -1: none) as the selected one. */
void       tf_calendar_grid_set_selected (TfCalendarGrid *self,
                                          int             index);
/* Puts @block (a TfCalendarBlock) at @position among the blocks (the
 * model's order), or takes the one there away. */
void       tf_calendar_grid_insert_block (TfCalendarGrid *self,
                                          guint           position,
                                          GtkWidget      *block);
void       tf_calendar_grid_remove_block (TfCalendarGrid *self,
                                          guint           position);
guint      tf_calendar_grid_get_n_blocks (TfCalendarGrid *self);
GtkWidget *tf_calendar_grid_get_block    (TfCalendarGrid *self,
                                          guint           position);

G_END_DECLS
