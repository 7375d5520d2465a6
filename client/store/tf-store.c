/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store.c: registry-driven reads and writes of the device store.
 *
 * SQL is built only from registry names (never from input) and every value
 * is bound.  Wire values map to SQLite as the device schema says: integers
 * and booleans as INTEGER, JSON as its text, everything else (UUIDs, dates,
 * times, timestamps, money, envelopes) as TEXT in its wire form.
 *
 * A write is: BEGIN IMMEDIATE; upsert the row (its server version kept, the
 * tombstone cleared); append the outbox entry with the row's version as its
 * base; COMMIT.  The outbox id is AUTOINCREMENT, so mutation ids strictly
 * increase and are never reused, even across crashes.
 *
 * Merging and conflict copies are in tf-store-conflicts.c, other users'
 * public keys in tf-store-keys.c; the statement helpers all of them use are
 * declared in tf-store-private.h.
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

G_DEFINE_FINAL_TYPE (TfStore, tf_store, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_store_finalize (GObject *object)
{
  TfStore *self = TF_STORE (object);

  if (self->copy_destroy != NULL)
    self->copy_destroy (self->copy_data);
  g_clear_pointer (&self->db, sqlite3_close);
  G_OBJECT_CLASS (tf_store_parent_class)->finalize (object);
}

static void
tf_store_class_init (TfStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tf_store_finalize;

  /**
   * TfStore::changed:
   * @table: the table's name
   * @id: the record's id
   *
   * A record was written or deleted, locally or by a sync.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
tf_store_init (TfStore *self)
{
}

void
tf_store_emit_changed (TfStore *self, const char *table, const char *id)
{
  g_signal_emit (self, signals[CHANGED], 0, table, id);
}

void
tf_store_set_copy_func (TfStore *self, TfStoreCopyFunc func, gpointer user_data,
                        GDestroyNotify destroy)
{
  g_return_if_fail (TF_IS_STORE (self));

  if (self->copy_destroy != NULL)
    self->copy_destroy (self->copy_data);
  self->copy_func = func;
  self->copy_data = user_data;
  self->copy_destroy = destroy;
}

TfStore *
tf_store_open (const char *path, GError **error)
{
  g_autoptr(TfStore) self = g_object_new (TF_TYPE_STORE, NULL);

  g_return_val_if_fail (path != NULL, NULL);

  self->db = tf_store_db_open (path, error);
  if (self->db == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/* --- statements ----------------------------------------------------------- */

void
tf_store_stmt_clear (TfStoreStmt *s)
{
  g_clear_pointer (&s->stmt, sqlite3_finalize);
}

gboolean
tf_store_prepare (TfStore *self, TfStoreStmt *s, const char *sql, GError **error)
{
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &s->stmt, NULL);

  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return FALSE;
    }
  return TRUE;
}

