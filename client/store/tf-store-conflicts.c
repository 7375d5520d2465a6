/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-conflicts.c: merging a push conflict, conflict copies, and their
 * resolution (DESIGN.md §3: conflicts lose nothing).
 *
 * A push answered "conflict" carries the server's current record.  The merge
 * is three-way against the base copy (sync_base): a field changed on one
 * side only takes that side; the same field changed on both sides is a
 * clash, but for updated_at, which every edit sets (the later one is kept).
 * The vault keeps the ciphertext of a field an edit did not change, so an
 * edit of one encrypted field leaves the others equal to the base.  A record's data key (enc_key) and its ciphertexts belong together,
 * so where the two sides hold different data keys every ciphertext must come
 * from the side whose key is kept, or it is a clash too.  On a clash the
 * server's record becomes the row and the local edit a conflict copy: a new
 * id, conflict_of naming the original.  For the tables whose
 * conflict_copy_syncs is set the copy is also queued as a new record (after
 * its ciphertexts were bound to the new id by the copy function), so the
 * other devices see both texts; elsewhere it waits on this device.
 *
 * Resolving one (keeping one of the two or both) is tf-store-resolve.c.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-error.h"
#include "tf-store-private.h"
#include "tf-time.h"
#include "tf-validate.h"

gint64
tf_store_conflict_count (TfStore *self, const TfTable *table, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE conflict_of IS NOT NULL"
                                          " AND deleted_at IS NULL", table->name);

  g_return_val_if_fail (TF_IS_STORE (self), -1);

  return tf_store_query_int (self, sql, NULL, 0, error);
}

/* --- merging -------------------------------------------------------------- */

static gboolean
same_node (JsonNode *a, JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null == b_null;
  return json_node_equal (a, b);
}

/* The later of two RFC 3339 UTC timestamps (one format, so they sort as
 * text); a missing one loses. */
static JsonNode *
later_of (JsonNode *a, JsonNode *b)
{
  const char *ta = a && JSON_NODE_HOLDS_VALUE (a) &&
                   json_node_get_value_type (a) == G_TYPE_STRING ? json_node_get_string (a) : NULL;
  const char *tb = b && JSON_NODE_HOLDS_VALUE (b) &&
                   json_node_get_value_type (b) == G_TYPE_STRING ? json_node_get_string (b) : NULL;

  if (ta == NULL)
    return b;
  if (tb == NULL)
    return a;
  return strcmp (ta, tb) >= 0 ? a : b;
}

/* TRUE when @a and @b hold the same value in every column of @table. */
static gboolean
same_fields (const TfTable *table, JsonObject *a, JsonObject *b)
{
  for (guint i = 0; i < table->n_columns; i++)
    {
      const char *c = table->columns[i].name;

      if (!same_node (json_object_get_member (a, c), json_object_get_member (b, c)))
        return FALSE;
    }
  return TRUE;
}


static gboolean
add_notice (TfStore *self, gint64 mutation_id, const TfTable *table, const char *id,
            const char *code, const char *message, GError **error)
{
  g_autofree char *mutation = g_strdup_printf ("%" G_GINT64_FORMAT, mutation_id);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *params[] = { mutation, table->name, id, code, message, stamp };

  return tf_store_exec_bound (self,
                              "INSERT OR REPLACE INTO sync_rejections (mutation_id, table_name,"
                              " record_id, op, code, message, rejected_at)"
                              " VALUES (CAST(?1 AS INTEGER), ?2, ?3, 'upsert', ?4, ?5, ?6)",
                              params, G_N_ELEMENTS (params), error);
}

static gboolean
set_version (TfStore *self, const TfTable *table, const char *id, gint64 version, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET version = CAST(?1 AS INTEGER)"
                                          " WHERE %s = ?2", table->name, table->key_column);
  const char *params[] = { text, id };

  return tf_store_exec_bound (self, sql, params, 2, error);
}

