/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability-editor-private.h: what the two files of
 * TfAvailabilityEditor share — its fields, and the functions one gives the
 * other.  tf-availability-editor.c holds the object and the weekly hours,
 * tf-availability-blocked.c the blocked dates.
 */
#pragma once

#include "tf-availability-editor.h"

G_BEGIN_DECLS

typedef struct
{
  TfAvailabilityEditor *editor;
  int                   dow;       /* 0 = Sunday */
  GtkWidget            *expander;  /* TfAvailabilityDay, the day's row */
  GPtrArray            *spans;     /* of TfAvailabilitySpan, in the order shown */
} Day;

struct _TfAvailabilityEditor
{
  GtkWidget     parent_instance;
  TfSession    *session;
  TfRepository *blocked;        /* this therapist's blocked dates, live */
  Day           days[7];        /* by day_of_week */
  GtkWidget    *rules;          /* TfBookingRulesGroup, the page's last group */

  /* template (tf-availability-editor.ui) */
  GtkWidget    *page;           /* the only child */
  GtkWidget    *week;           /* AdwPreferencesGroup: the days, the error, Save */
  GtkWidget    *error;          /* "availability-error": why Save refused */
  GtkWidget    *blocked_date;   /* AdwEntryRow: YYYY-MM-DD, the first day off */
  GtkWidget    *blocked_until;  /* AdwEntryRow: YYYY-MM-DD, a period's last day, optional */
  GtkWidget    *blocked_reason; /* AdwEntryRow, optional */
  GtkWidget    *blocked_error;
  GtkWidget    *blocked_list;
};

/* --- tf-availability-editor.c -------------------------------------------- */

void tf_availability_editor_emit_saved        (TfAvailabilityEditor *self,
                                               const char           *message);
void tf_availability_editor_emit_failed       (TfAvailabilityEditor *self,
                                               const char           *message);

/* --- tf-availability-blocked.c ------------------------------------------- */

/* Binds the template callbacks of the blocked dates. */
void tf_availability_editor_class_bind_blocked (GtkWidgetClass       *widget_class);
/* The date row's suffixes: the calendar button, then "Block This Date". */
void tf_availability_editor_init_blocked       (TfAvailabilityEditor *self);
/* Binds self->blocked (set by then, by date) to the list. *//* Shows self->blocked (set by then), by date, in the list. */
void tf_availability_editor_bind_blocked       (TfAvailabilityEditor *self);

G_END_DECLS