gboolean
tf_store_step_done (TfStore *self, TfStoreStmt *s, GError **error)
{
  int rc = sqlite3_step (s->stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot save to the store"));
      return FALSE;
    }
  return TRUE;
}

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
  gint64 base = 0;

  if (!tf_store_prepare (self, &version, version_sql, error))
    return FALSE;
  sqlite3_bind_text (version.stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (version.stmt) == SQLITE_ROW)
    base = sqlite3_column_int64 (version.stmt, 0);

  if (!tf_store_prepare (self, &insert,
                         "INSERT INTO outbox (table_name, record_id, op, base_version, fields,"
                         " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error))
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
  return tf_store_step_done (self, &insert, error);
}

gboolean
tf_store_in_transaction (TfStore *self, TfStoreBody body, gpointer data, GError **error)
{
  int rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot save to the store"));
      return FALSE;
    }
  if (!body (self, data, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot save to the store"));
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

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
  g_signal_emit (self, signals[CHANGED], 0, table->name, id);
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
  g_signal_emit (self, signals[CHANGED], 0, table->name, id);
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

/* --- the store's half of sync --------------------------------------------- */

gint64
tf_store_query_int (TfStore *self, const char *sql, const char *param, gint64 fallback,
                    GError **error)
{
  g_auto(TfStoreStmt) q = { NULL };
  int rc;

  if (!tf_store_prepare (self, &q, sql, error))
    return -1;
  if (param != NULL)
    sqlite3_bind_text (q.stmt, 1, param, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (q.stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (q.stmt, 0);
  if (rc == SQLITE_DONE)
    return fallback;
  tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
  return -1;
}

gint64
tf_store_get_cursor (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), -1);

  return tf_store_query_int (self,
                             "SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = 'cursor'",
                             NULL, 0, error);
}

char *
tf_store_get_state (TfStore *self, const char *key, GError **error)
{
  g_auto(TfStoreStmt) q = { NULL };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!tf_store_prepare (self, &q, "SELECT value FROM sync_state WHERE key = ?1", error))
    return NULL;
  sqlite3_bind_text (q.stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (q.stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (q.stmt, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND, _("Nothing is stored as %s"),
                 key);
  else
    tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
  return NULL;
}

gboolean
tf_store_set_state (TfStore *self, const char * const *keys, const char * const *values,
                    GError **error)
{
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  rc = sqlite3_exec (self->db, "SAVEPOINT set_state", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot save to the store"));
      return FALSE;
    }
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *params[] = { keys[i], values[i] };
      gboolean ok = values[i] != NULL
        ? tf_store_exec_bound (self, "INSERT INTO sync_state (key, value) VALUES (?1, ?2)"
                                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               params, 2, error)
        : tf_store_exec_bound (self, "DELETE FROM sync_state WHERE key = ?1", params, 1, error);

      if (!ok)
        {
          sqlite3_exec (self->db, "ROLLBACK TO set_state; RELEASE set_state", NULL, NULL, NULL);
          return FALSE;
        }
    }
  sqlite3_exec (self->db, "RELEASE set_state", NULL, NULL, NULL);
  return TRUE;
}

gint64
tf_store_rejection_count (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), -1);

  return tf_store_query_int (self, "SELECT count(*) FROM sync_rejections WHERE NOT dismissed",
                             NULL, 0, error);
}

gboolean
tf_store_exec_bound (TfStore *self, const char *sql, const char * const *texts, guint n,
                     GError **error)
{
  g_auto(TfStoreStmt) s = { NULL };

  if (!tf_store_prepare (self, &s, sql, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (texts[i] != NULL)
      sqlite3_bind_text (s.stmt, (int) i + 1, texts[i], -1, SQLITE_TRANSIENT);
  return tf_store_step_done (self, &s, error);
}

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
  GPtrArray *revoked;   /* "table\nid" */
  gint64     cursor;
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
      const char *pending_params[] = { record->table->name, record->id };
      gint64 pending;
      g_auto(TfStoreStmt) q = { NULL };

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
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_record_free);
  g_autoptr(GPtrArray) revoked = g_ptr_array_new_with_free_func (g_free);
  PullPage page = { records, revoked, next_cursor };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  /* Decode the whole page first: a bad change applies nothing. */
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (o != NULL && json_object_get_boolean_member_with_default (o, "revoked", FALSE))
        {
          const TfTable *table = tf_registry_lookup (json_object_get_string_member_with_default (
                                                       o, "table", NULL));
          const char *id = json_object_get_string_member_with_default (o, "id", NULL);

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
  if (!tf_store_in_transaction (self, apply_pull_body, &page, error))
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      TfRecord *record = g_ptr_array_index (records, i);
      g_signal_emit (self, signals[CHANGED], 0, record->table->name, record->id);
    }
  return TRUE;
}

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
      g_autofree char *record_id = NULL, *op = NULL, *fields = NULL;

      if (!tf_store_prepare (self, &entry, "SELECT table_name, record_id, op, fields FROM outbox"
                                           " WHERE mutation_id = CAST(?1 AS INTEGER)", error))
        return FALSE;
      sqlite3_bind_text (entry.stmt, 1, mutation, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (entry.stmt) != SQLITE_ROW)
        continue; /* answered before (a retried push): already applied */
      table = tf_registry_lookup ((const char *) sqlite3_column_text (entry.stmt, 0));
      record_id = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 1));
      op = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 2));
      fields = g_strdup ((const char *) sqlite3_column_text (entry.stmt, 3));
      if (table == NULL)
        continue;

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
           * price, its clock's created_at): its record is the truth. */
          if (!take_stored_record (self, table, record_id, mutation, r, error))
            return FALSE;
        }
      else if (strcmp (status, "rejected") == 0)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autofree char *stamp = tf_time_format_timestamp (now);
          const char *params[] = {
            mutation, table->name, record_id, op, fields,
            json_object_get_string_member_with_default (r, "code", "rejected"),
            json_object_get_string_member_with_default (r, "message", ""), stamp,
          };

          if (!tf_store_exec_bound (self,
                                    "INSERT OR REPLACE INTO sync_rejections (mutation_id,"
                                    " table_name, record_id, op, fields, code, message,"
                                    " rejected_at)"
                                    " VALUES (CAST(?1 AS INTEGER), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                    params, G_N_ELEMENTS (params), error) ||
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
  return TRUE;
}

gboolean
tf_store_apply_push_results (TfStore *self, JsonArray *results, guint *n_conflicts,
                             GError **error)
{
  PushResults pr = { results, 0 };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  if (!tf_store_in_transaction (self, apply_results_body, &pr, error))
    return FALSE;
  if (n_conflicts != NULL)
    *n_conflicts = pr.conflicts;
  return TRUE;
}

JsonArray *
tf_store_outbox_peek (TfStore *self, guint limit, GError **error)
{
  g_autoptr(JsonArray) batch = json_array_new ();
  g_auto(TfStoreStmt) q = { NULL };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  if (!tf_store_prepare (self, &q, "SELECT mutation_id, table_name, record_id, op, base_version,"
                                   " fields FROM outbox ORDER BY mutation_id LIMIT ?1", error))
    return NULL;
  sqlite3_bind_int (q.stmt, 1, (int) limit);
  while ((rc = sqlite3_step (q.stmt)) == SQLITE_ROW)
    {
      JsonObject *m = json_object_new ();
      const char *fields = (const char *) sqlite3_column_text (q.stmt, 5);

      json_object_set_int_member (m, "mutation_id", sqlite3_column_int64 (q.stmt, 0));
      json_object_set_string_member (m, "table", (const char *) sqlite3_column_text (q.stmt, 1));
      json_object_set_string_member (m, "id", (const char *) sqlite3_column_text (q.stmt, 2));
      json_object_set_string_member (m, "op", (const char *) sqlite3_column_text (q.stmt, 3));
      json_object_set_int_member (m, "base_version", sqlite3_column_int64 (q.stmt, 4));
      if (fields != NULL)
        {
          JsonNode *node = json_from_string (fields, NULL);
          if (node != NULL)
            json_object_set_member (m, "fields", node);
        }
      json_array_add_object_element (batch, m);
    }
  if (rc != SQLITE_DONE)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return NULL;
    }
  return g_steal_pointer (&batch);
}