typedef struct
{
  gint64          mutation_id;
  JsonNode       *server_node;
  TfMergeOutcome  outcome;
} Merge;

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = text ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

/* Where the two sides hold different data keys, a ciphertext taken from
 * one side under the other side's key could never be opened: TRUE when
 * @merged mixes them. */
static gboolean
mixes_keys (const TfTable *table, JsonObject *local, JsonObject *server, JsonObject *merged)
{
  JsonNode *kept_key = json_object_get_member (merged, "enc_key");
  JsonObject *kept;

  if (tf_table_get_column (table, "enc_key") == NULL ||
      same_node (json_object_get_member (local, "enc_key"),
                 json_object_get_member (server, "enc_key")))
    return FALSE;
  kept = same_node (kept_key, json_object_get_member (local, "enc_key")) ? local : server;
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *c = &table->columns[i];

      if ((c->flags & TF_COLUMN_ENCRYPTED) &&
          !same_node (json_object_get_member (merged, c->name),
                      json_object_get_member (kept, c->name)))
        return TRUE;
    }
  return FALSE;
}

/* Stores the local edit @local of @original_id as a new conflict copy,
 * queued when the table allows it and its ciphertexts could be bound to the
 * new id (see tf-store.h). */
static gboolean
make_copy (TfStore *self, const TfTable *table, const char *original_id, JsonObject *local,
           GError **error)
{
  g_autofree char *copy_id = g_uuid_string_random ();
  g_autoptr(JsonObject) fields = tf_json_object_dup (local);
  gboolean syncs = table->conflict_copy_syncs;

  json_object_set_string_member (fields, table->key_column, copy_id);
  if (self->copy_func != NULL)
    {
      g_autoptr(JsonObject) rewritten = tf_json_object_dup (fields);
      g_autoptr(GError) local_error = NULL;

      if (self->copy_func (self, table, original_id, copy_id, rewritten, self->copy_data,
                           &local_error) &&
          tf_validate_fields (table, rewritten, TF_VALIDATE_FULL, &local_error))
        {
          json_object_unref (fields);
          fields = g_steal_pointer (&rewritten);
        }
      else
        {
          g_debug ("the conflict copy of %s %s stays on this device: %s", table->name,
                   original_id, local_error ? local_error->message : "");
          syncs = FALSE;
        }
    }
  else if (tf_table_has_encrypted (table))
    syncs = FALSE;

  return tf_store_upsert_row (self, table, fields, original_id, error) &&
         (!syncs || tf_store_append_outbox (self, table, copy_id, "upsert", fields, error));
}

/* The outbox entry @mutation: its table (NULL: nothing to merge — merged
 * before, or a table this app does not know), its record, and the newest
 * queued op and fields of that record. */
