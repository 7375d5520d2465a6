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
 * Appointments in a push.  The last part of this file applies the rules to
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

/* --- appointments in a push ----------------------------------------------- */

/* What a client may not change on an existing appointment: where and how
 * it takes place and which service it is, ever; the time once the
 * therapist confirmed it.  (The price and the length are the offer's: the
 * server keeps them, tf_sync_rules_keep_terms.) */
const char *
tf_push_changed_by_client (Push *p, JsonObject *fields, TfRecord *current)
{
  static const char * const never[] = { "location_type", "meeting_url", "service_id" };
  static const char * const once_confirmed[] = { "appointment_datetime" };

  if (current == NULL ||
      g_strcmp0 (tf_json_get_string (current->fields, "therapist_id"), p->caller.user_id) == 0)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (never); i++)
    if (json_object_has_member (fields, never[i]) &&
        !tf_sync_rules_same_value (fields, current->fields, never[i]))
      return never[i];
  if (g_strcmp0 (tf_json_get_string (current->fields, "status"), "pending") != 0)
    for (guint i = 0; i < G_N_ELEMENTS (once_confirmed); i++)
      if (json_object_has_member (fields, once_confirmed[i]) &&
          !tf_sync_rules_same_value (fields, current->fields, once_confirmed[i]))
        return once_confirmed[i];
  return NULL;
}

static gboolean
allowed_transition (const char *from, const char *to, gboolean therapist)
{
  /* A cancelled appointment changes only as its therapist marks it a late
   * cancellation (check_late_cancellation). */
  if (g_strcmp0 (from, to) == 0)
    return g_strcmp0 (from, "pending") == 0 || g_strcmp0 (from, "confirmed") == 0 ||
           (therapist && g_strcmp0 (from, "cancelled") == 0);
  if (g_strcmp0 (to, "cancelled") == 0)
    return g_strcmp0 (from, "pending") == 0 || g_strcmp0 (from, "confirmed") == 0;
  if (!therapist)
    return FALSE;
  if (g_strcmp0 (from, "pending") == 0)
    return g_strcmp0 (to, "confirmed") == 0;
  if (g_strcmp0 (from, "confirmed") == 0)
    return g_strcmp0 (to, "completed") == 0 || g_strcmp0 (to, "no_show") == 0;
  return FALSE;
}

/* Whether an appointment that @fields marks completed or no-show has
 * started by the server's clock: one cannot have been attended or missed
 * before it begins.  Any other status, or one already stored, is not
 * asked about. */
static gboolean
held_by_now (Push *p, JsonObject *fields, TfRecord *current, const char *status)
{
  const char *start = tf_json_get_string (fields, "appointment_datetime");
  g_autoptr(GDateTime) when = NULL;

  if (g_strcmp0 (status, "completed") != 0 && g_strcmp0 (status, "no_show") != 0)
    return TRUE;
  if (g_strcmp0 (tf_json_get_string (current->fields, "status"), status) == 0)
    return TRUE;
  if (start == NULL)
    start = tf_json_get_string (current->fields, "appointment_datetime");
  when = start != NULL ? tf_time_parse_timestamp (start, NULL) : NULL;
  return when == NULL || g_date_time_compare (when, p->now) <= 0;
}

/* A move keeps the time it had, who moved it and when; the server takes
 * them only as the time it had stored, the caller (and its moment no later
 * than the server's clock: tf_sync_rules_stamp), and a write that does not
 * move the appointment does not change them.  A new appointment may carry
 * its own move (booked and moved offline), by its author. */
/* Whether @column holds the same instant in @fields and @current (a
 * timestamp may come written another way: fractions, zones). */
static gboolean
same_instant (JsonObject *fields, JsonObject *current, const char *column)
{
  const char *a = tf_json_get_string (fields, column), *b = tf_json_get_string (current, column);
  g_autoptr(GDateTime) x = a ? tf_time_parse_timestamp (a, NULL) : NULL;
  g_autoptr(GDateTime) y = b ? tf_time_parse_timestamp (b, NULL) : NULL;

  if (x == NULL || y == NULL)
    return tf_sync_rules_same_value (fields, current, column);
  return g_date_time_equal (x, y);
}

