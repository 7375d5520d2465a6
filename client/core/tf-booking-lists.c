/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-lists.c: a day's free times and the blocked dates as derived
 * repositories (tf-booking-lists.h).  The rules are tf-booking.c's: this
 * file only says which tables a list follows and what it makes of them.
 *
 * A therapist works in their own zone (the slots are computed there), so
 * the free times of a local day are those of the therapist's days around
 * it that fall on it in this computer's zone.
 */
#define G_LOG_DOMAIN "tf-booking"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-session-record.h"
#include "tf-booking-lists.h"
#include "tf-clients.h"
#include "tf-registry.h"
#include "tf-time.h"

/* --- a day's free times ---------------------------------------------------- */

typedef struct
{
  char *therapist_id;
  char *service_id;  /* NULL: no particular service */
  int   year, month, day;
} SlotsQuery;

static void
slots_query_free (gpointer data)
{
  SlotsQuery *query = data;

  g_free (query->therapist_id);
  g_free (query->service_id);
  g_free (query);
}

static GPtrArray *
load_slots (TfVault *vault, gpointer data, GError **error)
{
  SlotsQuery *q = data;
  g_autoptr(GDateTime) first = g_date_time_new_local (q->year, q->month, q->day, 0, 0, 0);
  g_autoptr(GDateTime) before = g_date_time_add_days (first, -1);
  g_autoptr(GDateTime) after = g_date_time_add_days (first, 1);
  g_autofree char *from = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *to = g_date_time_format (after, "%Y-%m-%d");
  g_autofree char *price = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GPtrArray *slots;
  gboolean known = FALSE;
  int duration;

  if (!tf_booking_find_offer (vault, q->therapist_id, q->service_id, &duration, &price, error))
    return NULL;
  found = tf_booking_free_slots (vault, q->therapist_id, from, to, duration, &known, error);
  if (found == NULL)
    return NULL;
  if (!known)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_HOURS_UNKNOWN,
                           _("This device does not know your therapist’s working hours yet. "
                             "They arrive with the next sync."));
      return NULL;
    }
  slots = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < found->len; i++)
    {
      TfSlot *slot = g_ptr_array_index (found, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (slot->start);
      g_autofree char *start = NULL;
      JsonObject *o;
      int y, m, d;

      g_date_time_get_ymd (local, &y, &m, &d);
      if (y != q->year || m != q->month || d != q->day)
        continue;
      start = tf_time_format_timestamp (slot->start);
      o = json_object_new ();
      json_object_set_string_member (o, "start", start);
      g_ptr_array_add (slots, o);
    }
  return slots;
}

TfRepository *
tf_booking_slots_new (TfVault *vault, const char *therapist_id, const char *service_id,
                      int year, int month, int day)
{
  static const char *const tables[] = { "therapist_availability", "therapist_blocked_dates",
                                        "appointments", "therapist_services", "services",
                                        "profiles", "therapist_booking_rules", NULL };
  SlotsQuery *query;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (therapist_id != NULL, NULL);

  query = g_new0 (SlotsQuery, 1);
  query->therapist_id = g_strdup (therapist_id);
  query->service_id = g_strdup (service_id);
  query->year = year;
  query->month = month;
  query->day = day;
  return tf_repository_new_derived (vault, tables, load_slots, query, slots_query_free);
}

/* --- blocked dates ---------------------------------------------------------- */

static int
compare_blocked (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (tf_json_get_string (*(JsonObject **) a, "blocked_date"),
                    tf_json_get_string (*(JsonObject **) b, "blocked_date"));
}

static GPtrArray *
load_blocked (TfVault *vault, gpointer data, GError **error)
{
  GPtrArray *blocked = tf_vault_list (vault, tf_registry_lookup ("therapist_blocked_dates"),
                                      "therapist_id", tf_vault_get_user_id (vault), error);

  if (blocked != NULL)
    g_ptr_array_sort (blocked, compare_blocked);
  return blocked;
}

TfRepository *
tf_booking_blocked_new (TfVault *vault)
{
  static const char *const tables[] = { "therapist_blocked_dates", NULL };

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  return tf_repository_new_derived (vault, tables, load_blocked, NULL, NULL);
}

/* --- the clock ----------------------------------------------------------- */

/* The earliest of @appointment's start and end after @now (µs since the
 * epoch) into @next, which is 0 while none is known. */
static void
take_boundaries (JsonObject *appointment, gint64 now, gint64 *next)
{
  const char *at = tf_json_get_string (appointment, "appointment_datetime");
  g_autoptr(GDateTime) start = at != NULL ? tf_time_parse_timestamp (at, NULL) : NULL;
  gint64 minutes = json_object_get_int_member_with_default (appointment, "duration",
                                                            TF_BOOKING_DEFAULT_DURATION);
  gint64 boundaries[2];

  if (start == NULL)
    return;
  boundaries[0] = g_date_time_to_unix (start) * G_USEC_PER_SEC +
                  g_date_time_get_microsecond (start);
  boundaries[1] = boundaries[0] + MAX (minutes, 0) * 60 * G_USEC_PER_SEC;
  for (guint i = 0; i < G_N_ELEMENTS (boundaries); i++)
    if (boundaries[i] > now && (*next == 0 || boundaries[i] < *next))
      *next = boundaries[i];
}