static gboolean
read_queued (TfStore *self, const char *mutation, const TfTable **table, char **id, char **op,
             JsonObject **local, GError **error)
{
  g_auto(TfStoreStmt) entry = { NULL };
  g_auto(TfStoreStmt) later = { NULL };

  *table = NULL;
  if (!tf_store_prepare (self, &entry, "SELECT table_name, record_id, op, fields FROM outbox"
                                       " WHERE mutation_id = CAST(?1 AS INTEGER)", error))
    return FALSE;
  sqlite3_bind_text (entry.stmt, 1, mutation, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (entry.stmt) != SQLITE_ROW)
    return TRUE; /* merged before */
  *table = tf_registry_lookup ((const char *) sqlite3_column_text (entry.stmt, 0));
  *id = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 1));
  *op = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 2));
  *local = parse_object ((const char *) sqlite3_column_text (entry.stmt, 3));
  if (*table == NULL)
    return TRUE;

  /* Edited again after this mutation was queued: the newest queued state
   * of the record is what meets the server (all of them share this base),
   * so no edit in between can win silently over the other device's. */
  if (!tf_store_prepare (self, &later, "SELECT op, fields FROM outbox WHERE table_name = ?1"
                                       " AND record_id = ?2 AND mutation_id > CAST(?3 AS"
                                       " INTEGER) ORDER BY mutation_id DESC LIMIT 1", error))
    return FALSE;
  sqlite3_bind_text (later.stmt, 1, (*table)->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (later.stmt, 2, *id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (later.stmt, 3, mutation, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (later.stmt) == SQLITE_ROW)
    {
      g_free (*op);
      *op = g_strdup ((const char *) sqlite3_column_text (later.stmt, 0));
      g_clear_pointer (local, json_object_unref);
      *local = parse_object ((const char *) sqlite3_column_text (later.stmt, 1));
    }
  return TRUE;
}

/* A delete queued here meets @server's version of the record. */
static gboolean
merge_delete (TfStore *self, Merge *m, const TfTable *table, const char *id, JsonObject *base,
              gboolean has_base, TfRecord *server, GError **error)
{
  /* Deleted on both sides: done. */
  if (server->deleted)
    {
      m->outcome = TF_MERGE_AUTOMATIC;
      return tf_store_save_base (self, server, error) &&
             tf_store_write_remote_row (self, server, error);
    }
  /* The server holds just what this delete was made on (typically this
   * device's own earlier write, answered in the same batch): the delete
   * goes again, against the server's version. */
  if (has_base && same_fields (table, base, server->fields))
    {
      m->outcome = TF_MERGE_AUTOMATIC;
      return tf_store_save_base (self, server, error) &&
             set_version (self, table, id, server->version, error) &&
             tf_store_append_outbox (self, table, id, "delete", NULL, error);
    }
  /* Deleted here, edited there: the edit survives. */
  m->outcome = TF_MERGE_EDIT_KEPT;
  return tf_store_save_base (self, server, error) &&
         tf_store_write_remote_row (self, server, error) &&
         add_notice (self, m->mutation_id, table, id, "edit_kept",
                     _("This was deleted here but changed on another device; the changed "
                       "version was kept"), error);
}

/* Edited here (@local), deleted there: the edit survives and goes again. */
static gboolean
merge_edit_after_delete (TfStore *self, Merge *m, const TfTable *table, const char *id,
                         JsonObject *local, TfRecord *server, GError **error)
{
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, server->version);
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET version = CAST(?1 AS INTEGER),"
                                          " deleted_at = NULL WHERE %s = ?2",
                                          table->name, table->key_column);
  const char *params[] = { version, id };

  m->outcome = TF_MERGE_EDIT_KEPT;
  server->deleted = TRUE;
  if (!tf_store_save_base (self, server, error))
    return FALSE;
  if (!tf_store_exec_bound (self, sql, params, 2, error))
    return FALSE;
  return tf_store_append_outbox (self, table, id, "upsert", local, error) &&
         add_notice (self, m->mutation_id, table, id, "edited_after_delete",
                     _("This was deleted on another device after you changed it here; "
                       "your version was kept"), error);
}

/* Three-way, field by field: the record both edits make together, or NULL
 * when they clash (both changed one field, a key would mix, or a note
 * locked here was changed there). */
static JsonObject *
merge_fields (const TfTable *table, JsonObject *local, JsonObject *base, TfRecord *server)
{
  g_autoptr(JsonObject) merged = json_object_new ();

  for (guint i = 0; i < table->n_columns; i++)
    {
      const char *c = table->columns[i].name;
      JsonNode *l = json_object_get_member (local, c);
      JsonNode *b = json_object_get_member (base, c);
      JsonNode *s = json_object_get_member (server->fields, c);
      JsonNode *pick;

      if (same_node (l, b))
        pick = s;
      else if (same_node (s, b) || same_node (l, s))
        pick = l;
      else if (strcmp (c, "updated_at") == 0)
        pick = later_of (l, s);   /* every edit sets it: no clash of its own */
      else
        return NULL;
      if (pick != NULL)
        json_object_set_member (merged, c, json_node_copy (pick));
    }
  if (mixes_keys (table, local, server->fields, merged))
    return NULL;
  /* A note locked here was signed over what this device saw: if the other
   * device changed it meanwhile, the lock cannot simply merge over that. */
  if (tf_table_get_column (table, "signature") != NULL &&
      !same_node (json_object_get_member (local, "signature"),
                  json_object_get_member (base, "signature")) &&
      !same_fields (table, base, server->fields))
    return NULL;
  return g_steal_pointer (&merged);
}

