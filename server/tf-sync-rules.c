/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-rules.c: the values of a pushed record that are the server's to
 * decide.
 *
 * Clocks.  A timestamp of shared state (a booking's created_at, an
 * account's) is the server's: a device could otherwise date a booking
 * before the rule that it lies in the future (check_appointment_future).
 * A person's own writing keeps the moment they wrote it, which offline can
 * be days before the server hears of it, but no moment after the server's
 * now (give or take AUTHOR_CLOCK_SKEW): such a write is refused
 * (clock_ahead), not moved to now, because its author signed the moment
 * (docs/encryption.md) and a corrected copy would no longer verify.  The
 * server's fixed columns keep their stored value whatever an edit sends,
 * so a device that has not yet taken the server's value is not refused for
 * it; an author's fixed moment sent changed is refused (immutable_field).
 *
 * Bookings.  A client books only a therapist they are in care with, only
 * in the therapist's hours (the same slot grid as the device's, from
 * common/tf-slots.c, so both agree to the second), at least
 * booking-notice-minutes ahead, with at most booking-pending-limit pending
 * bookings at a time; the price and the length are the therapist's offer
 * for the service (its catalogue length when the offer names none; no
 * service: only with a therapist who offers none, free, the default
 * length), and stay so: a client's later edit keeps them (no author signs
 * them), and may not change the service (which its author signed).  A
 * therapist books only a client in their care, at any future time (their
 * own calendar is theirs: hours and notice are a client's rules), at the
 * same offer's price and length, which also follow a therapist's change of
 * service; nobody's later edit changes them otherwise.  The hours are checked last,
 * after overlaps and blocked dates (tf_push_check_appointment: slot_taken,
 * blocked_date), so a taken time is told as taken.
 *
 * Appointments in a push.  tf-sync-push-appointments.c applies the rules to
 * a mutation of a push (tf-sync-push-private.h), where the batch's earlier
 * decisions count as much as the database: an appointment moves only along
 * its allowed states (pending, confirmed, then completed or no-show once
 * it has started, not_yet_held before; or cancelled by whoever cancels it), a client never changes where it takes
 * place nor, once confirmed, when, and no two of a therapist's
 * appointments overlap, stored or pushed together.
 *
 * Verification.  A flag such as therapists.license_verified vouches for one
 * value of another column (TfColumn.verifies).  An administrator sets it
 * after checking that value; when the owner then writes a different value
 * there, the check no longer covers it, so the flag is cleared in the same
 * write — in the same transaction as the new value, so no reader ever sees
 * a new licence number marked verified.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-db.h"
#include "tf-slots.h"
#include "tf-sync-push-private.h"
#include "tf-sync-rules.h"
#include "tf-time.h"

gboolean
tf_sync_rules_same_value (JsonObject *a, JsonObject *b, const char *column)
{
  JsonNode *x = a ? json_object_get_member (a, column) : NULL;
  JsonNode *y = b ? json_object_get_member (b, column) : NULL;
  gboolean x_null = x == NULL || JSON_NODE_HOLDS_NULL (x);
  gboolean y_null = y == NULL || JSON_NODE_HOLDS_NULL (y);

  if (x_null || y_null)
    return x_null == y_null;
  return json_node_equal (x, y);
}

static gboolean
flag_set (JsonObject *fields, const char *column)
{
  JsonNode *node = fields ? json_object_get_member (fields, column) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* Clears every verified flag whose vouched-for value changes. */
static gboolean
clear_stale_verification (const TfTable *table, JsonObject *fields, const TfRecord *current)
{
  gboolean changed = FALSE;

  if (current == NULL)
    return FALSE; /* a new record cannot be verified yet (changed_by_admin_only) */
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *flag = &table->columns[i];

      if (flag->verifies == NULL || !json_object_has_member (fields, flag->verifies) ||
          tf_sync_rules_same_value (fields, current->fields, flag->verifies))
        continue;
      if (!flag_set (fields, flag->name) &&
          !(flag_set (current->fields, flag->name) && !json_object_has_member (fields, flag->name)))
        continue;
      json_object_set_boolean_member (fields, flag->name, FALSE);
      changed = TRUE;
    }
  return changed;
}

/* --- clocks --------------------------------------------------------------- */

#define AUTHOR_CLOCK_SKEW (TF_SYNC_RULES_CLOCK_SKEW_MINUTES * G_TIME_SPAN_MINUTE)

static gboolean
set_stamp (JsonObject *fields, const char *column, const char *value)
{
  gboolean same = g_strcmp0 (tf_json_get_string (fields, column), value) == 0;

  if (value == NULL)
    json_object_set_null_member (fields, column);
  else
    json_object_set_string_member (fields, column, value);
  return !same;
}

gboolean
tf_sync_rules_stamp (const TfTable *table, JsonObject *fields, const TfRecord *current,
                     GDateTime *now, const char **out_ahead)
{
  g_autofree char *now_text = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (out_ahead != NULL, FALSE);

  *out_ahead = NULL;
  now_text = tf_time_format_timestamp (now);
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *c = &table->columns[i];
      const char *stored = current ? tf_json_get_string (current->fields, c->name) : NULL;

      if (c->flags & TF_COLUMN_SERVER_CLOCK)
        {
          changed |= set_stamp (fields, c->name,
                                (c->flags & TF_COLUMN_IMMUTABLE) && stored != NULL ? stored
                                                                                    : now_text);
          continue;
        }
      if (!(c->flags & TF_COLUMN_AUTHOR_CLOCK) || ((c->flags & TF_COLUMN_IMMUTABLE) && stored))
        continue;
      {
        const char *sent = tf_json_get_string (fields, c->name);
        g_autoptr(GDateTime) when = sent ? tf_time_parse_timestamp (sent, NULL) : NULL;

        if (when != NULL && g_date_time_difference (when, now) > AUTHOR_CLOCK_SKEW &&
            *out_ahead == NULL)
          *out_ahead = c->name;
      }
    }
  return changed;
}

