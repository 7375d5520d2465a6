/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push-appointments.c: the scheduling rules on an appointment of a
 * push (tf-sync-rules.c says them all), where the batch's earlier decisions
 * count as much as the database: an appointment moves only along its
 * allowed states (pending, confirmed, then completed or no-show once it
 * has started, not_yet_held before; or cancelled by whoever cancels it,
 * and then it changes no more but for its therapist's late mark), a client
 * never changes where it takes place nor, once confirmed, when, and no two
 * of a therapist's appointments overlap, stored or pushed together.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-db.h"
#include "tf-slots.h"
#include "tf-sync-push-private.h"
#include "tf-sync-rules.h"
#include "tf-time.h"

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

/* A cancellation (@d's upsert to "cancelled"): made by whoever says so;
 * one cancelled already changes no more, but for the late mark and the
 * server's clock.  Every other plain column stays as it is (where and how,
 * its service, its series, its move); of the encrypted ones the reason, as
 * before: the others' ciphertext changes with a re-key (a managed client's
 * hand-over) without a change of text.  @d is rejected or still to apply. */
static void
check_cancellation (Push *p, Decision *d, JsonObject *fields, TfRecord *current)
{
  const char *was = current != NULL ? tf_json_get_string (current->fields, "status") : NULL;

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
              return;
            }
        }
      return;
    }
  if (g_strcmp0 (tf_json_get_string (fields, "cancelled_by"), p->caller.user_id) != 0)
    tf_push_reject (d, "validation", "cancelled_by must be the one who cancels");
}

/* Whether an appointment of @therapist applied earlier in this push meets
 * @start for @duration minutes (@d's own id aside). */
static gboolean
overlaps_in_push (Push *p, Decision *d, const char *therapist, const char *start,
                  gint64 duration)
{
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
        return TRUE;
    }
  return FALSE;
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
      check_cancellation (p, d, fields, current);
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
  if (overlaps_in_push (p, d, therapist, start, duration))
    tf_push_reject (d, "slot_taken", "the therapist already has an appointment at that time");
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
