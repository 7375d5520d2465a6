/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-outbox.c: the queue of this device's mutations — appended with
 * each local write, peeked by a push, and emptied by the server's answers.
 *
 * The outbox id is AUTOINCREMENT, so mutation ids strictly increase and are
 * never reused, even across crashes (tf-store-ids.c says where they stand
 * against the server).  An answer "applied" makes the pushed fields the base
 * and moves the entry to those kept for a server that loses them
 * (tf-store-acked.c); "rejected" keeps the attempt in sync_rejections for
 * the user and drops it; a conflict leaves it queued for the merge
 * (tf-store-conflicts.c).  An entry the server never answered stays and is
 * sent again by the next push.
 *
 * Entries queued inside one tf_store_atomic() share an atomic_group: a
 * batch never ends inside a group, and the push names the groups so the
 * server applies each all or none (docs/protocol.md, "Atomic groups").
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-error.h"
#include "tf-store-private.h"
#include "tf-time.h"

/* --- the queue ------------------------------------------------------------ */

gboolean
tf_store_append_outbox (TfStore *self, const TfTable *table, const char *id, const char *op,
                        JsonObject *fields, GError **error)
{
  g_auto(TfStoreStmt) version = { NULL };
  g_auto(TfStoreStmt) insert = { NULL };
  g_autofree char *version_sql = g_strdup_printf ("SELECT version FROM %s WHERE %s = ?1",
                                                  table->name, table->key_column);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = tf_time_format_timestamp (now);
  g_autofree char *signature = NULL;
  g_autoptr(JsonObject) complete = NULL;
  gint64 base = 0;
  gint64 revision;

  if (!tf_store_prepare (self, &version, version_sql, error))
    return FALSE;
  sqlite3_bind_text (version.stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (version.stmt) == SQLITE_ROW)
    base = sqlite3_column_int64 (version.stmt, 0);

  /* Signed here, the one place every write of every table is queued, over
   * the whole record as stored. */
  if (fields != NULL)
    fields = complete = tf_store_complete_signed (self, table, id, fields);
  if (!tf_store_sign_queued (self, table, id, fields, &revision, &signature, error))
    return FALSE;
  if (!tf_store_prepare (self, &insert,
                         "INSERT INTO outbox (table_name, record_id, op, base_version, fields,"
                         " created_at, revision, signature, atomic_group)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error))
    return FALSE;
  sqlite3_bind_text (insert.stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert.stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert.stmt, 3, op, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert.stmt, 4, base);
  if (fields != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), fields);
      sqlite3_bind_text (insert.stmt, 5, json_to_string (node, FALSE), -1, g_free);
    }
  else
    sqlite3_bind_null (insert.stmt, 5);
  sqlite3_bind_text (insert.stmt, 6, created, -1, SQLITE_TRANSIENT);
  if (signature != NULL)
    {
      sqlite3_bind_int64 (insert.stmt, 7, revision);
      sqlite3_bind_text (insert.stmt, 8, signature, -1, SQLITE_TRANSIENT);
    }
  if (self->group != 0)
    sqlite3_bind_int64 (insert.stmt, 9, self->group);
  return tf_store_step_done (self, &insert, error);
}

gint64
tf_store_outbox_count (TfStore *self, GError **error)
{
  g_auto(TfStoreStmt) count = { NULL };

  g_return_val_if_fail (TF_IS_STORE (self), -1);

  if (!tf_store_prepare (self, &count, "SELECT count(*) FROM outbox", error))
    return -1;
  if (sqlite3_step (count.stmt) != SQLITE_ROW)
    {
      tf_store_set_error (error, self->db, sqlite3_errcode (self->db), _("Cannot read the store"));
      return -1;
    }
  return sqlite3_column_int64 (count.stmt, 0);
}

/* Closes the group run [@first, @last] into @groups when it holds two
 * mutations or more. */
