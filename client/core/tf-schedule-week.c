/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-week.c: the Schedule page's week (tf-schedule-week.h), a
 * derived repository over appointments and profiles: an appointment, or a
 * client's name, that arrives with a sync or that the CLI writes changes
 * its own day in the list and no other, without anyone reloading it.  The
 * days are those of the zone @week_start is in (the therapist's).
 */
#define G_LOG_DOMAIN "tf-schedule"

#include "config.h"

#include "tf-booking-lists.h"
#include "tf-booking.h"
#include "tf-schedule-range.h"
#include "tf-schedule-week.h"
#include "tf-time.h"

/* The weekday of @appointment in the zone of @week_start, 0 (Monday) …
 * 6 (Sunday); -1 when its time does not read. */
static int
day_of_week (JsonObject *appointment, GDateTime *week_start)
{
  const char *at = tf_json_get_string (appointment, "appointment_datetime");
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (at, NULL);
  g_autoptr(GDateTime) when = NULL;

  if (utc == NULL)
    return -1;
  when = g_date_time_to_timezone (utc, g_date_time_get_timezone (week_start));
  return g_date_time_get_day_of_week (when) - 1;
}

static GPtrArray *
load_week (TfVault *vault, gpointer data, GError **error)
{
  GDateTime *week_start = data;
  g_autoptr(GDateTime) week_end = tf_schedule_week_end (week_start);
  g_autoptr(GPtrArray) appointments = tf_schedule_list_between (vault, week_start, week_end,
                                                                error);
  JsonArray *by_day[7] = { NULL };
  GPtrArray *days;

  if (appointments == NULL)
    return NULL;
  /* Already soonest first: each day's keep that order. */
  for (guint i = 0; i < appointments->len; i++)
    {
      JsonObject *appointment = g_ptr_array_index (appointments, i);
      int d = day_of_week (appointment, week_start);

      if (d < 0)
        continue;
      if (by_day[d] == NULL)
        by_day[d] = json_array_new ();
      json_array_add_object_element (by_day[d], json_object_ref (appointment));
    }

  days = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (int d = 0; d < 7; d++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (week_start, d);
      g_autofree char *id = g_date_time_format (date, "%Y-%m-%d");
      JsonObject *day;

      if (by_day[d] == NULL)
        continue;
      day = json_object_new ();
      json_object_set_string_member (day, "id", id);
      json_object_set_array_member (day, "appointments", by_day[d]);
      g_ptr_array_add (days, day);
    }
  return days;
}

GDateTime *
tf_schedule_week_end (GDateTime *week_start)
{
  g_autoptr(GDateTime) later = NULL;

  g_return_val_if_fail (week_start != NULL, NULL);

  /* The next Monday's midnight in the same zone, whatever the clocks did
   * in between (a week of 167 or 169 hours). */
  later = g_date_time_add_days (week_start, 7);
  return g_date_time_new (g_date_time_get_timezone (week_start), g_date_time_get_year (later),
                          g_date_time_get_month (later), g_date_time_get_day_of_month (later),
                          0, 0, 0);
}

TfRepository *
tf_schedule_week_new (TfVault *vault, GDateTime *week_start)
{
  static const char *const tables[] = { "appointments", "profiles", NULL };
  TfRepository *week;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (week_start != NULL, NULL);

  week = tf_repository_new_derived (vault, tables, load_week, g_date_time_ref (week_start),
                                    (GDestroyNotify) g_date_time_unref);
  /* An appointment's time coming changes what can be done with it. */
  tf_repository_reload_when (week, tf_booking_next_change);
  return week;
}