gint64
tf_booking_next_change (GPtrArray *records, gint64 now)
{
  gint64 next = 0;

  g_return_val_if_fail (records != NULL, 0);

  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = g_ptr_array_index (records, i);
      JsonNode *day = json_object_get_member (record, "appointments");

      if (day == NULL || !JSON_NODE_HOLDS_ARRAY (day))
        {
          take_boundaries (record, now, &next);
          continue;
        }
      for (guint k = 0; k < json_array_get_length (json_node_get_array (day)); k++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (day), k);

          if (JSON_NODE_HOLDS_OBJECT (element))
            take_boundaries (json_node_get_object (element), now, &next);
        }
    }
  return next;
}

/* --- a client's appointments ---------------------------------------------- */

/* The appointment's start, or NULL. */
static GDateTime *
dup_start (JsonObject *appointment)
{
  const char *at = tf_json_get_string (appointment, "appointment_datetime");

  return at != NULL ? tf_time_parse_timestamp (at, NULL) : NULL;
}

/* Upcoming first, soonest first; then the past, latest first. */
static int
compare_mine (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;
  gboolean x_up = json_object_get_boolean_member (x, "upcoming");
  gboolean y_up = json_object_get_boolean_member (y, "upcoming");
  g_autoptr(GDateTime) x_at = dup_start (x);
  g_autoptr(GDateTime) y_at = dup_start (y);
  int by_time;

  if (x_up != y_up)
    return x_up ? -1 : 1;
  by_time = x_up ? g_date_time_compare (x_at, y_at) : g_date_time_compare (y_at, x_at);
  return by_time != 0 ? by_time
                      : g_strcmp0 (tf_json_get_string (x, "id"), tf_json_get_string (y, "id"));
}

static GPtrArray *
load_mine (TfVault *vault, gpointer data, GError **error)
{
  g_autoptr(GHashTable) names = tf_clients_dup_names (vault, error);
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const TfTable *services = tf_registry_lookup ("services");
  GPtrArray *mine;

  if (names == NULL)
    return NULL;
  appointments = tf_vault_list (vault, tf_registry_lookup ("appointments"), "client_id",
                                tf_vault_get_user_id (vault), error);
  if (appointments == NULL)
    return NULL;
  mine = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < appointments->len; i++)
    {
      JsonObject *appointment = g_ptr_array_index (appointments, i);
      g_autoptr(GDateTime) start = dup_start (appointment);
      g_autoptr(GDateTime) end = NULL;
      const char *therapist = tf_json_get_string (appointment, "therapist_id");
      const char *service_id = tf_json_get_string (appointment, "service_id");
      const char *name = therapist != NULL ? g_hash_table_lookup (names, therapist) : NULL;

      if (start == NULL)
        continue;
      end = g_date_time_add_minutes (start, (int) json_object_get_int_member_with_default (
                                              appointment, "duration", 0));
      json_object_set_boolean_member (appointment, "upcoming", g_date_time_compare (end, now) > 0);
      if (name != NULL)
        json_object_set_string_member (appointment, "therapist_name", name);
      if (service_id != NULL)
        {
          g_autoptr(JsonObject) service = tf_vault_get (vault, services, service_id, NULL);

          if (service != NULL && tf_booking_service_name (service) != NULL)
            json_object_set_string_member (appointment, "service_name",
                                           tf_booking_service_name (service));
        }
      /* What the therapist shared of a held session: its summary, homework
       * and plan (unreadable until shared: tf-session-record.h). */
      if (!json_object_get_boolean_member (appointment, "upcoming"))
        {
          g_autoptr(JsonObject) record =
            tf_session_record_dup (vault, tf_json_get_string (appointment, "id"), NULL);
          static const char *const shared[] = { "session_summary", "homework_assigned",
                                                "next_session_plan" };

          if (record != NULL &&
              !json_object_get_boolean_member_with_default (record, "unreadable", FALSE))
            for (guint k = 0; k < G_N_ELEMENTS (shared); k++)
              if (tf_json_get_string (record, shared[k]) != NULL)
                json_object_set_string_member (appointment, shared[k],
                                               tf_json_get_string (record, shared[k]));
        }
      g_ptr_array_add (mine, json_object_ref (appointment));
    }
  g_ptr_array_sort (mine, compare_mine);
  return mine;
}

TfRepository *
tf_booking_mine_new (TfVault *vault)
{
  /* The rules too: an appointment in person shows the practice's address. */
  static const char *const tables[] = { "appointments", "profiles", "services",
                                        "therapist_booking_rules", "sessions", NULL };
  TfRepository *mine;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  mine = tf_repository_new_derived (vault, tables, load_mine, NULL, NULL);
  /* An appointment that has ended moves from upcoming to past by itself. */
  tf_repository_reload_when (mine, tf_booking_next_change);
  return mine;
}