/* Both changed the same field: the server's record stays the row (written
 * by then), the local edit becomes a copy next to it until the user
 * chooses. */
static gboolean
keep_conflict_copy (TfStore *self, Merge *m, const TfTable *table, char *id,
                    JsonObject *local, JsonObject *base, TfRecord *server, GError **error)
{
  m->outcome = TF_MERGE_CONFLICT_COPY;
  if (!make_copy (self, table, id, local, error))
    return FALSE;
  /* Privacy first: "stop sharing" made here holds for the server's version
   * too, whatever else the user later keeps. */
  if (table->shared_column != NULL &&
      json_object_get_boolean_member_with_default (base, table->shared_column, FALSE) &&
      !json_object_get_boolean_member_with_default (local, table->shared_column, FALSE) &&
      json_object_get_boolean_member_with_default (server->fields, table->shared_column, FALSE))
    {
      g_autoptr(JsonObject) unshared = tf_json_object_dup (server->fields);
      TfRecord row = { table, id, server->version, FALSE, unshared };

      json_object_set_boolean_member (unshared, table->shared_column, FALSE);
      return tf_store_write_remote_row (self, &row, error) &&
             tf_store_append_outbox (self, table, id, "upsert", unshared, error);
    }
  return TRUE;
}

static gboolean
merge_body (TfStore *self, gpointer data, GError **error)
{
  Merge *m = data;
  g_auto(TfStoreStmt) base_q = { NULL };
  g_autofree char *mutation = g_strdup_printf ("%" G_GINT64_FORMAT, m->mutation_id);
  g_autoptr(TfRecord) server = NULL;
  g_autoptr(JsonObject) local = NULL;
  g_autoptr(JsonObject) base = NULL;
  g_autoptr(JsonObject) merged = NULL;
  g_autofree char *id = NULL, *op = NULL;
  const TfTable *table;
  const char *drop[3] = { mutation, NULL, NULL };
  gboolean has_base;

  if (!read_queued (self, mutation, &table, &id, &op, &local, error))
    return FALSE;
  if (table == NULL)
    return TRUE;

  if (m->server_node != NULL && !JSON_NODE_HOLDS_NULL (m->server_node))
    {
      server = tf_record_from_json (m->server_node, error);
      if (server == NULL)
        return FALSE;
      /* An answer about another record must not overwrite this one. */
      if (server->table != table || g_strcmp0 (server->id, id) != 0)
        {
          g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT,
                       _("The server answered a conflict with another record"));
          return FALSE;
        }
      /* What the merge queues must sign above the revision it met. */
      if (!tf_store_raise_written (self, table, id, server->revision, error))
        return FALSE;
    }
  if (!tf_store_prepare (self, &base_q, "SELECT fields FROM sync_base WHERE table_name = ?1"
                                        " AND record_id = ?2", error))
    return FALSE;
  sqlite3_bind_text (base_q.stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (base_q.stmt, 2, id, -1, SQLITE_TRANSIENT);
  has_base = sqlite3_step (base_q.stmt) == SQLITE_ROW;
  base = parse_object (has_base ? (const char *) sqlite3_column_text (base_q.stmt, 0) : NULL);
  drop[1] = table->name;
  drop[2] = id;

  if (!tf_store_exec_bound (self, "DELETE FROM outbox WHERE table_name = ?2 AND record_id = ?3"
                                  " AND mutation_id >= CAST(?1 AS INTEGER)",
                            drop, 3, error))
    return FALSE;

  /* The server has nothing (it was never there, or it is gone for good):
   * the local record goes again as new. */
  if (server == NULL)
    {
      m->outcome = TF_MERGE_AUTOMATIC;
      if (strcmp (op, "delete") == 0)
        return TRUE;
      return set_version (self, table, id, 0, error) &&
             tf_store_append_outbox (self, table, id, "upsert", local, error);
    }
  if (strcmp (op, "delete") == 0)
    return merge_delete (self, m, table, id, base, has_base, server, error);
  if (server->deleted)
    return merge_edit_after_delete (self, m, table, id, local, server, error);

  merged = merge_fields (table, local, base, server);
  if (!tf_store_save_base (self, server, error) ||
      !tf_store_write_remote_row (self, server, error))
    return FALSE;
  if (merged != NULL)
    {
      TfRecord merged_record = { table, id, server->version, FALSE, merged };

      m->outcome = TF_MERGE_AUTOMATIC;
      return tf_store_write_remote_row (self, &merged_record, error) &&
             tf_store_append_outbox (self, table, id, "upsert", merged, error);
    }
  return keep_conflict_copy (self, m, table, id, local, base, server, error);
}

