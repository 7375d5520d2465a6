/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-rows.c: the records of the device store — local writes, reads,
 * and the rows the server sends.
 *
 * Wire values map to SQLite as the device schema says: integers and
 * booleans as INTEGER, JSON as its text, everything else (UUIDs, dates,
 * times, timestamps, money, envelopes) as TEXT in its wire form.
 *
 * A local write is: BEGIN IMMEDIATE; upsert the row (its server version
 * kept, the tombstone cleared); append the outbox entry with the row's
 * version as its base (tf-store-outbox.c); COMMIT.  A pulled row replaces
 * the local one and becomes the base of three-way merges, unless local edits
 * of it are still queued.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-store-private.h"
#include "tf-time.h"
#include "tf-validate.h"

/* --- the wire form of a row ----------------------------------------------- */

static gboolean
is_envelope_node (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
         tf_crypto_is_envelope (json_node_get_string (node));
}

/* Binds the wire value @node of @column at @index. */
static void
bind_value (sqlite3_stmt *stmt, int index, const TfColumn *column, JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    sqlite3_bind_null (stmt, index);
  else if (column->type == TF_COLUMN_INTEGER)
    sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
  else if (column->type == TF_COLUMN_BOOLEAN)
    sqlite3_bind_int (stmt, index, json_node_get_boolean (node) ? 1 : 0);
  else if (column->type == TF_COLUMN_JSON &&
           (!(column->flags & TF_COLUMN_ENCRYPTED) || !is_envelope_node (node)))
    {
      /* JSON text; for an encrypted column, the plaintext of a row older
       * than its encryption (TF_COLUMN_WAS_PLAIN) until it is re-encrypted. */
      char *text = json_to_string (node, FALSE);
      sqlite3_bind_text (stmt, index, text, -1, g_free);
    }
  else
    sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
}

/* The wire value of column @i of a row. */
static JsonNode *
column_value (sqlite3_stmt *stmt, int i, const TfColumn *column)
{
  JsonNode *node = json_node_alloc ();

  if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
    return json_node_init_null (node);
  switch (column->type)
    {
    case TF_COLUMN_INTEGER:
      return json_node_init_int (node, sqlite3_column_int64 (stmt, i));
    case TF_COLUMN_BOOLEAN:
      return json_node_init_boolean (node, sqlite3_column_int (stmt, i) != 0);
    case TF_COLUMN_JSON:
      if (!(column->flags & TF_COLUMN_ENCRYPTED) ||
          !tf_crypto_is_envelope ((const char *) sqlite3_column_text (stmt, i)))
        {
          JsonNode *parsed = json_from_string ((const char *) sqlite3_column_text (stmt, i), NULL);
          if (parsed != NULL)
            {
              json_node_free (node);
              return parsed;
            }
          return json_node_init_null (node);
        }
      G_GNUC_FALLTHROUGH;
    default:
      return json_node_init_string (node, (const char *) sqlite3_column_text (stmt, i));
    }
}

char *
tf_store_select_sql (const TfTable *table, const char *where)
{
  GString *sql = g_string_new ("SELECT version, deleted_at IS NOT NULL");

  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (sql, ", %s", table->columns[i].name);
  g_string_append_printf (sql, " FROM %s %s", table->name, where);
  return g_string_free (sql, FALSE);
}

TfRecord *
tf_store_row_to_record (const TfTable *table, sqlite3_stmt *stmt)
{
  const char *id = NULL;
  TfRecord *record;

  for (guint i = 0; i < table->n_columns; i++)
    if (strcmp (table->columns[i].name, table->key_column) == 0)
      id = (const char *) sqlite3_column_text (stmt, 2 + (int) i);
  record = tf_record_new (table, id);
  record->version = sqlite3_column_int64 (stmt, 0);
  record->deleted = sqlite3_column_int (stmt, 1) != 0;
  for (guint i = 0; i < table->n_columns; i++)
    json_object_set_member (record->fields, table->columns[i].name,
                            column_value (stmt, 2 + (int) i, &table->columns[i]));
  return record;
}

/* --- writing -------------------------------------------------------------- */

typedef struct
{
  const TfTable *table;
  const char    *id;
  JsonObject    *fields;
} Write;