/* --- notices for the user ------------------------------------------------- */

JsonArray *
tf_store_list_rejections (TfStore *self, GError **error)
{
  g_auto(TfStoreStmt) q = { NULL };
  g_autoptr(JsonArray) out = json_array_new ();
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  if (!tf_store_prepare (self, &q,
                         "SELECT mutation_id, table_name, record_id, op, code, message, rejected_at"
                         " FROM sync_rejections WHERE NOT dismissed ORDER BY mutation_id", error))
    return NULL;
  while ((rc = sqlite3_step (q.stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "mutation_id", sqlite3_column_int64 (q.stmt, 0));
      json_object_set_string_member (o, "table", (const char *) sqlite3_column_text (q.stmt, 1));
      json_object_set_string_member (o, "id", (const char *) sqlite3_column_text (q.stmt, 2));
      json_object_set_string_member (o, "op", (const char *) sqlite3_column_text (q.stmt, 3));
      json_object_set_string_member (o, "code", (const char *) sqlite3_column_text (q.stmt, 4));
      json_object_set_string_member (o, "message",
                                     (const char *) sqlite3_column_text (q.stmt, 5));
      json_object_set_string_member (o, "rejected_at",
                                     (const char *) sqlite3_column_text (q.stmt, 6));
      json_array_add_object_element (out, o);
    }
  if (rc != SQLITE_DONE)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
tf_store_dismiss_rejections (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  return tf_store_exec_bound (self, "UPDATE sync_rejections SET dismissed = 1 WHERE NOT dismissed",
                              NULL, 0, error);
}