/* --- bookings ------------------------------------------------------------- */

static void
refuse (const char **out_code, char **out_message, const char *code, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static void
refuse (const char **out_code, char **out_message, const char *code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  *out_message = g_strdup_vprintf (format, args);
  va_end (args);
  *out_code = code;
}

/* Whether @start is a slot of @duration minutes in @therapist's hours. */
static gboolean
within_hours (PGconn *conn, const char *therapist, GDateTime *start, int duration,
              gboolean *out_within, GError **error)
{
  const char *params[] = { therapist };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonNode) rows = NULL;
  g_autoptr(GPtrArray) availability = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GDateTime) before = g_date_time_add_days (start, -1);
  g_autoptr(GDateTime) after = g_date_time_add_days (start, 1);
  g_autofree char *from = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *to = g_date_time_format (after, "%Y-%m-%d");
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;

  *out_within = FALSE;
  /* The rows in their wire form, as the device holds them. */
  result = tf_db_query (conn,
                        "SELECT coalesce (json_agg (json_strip_nulls (json_build_object ("
                        "   'day_of_week', day_of_week, 'start_time', start_time::text,"
                        "   'end_time', end_time::text, 'is_available', is_available,"
                        "   'effective_from', effective_from::text,"
                        "   'effective_until', effective_until::text))), '[]')::text,"
                        " (SELECT timezone FROM profiles WHERE user_id = $1::uuid)"
                        " FROM therapist_availability"
                        " WHERE therapist_id = $1::uuid AND deleted_at IS NULL",
                        1, params, error);
  if (result == NULL)
    return FALSE;
  rows = json_from_string (PQgetvalue (result, 0, 0), NULL);
  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    return TRUE;
  array = json_node_get_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      TfAvailability *a = g_new0 (TfAvailability, 1);

      if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)) &&
          tf_availability_init_from_fields (a, json_array_get_object_element (array, i)))
        g_ptr_array_add (availability, a);
      else
        g_free (a);
    }
  /* Blocked dates and bookings are the push's own checks, with their own
   * codes; here only the hours. */
  slots = tf_slots_compute (PQgetisnull (result, 0, 1) ? NULL : PQgetvalue (result, 0, 1),
                            from, to, duration, availability, NULL, NULL, NULL, &local_error);
  if (slots == NULL)
    return TRUE; /* a zone or length the grid refuses has no slot */
  for (guint i = 0; i < slots->len && !*out_within; i++)
    *out_within = g_date_time_equal (((TfSlot *) g_ptr_array_index (slots, i))->start, start);
  return TRUE;
}

/* The offer a new booking (a client's or their therapist's) or a
 * therapist's change of service takes its price and length from; a
 * client's new booking counts against the pending limit (@count_pending). */