gboolean
tf_store_upsert_row (TfStore *self, const TfTable *t, JsonObject *fields, const char *conflict_of,
                     GError **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(GString) update = g_string_new ("deleted_at = NULL");
  g_auto(TfStoreStmt) upsert = { NULL };
  int n = 0;

  g_string_printf (sql, "INSERT INTO %s (", t->name);
  for (guint i = 0; i < t->n_columns; i++)
    {
      const TfColumn *c = &t->columns[i];

      if (!json_object_has_member (fields, c->name))
        continue;
      g_string_append_printf (sql, "%s%s", n > 0 ? ", " : "", c->name);
      g_string_append_printf (values, "%s?%d", n > 0 ? ", " : "", n + 1);
      if (strcmp (c->name, t->key_column) != 0)
        g_string_append_printf (update, ", %s = excluded.%s", c->name, c->name);
      n++;
    }
  /* A conflict copy is a copy from its first statement: a partial unique
   * index (goal_progress) must never see it as a live duplicate. */
  if (conflict_of != NULL)
    {
      g_string_append_printf (sql, "%sconflict_of", n > 0 ? ", " : "");
      g_string_append_printf (values, "%s?%d", n > 0 ? ", " : "", n + 1);
      g_string_append (update, ", conflict_of = excluded.conflict_of");
    }
  g_string_append_printf (sql, ") VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s",
                          values->str, t->key_column, update->str);
  if (!tf_store_prepare (self, &upsert, sql->str, error))
    return FALSE;
  n = 0;
  for (guint i = 0; i < t->n_columns; i++)
    {
      const TfColumn *c = &t->columns[i];

      if (!json_object_has_member (fields, c->name))
        continue;
      bind_value (upsert.stmt, ++n, c, json_object_get_member (fields, c->name));
    }
  if (conflict_of != NULL)
    sqlite3_bind_text (upsert.stmt, ++n, conflict_of, -1, SQLITE_TRANSIENT);
  return tf_store_step_done (self, &upsert, error);
}

static gboolean
put_body (TfStore *self, gpointer data, GError **error)
{
  Write *w = data;

  return tf_store_upsert_row (self, w->table, w->fields, NULL, error) &&
         tf_store_append_outbox (self, w->table, w->id, "upsert", w->fields, error);
}

gboolean
tf_store_put (TfStore *self, const TfTable *table, const char *id, JsonObject *fields,
              GError **error)
{
  g_autoptr(JsonObject) copy = NULL;
  Write w;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  if (!tf_validate_uuid (id))
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not a record id"), id ? id : "");
      return FALSE;
    }
  /* The key column is the id; the same rules as the server, before any write. */
  copy = tf_json_object_dup (fields);
  json_object_set_string_member (copy, table->key_column, id);
  if (!tf_validate_fields (table, copy, TF_VALIDATE_FULL, error))
    return FALSE;

  w.table = table;
  w.id = id;
  w.fields = copy;
  if (!tf_store_in_transaction (self, put_body, &w, error))
    return FALSE;
  tf_store_emit_changed (self, table->name, id);
  return TRUE;
}

static gboolean
delete_body (TfStore *self, gpointer data, GError **error)
{
  Write *w = data;
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET deleted_at = ?1 WHERE %s = ?2"
                                          " AND deleted_at IS NULL", w->table->name,
                                          w->table->key_column);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_auto(TfStoreStmt) update = { NULL };

  if (!tf_store_prepare (self, &update, sql, error))
    return FALSE;
  sqlite3_bind_text (update.stmt, 1, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (update.stmt, 2, w->id, -1, SQLITE_TRANSIENT);
  if (!tf_store_step_done (self, &update, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("There is no record %s to delete"), w->id);
      return FALSE;
    }
  return tf_store_append_outbox (self, w->table, w->id, "delete", NULL, error);
}

gboolean
tf_store_delete (TfStore *self, const TfTable *table, const char *id, GError **error)
{
  Write w = { table, id, NULL };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!tf_store_in_transaction (self, delete_body, &w, error))
    return FALSE;
  tf_store_emit_changed (self, table->name, id);
  return TRUE;
}

/* --- reading -------------------------------------------------------------- */

TfRecord *
tf_store_get (TfStore *self, const TfTable *table, const char *id, GError **error)
{
  g_autofree char *where = g_strdup_printf ("WHERE %s = ?1", table->key_column);
  g_autofree char *sql = tf_store_select_sql (table, where);
  g_auto(TfStoreStmt) select = { NULL };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  if (!tf_store_prepare (self, &select, sql, error))
    return NULL;
  sqlite3_bind_text (select.stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (select.stmt);
  if (rc == SQLITE_ROW)
    return tf_store_row_to_record (table, select.stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND, _("There is no record %s"), id);
  else
    tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
  return NULL;
}

TfRecord *
tf_store_get_checked (TfStore *self, const TfTable *table, const char *id)
{
  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  if (id == NULL)
    return NULL;
  /* The page's copy is what is about to be stored: newer than the store's. */
  if (self->pulled != NULL)
    {
      g_autofree char *key = g_strconcat (table->name, "\n", id, NULL);
      TfRecord *record = g_hash_table_lookup (self->pulled, key);

      if (record != NULL)
        return tf_record_copy (record);
    }
  return tf_store_get (self, table, id, NULL);
}

GPtrArray *
tf_store_list (TfStore *self, const TfTable *table, const char *column, const char *value,
               GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_record_free);
  g_autoptr(GString) where = g_string_new ("WHERE deleted_at IS NULL AND conflict_of IS NULL");
  g_autofree char *sql = NULL;
  g_auto(TfStoreStmt) select = { NULL };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (column == NULL || tf_table_get_column (table, column) != NULL, NULL);

  if (column != NULL)
    g_string_append_printf (where, " AND %s = ?1", column);
  if (tf_table_get_column (table, "created_at") != NULL)
    g_string_append (where, " ORDER BY created_at DESC");
  sql = tf_store_select_sql (table, where->str);
  if (!tf_store_prepare (self, &select, sql, error))
    return NULL;
  if (column != NULL)
    sqlite3_bind_text (select.stmt, 1, value, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (select.stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, tf_store_row_to_record (table, select.stmt));
  if (rc != SQLITE_DONE)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return NULL;
    }
  return g_steal_pointer (&records);
}