gboolean
tf_store_merge_conflict (TfStore *self, gint64 mutation_id, JsonNode *server,
                         TfMergeOutcome *outcome, GError **error)
{
  Merge m = { mutation_id, server, TF_MERGE_AUTOMATIC };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  if (!tf_store_in_transaction (self, merge_body, &m, error))
    return FALSE;
  if (outcome != NULL)
    *outcome = m.outcome;
  return TRUE;
}

/* --- conflict copies ------------------------------------------------------ */

void
tf_conflict_free (TfConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_clear_pointer (&conflict->copy, tf_record_free);
  g_free (conflict->original_id);
  g_free (conflict);
}

/* The conflict whose live copy is @copy_id in @table, or NULL (with
 * @error only on a failure of the store). */
TfConflict *
tf_store_load_conflict (TfStore *self, const TfTable *table, const char *copy_id, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT conflict_of FROM %s WHERE %s = ?1"
                                          " AND conflict_of IS NOT NULL AND deleted_at IS NULL",
                                          table->name, table->key_column);
  g_auto(TfStoreStmt) q = { NULL };
  g_autoptr(TfConflict) conflict = g_new0 (TfConflict, 1);
  const char *params[] = { table->name, copy_id };
  gint64 queued;
  int rc;

  if (!tf_store_prepare (self, &q, sql, error))
    return NULL;
  sqlite3_bind_text (q.stmt, 1, copy_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (q.stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return NULL;
    }
  conflict->table = table;
  conflict->original_id = g_strdup ((const char *) sqlite3_column_text (q.stmt, 0));
  conflict->copy = tf_store_get (self, table, copy_id, error);
  if (conflict->copy == NULL)
    return NULL;
  {
    g_auto(TfStoreStmt) count = { NULL };

    if (!tf_store_prepare (self, &count, "SELECT count(*) FROM outbox WHERE table_name = ?1"
                                         " AND record_id = ?2", error))
      return NULL;
    for (guint i = 0; i < G_N_ELEMENTS (params); i++)
      sqlite3_bind_text (count.stmt, (int) i + 1, params[i], -1, SQLITE_TRANSIENT);
    if (sqlite3_step (count.stmt) != SQLITE_ROW)
      {
        tf_store_set_error (error, self->db, sqlite3_errcode (self->db),
                            _("Cannot read the store"));
        return NULL;
      }
    queued = sqlite3_column_int64 (count.stmt, 0);
  }
  conflict->synced = conflict->copy->version > 0 || queued > 0;
  return g_steal_pointer (&conflict);
}

