/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push.c: one push, one transaction.
 *
 * The order of work, all on one connection inside BEGIN ... COMMIT:
 *
 *   1. Take TF_SYNC_LOCK_KEY (pg_advisory_xact_lock).  Every versioned write
 *      holds it until commit, so versions are handed out in commit order and
 *      a pull never skips a change committed late (DESIGN.md §3).
 *   2. Check the token; find the device's last_mutation_id.  Mutations at or
 *      below it are retries: their stored answer is returned unchanged.
 *   3. Load, in a handful of set-based queries, everything the decisions
 *      need: current versions (sync_records), current rows, parent rows,
 *      roles, active care relationships, current recipients.
 *   4. Decide each mutation in order, in C: conflict (base_version is not
 *      the current version: nothing is overwritten, the answer carries the
 *      server's record), rejected (validation, authorization, a locked
 *      record, scheduling: typed code), or apply.  Decisions see the batch's
 *      own earlier writes.
 *   5. Write the applied rows in one pipelined round trip, each inside a
 *      savepoint; a row the database still refuses becomes a rejection and
 *      the rest go on.
 *   6. Record versions, fan out the feed (and revoke recipients who lost
 *      access), store every answer, advance last_mutation_id, audit, notify
 *      — each one statement over the whole batch.
 *
 * Rejections advance last_mutation_id like applications: a device's queue
 * never stalls on a mutation the server will not take.
 *
 * An atomic group ("atomic_groups": a share that ends re-keys a record,
 * deletes grants and seals the new key again) is applied all or none.
 * Steps 3 to 5 run inside a savepoint; when a mutation of a group is not
 * applied (a conflict, a rejection, a row the database refused), the
 * savepoint is rolled back and the batch decided again with that group
 * failed: that mutation keeps its answer, the others are answered rejected
 * "group_refused", and nothing of the group is written.  The device then
 * holds the server's state of those records again and does the whole step
 * anew (a re-key finds the former reader's grant back and re-keys again).
 * Each round fails one group more: at most as many rounds as groups, plus
 * one.
 *
 * This file holds steps 1 and 2, the answers and the run; step 3 is
 * tf-sync-push-load.c, steps 4 and 5 tf-sync-push-apply.c (asking
 * tf-sync-push-access.c who may write what and tf-sync-rules.c about
 * appointments), step 6 tf-sync-push-feed.c.  What they share:
 * tf-sync-push-private.h.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-auth.h"
#include "tf-db.h"
#include "tf-sync-push-private.h"

void
tf_push_item_free (TfPushItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_clear_pointer (&item->mutation, tf_mutation_free);
  g_clear_error (&item->invalid);
  g_free (item);
}

void
tf_push_job_free (TfPushJob *job)
{
  if (job == NULL)
    return;
  g_free (job->token);
  g_free (job->address);
  g_free (job->user_agent);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_free (job);
}

static void
state_free (State *state)
{
  g_free (state->owner);
  g_clear_pointer (&state->row, tf_record_free);
  g_free (state);
}

static void
care_free (Care *care)
{
  g_free (care->therapist);
  g_free (care->client);
  g_free (care);
}

static void
decision_free (Decision *d)
{
  g_free (d->owner);
  g_clear_pointer (&d->recipients, g_ptr_array_unref);
  g_clear_pointer (&d->result, json_node_unref);
  g_clear_pointer (&d->kept_result, json_node_unref);
  g_free (d);
}

char *
tf_push_record_key (const char *table, const char *id)
{
  return g_strconcat (table, "/", id, NULL);
}

gboolean
tf_push_field_true (JsonObject *fields, const char *name)
{
  JsonNode *node = fields ? json_object_get_member (fields, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

void
tf_push_add_unique (GPtrArray *list, const char *value)
{
  if (value == NULL)
    return;
  for (guint i = 0; i < list->len; i++)
    if (strcmp (g_ptr_array_index (list, i), value) == 0)
      return;
  g_ptr_array_add (list, g_strdup (value));
}

/* --- answers -------------------------------------------------------------- */

/* Starts {"mutation_id": N, "status": S, ...}; the caller adds the rest. */
static JsonBuilder *
result_begin (gint64 mutation_id, const char *status)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mutation_id");
  json_builder_add_int_value (builder, mutation_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  return builder;
}

static JsonNode *
result_finish (JsonBuilder *builder)
{
  JsonNode *node;

  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  g_object_unref (builder);
  return node;
}

JsonNode *
tf_push_result_rejected (gint64 mutation_id, const char *code, const char *message)
{
  JsonBuilder *b = result_begin (mutation_id, "rejected");

  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  return result_finish (b);
}

JsonNode *
tf_push_result_applied (gint64 mutation_id, gint64 version)
{
  JsonBuilder *b = result_begin (mutation_id, "applied");

  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, version);
  return result_finish (b);
}

/* Applied, with the stored record when the server changed what was sent:
 * the device takes the server's values (tf_store_apply_push_results). */
JsonNode *
tf_push_result_applied_as (gint64 mutation_id, gint64 version, const TfRecord *stored)
{
  JsonBuilder *b = result_begin (mutation_id, "applied");

  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, version);
  json_builder_set_member_name (b, "record");
  json_builder_add_value (b, tf_record_to_json (stored));
  return result_finish (b);
}

JsonNode *
tf_push_result_conflict (gint64 mutation_id, const TfRecord *current)
{
  JsonBuilder *b = result_begin (mutation_id, "conflict");

  json_builder_set_member_name (b, "record");
  if (current != NULL)
    json_builder_add_value (b, tf_record_to_json (current));
  else
    json_builder_add_null_value (b);
  return result_finish (b);
}

JsonNode *
tf_push_result_duplicate (gint64 mutation_id, const char *message, const TfRecord *holder)
{
  JsonBuilder *b = result_begin (mutation_id, "rejected");

  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "duplicate");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "record");
  json_builder_add_value (b, tf_record_to_json (holder));
  return result_finish (b);
}