static void
close_group (JsonArray *groups, gint64 first, gint64 last)
{
  JsonArray *pair;

  if (groups == NULL || first == 0 || first == last)
    return;
  pair = json_array_new ();
  json_array_add_int_element (pair, first);
  json_array_add_int_element (pair, last);
  json_array_add_array_element (groups, pair);
}

JsonArray *
tf_store_outbox_peek_groups (TfStore *self, guint limit, JsonArray **out_groups, GError **error)
{
  g_autoptr(JsonArray) batch = json_array_new ();
  g_autoptr(JsonArray) groups = out_groups != NULL ? json_array_new () : NULL;
  g_auto(TfStoreStmt) q = { NULL };
  gint64 group = 0, first = 0, last = 0;
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  /* Stepped one row at a time, so reading on past @limit to the end of a
   * group costs nothing more. */
  if (!tf_store_prepare (self, &q, "SELECT mutation_id, table_name, record_id, op, base_version,"
                                   " fields, revision, signature, atomic_group FROM outbox"
                                   " ORDER BY mutation_id", error))
    return NULL;
  while ((rc = sqlite3_step (q.stmt)) == SQLITE_ROW)
    {
      JsonObject *m;
      const char *fields = (const char *) sqlite3_column_text (q.stmt, 5);
      gint64 id = sqlite3_column_int64 (q.stmt, 0);
      gint64 row_group = sqlite3_column_int64 (q.stmt, 8); /* NULL reads 0 */

      if (row_group == 0 || row_group != group)
        {
          if (json_array_get_length (batch) >= limit)
            break;
          close_group (groups, first, last);
          group = row_group;
          first = row_group != 0 ? id : 0;
        }
      last = id;
      m = json_object_new ();
      json_object_set_int_member (m, "mutation_id", id);
      json_object_set_string_member (m, "table", (const char *) sqlite3_column_text (q.stmt, 1));
      json_object_set_string_member (m, "id", (const char *) sqlite3_column_text (q.stmt, 2));
      json_object_set_string_member (m, "op", (const char *) sqlite3_column_text (q.stmt, 3));
      json_object_set_int_member (m, "base_version", sqlite3_column_int64 (q.stmt, 4));
      if (sqlite3_column_type (q.stmt, 7) != SQLITE_NULL)
        {
          json_object_set_int_member (m, "revision", sqlite3_column_int64 (q.stmt, 6));
          json_object_set_string_member (m, "signature",
                                         (const char *) sqlite3_column_text (q.stmt, 7));
        }
      if (fields != NULL)
        {
          JsonNode *node = json_from_string (fields, NULL);
          if (node != NULL)
            json_object_set_member (m, "fields", node);
        }
      json_array_add_object_element (batch, m);
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return NULL;
    }
  close_group (groups, first, last);
  if (out_groups != NULL)
    *out_groups = g_steal_pointer (&groups);
  return g_steal_pointer (&batch);
}

JsonArray *
tf_store_outbox_peek (TfStore *self, guint limit, GError **error)
{
  return tf_store_outbox_peek_groups (self, limit, NULL, error);
}

/* --- the server's answers ------------------------------------------------- */

typedef struct
{
  JsonArray *results;
  guint      conflicts;
} PushResults;

/* Whether edits of the record made after mutation @mutation are still
 * queued. */