static gboolean
take_offer (const TfBookingCheck *check, const char *id, JsonObject *fields,
            gboolean count_pending, gboolean *out_corrected, const char **out_code,
            char **out_message, GError **error)
{
  const char *therapist = tf_json_get_string (fields, "therapist_id");
  const char *service = tf_json_get_string (fields, "service_id");
  const char *params[] = { therapist, service, tf_json_get_string (fields, "client_id"), id };
  g_autoptr(PGresult) result = NULL;
  g_autofree char *price = NULL;
  gint64 duration, pending;

  result = tf_db_query (check->conn,
                        "SELECT o.price::text, coalesce (o.duration, s.default_duration),"
                        " EXISTS (SELECT 1 FROM therapist_services a"
                        "   WHERE a.therapist_id = $1::uuid AND a.deleted_at IS NULL"
                        "   AND a.is_available IS NOT FALSE),"
                        " (SELECT count(*) FROM appointments p WHERE p.client_id = $3::uuid"
                        "   AND p.status = 'pending' AND p.deleted_at IS NULL"
                        "   AND p.appointment_datetime > now () AND p.id <> $4::uuid)"
                        " FROM (SELECT 1) AS one"
                        " LEFT JOIN therapist_services o ON o.therapist_id = $1::uuid"
                        "   AND o.service_id = $2::uuid AND o.deleted_at IS NULL"
                        "   AND o.is_available IS NOT FALSE"
                        " LEFT JOIN services s ON s.id = o.service_id AND s.deleted_at IS NULL"
                        " LIMIT 1",
                        G_N_ELEMENTS (params), params, error);
  if (result == NULL)
    return FALSE;
  pending = g_ascii_strtoll (PQgetvalue (result, 0, 3), NULL, 10);
  if (count_pending && pending + check->pending_in_push >= check->pending_limit)
    {
      refuse (out_code, out_message, "too_many_pending",
              "you have %u bookings waiting for their therapist's answer; wait for one or "
              "cancel one", check->pending_limit);
      return TRUE;
    }
  if (service != NULL && PQgetisnull (result, 0, 0))
    {
      refuse (out_code, out_message, "not_offered", "the therapist does not offer this service");
      return TRUE;
    }
  /* A therapist may book time that is no service of theirs (free, the
   * default length); a client books one of the services offered. */
  if (service == NULL && check->by_client && strcmp (PQgetvalue (result, 0, 2), "t") == 0)
    {
      refuse (out_code, out_message, "service_required",
              "this therapist offers services: book one of them");
      return TRUE;
    }
  price = g_strdup (service != NULL ? PQgetvalue (result, 0, 0) : "0.00");
  duration = service != NULL && !PQgetisnull (result, 0, 1)
             ? g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10) : TF_SLOTS_DEFAULT_DURATION;
  if (duration < 1 || duration > TF_SLOTS_MAX_DURATION)
    duration = TF_SLOTS_DEFAULT_DURATION;
  if (g_strcmp0 (tf_json_get_string (fields, "price"), price) != 0 ||
      json_object_get_int_member_with_default (fields, "duration", 0) != duration)
    {
      json_object_set_string_member (fields, "price", price);
      json_object_set_int_member (fields, "duration", duration);
      *out_corrected = TRUE;
    }
  return TRUE;
}

/* The start of the time @fields books — a new appointment's, or a live
 * one's new time — or NULL when it books none. */
static GDateTime *
booked_start (JsonObject *fields, const TfRecord *current)
{
  const char *status = tf_json_get_string (fields, "status");
  const char *start = tf_json_get_string (fields, "appointment_datetime");

  if (g_strcmp0 (status, "pending") != 0 && g_strcmp0 (status, "confirmed") != 0)
    return NULL;
  if (current != NULL && tf_sync_rules_same_value (fields, current->fields, "appointment_datetime"))
    return NULL;
  return start != NULL ? tf_time_parse_timestamp (start, NULL) : NULL;
}

/* Whether @fields, over @current, changes the service of a live
 * appointment (only its therapist may: tf_push_changed_by_client). */
static gboolean
changes_service (JsonObject *fields, const TfRecord *current)
{
  const char *status = tf_json_get_string (fields, "status");

  return current != NULL && json_object_has_member (fields, "service_id") &&
         !tf_sync_rules_same_value (fields, current->fields, "service_id") &&
         (g_strcmp0 (status, "pending") == 0 || g_strcmp0 (status, "confirmed") == 0);
}

