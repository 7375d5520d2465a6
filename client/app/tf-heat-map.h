/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-heat-map.h: a calendar of the last N days, weeks as columns and
 * weekdays (Monday first) as rows, each day shaded by its average mood.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_HEAT_MAP (tf_heat_map_get_type ())
G_DECLARE_FINAL_TYPE (TfHeatMap, tf_heat_map, TF, HEAT_MAP, GtkWidget)

GtkWidget *tf_heat_map_new                  (void);
/* As tf_mood_chart_set_entries. */
void       tf_heat_map_set_entries          (TfHeatMap  *self,
                                             GPtrArray  *entries,
                                             GDateTime  *today,
                                             guint       days);
guint      tf_heat_map_get_n_days_with_data (TfHeatMap  *self);
/* The mean of the daily mood averages, or NAN. */
double     tf_heat_map_get_average          (TfHeatMap  *self);

G_END_DECLS
