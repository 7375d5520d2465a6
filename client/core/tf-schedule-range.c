/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-range.c: the appointments of a span of time for the
 * therapist's calendar (tf-schedule-range.h).  The span is two instants,
 * not dates: the views work out the instants of their first and last local
 * midnight in the therapist's zone, so a day of 23 or 25 hours (the last
 * Sundays of March and October) is covered whole and nothing of the next
 * day leaks in.  The week list (tf-schedule-week.c) groups the same list
 * by day.
 */
#define G_LOG_DOMAIN "tf-schedule"

#include "config.h"

#include "tf-booking-lists.h"
#include "tf-booking.h"
#include "tf-clients.h"
#include "tf-registry.h"
#include "tf-schedule-range.h"
#include "tf-time.h"

typedef struct
{
  GDateTime *from;
  GDateTime *to;
} Span;

static void
span_free (Span *span)
{
  g_date_time_unref (span->from);
  g_date_time_unref (span->to);
  g_free (span);
}

/* The appointment's start, or NULL when it has none that parses. */
static GDateTime *
dup_start (JsonObject *appointment)
{
  const char *at = tf_json_get_string (appointment, "appointment_datetime");

  return at != NULL ? tf_time_parse_timestamp (at, NULL) : NULL;
}

static int
soonest_first (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;
  g_autoptr(GDateTime) x_at = dup_start (x);
  g_autoptr(GDateTime) y_at = dup_start (y);
  int by_time = g_date_time_compare (x_at, y_at);

  return by_time != 0 ? by_time
                      : g_strcmp0 (tf_json_get_string (x, "id"), tf_json_get_string (y, "id"));
}

GPtrArray *
tf_schedule_list_between (TfVault *vault, GDateTime *from, GDateTime *to, GError **error)
{
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  GPtrArray *listed;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  names = tf_clients_dup_names (vault, error);
  if (names == NULL)
    return NULL;
  appointments = tf_vault_list (vault, tf_registry_lookup ("appointments"), "therapist_id",
                                tf_vault_get_user_id (vault), error);
  if (appointments == NULL)
    return NULL;
  listed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < appointments->len; i++)
    {
      JsonObject *appointment = g_ptr_array_index (appointments, i);
      g_autoptr(GDateTime) start = dup_start (appointment);
      const char *client_id = tf_json_get_string (appointment, "client_id");
      const char *name = client_id != NULL ? g_hash_table_lookup (names, client_id) : NULL;

      if (start == NULL || g_date_time_compare (start, from) < 0 ||
          g_date_time_compare (start, to) >= 0)
        continue;
      if (name != NULL)
        json_object_set_string_member (appointment, "client_name", name);
      /* Once its time has come it can be marked completed or no-show. */
      json_object_set_boolean_member (appointment, "started",
                                      tf_booking_has_started (tf_json_get_string (
                                        appointment, "appointment_datetime")));
      g_ptr_array_add (listed, json_object_ref (appointment));
    }
  g_ptr_array_sort (listed, soonest_first);
  return listed;
}

static GPtrArray *
load_range (TfVault *vault, gpointer data, GError **error)
{
  Span *span = data;

  return tf_schedule_list_between (vault, span->from, span->to, error);
}

TfRepository *
tf_schedule_range_new (TfVault *vault, GDateTime *from, GDateTime *to)
{
  static const char *const tables[] = { "appointments", "profiles", NULL };
  TfRepository *range;
  Span *span;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  span = g_new0 (Span, 1);
  span->from = g_date_time_ref (from);
  span->to = g_date_time_ref (to);
  range = tf_repository_new_derived (vault, tables, load_range, span,
                                     (GDestroyNotify) span_free);
  tf_repository_reload_when (range, tf_booking_next_change);
  return range;
}

GTimeZone *
tf_schedule_dup_zone (TfVault *vault)
{
  g_autoptr(JsonObject) profile = NULL;
  const char *name = NULL;
  GTimeZone *zone = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  profile = tf_vault_get (vault, tf_registry_lookup ("profiles"), tf_vault_get_user_id (vault),
                          NULL);
  if (profile != NULL)
    name = tf_json_get_string (profile, "timezone");
  if (name != NULL && *name != '\0')
    zone = g_time_zone_new_identifier (name);
  if (zone == NULL)
    zone = g_time_zone_new_identifier (TF_DEFAULT_TIMEZONE);
  /* A computer without time zone data: its clock's zone at least. */
  return zone != NULL ? zone : g_time_zone_new_local ();
}