void
tf_push_reject (Decision *d, const char *code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  d->outcome = OUTCOME_REJECT;
  g_clear_pointer (&d->result, json_node_unref);
  d->result = tf_push_result_rejected (d->item->mutation_id, code, message);
}

/* --- the push ------------------------------------------------------------- */

static gboolean
load_retries (Push *p, const char *device_id, gint64 last_mutation_id, GError **error)
{
  g_autoptr(JsonBuilder) ids = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *params[3];
  gboolean any = FALSE;

  json_builder_begin_array (ids);
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      if (d->item->mutation_id <= last_mutation_id)
        {
          d->outcome = OUTCOME_RETRY;
          json_builder_add_int_value (ids, d->item->mutation_id);
          any = TRUE;
        }
    }
  json_builder_end_array (ids);
  if (!any)
    return TRUE;
  root = json_builder_get_root (ids);
  text = json_to_string (root, FALSE);
  params[0] = device_id;
  params[1] = p->caller.user_id;
  params[2] = text;
  result = tf_db_query (p->conn,
                        "SELECT mutation_id, result::text FROM sync_mutation_results"
                        " WHERE device_id = $1::uuid AND user_id = $2::uuid AND mutation_id IN"
                        " (SELECT e::bigint FROM jsonb_array_elements_text($3::jsonb) e)",
                        3, params, error);
  if (result == NULL)
    return FALSE;
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);

      if (d->outcome != OUTCOME_RETRY)
        continue;
      for (int row = 0; row < PQntuples (result); row++)
        if (g_ascii_strtoll (PQgetvalue (result, row, 0), NULL, 10) == d->item->mutation_id)
          d->result = json_from_string (PQgetvalue (result, row, 1), NULL);
      if (d->result == NULL)
        d->result = tf_push_result_rejected (d->item->mutation_id, "unknown_mutation",
                                             "this mutation id was used before, "
                                             "but its answer is gone");
      /* Marked, so a device that never sent this id before (a profile
       * restored from a backup, or copied) learns it reused one. */
      if (JSON_NODE_HOLDS_OBJECT (d->result))
        json_object_set_boolean_member (json_node_get_object (d->result), "repeat", TRUE);
    }
  return TRUE;
}

