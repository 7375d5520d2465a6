/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-mood-days.c: check-ins grouped by local day.
 *
 * A check-in's day is the calendar date of its created_at in the time zone
 * of "today" as the caller gives it (the desktop's own zone in the app), so
 * an evening check-in counts on the evening's date wherever the UTC date
 * falls.  Days are compared as Julian day numbers: no month or DST edge can
 * make two days one or one day two.
 */
#define G_LOG_DOMAIN "tf-mood-days"

#include "config.h"

#include <math.h>

#include "tf-mood-days.h"
#include "tf-time.h"

struct _TfMoodDays
{
  guint   n_days;
  guint32 first_julian;                 /* Julian day number of index 0 */
  double *sum[TF_MOOD_N_SERIES];        /* per day: the sum of the values */
  guint  *count[TF_MOOD_N_SERIES];      /* per day: how many values */
  guint  *entries;                      /* per day: how many check-ins */
};

static const char *const series_columns[TF_MOOD_N_SERIES] = {
  "mood_value", "energy_level", "anxiety_level",
};
static const char *const series_names[TF_MOOD_N_SERIES] = {
  "mood", "energy", "anxiety",
};

gboolean
tf_mood_series_from_name (const char *name, TfMoodSeries *out_series)
{
  for (guint i = 0; i < TF_MOOD_N_SERIES; i++)
    if (g_strcmp0 (name, series_names[i]) == 0)
      {
        *out_series = i;
        return TRUE;
      }
  return FALSE;
}

static guint32
julian_of (GDateTime *dt)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (dt), g_date_time_get_month (dt),
                  g_date_time_get_year (dt));
  return g_date_get_julian (&date);
}

/* The Julian day of @entry's created_at in @today's zone; 0 when it has none
 * that parses (0 is never a valid Julian day). */
static guint32
entry_julian (JsonObject *entry, GDateTime *today)
{
  const char *stamp = json_object_get_string_member_with_default (entry, "created_at", NULL);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (stamp == NULL)
    return 0;
  utc = tf_time_parse_timestamp (stamp, NULL);
  if (utc == NULL)
    return 0;
  local = g_date_time_to_timezone (utc, g_date_time_get_timezone (today));
  return local != NULL ? julian_of (local) : 0;
}

TfMoodDays *
tf_mood_days_new (GPtrArray *entries, GDateTime *today, guint days)
{
  TfMoodDays *self;
  guint32 today_julian;

  g_return_val_if_fail (entries != NULL, NULL);
  g_return_val_if_fail (today != NULL, NULL);
  g_return_val_if_fail (days > 0, NULL);

  self = g_new0 (TfMoodDays, 1);
  today_julian = julian_of (today);
  self->n_days = days;
  self->first_julian = today_julian - (days - 1);
  for (guint s = 0; s < TF_MOOD_N_SERIES; s++)
    {
      self->sum[s] = g_new0 (double, days);
      self->count[s] = g_new0 (guint, days);
    }
  self->entries = g_new0 (guint, days);

  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);
      guint32 julian = entry_julian (entry, today);
      guint index;

      if (julian == 0 || julian < self->first_julian || julian > today_julian)
        continue;
      index = julian - self->first_julian;
      self->entries[index]++;
      for (guint s = 0; s < TF_MOOD_N_SERIES; s++)
        {
          JsonNode *node = json_object_get_member (entry, series_columns[s]);

          if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
            continue;
          self->sum[s][index] += json_node_get_int (node);
          self->count[s][index]++;
        }
    }
  return self;
}

void
tf_mood_days_free (TfMoodDays *self)
{
  if (self == NULL)
    return;
  for (guint s = 0; s < TF_MOOD_N_SERIES; s++)
    {
      g_free (self->sum[s]);
      g_free (self->count[s]);
    }
  g_free (self->entries);
  g_free (self);
}

guint
tf_mood_days_get_n_days (TfMoodDays *self)
{
  return self->n_days;
}

void
tf_mood_days_get_date (TfMoodDays *self, guint index, GDate *out_date)
{
  g_return_if_fail (index < self->n_days);
  g_date_clear (out_date, 1);
  g_date_set_julian (out_date, self->first_julian + index);
}

double
tf_mood_days_get_value (TfMoodDays *self, TfMoodSeries series, guint index)
{
  g_return_val_if_fail (series < TF_MOOD_N_SERIES, NAN);
  g_return_val_if_fail (index < self->n_days, NAN);
  if (self->count[series][index] == 0)
    return NAN;
  return self->sum[series][index] / self->count[series][index];
}

gboolean
tf_mood_days_has_data (TfMoodDays *self, guint index)
{
  g_return_val_if_fail (index < self->n_days, FALSE);
  return self->entries[index] > 0;
}

guint
tf_mood_days_get_n_days_with_data (TfMoodDays *self)
{
  guint n = 0;

  for (guint i = 0; i < self->n_days; i++)
    if (self->entries[i] > 0)
      n++;
  return n;
}

double
tf_mood_days_get_average (TfMoodDays *self, TfMoodSeries series)
{
  double sum = 0;
  guint n = 0;

  g_return_val_if_fail (series < TF_MOOD_N_SERIES, NAN);
  for (guint i = 0; i < self->n_days; i++)
    if (self->count[series][i] > 0)
      {
        sum += self->sum[series][i] / self->count[series][i];
        n++;
      }
  return n > 0 ? sum / n : NAN;
}

static int
compare_julian (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

guint
tf_mood_streak (GPtrArray *entries, GDateTime *today, guint *out_best)
{
  g_autoptr(GArray) days = g_array_sized_new (FALSE, FALSE, sizeof (guint32), entries->len);
  guint32 today_julian = julian_of (today);
  guint current = 0, best = 0, run = 0;
  guint32 previous = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      guint32 julian = entry_julian (g_ptr_array_index (entries, i), today);

      if (julian != 0 && julian <= today_julian)
        g_array_append_val (days, julian);
    }
  g_array_sort (days, compare_julian);

  /* Runs of consecutive distinct days, oldest first. */
  for (guint i = 0; i < days->len; i++)
    {
      guint32 julian = g_array_index (days, guint32, i);

      if (run > 0 && julian == previous)
        continue;
      run = (run > 0 && julian == previous + 1) ? run + 1 : 1;
      previous = julian;
      best = MAX (best, run);
    }
  /* The last run is current if it reaches today or yesterday. */
  if (run > 0 && previous + 1 >= today_julian)
    current = run;
  if (out_best != NULL)
    *out_best = best;
  return current;
}