static gboolean
list_table_conflicts (TfStore *self, const TfTable *table, GPtrArray *out, GError **error)
{
  /* rowid order is insertion order: the oldest copy first. */
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE conflict_of IS NOT NULL"
                                          " AND deleted_at IS NULL ORDER BY rowid",
                                          table->key_column, table->name);
  g_auto(TfStoreStmt) q = { NULL };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (!tf_store_prepare (self, &q, sql, error))
    return FALSE;
  while ((rc = sqlite3_step (q.stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (q.stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return FALSE;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      TfConflict *conflict = tf_store_load_conflict (self, table, g_ptr_array_index (ids, i),
                                            &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (conflict != NULL)
        g_ptr_array_add (out, conflict);
    }
  return TRUE;
}

GPtrArray *
tf_store_list_conflicts (TfStore *self, const TfTable *table, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_conflict_free);
  const TfTable *tables;
  guint n_tables;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  if (table != NULL)
    return list_table_conflicts (self, table, out, error) ? g_steal_pointer (&out) : NULL;
  tables = tf_registry_get_tables (&n_tables);
  for (guint i = 0; i < n_tables; i++)
    if (!list_table_conflicts (self, &tables[i], out, error))
      return NULL;
  return g_steal_pointer (&out);
}

TfConflict *
tf_store_find_conflict (TfStore *self, const char *copy_id, GError **error)
{
  const TfTable *tables;
  guint n_tables;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (copy_id != NULL, NULL);

  tables = tf_registry_get_tables (&n_tables);
  for (guint i = 0; i < n_tables; i++)
    {
      g_autoptr(GError) local_error = NULL;
      TfConflict *conflict = tf_store_load_conflict (self, &tables[i], copy_id, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (conflict != NULL)
        return conflict;
    }
  g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
               _("There is no conflict copy %s"), copy_id);
  return NULL;
}

/* --- the same values under two ids ---------------------------------------- */

/* TRUE when @a and @b agree in every column their authors chose: not the
 * id, nor the clocks of the moment each was written. */
static gboolean
same_choices (const TfTable *table, JsonObject *a, JsonObject *b)
{
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *c = &table->columns[i];

      if (strcmp (c->name, table->key_column) == 0 ||
          (c->flags & (TF_COLUMN_AUTHOR_CLOCK | TF_COLUMN_SERVER_CLOCK)) != 0)
        continue;
      if (!same_node (json_object_get_member (a, c->name), json_object_get_member (b, c->name)))
        return FALSE;
    }
  return TRUE;
}

gboolean
tf_store_meet_duplicate (TfStore *self, const TfTable *table, const char *id,
                         JsonNode *holder_node, gboolean *copied, GError **error)
{
  g_autoptr(TfRecord) holder = tf_record_from_json (holder_node, error);
  g_autoptr(TfRecord) own = NULL;
  g_autoptr(GError) local_error = NULL;

  *copied = FALSE;
  if (holder == NULL)
    return FALSE;
  if (holder->table != table || strcmp (holder->id, id) == 0 || holder->deleted)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "a duplicate's holder must be another live record of %s", table->name);
      return FALSE;
    }
  own = tf_store_get (self, table, id, &local_error);
  if (own == NULL && !g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (own != NULL && !own->deleted)
    {
      /* Off the unique index before the server's record comes in. */
      gboolean same = same_choices (table, own->fields, holder->fields);
      g_autofree char *sql = same
        ? g_strdup_printf ("DELETE FROM %s WHERE %s = ?1", table->name, table->key_column)
        : g_strdup_printf ("UPDATE %s SET conflict_of = ?2 WHERE %s = ?1", table->name,
                           table->key_column);
      const char *params[] = { id, holder->id };

      if (!tf_store_exec_bound (self, sql, params, same ? 1 : 2, error))
        return FALSE;
      *copied = !same;
      tf_store_emit_changed (self, table->name, id);
    }
  return tf_store_write_remote_row (self, holder, error) &&
         tf_store_save_base (self, holder, error);
}