gboolean
tf_sync_rules_check_booking (const TfBookingCheck *check, const char *id, JsonObject *fields,
                             const TfRecord *current, gboolean *out_corrected,
                             const char **out_code, char **out_message, GError **error)
{
  g_autoptr(GDateTime) start = NULL;
  gboolean reprice;

  g_return_val_if_fail (check != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  *out_code = NULL;
  *out_message = NULL;
  start = booked_start (fields, current);
  reprice = changes_service (fields, current);
  if (start == NULL && !reprice)
    return TRUE;
  if (start != NULL && !check->by_client && g_date_time_compare (start, check->now) <= 0)
    {
      refuse (out_code, out_message, "too_soon", "an appointment cannot start in the past");
      return TRUE;
    }
  /* A client's booking obeys the therapist's rules (the notice theirs when
   * they set one, else the server's); the therapist's own overrides them. */
  if (start != NULL && check->by_client)
    {
      TfBookingRules rules;
      const char *broken;
      int notice;

      if (!tf_sync_rules_load_booking_rules (check->conn, tf_json_get_string (fields,
                                                                              "therapist_id"),
                                             &rules, error))
        return FALSE;
      notice = tf_booking_rules_notice (&rules, (int) check->notice_minutes);
      broken = tf_booking_rules_check_time (&rules, (int) check->notice_minutes, check->now,
                                            start);
      if (g_strcmp0 (broken, "too_soon") == 0)
        {
          if (notice > 0)
            refuse (out_code, out_message, "too_soon",
                    "an appointment is booked at least %d minutes ahead", notice);
          else
            refuse (out_code, out_message, "too_soon", "an appointment cannot start in the past");
          return TRUE;
        }
      if (broken != NULL)
        {
          refuse (out_code, out_message, broken,
                  "this therapist takes bookings at most %d days ahead", rules.max_days_ahead);
          return TRUE;
        }
    }
  if (!check->in_care)
    {
      if (check->by_client)
        refuse (out_code, out_message, "not_in_care",
                "book with a therapist after linking with them");
      else
        refuse (out_code, out_message, "not_in_care",
                "a therapist books only for a client in their care");
      return TRUE;
    }
  if (current == NULL || reprice)
    return take_offer (check, id, fields, check->by_client && current == NULL, out_corrected,
                       out_code, out_message, error);
  return TRUE;
}

gboolean
tf_sync_rules_check_hours (const TfBookingCheck *check, const char *id, JsonObject *fields,
                           const TfRecord *current, const char **out_code, char **out_message,
                           GError **error)
{
  g_autoptr(GDateTime) start = NULL;
  gboolean within = FALSE, near = FALSE;
  TfBookingRules rules;
  const char *therapist = tf_json_get_string (fields, "therapist_id");
  int duration = (int) json_object_get_int_member_with_default (fields, "duration",
                                                                TF_SLOTS_DEFAULT_DURATION);

  g_return_val_if_fail (check != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  *out_code = NULL;
  *out_message = NULL;
  start = booked_start (fields, current);
  if (start == NULL || !check->by_client)
    return TRUE;
  if (!within_hours (check->conn, therapist, start, duration, &within, error))
    return FALSE;
  if (!within)
    {
      refuse (out_code, out_message, "outside_hours",
              "%s is not a time the therapist takes appointments",
              tf_json_get_string (fields, "appointment_datetime"));
      return TRUE;
    }
  /* After the overlaps (slot_taken): the time kept free around the
   * therapist's other appointments. */
  if (!tf_sync_rules_load_booking_rules (check->conn, therapist, &rules, error) ||
      !tf_sync_rules_breaks_buffer (check->conn, &rules, therapist, id, start, duration,
                                    check->booked_in_push, &near, error))
    return FALSE;
  if (near)
    refuse (out_code, out_message, "buffer",
            "the therapist keeps %d minutes free between appointments", rules.buffer_minutes);
  return TRUE;
}

gboolean
tf_sync_rules_keep_terms (JsonObject *fields, const TfRecord *current)
{
  static const char * const terms[] = { "price", "duration" };
  gboolean changed = FALSE;

  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (current != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (terms); i++)
    {
      JsonNode *stored = json_object_get_member (current->fields, terms[i]);

      if (tf_sync_rules_same_value (fields, current->fields, terms[i]))
        continue;
      if (stored != NULL)
        json_object_set_member (fields, terms[i], json_node_copy (stored));
      else
        json_object_remove_member (fields, terms[i]);
      changed = TRUE;
    }
  return changed;
}

/* --- verification ----------------------------------------------------------- */

gboolean
tf_sync_rules_correct (const TfTable *table, JsonObject *fields, const TfRecord *current,
                       gboolean admin)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  if (!admin)
    changed |= clear_stale_verification (table, fields, current);
  return changed;
}

TfRecord *
tf_sync_rules_stored (const TfTable *table, const char *id, JsonObject *fields,
                      const TfRecord *current, gint64 version)
{
  TfRecord *record = current ? tf_record_copy (current) : tf_record_new (table, id);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (record->fields, name, json_node_copy (value));
  record->version = version;
  record->deleted = FALSE;
  return record;
}
