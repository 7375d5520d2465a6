/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-mood-days.h: check-ins grouped by day, for the history views — the
 * daily averages of mood, energy and anxiety over the last N days, and the
 * check-in streaks.  Plain GLib: no widget here, so that it is tested and
 * reasoned about on its own.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TF_MOOD_SERIES_MOOD,     /* mood_value */
  TF_MOOD_SERIES_ENERGY,   /* energy_level */
  TF_MOOD_SERIES_ANXIETY,  /* anxiety_level */
  TF_MOOD_N_SERIES,
} TfMoodSeries;

typedef struct _TfMoodDays TfMoodDays;

/* The last @days days ending with @today's date (in @today's time zone):
 * index 0 is the first day, @days - 1 is today.  @entries holds plain
 * mood_entries records (JsonObject); each counts on the local day of its
 * created_at, and those outside the range are ignored. */
TfMoodDays *tf_mood_days_new                  (GPtrArray   *entries,
                                               GDateTime   *today,
                                               guint        days);
void        tf_mood_days_free                 (TfMoodDays  *self);

guint       tf_mood_days_get_n_days           (TfMoodDays  *self);
/* The date of day @index. */
void        tf_mood_days_get_date             (TfMoodDays  *self,
                                               guint        index,
                                               GDate       *out_date);
/* The day's average of @series, or NAN when no check-in that day has it. */
double      tf_mood_days_get_value            (TfMoodDays  *self,
                                               TfMoodSeries series,
                                               guint        index);
gboolean    tf_mood_days_has_data             (TfMoodDays  *self,
                                               guint        index);
guint       tf_mood_days_get_n_days_with_data (TfMoodDays  *self);
/* The mean of the daily averages (each day weighs the same, as drawn),
 * or NAN when no day has @series. */
double      tf_mood_days_get_average          (TfMoodDays  *self,
                                               TfMoodSeries series);

/* "mood", "energy" or "anxiety"; FALSE for anything else. */
gboolean    tf_mood_series_from_name          (const char   *name,
                                               TfMoodSeries *out_series);

/* The current streak: consecutive days with at least one check-in, ending
 * today or (when there is none yet today) yesterday; 0 otherwise.  And the
 * best streak ever, to @out_best (optional).  Days are local to @today's
 * time zone; check-ins after today are ignored. */
guint       tf_mood_streak                    (GPtrArray   *entries,
                                               GDateTime   *today,
                                               guint       *out_best);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfMoodDays, tf_mood_days_free)

G_END_DECLS
