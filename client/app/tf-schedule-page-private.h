/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-page-private.h: what the files of TfSchedulePage share — its
 * fields, and the calendar's part of the page (tf-schedule-calendar.c:
 * which view, which day, the period shown and the keys that move it)
 * that tf-schedule-page.c (the list, the appointments' changes, the editors)
 * calls.
 */
#pragma once

#include "tf-schedule-page.h"

G_BEGIN_DECLS

struct _TfSchedulePage
{
  GtkWidget     parent_instance;
  TfSession    *session;
  GtkWidget    *editor;       /* TfAvailabilityEditor, in availability_box */
  GtkWidget    *services;     /* TfServicesEditor, in services_box */

  /* the calendar (tf-schedule-calendar.c) */
  GTimeZone    *zone;         /* the therapist's, read again at each period shown */
  GDate        *selected;     /* the selected day */
  char         *view;         /* "day", "week", "month" or "list" */
  char         *shown;        /* the view and first day last shown ("week 2026-10-19") */
  TfRepository *range;        /* the appointments of the day, week or month view shown */
  GDateTime    *first;        /* the first day shown, local midnight */
  TfRepository *week;         /* the list view's days, live */

  /* template */
  GtkWidget    *stack;        /* "agenda", "availability" or "services"; the only child */
  GtkWidget    *views;        /* "day", "week", "month", "list" */
  GtkWidget    *day_view;     /* TfCalendarWeek of one day */
  GtkWidget    *week_view;    /* TfCalendarWeek */
  GtkWidget    *month_view;   /* TfCalendarMonth */
  GtkWidget    *calendar;     /* the views and their buttons, where the keys work */
  GtkWidget    *week_label;   /* the period shown */
  GtkWidget    *days_box;     /* the list: one heading and list per day, bound to week */
  GtkWidget    *empty;
  GtkWidget    *hours_button;
  GtkWidget    *prices_button;
  GtkWidget    *availability_box;
  GtkWidget    *services_box;
};

/* Properties ("view", "date") and actions (calendar.*) of the class. */
void tf_schedule_calendar_class_init (GObjectClass   *klass,
                                      guint           first_property);
void tf_schedule_calendar_get_property (TfSchedulePage *self,
                                        guint           id,
                                        GValue         *value);
void tf_schedule_calendar_set_property (TfSchedulePage *self,
                                        guint           id,
                                        const GValue   *value);
/* The keys, today selected, the week view. */
void tf_schedule_calendar_init       (TfSchedulePage *self);
/* Shows the selected day in the current view, the period's appointments
 * loaded anew when the period changed. */
void tf_schedule_calendar_show       (TfSchedulePage *self);
void tf_schedule_calendar_dispose    (TfSchedulePage *self);
/* Moves appointment @id to @to (tf_booking_move), saying what came of it
 * (::saved, ::failed). */
void tf_schedule_page_move           (TfSchedulePage *self,
                                      const char     *id,
                                      GDateTime      *to);
/* The New Appointment dialog, on @at's day and time (NULL: tomorrow). */
void tf_schedule_page_new_appointment (TfSchedulePage *self,
                                       GDateTime      *at);
/* The list view's week (tf-schedule-page.c), from @monday; NULL: none. */
void tf_schedule_page_show_week      (TfSchedulePage *self,
                                      GDateTime      *monday);

G_END_DECLS