static const char *
check_move (Push *p, JsonObject *fields, TfRecord *current)
{
  static const char * const moved[] = { "previous_datetime", "moved_by", "moved_at" };
  const char *by = tf_json_get_string (fields, "moved_by");
  g_autoptr(GDateTime) previous = NULL, stored = NULL;

  if (current == NULL)
    return by == NULL || g_strcmp0 (by, p->caller.user_id) == 0
             ? NULL : "a move is recorded by the one who moves";
  if (same_instant (fields, current->fields, "appointment_datetime"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (moved); i++)
        if (json_object_has_member (fields, moved[i]) &&
            !(strcmp (moved[i], "moved_by") == 0
                ? tf_sync_rules_same_value (fields, current->fields, moved[i])
                : same_instant (fields, current->fields, moved[i])))
          return "the record of a move changes only with the move";
      return NULL;
    }
  previous = tf_json_get_string (fields, "previous_datetime")
    ? tf_time_parse_timestamp (tf_json_get_string (fields, "previous_datetime"), NULL) : NULL;
  stored = tf_time_parse_timestamp (tf_json_get_string (current->fields, "appointment_datetime"),
                                    NULL);
  if (previous == NULL || stored == NULL || !g_date_time_equal (previous, stored))
    return "a moved appointment names the time it had as previous_datetime";
  if (g_strcmp0 (by, p->caller.user_id) != 0 || tf_json_get_string (fields, "moved_at") == NULL)
    return "a move is recorded by the one who moves, with when (moved_by, moved_at)";
  return NULL;
}

/* A late cancellation is its therapist's mark on a cancelled appointment
 * (or one they cancel with it) once its time has passed; it changes
 * nothing else of a cancelled appointment. */
static gboolean
check_late_cancellation (Push *p, Decision *d, JsonObject *fields, TfRecord *current,
                         gboolean by_therapist)
{
  gboolean late = tf_push_field_true (fields, "late_cancellation");
  gboolean was_late = current != NULL && tf_push_field_true (current->fields,
                                                              "late_cancellation");
  const char *start = tf_json_get_string (fields, "appointment_datetime");
  g_autoptr(GDateTime) when = NULL;

  if (current != NULL && !json_object_has_member (fields, "late_cancellation"))
    late = was_late;
  if (late == was_late)
    return TRUE;
  if (!by_therapist)
    {
      tf_push_reject (d, "forbidden", "a late cancellation is the therapist's to mark");
      return FALSE;
    }
  if (g_strcmp0 (tf_json_get_string (fields, "status"), "cancelled") != 0)
    {
      tf_push_reject (d, "validation", "only a cancelled appointment is a late cancellation");
      return FALSE;
    }
  when = start != NULL ? tf_time_parse_timestamp (start, NULL) : NULL;
  if (when == NULL || g_date_time_compare (when, p->now) > 0)
    {
      tf_push_reject (d, "not_yet_held",
                      "an appointment is marked a late cancellation only once its time has "
                      "passed");
      return FALSE;
    }
  return TRUE;
}