/* Forgets what a round decided and loaded, for the next one. */
static void
reset_round (Push *p)
{
  g_hash_table_remove_all (p->states);
  g_hash_table_remove_all (p->parents);
  g_hash_table_remove_all (p->roles);
  g_hash_table_remove_all (p->managed);
  g_ptr_array_set_size (p->care, 0);
  g_hash_table_remove_all (p->old_recipients);
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);

      d->outcome = OUTCOME_UNDECIDED;
      d->version = 0;
      g_clear_pointer (&d->owner, g_free);
      g_clear_pointer (&d->recipients, g_ptr_array_unref);
      g_clear_pointer (&d->result, json_node_unref);
    }
}

/* One round: loads what the decisions need and decides every mutation;
 * those of a @failed group are not applied (see the top of this file). */
static gboolean
decide_all (Push *p, const char *device_id, gint64 last_mutation_id, PGresult *versions,
            const gboolean *failed, GError **error)
{
  guint v = 0;

  reset_round (p);
  if (!load_retries (p, device_id, last_mutation_id, error) ||
      !tf_push_load_states (p, error) || !tf_push_load_parents (p, error) ||
      !tf_push_load_people (p, error))
    return FALSE;
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      gint64 version;

      if (d->outcome == OUTCOME_RETRY)
        continue;
      version = g_ascii_strtoll (PQgetvalue (versions, (int) v++, 0), NULL, 10);
      if (d->item->group != 0 && failed[d->item->group])
        {
          if (d->kept_result != NULL)
            {
              d->outcome = d->kept_outcome;
              d->result = json_node_copy (d->kept_result);
            }
          else
            tf_push_reject (d, "group_refused", "another change of the same atomic group was "
                            "not applied, so none of them was");
          continue;
        }
      if (!tf_push_decide (p, d, version, error))
        return FALSE;
    }
  return TRUE;
}

/* TRUE when a group not failed yet has a mutation that was not applied:
 * it is failed now, and each mutation of it keeps the answer it got. */
static gboolean
fail_groups (Push *p, gboolean *failed)
{
  gboolean any = FALSE;

  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      guint g = d->item->group;

      if (g == 0 || failed[g] || d->outcome == OUTCOME_APPLY || d->outcome == OUTCOME_RETRY)
        continue;
      failed[g] = TRUE;
      any = TRUE;
      g_message ("push: atomic group %u failed at mutation %" G_GINT64_FORMAT
                 "; none of it is applied", g, d->item->mutation_id);
      for (guint j = 0; j < p->decisions->len; j++)
        {
          Decision *e = g_ptr_array_index (p->decisions, j);

          if (e->item->group != g || e->outcome == OUTCOME_APPLY)
            continue;
          e->kept_outcome = e->outcome;
          g_clear_pointer (&e->kept_result, json_node_unref);
          e->kept_result = json_node_copy (e->result);
        }
    }
  return any;
}