static gboolean
later_edits_queued (TfStore *self, const TfTable *table, const char *record_id,
                    const char *mutation, gboolean *out_later, GError **error)
{
  g_auto(TfStoreStmt) later = { NULL };
  int rc;

  if (!tf_store_prepare (self, &later, "SELECT 1 FROM outbox WHERE table_name = ?1 AND"
                                       " record_id = ?2 AND mutation_id > CAST(?3 AS INTEGER)",
                         error))
    return FALSE;
  sqlite3_bind_text (later.stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (later.stmt, 2, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (later.stmt, 3, mutation, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (later.stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return FALSE;
    }
  *out_later = rc == SQLITE_ROW;
  return TRUE;
}

/* TRUE for a table of a person's own writing: encrypted columns other than
 * the data key and those both sides of an appointment share (an
 * appointment's notes and reason travel with the booking, which is shared
 * state). */
static gboolean
holds_own_writing (const TfTable *table)
{
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *column = &table->columns[i];

      if ((column->flags & TF_COLUMN_ENCRYPTED) && !(column->flags & TF_COLUMN_CARE_KEY) &&
          strcmp (column->name, "enc_key") != 0)
        return TRUE;
    }
  return FALSE;
}

/* The server refused a write of shared state (a booking whose slot was
 * taken, a care link, hours): the attempt stays in sync_rejections for the
 * user, and the record shows the server's truth again — its last synced
 * state, or nothing when it never reached the server — unless later edits
 * of it are still queued.  A person's own writing (holds_own_writing) stays
 * as it is on the device: their words are never hidden. */
static gboolean
restore_refused (TfStore *self, const TfTable *table, const char *record_id,
                 const char *mutation, GError **error)
{
  g_auto(TfStoreStmt) base = { NULL };
  gboolean later;

  if (holds_own_writing (table))
    return TRUE;

  if (!later_edits_queued (self, table, record_id, mutation, &later, error))
    return FALSE;
  if (later)
    return TRUE;

  if (!tf_store_prepare (self, &base, "SELECT version, deleted, fields FROM sync_base"
                                      " WHERE table_name = ?1 AND record_id = ?2", error))
    return FALSE;
  sqlite3_bind_text (base.stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (base.stmt, 2, record_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (base.stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = json_from_string ((const char *) sqlite3_column_text (base.stmt,
                                                                                       2), NULL);
      TfRecord record = { table, (char *) record_id, sqlite3_column_int64 (base.stmt, 0),
                          sqlite3_column_int (base.stmt, 1) != 0, NULL };

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return TRUE;
      record.fields = json_node_get_object (node);
      return tf_store_write_remote_row (self, &record, error);
    }
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1", table->name,
                                            table->key_column);
    const char *params[] = { record_id };

    return tf_store_exec_bound (self, sql, params, 1, error);
  }
}

/* An "applied" answer that carries the stored "record": it becomes the base
 * and, unless later edits of the record are still queued (their push will
 * merge against this base), the row.  A record that is not the one pushed
 * is ignored: the next pull brings the truth anyway. */
static gboolean
take_stored_record (TfStore *self, const TfTable *table, const char *record_id,
                    const char *mutation, JsonObject *answer, GError **error)
{
  JsonNode *node = json_object_get_member (answer, "record");
  g_autoptr(TfRecord) record = NULL;
  gboolean later;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  record = tf_record_from_json (node, NULL);
  if (record == NULL || record->table != table || strcmp (record->id, record_id) != 0 ||
      record->deleted ||
      record->version != json_object_get_int_member_with_default (answer, "version", 0))
    return TRUE;
  if (!tf_store_save_base (self, record, error) ||
      !later_edits_queued (self, table, record_id, mutation, &later, error))
    return FALSE;
  return later || tf_store_write_remote_row (self, record, error);
}

/* What the user reads of a refusal: in their language for the codes that
 * ask something of them, else the server's own words. */
static const char *
rejection_message (const char *code, const char *server_message)
{
  /* The server no longer moves a signed moment: the user must set the
   * clock. */
  if (g_strcmp0 (code, "clock_ahead") == 0)
    return _("This device’s clock is ahead of the server’s: set its date and time, then "
             "save this again");
  /* A therapist's device marked an appointment before its time (a device
   * whose clock runs ahead, or one that skipped its own check). */
  if (g_strcmp0 (code, "not_yet_held") == 0)
    return _("This appointment has not started yet: it can be marked completed or no-show "
             "once its time has come");
  return server_message != NULL ? server_message : "";
}

/* Keeps the refused mutation @mutation in sync_rejections for the user. */
static gboolean
add_rejection (TfStore *self, const char *mutation, const TfTable *table, const char *record_id,
               const char *op, const char *fields, JsonObject *result, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *code = tf_json_get_string (result, "code") ? tf_json_get_string (result, "code")
                                                         : "rejected";
  const char *message = json_object_get_boolean_member_with_default (result, "record_refused",
                                                                     FALSE)
    ? _("The server answered with a record of the same values that its author did not "
        "sign: this one stays on this device and is not sent again")
    : rejection_message (code, tf_json_get_string (result, "message"));
  const char *params[] = { mutation, table->name, record_id, op, fields, code, message, stamp };

  return tf_store_exec_bound (self,
                              "INSERT OR REPLACE INTO sync_rejections (mutation_id,"
                              " table_name, record_id, op, fields, code, message, rejected_at)"
                              " VALUES (CAST(?1 AS INTEGER), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              params, G_N_ELEMENTS (params), error);
}

static gboolean
apply_results_body (TfStore *self, gpointer data, GError **error)
{
  PushResults *pr = data;

  for (guint i = 0; i < json_array_get_length (pr->results); i++)
    {
      JsonObject *r = json_array_get_object_element (pr->results, i);
      const char *status = json_object_get_string_member_with_default (r, "status", "");
      g_autofree char *mutation = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   json_object_get_int_member_with_default (
                                                     r, "mutation_id", 0));
      g_auto(TfStoreStmt) entry = { NULL };
      const TfTable *table;
      g_autofree char *record_id = NULL, *op = NULL, *fields = NULL, *signature = NULL;
      gint64 revision;

      if (!tf_store_prepare (self, &entry, "SELECT table_name, record_id, op, fields, revision,"
                                           " signature FROM outbox"
                                           " WHERE mutation_id = CAST(?1 AS INTEGER)", error))
        return FALSE;
      sqlite3_bind_text (entry.stmt, 1, mutation, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (entry.stmt) != SQLITE_ROW)
        continue; /* answered before (a retried push): already applied */
      table = tf_registry_lookup ((const char *) sqlite3_column_text (entry.stmt, 0));
      record_id = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 1));
      op = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 2));
      fields = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 3));
      revision = sqlite3_column_int64 (entry.stmt, 4);
      signature = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 5));
      if (table == NULL)
        continue;

      /* What the server sent with a conflict does not verify
       * (tf_store_check_answered): nothing is merged, the write stays
       * queued and goes again. */
      if (strcmp (status, "conflict") == 0 &&
          json_object_get_boolean_member_with_default (r, "record_refused", FALSE))
        {
          pr->conflicts++;
          continue;
        }
      if (strcmp (status, "applied") == 0)
        {
          g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                      json_object_get_int_member_with_default (
                                                        r, "version", 0));
          g_autofree char *sql = g_strdup_printf ("UPDATE %s SET version = CAST(?1 AS INTEGER)"
                                                  " WHERE %s = ?2", table->name,
                                                  table->key_column);
          const char *row_params[] = { version, record_id };
          const char *base_params[] = { table->name, record_id, version,
                                        strcmp (op, "delete") == 0 ? "1" : "0",
                                        fields ? fields : "{}" };

          if (!tf_store_exec_bound (self, sql, row_params, 2, error) ||
              !tf_store_exec_bound (self,
                                    "INSERT INTO sync_base (table_name, record_id, version,"
                                    " deleted, fields) VALUES (?1, ?2, CAST(?3 AS INTEGER),"
                                    " CAST(?4 AS INTEGER), ?5)"
                                    " ON CONFLICT (table_name, record_id) DO UPDATE SET"
                                    " version = excluded.version, deleted = excluded.deleted,"
                                    " fields = CASE WHEN excluded.deleted THEN sync_base.fields"
                                    " ELSE excluded.fields END",
                                    base_params, G_N_ELEMENTS (base_params), error))
            return FALSE;
          /* The server stored other values than were sent (a booking's
           * price, its clock's created_at): its record is the truth.  The
           * signature is this device's own, which it holds from now on. */
          if (!tf_store_hold_revision (self, table, record_id, revision, signature, error) ||
              !take_stored_record (self, table, record_id, mutation, r, error) ||
              !tf_store_keep_acked (self, mutation, error))
            return FALSE;
        }
      else if (strcmp (status, "rejected") == 0 &&
               json_object_get_boolean_member_with_default (r, "record_refused", FALSE))
        {
          /* A duplicate whose holder does not verify: nothing replaces
           * this device's record, and since the server would answer the
           * same again, the write is not sent again either — it stays a
           * rejection the user sees, the row as written. */
          if (!add_rejection (self, mutation, table, record_id, op, fields, r, error))
            return FALSE;
        }
      else if (tf_store_push_result_is_duplicate (r))
        {
          /* Not the user's mistake: the same values written on another
           * device under another id.  Nothing to report as refused. */
          gboolean copied;

          if (!tf_store_meet_duplicate (self, table, record_id, json_object_get_member (r, "record"),
                                        &copied, error))
            return FALSE;
          json_object_set_boolean_member (r, "kept_as_conflict_copy", copied);
        }
      else if (strcmp (status, "rejected") == 0)
        {
          if (!add_rejection (self, mutation, table, record_id, op, fields, r, error) ||
              !restore_refused (self, table, record_id, mutation, error))
            return FALSE;
        }
      else
        {
          pr->conflicts++;
          continue; /* stays queued: the merge decides */
        }
      {
        const char *params[] = { mutation };
        if (!tf_store_exec_bound (self, "DELETE FROM outbox"
                                  " WHERE mutation_id = CAST(?1 AS INTEGER)", params, 1, error))
          return FALSE;
      }
    }
  return tf_store_prune_acked (self, error);
}

