/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-week.c: the Schedule page's week (tf-schedule-week.h), a
 * derived repository over appointments and profiles: an appointment, or a
 * client's name, that arrives with a sync or that the CLI writes changes
 * its own day in the list and no other, without anyone reloading it.
 */
#define G_LOG_DOMAIN "tf-schedule"

#include "config.h"

#include "tf-booking.h"
#include "tf-clients.h"
#include "tf-registry.h"
#include "tf-schedule-week.h"
#include "tf-time.h"

/* The appointment's local time, or NULL. */
static GDateTime *
dup_local_time (JsonObject *appointment)
{
  const char *at = tf_json_get_string (appointment, "appointment_datetime");
  g_autoptr(GDateTime) utc = at != NULL ? tf_time_parse_timestamp (at, NULL) : NULL;

  return utc != NULL ? g_date_time_to_local (utc) : NULL;
}

static int
soonest_first (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;
  g_autoptr(GDateTime) x_at = dup_local_time (x);
  g_autoptr(GDateTime) y_at = dup_local_time (y);
  int by_time = g_date_time_compare (x_at, y_at);

  return by_time != 0 ? by_time
                      : g_strcmp0 (tf_json_get_string (x, "id"), tf_json_get_string (y, "id"));
}

static GPtrArray *
load_week (TfVault *vault, gpointer data, GError **error)
{
  GDateTime *week_start = data;
  g_autoptr(GDateTime) week_end = g_date_time_add_weeks (week_start, 1);
  g_autoptr(GHashTable) names = tf_clients_dup_names (vault, error);
  g_autoptr(GPtrArray) appointments = NULL;
  GPtrArray *by_day[7] = { NULL };
  GPtrArray *days;

  if (names == NULL)
    return NULL;
  appointments = tf_vault_list (vault, tf_registry_lookup ("appointments"), "therapist_id",
                                tf_vault_get_user_id (vault), error);
  if (appointments == NULL)
    return NULL;
  for (guint i = 0; i < appointments->len; i++)
    {
      JsonObject *appointment = g_ptr_array_index (appointments, i);
      g_autoptr(GDateTime) when = dup_local_time (appointment);
      const char *client_id = tf_json_get_string (appointment, "client_id");
      const char *name = client_id != NULL ? g_hash_table_lookup (names, client_id) : NULL;
      int d;

      if (when == NULL || g_date_time_compare (when, week_start) < 0 ||
          g_date_time_compare (when, week_end) >= 0)
        continue;
      d = g_date_time_get_day_of_week (when) - 1;
      if (by_day[d] == NULL)
        by_day[d] = g_ptr_array_new ();
      if (name != NULL)
        json_object_set_string_member (appointment, "client_name", name);
      /* Once its time has come it can be marked completed or no-show. */
      json_object_set_boolean_member (appointment, "started",
                                      tf_booking_has_started (tf_json_get_string (
                                        appointment, "appointment_datetime")));
      g_ptr_array_add (by_day[d], appointment);
    }

  days = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (int d = 0; d < 7; d++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (week_start, d);
      g_autofree char *id = g_date_time_format (date, "%Y-%m-%d");
      JsonObject *day;
      JsonArray *listed;

      if (by_day[d] == NULL)
        continue;
      g_ptr_array_sort (by_day[d], soonest_first);
      listed = json_array_new ();
      for (guint i = 0; i < by_day[d]->len; i++)
        json_array_add_object_element (listed, json_object_ref (g_ptr_array_index (by_day[d], i)));
      g_ptr_array_unref (by_day[d]);
      day = json_object_new ();
      json_object_set_string_member (day, "id", id);
      json_object_set_array_member (day, "appointments", listed);
      g_ptr_array_add (days, day);
    }
  return days;
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
  tf_repository_reload_every (week, TF_BOOKING_CLOCK_SECONDS);
  return week;
}