static JsonNode *
push_locked (Push *p, GError **error)
{
  TfPushJob *job = p->job;
  g_autoptr(PGresult) device = NULL;
  g_autoptr(PGresult) versions = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *n_new = NULL;
  g_autofree gboolean *failed = NULL;
  const char *device_id;
  gint64 last_mutation_id, max_id = 0;
  guint fresh = 0;

  if (!tf_auth_check_token (p->conn, job->token, &p->caller, error))
    return NULL;
  device_id = p->caller.device_id;
  {
    const char *params[] = { device_id, p->caller.user_id };
    device = tf_db_query (p->conn,
                          "INSERT INTO sync_devices (device_id, user_id) VALUES ($1::uuid, $2::uuid)"
                          " ON CONFLICT (device_id, user_id) DO UPDATE SET device_id = EXCLUDED.device_id"
                          " RETURNING last_mutation_id",
                          2, params, error);
    if (device == NULL)
      return NULL;
  }
  last_mutation_id = g_ascii_strtoll (PQgetvalue (device, 0, 0), NULL, 10);
  /* The device was told of more than this server knows: its bookkeeping went
   * back (the database restored from an older backup).  Nothing is taken:
   * the answer says where the server stands, and the device puts back what
   * it lost ahead of its later writes before it pushes again, so they are
   * not weighed against the older records. */
  if (job->acknowledged > last_mutation_id)
    {
      g_message ("device %s was acknowledged up to mutation %" G_GINT64_FORMAT
                 " but the server knows of %" G_GINT64_FORMAT " only: its bookkeeping went back",
                 device_id, job->acknowledged, last_mutation_id);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "last_mutation_id");
      json_builder_add_int_value (builder, last_mutation_id);
      json_builder_end_object (builder);
      return json_builder_get_root (builder);
    }

  for (guint i = 0; i < job->items->len; i++)
    {
      Decision *d = g_new0 (Decision, 1);
      d->item = g_ptr_array_index (job->items, i);
      d->outcome = OUTCOME_UNDECIDED;
      g_ptr_array_add (p->decisions, d);
      max_id = MAX (max_id, d->item->mutation_id);
    }
  for (guint i = 0; i < p->decisions->len; i++)
    if (((Decision *) g_ptr_array_index (p->decisions, i))->item->mutation_id > last_mutation_id)
      fresh++;
  n_new = g_strdup_printf ("%u", fresh);
  {
    const char *params[] = { n_new };
    versions = tf_db_query (p->conn, "SELECT nextval('sync_version_seq')"
                                     " FROM generate_series(1, $1::int)", 1, params, error);
    if (versions == NULL)
      return NULL;
  }
  failed = g_new0 (gboolean, job->n_groups + 1);
  if (job->n_groups > 0 && !tf_db_exec (p->conn, "SAVEPOINT push_groups", error))
    return NULL;
  for (;;)
    {
      gboolean fell;

      if (!decide_all (p, device_id, last_mutation_id, versions, failed, error))
        return NULL;
      fell = fail_groups (p, failed);
      if (!fell)
        {
          if (!tf_push_write_rows (p, error))
            return NULL;
          fell = fail_groups (p, failed);
        }
      if (!fell)
        break;
      /* A group fell: nothing of this round stays. */
      if (!tf_db_exec (p->conn, "ROLLBACK TO SAVEPOINT push_groups", error))
        return NULL;
    }
  if (job->n_groups > 0 && !tf_db_exec (p->conn, "RELEASE SAVEPOINT push_groups", error))
    return NULL;
  if (!tf_push_record_bookkeeping (p, device_id, MAX (max_id, last_mutation_id), error))
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < p->decisions->len; i++)
    json_builder_add_value (builder,
                            json_node_copy (((Decision *) g_ptr_array_index (p->decisions, i))->result));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "last_mutation_id");
  json_builder_add_int_value (builder, MAX (max_id, last_mutation_id));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
tf_sync_push_run (PGconn *conn, TfPushJob *job, GError **error)
{
  Push p = { 0 };
  JsonNode *response = NULL;

  p.conn = conn;
  p.job = job;
  p.states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) state_free);
  p.parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) tf_record_free);
  p.roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p.care = g_ptr_array_new_with_free_func ((GDestroyNotify) care_free);
  p.managed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p.old_recipients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  p.decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) decision_free);
  p.now = g_date_time_new_now_utc ();

  if (tf_db_exec (conn, "BEGIN; SELECT pg_advisory_xact_lock(" TF_SYNC_LOCK_KEY ")", error))
    {
      response = push_locked (&p, error);
      if (response != NULL && !tf_db_commit_durable (conn, error))
        g_clear_pointer (&response, json_node_unref);
      if (response == NULL)
        {
          g_autoptr(PGresult) rollback = PQexec (conn, "ROLLBACK");
        }
    }

  g_hash_table_unref (p.states);
  g_hash_table_unref (p.parents);
  g_hash_table_unref (p.roles);
  g_ptr_array_unref (p.care);
  g_hash_table_unref (p.managed);
  g_hash_table_unref (p.old_recipients);
  g_ptr_array_unref (p.decisions);
  g_date_time_unref (p.now);
  tf_auth_caller_clear (&p.caller);
  return response;
}