/* --- the server's rows ---------------------------------------------------- */

gboolean
tf_store_save_base (TfStore *self, const TfRecord *record, GError **error)
{
  g_autoptr(JsonNode) fields = json_node_init_object (json_node_alloc (), record->fields);
  g_autofree char *text = json_to_string (fields, FALSE);
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, record->version);
  const char *params[] = { record->table->name, record->id, version,
                           record->deleted ? "1" : "0", text };

  return tf_store_exec_bound (self,
                              "INSERT INTO sync_base (table_name, record_id, version, deleted,"
                              " fields) VALUES (?1, ?2, CAST(?3 AS INTEGER), CAST(?4 AS INTEGER),"
                              " ?5) ON CONFLICT (table_name, record_id) DO UPDATE SET"
                              " version = excluded.version, deleted = excluded.deleted,"
                              " fields = excluded.fields",
                              params, G_N_ELEMENTS (params), error);
}

/* Writes @record as the row, with its server version (no outbox entry). */
gboolean
tf_store_write_remote_row (TfStore *self, const TfRecord *record, GError **error)
{
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, record->version);

  /* Whatever brings the server's record here (a pull, a duplicate's
   * holder, a stored copy), the next write of it signs above it. */
  if (!tf_store_raise_written (self, record->table, record->id, record->revision, error))
    return FALSE;

  if (record->deleted)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE %s SET deleted_at = coalesce(deleted_at,"
                                              " strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now')),"
                                              " version = CAST(?1 AS INTEGER) WHERE %s = ?2",
                                              record->table->name, record->table->key_column);
      const char *params[] = { version, record->id };
      return tf_store_exec_bound (self, sql, params, 2, error);
    }
  {
    /* The same upsert as a local write, then the server's version. */
    g_autofree char *set_version = g_strdup_printf ("UPDATE %s SET version = CAST(?1 AS INTEGER)"
                                                    " WHERE %s = ?2", record->table->name,
                                                    record->table->key_column);
    const char *params[] = { version, record->id };

    return tf_store_upsert_row (self, record->table, record->fields, NULL, error) &&
           tf_store_exec_bound (self, set_version, params, 2, error);
  }
}

typedef struct
{
  GPtrArray *records;   /* TfRecord* */
  GPtrArray *refusals;  /* for each record: NULL, or {code, message} (a GStrv) refusing it */
  GPtrArray *revoked;   /* "table\nid" */
  gint64     cursor;
  guint      refused;   /* how many were newly refused */
} PullPage;

