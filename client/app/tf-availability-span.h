/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability-span.h: one window of a weekday in the availability
 * editor — a row with its start and end as typed (HH:MM) and a button that
 * removes it.  The editor checks the times, names the row's widgets by
 * their position and decides what removing does.
 *
 * ::changed: the start or the end was edited.
 * ::remove: the person asked to remove the window.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_AVAILABILITY_SPAN (tf_availability_span_get_type ())
G_DECLARE_FINAL_TYPE (TfAvailabilitySpan, tf_availability_span, TF, AVAILABILITY_SPAN,
                      AdwActionRow)

/* A window from @start until @end, as shown ("09:00"; NULL: empty). */
GtkWidget  *tf_availability_span_new        (const char         *start,
                                             const char         *end);
const char *tf_availability_span_get_start  (TfAvailabilitySpan *self);
const char *tf_availability_span_get_end    (TfAvailabilitySpan *self);
/* Names its entries and button availability-start-@suffix,
 * availability-end-@suffix and availability-remove-@suffix. */
void        tf_availability_span_set_names  (TfAvailabilitySpan *self,
                                             const char         *suffix);
/* Marks the start and/or the end as wrong; FALSE, FALSE clears both. */
void        tf_availability_span_mark       (TfAvailabilitySpan *self,
                                             gboolean            start,
                                             gboolean            end);

G_END_DECLS
