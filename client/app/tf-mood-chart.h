/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-mood-chart.h: mood, energy and anxiety (1–10) as lines over the last
 * N days, one point per day (the day's average) or, over a year, per week,
 * with gaps where a day (a week) has no check-in.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_MOOD_CHART (tf_mood_chart_get_type ())
G_DECLARE_FINAL_TYPE (TfMoodChart, tf_mood_chart, TF, MOOD_CHART, GtkWidget)

GtkWidget *tf_mood_chart_new                  (void);
/* Shows @entries (plain mood_entries records, JsonObject) over the @days
 * days ending with @today's date (30, 90 or 365; any number from 1 works). */
void       tf_mood_chart_set_entries          (TfMoodChart *self,
                                               GPtrArray   *entries,
                                               GDateTime   *today,
                                               guint        days);
/* For tests and the accessible description: how many days of the range
 * have a check-in, and the mean of the daily averages of @series ("mood",
 * "energy" or "anxiety"; NAN when no day has one). */
guint      tf_mood_chart_get_n_days_with_data (TfMoodChart *self);
double     tf_mood_chart_get_average          (TfMoodChart *self,
                                               const char  *series);
/* How many points each line has: one a day, or one a week (the last
 * ending today) over more than three months. */
guint      tf_mood_chart_get_n_points         (TfMoodChart *self);

G_END_DECLS