static gboolean
apply_pull_body (TfStore *self, gpointer data, GError **error)
{
  PullPage *page = data;
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, page->cursor);
  const char *cursor_params[] = { cursor };

  for (guint i = 0; i < page->records->len; i++)
    {
      TfRecord *record = g_ptr_array_index (page->records, i);
      char **refusal = g_ptr_array_index (page->refusals, i);
      const char *pending_params[] = { record->table->name, record->id };
      gint64 pending;
      g_auto(TfStoreStmt) q = { NULL };

      /* Refused: not used, the held copy stays, the user is told. */
      if (refusal != NULL)
        {
          gboolean fresh = FALSE;

          if (!tf_store_add_refused_record (self, record, refusal[0], refusal[1], FALSE, &fresh,
                                            error))
            return FALSE;
          page->refused += fresh;
          continue;
        }

      /* Unpushed local edits of this record? */
      if (!tf_store_prepare (self, &q, "SELECT count(*) FROM outbox WHERE table_name = ?1"
                                       " AND record_id = ?2", error))
        return FALSE;
      sqlite3_bind_text (q.stmt, 1, pending_params[0], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (q.stmt, 2, pending_params[1], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (q.stmt) != SQLITE_ROW)
        {
          tf_store_set_error (error, self->db, sqlite3_errcode (self->db),
                              _("Cannot read the store"));
          return FALSE;
        }
      pending = sqlite3_column_int64 (q.stmt, 0);
      /* With unpushed edits, row and base stay: the base must remain the
       * version those edits were made on, for the three-way merge their
       * push will need (the server answers it with a conflict). */
      if (pending == 0 && (!tf_store_save_base (self, record, error) ||
                           !tf_store_write_remote_row (self, record, error)))
        return FALSE;
      /* The next write of it, here, signs above what the server holds. */
      if (!tf_store_hold_revision (self, record->table, record->id, record->revision,
                                   record->signature, error))
        return FALSE;
      if (!tf_store_forget_refused_below (self, record->table->name, record->id,
                                          record->version, error))
        return FALSE;
    }
  for (guint i = 0; i < page->revoked->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (page->revoked, i), "\n", 2);
      const TfTable *table = tf_registry_lookup (parts[0]);
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1", table->name,
                                              table->key_column);
      const char *id_param[] = { parts[1] };
      const char *base_params[] = { parts[0], parts[1] };

      if (!tf_store_exec_bound (self, sql, id_param, 1, error) ||
          !tf_store_forget_refused_below (self, parts[0], parts[1], G_MAXINT64, error) ||
          !tf_store_exec_bound (self, "DELETE FROM sync_base WHERE table_name = ?1"
                                      " AND record_id = ?2", base_params, 2, error))
        return FALSE;
    }
  return tf_store_exec_bound (self, "INSERT INTO sync_state (key, value) VALUES ('cursor', ?1)"
                                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                              cursor_params, 1, error);
}

gboolean
tf_store_apply_pull (TfStore *self, JsonArray *changes, gint64 next_cursor, GError **error)
{
  return tf_store_apply_pull_checked (self, changes, next_cursor, NULL, error);
}

gboolean
tf_store_apply_pull_checked (TfStore *self, JsonArray *changes, gint64 next_cursor,
                             guint *out_refused, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_record_free);
  g_autoptr(GPtrArray) refusals = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) revoked = g_ptr_array_new_with_free_func (g_free);
  PullPage page = { records, refusals, revoked, next_cursor, 0 };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  /* Decode the whole page first: a bad change applies nothing. */
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      JsonNode *revoked_node = o != NULL ? json_object_get_member (o, "revoked") : NULL;

      if (revoked_node != NULL && !JSON_NODE_HOLDS_NULL (revoked_node) &&
          (!JSON_NODE_HOLDS_VALUE (revoked_node) ||
           json_node_get_value_type (revoked_node) != G_TYPE_BOOLEAN))
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                       _("the server sent a revocation the store cannot place"));
          return FALSE;
        }
      if (revoked_node != NULL && JSON_NODE_HOLDS_VALUE (revoked_node) &&
          json_node_get_boolean (revoked_node))
        {
          const TfTable *table = tf_registry_lookup (tf_json_get_string (o, "table"));
          const char *id = tf_json_get_string (o, "id");

          if (table == NULL || !tf_validate_uuid (id))
            {
              g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                           _("the server sent a revocation the store cannot place"));
              return FALSE;
            }
          g_ptr_array_add (revoked, g_strconcat (table->name, "\n", id, NULL));
          continue;
        }
      {
        TfRecord *record = tf_record_from_json (node, error);
        if (record == NULL)
          return FALSE;
        g_ptr_array_add (records, record);
      }
    }
  /* Checked before the transaction: a check may fetch a key.  A record
   * whose writer its parent names (a session: its appointment's therapist)
   * may come in the same page as the parent: the records that passed so
   * far count as held for the checks (tf_store_get_checked). */
  self->pulled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < records->len; i++)
    {
      TfRecord *record = g_ptr_array_index (records, i);
      char *code = NULL, *message = NULL;

      if (!tf_store_check_pulled (self, record, &code, &message, error))
        {
          g_clear_pointer (&self->pulled, g_hash_table_unref);
          return FALSE;
        }
      if (code != NULL)
        {
          char **refusal = g_new0 (char *, 3);

          refusal[0] = code;
          refusal[1] = message;
          g_ptr_array_add (refusals, refusal);
        }
      else
        {
          g_ptr_array_add (refusals, NULL);
          if (!record->deleted)
            g_hash_table_insert (self->pulled,
                                 g_strconcat (record->table->name, "\n", record->id, NULL),
                                 record);
        }
    }
  g_clear_pointer (&self->pulled, g_hash_table_unref);
  if (!tf_store_in_transaction (self, apply_pull_body, &page, error))
    return FALSE;
  if (out_refused != NULL)
    *out_refused = page.refused;
  for (guint i = 0; i < records->len; i++)
    {
      TfRecord *record = g_ptr_array_index (records, i);
      tf_store_emit_changed (self, record->table->name, record->id);
    }
  return TRUE;
}