gboolean
tf_store_push_result_is_duplicate (JsonObject *result)
{
  JsonNode *holder = json_object_get_member (result, "record");

  return g_strcmp0 (tf_json_get_string (result, "status"), "rejected") == 0 &&
         g_strcmp0 (tf_json_get_string (result, "code"), "duplicate") == 0 &&
         holder != NULL && JSON_NODE_HOLDS_OBJECT (holder);
}

gboolean
tf_store_apply_push_results (TfStore *self, JsonArray *results, guint *n_conflicts,
                             GError **error)
{
  PushResults pr = { results, 0 };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  /* Checked before the transaction, as a pull's records are: a check may
   * fetch a key. */
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      /* The mark is the store's alone, never the server's word. */
      json_object_remove_member (json_node_get_object (node), "record_refused");
      if (!tf_store_check_answered (self, json_node_get_object (node), error))
        return FALSE;
    }
  if (!tf_store_in_transaction (self, apply_results_body, &pr, error))
    return FALSE;
  if (n_conflicts != NULL)
    *n_conflicts = pr.conflicts;
  return TRUE;
}

/* --- notices for the user ------------------------------------------------- */

gint64
tf_store_rejection_count (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), -1);

  return tf_store_query_int (self, "SELECT count(*) FROM sync_rejections WHERE NOT dismissed",
                             NULL, 0, error);
}

static const char * const rejection_columns[] = {
  "i:mutation_id", "table", "id", "op", "code", "message", "rejected_at",
};

JsonArray *
tf_store_list_rejections (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  return tf_store_query_array (self, "SELECT mutation_id, table_name, record_id, op, code,"
                               " message, rejected_at FROM sync_rejections WHERE NOT dismissed"
                               " ORDER BY mutation_id",
                               rejection_columns, G_N_ELEMENTS (rejection_columns), error);
}

gboolean
tf_store_dismiss_rejections (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  return tf_store_exec_bound (self, "UPDATE sync_rejections SET dismissed = 1 WHERE NOT dismissed",
                              NULL, 0, error);
}
