/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability-day.h: a weekday in the availability editor — an
 * expander row titled with the day, its windows (TfAvailabilitySpan) under
 * it, their summary as its subtitle, and a button that adds one.  The
 * editor decides what adding does, and names the row by its day.
 *
 * ::add: the person asked for another window on this day.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_AVAILABILITY_DAY (tf_availability_day_get_type ())
G_DECLARE_FINAL_TYPE (TfAvailabilityDay, tf_availability_day, TF, AVAILABILITY_DAY,
                      AdwExpanderRow)

/* The row of the day called @title, whose add button says @add_label
 * ("Add hours on Monday") to a screen reader and in its tooltip. */
GtkWidget *tf_availability_day_new        (const char        *title,
                                           const char        *add_label);
/* Names the row availability-day-@suffix and its add button
 * availability-add-@suffix. */
void       tf_availability_day_set_names  (TfAvailabilityDay *self,
                                           const char        *suffix);

G_END_DECLS