/* The scheduling rules the server enforces on appointments. */
gboolean
tf_push_check_appointment (Push *p, Decision *d, JsonObject *fields, TfRecord *current,
                           GError **error)
{
  const char *status = tf_json_get_string (fields, "status");
  const char *therapist = tf_json_get_string (fields, "therapist_id");
  const char *start = tf_json_get_string (fields, "appointment_datetime");
  gint64 duration = json_object_get_int_member_with_default (fields, "duration", 0);
  gboolean by_therapist = g_strcmp0 (p->caller.user_id, therapist) == 0;
  g_autofree char *minutes = g_strdup_printf ("%" G_GINT64_FORMAT, duration);
  g_autoptr(PGresult) result = NULL;
  const char *params[4];
  const char *why;

  if (current == NULL)
    {
      if (g_strcmp0 (status, "pending") != 0 && !(by_therapist && g_strcmp0 (status, "confirmed") == 0))
        {
          tf_push_reject (d, "bad_transition",
                          "a new appointment is pending (or confirmed by its therapist)");
          return TRUE;
        }
    }
  else if (!allowed_transition (tf_json_get_string (current->fields, "status"), status, by_therapist))
    {
      tf_push_reject (d, "bad_transition", "an appointment cannot go from %s to %s%s",
                      tf_json_get_string (current->fields, "status"), status,
                      by_therapist ? "" : " (some changes are the therapist's)");
      return TRUE;
    }
  if (current != NULL && !held_by_now (p, fields, current, status))
    {
      tf_push_reject (d, "not_yet_held",
                      "an appointment is marked %s only once it has started", status);
      return TRUE;
    }
  if ((why = check_move (p, fields, current)) != NULL)
    {
      tf_push_reject (d, "bad_move", "%s", why);
      return TRUE;
    }
  if (!check_late_cancellation (p, d, fields, current, by_therapist))
    return TRUE;
  if (g_strcmp0 (status, "cancelled") == 0)
    {
      const char *was = current != NULL ? tf_json_get_string (current->fields, "status") : NULL;

      /* Cancelled already: only the late mark changes (above), and the
       * server's own clock.  Every other plain column stays as it is (where
       * and how, its service, its series, its move); of the encrypted ones
       * the reason, as before: the others' ciphertext changes with a
       * re-key (a managed client's hand-over) without a change of text. */
      if (g_strcmp0 (was, "cancelled") == 0)
        {
          const TfTable *t = d->item->table;

          for (guint i = 0; i < t->n_columns; i++)
            {
              const TfColumn *c = &t->columns[i];
              gboolean same;

              if (strcmp (c->name, "late_cancellation") == 0 ||
                  (c->flags & TF_COLUMN_SERVER_CLOCK) ||
                  ((c->flags & TF_COLUMN_ENCRYPTED) &&
                   strcmp (c->name, "cancellation_reason") != 0) ||
                  !json_object_has_member (fields, c->name))
                continue;
              same = c->type == TF_COLUMN_TIMESTAMP
                       ? same_instant (fields, current->fields, c->name)
                       : tf_sync_rules_same_value (fields, current->fields, c->name);
              if (!same)
                {
                  tf_push_reject (d, "bad_transition", "a cancelled appointment keeps its %s",
                                  c->name);
                  return TRUE;
                }
            }
          return TRUE;
        }
      if (g_strcmp0 (tf_json_get_string (fields, "cancelled_by"), p->caller.user_id) != 0)
        {
          tf_push_reject (d, "validation", "cancelled_by must be the one who cancels");
          return TRUE;
        }
      return TRUE; /* a cancellation frees the slot: nothing to check */
    }

  params[0] = therapist;
  params[1] = d->item->id;
  params[2] = start;
  params[3] = minutes;
  result = tf_db_query (p->conn,
                        "SELECT"
                        " (SELECT a.id::text FROM appointments a WHERE a.therapist_id = $1::uuid"
                        "   AND a.id <> $2::uuid AND a.status <> 'cancelled' AND a.deleted_at IS NULL"
                        "   AND a.appointment_datetime < $3::timestamptz + make_interval(mins => $4::int)"
                        "   AND a.appointment_datetime + make_interval(mins => a.duration) > $3::timestamptz"
                        "   LIMIT 1),"
                        " EXISTS (SELECT 1 FROM therapist_blocked_dates b,"
                        "   (SELECT ($3::timestamptz AT TIME ZONE"
                        "     coalesce((SELECT timezone FROM profiles WHERE user_id = $1::uuid),"
                        "              'Europe/Athens'))::date AS day) AS local"
                        "   WHERE b.therapist_id = $1::uuid AND b.deleted_at IS NULL"
                        "   AND local.day BETWEEN b.blocked_date"
                        "                     AND coalesce (b.end_date, b.blocked_date))",
                        4, params, error);
  if (result == NULL)
    return FALSE;
  if (!PQgetisnull (result, 0, 0))
    {
      tf_push_reject (d, "slot_taken", "the therapist already has an appointment at that time");
      return TRUE;
    }
  if (strcmp (PQgetvalue (result, 0, 1), "t") == 0)
    {
      tf_push_reject (d, "blocked_date",
                      "the therapist does not take appointments on that day (a day off)");
      return TRUE;
    }

  /* Overlaps with appointments applied earlier in this same batch. */
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *other = g_ptr_array_index (p->decisions, i);
      JsonObject *of;
      g_autoptr(GDateTime) a0 = NULL, b0 = NULL;
      gint64 od;

      if (other == d)
        break;
      if (other->outcome != OUTCOME_APPLY || other->item->table != d->item->table ||
          other->item->op != TF_MUTATION_UPSERT || strcmp (other->item->id, d->item->id) == 0)
        continue;
      of = other->item->mutation->fields;
      if (g_strcmp0 (tf_json_get_string (of, "therapist_id"), therapist) != 0 ||
          g_strcmp0 (tf_json_get_string (of, "status"), "cancelled") == 0)
        continue;
      a0 = g_date_time_new_from_iso8601 (start, NULL);
      b0 = g_date_time_new_from_iso8601 (tf_json_get_string (of, "appointment_datetime"), NULL);
      od = json_object_get_int_member_with_default (of, "duration", 0);
      if (a0 && b0 && g_date_time_difference (b0, a0) < duration * G_TIME_SPAN_MINUTE &&
          g_date_time_difference (a0, b0) < od * G_TIME_SPAN_MINUTE)
        {
          tf_push_reject (d, "slot_taken", "the therapist already has an appointment at that time");
          return TRUE;
        }
    }
  return TRUE;
}

/* An active care relationship of @therapist and @client, stored or applied
 * earlier in this push (a client offline links and books in one push). */
