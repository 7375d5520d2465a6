/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-mood-range.h: the mood chart's range — three linked toggles for the
 * last 30, 90 and 365 days.  "days" is the choice (notify::days follows
 * it); with "name-prefix" P the toggles are named P-30, P-90 and P-365.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_MOOD_RANGE (tf_mood_range_get_type ())
G_DECLARE_FINAL_TYPE (TfMoodRange, tf_mood_range, TF, MOOD_RANGE, GtkBox)

/* 30, 90 or 365. */
guint tf_mood_range_get_days (TfMoodRange *self);
void  tf_mood_range_set_days (TfMoodRange *self,
                              guint        days);

G_END_DECLS