static gboolean
in_care_now (Push *p, Decision *d, const char *therapist, const char *client)
{
  if (tf_push_in_care (p, therapist, client))
    return TRUE;
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *other = g_ptr_array_index (p->decisions, i);
      JsonObject *f;

      if (other == d)
        break;
      if (other->outcome != OUTCOME_APPLY || other->item->op != TF_MUTATION_UPSERT ||
          other->item->table != tf_registry_lookup ("care_relationships"))
        continue;
      f = other->item->mutation->fields;
      if (g_strcmp0 (tf_json_get_string (f, "therapist_id"), therapist) == 0 &&
          g_strcmp0 (tf_json_get_string (f, "client_id"), client) == 0 &&
          g_strcmp0 (tf_json_get_string (f, "status"), "active") == 0)
        return TRUE;
    }
  return FALSE;
}

/* New pending bookings of @client applied earlier in this push. */
static guint
pending_in_push (Push *p, Decision *d, const char *client)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *other = g_ptr_array_index (p->decisions, i);
      g_autofree char *key = NULL;
      State *state;
      JsonObject *f;

      if (other == d)
        break;
      if (other->outcome != OUTCOME_APPLY || other->item->op != TF_MUTATION_UPSERT ||
          other->item->table != d->item->table)
        continue;
      f = other->item->mutation->fields;
      key = tf_push_record_key (other->item->table->name, other->item->id);
      state = g_hash_table_lookup (p->states, key);
      if (g_strcmp0 (tf_json_get_string (f, "client_id"), client) == 0 &&
          g_strcmp0 (tf_json_get_string (f, "status"), "pending") == 0 &&
          (state == NULL || !state->existed))
        g_hash_table_add (ids, other->item->id);
    }
  return g_hash_table_size (ids);
}

/* The live appointments of @therapist applied earlier in this push than @d
 * (not @d's own), as TfBooked in @out whose starts @starts holds: the
 * buffer keeps them as it keeps those stored. */
static void
booked_in_push (Push *p, Decision *d, const char *therapist, GPtrArray *starts, GPtrArray *out)
{
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *other = g_ptr_array_index (p->decisions, i);
      JsonObject *of;
      GDateTime *at;
      TfBooked *b;

      if (other == d)
        break;
      if (other->outcome != OUTCOME_APPLY || other->item->table != d->item->table ||
          other->item->op != TF_MUTATION_UPSERT || strcmp (other->item->id, d->item->id) == 0)
        continue;
      of = other->item->mutation->fields;
      if (g_strcmp0 (tf_json_get_string (of, "therapist_id"), therapist) != 0 ||
          g_strcmp0 (tf_json_get_string (of, "status"), "cancelled") == 0)
        continue;
      at = tf_time_parse_timestamp (tf_json_get_string (of, "appointment_datetime"), NULL);
      if (at == NULL)
        continue;
      g_ptr_array_add (starts, at);
      b = g_new0 (TfBooked, 1);
      b->start = at;
      b->duration_minutes = (int) json_object_get_int_member_with_default (
        of, "duration", TF_SLOTS_DEFAULT_DURATION);
      g_ptr_array_add (out, b);
    }
}

/* The booking rules of tf-sync-rules.c for an appointment upsert: before
 * the overlap checks (@hours FALSE: notice, care, offer, pending limit) or
 * after them (@hours TRUE: the therapist's hours). */
gboolean
tf_push_check_booking (Push *p, Decision *d, JsonObject *fields, TfRecord *current,
                       gboolean hours, gboolean *corrected, GError **error)
{
  const char *client = tf_json_get_string (fields, "client_id");
  const char *therapist = tf_json_get_string (fields, "therapist_id");
  TfBookingCheck check = {
    .conn = p->conn,
    .now = p->now,
    .notice_minutes = p->job->booking_notice_minutes,
    .pending_limit = p->job->booking_pending_limit,
    .by_client = g_strcmp0 (p->caller.user_id, therapist) != 0,
  };
  const char *code = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  if (hours)
    {
      g_autoptr(GPtrArray) starts = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    g_date_time_unref);

      check.booked_in_push = g_ptr_array_new_with_free_func (g_free);
      booked_in_push (p, d, therapist, starts, check.booked_in_push);
      ok = tf_sync_rules_check_hours (&check, d->item->id, fields, current, &code, &message,
                                      error);
      g_ptr_array_unref (check.booked_in_push);
    }
  else
    {
      check.in_care = in_care_now (p, d, therapist, client);
      check.pending_in_push = pending_in_push (p, d, client);
      ok = tf_sync_rules_check_booking (&check, d->item->id, fields, current, corrected, &code,
                                        &message, error);
    }
  if (ok && code != NULL)
    tf_push_reject (d, code, "%s", message);
  return ok;
}
