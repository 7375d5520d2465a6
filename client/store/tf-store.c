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
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-store-db.h"
#include "tf-store.h"
#include "tf-time.h"
#include "tf-validate.h"

struct _TfStore
{
  GObject  parent_instance;
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (TfStore, tf_store, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_store_finalize (GObject *object)
{
  TfStore *self = TF_STORE (object);

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

typedef struct
{
  sqlite3_stmt *stmt;
} Stmt;

static void
stmt_clear (Stmt *s)
{
  g_clear_pointer (&s->stmt, sqlite3_finalize);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stmt, stmt_clear)

static gboolean
prepare (TfStore *self, Stmt *s, const char *sql, GError **error)
{
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &s->stmt, NULL);

  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
step_done (TfStore *self, Stmt *s, GError **error)
{
  int rc = sqlite3_step (s->stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot save to the store"));
      return FALSE;
    }
  return TRUE;
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
  else if (column->type == TF_COLUMN_JSON && !(column->flags & TF_COLUMN_ENCRYPTED))
    {
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
      if (!(column->flags & TF_COLUMN_ENCRYPTED))
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

static char *
select_sql (const TfTable *table, const char *where)
{
  GString *sql = g_string_new ("SELECT version, deleted_at IS NOT NULL");

  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (sql, ", %s", table->columns[i].name);
  g_string_append_printf (sql, " FROM %s %s", table->name, where);
  return g_string_free (sql, FALSE);
}

static TfRecord *
row_to_record (const TfTable *table, sqlite3_stmt *stmt)
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

static gboolean
append_outbox (TfStore *self, const TfTable *table, const char *id, const char *op,
               JsonObject *fields, GError **error)
{
  g_auto(Stmt) version = { NULL };
  g_auto(Stmt) insert = { NULL };
  g_autofree char *version_sql = g_strdup_printf ("SELECT version FROM %s WHERE %s = ?1",
                                                  table->name, table->key_column);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = tf_time_format_timestamp (now);
  gint64 base = 0;

  if (!prepare (self, &version, version_sql, error))
    return FALSE;
  sqlite3_bind_text (version.stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (version.stmt) == SQLITE_ROW)
    base = sqlite3_column_int64 (version.stmt, 0);

  if (!prepare (self, &insert,
                "INSERT INTO outbox (table_name, record_id, op, base_version, fields, created_at)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error))
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
  return step_done (self, &insert, error);
}

static gboolean
in_transaction (TfStore *self, gboolean (*body) (TfStore *, gpointer, GError **), gpointer data,
                GError **error)
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

static gboolean
put_body (TfStore *self, gpointer data, GError **error)
{
  Write *w = data;
  const TfTable *t = w->table;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(GString) update = g_string_new ("deleted_at = NULL");
  g_auto(Stmt) upsert = { NULL };
  int n = 0;

  g_string_printf (sql, "INSERT INTO %s (", t->name);
  for (guint i = 0; i < t->n_columns; i++)
    {
      const TfColumn *c = &t->columns[i];

      if (!json_object_has_member (w->fields, c->name))
        continue;
      g_string_append_printf (sql, "%s%s", n > 0 ? ", " : "", c->name);
      g_string_append_printf (values, "%s?%d", n > 0 ? ", " : "", n + 1);
      if (strcmp (c->name, t->key_column) != 0)
        g_string_append_printf (update, ", %s = excluded.%s", c->name, c->name);
      n++;
    }
  g_string_append_printf (sql, ") VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s",
                          values->str, t->key_column, update->str);
  if (!prepare (self, &upsert, sql->str, error))
    return FALSE;
  n = 0;
  for (guint i = 0; i < t->n_columns; i++)
    {
      const TfColumn *c = &t->columns[i];

      if (!json_object_has_member (w->fields, c->name))
        continue;
      bind_value (upsert.stmt, ++n, c, json_object_get_member (w->fields, c->name));
    }
  return step_done (self, &upsert, error) &&
         append_outbox (self, t, w->id, "upsert", w->fields, error);
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
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), fields);
    g_autoptr(JsonNode) dup = json_node_copy (node);
    copy = json_object_ref (json_node_get_object (dup));
  }
  json_object_set_string_member (copy, table->key_column, id);
  if (!tf_validate_fields (table, copy, TF_VALIDATE_FULL, error))
    return FALSE;

  w.table = table;
  w.id = id;
  w.fields = copy;
  if (!in_transaction (self, put_body, &w, error))
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
  g_auto(Stmt) update = { NULL };

  if (!prepare (self, &update, sql, error))
    return FALSE;
  sqlite3_bind_text (update.stmt, 1, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (update.stmt, 2, w->id, -1, SQLITE_TRANSIENT);
  if (!step_done (self, &update, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("There is no record %s to delete"), w->id);
      return FALSE;
    }
  return append_outbox (self, w->table, w->id, "delete", NULL, error);
}

gboolean
tf_store_delete (TfStore *self, const TfTable *table, const char *id, GError **error)
{
  Write w = { table, id, NULL };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!in_transaction (self, delete_body, &w, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0, table->name, id);
  return TRUE;
}

/* --- reading -------------------------------------------------------------- */

TfRecord *
tf_store_get (TfStore *self, const TfTable *table, const char *id, GError **error)
{
  g_autofree char *where = g_strdup_printf ("WHERE %s = ?1", table->key_column);
  g_autofree char *sql = select_sql (table, where);
  g_auto(Stmt) select = { NULL };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  if (!prepare (self, &select, sql, error))
    return NULL;
  sqlite3_bind_text (select.stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (select.stmt);
  if (rc == SQLITE_ROW)
    return row_to_record (table, select.stmt);
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
  g_auto(Stmt) select = { NULL };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (column == NULL || tf_table_get_column (table, column) != NULL, NULL);

  if (column != NULL)
    g_string_append_printf (where, " AND %s = ?1", column);
  if (tf_table_get_column (table, "created_at") != NULL)
    g_string_append (where, " ORDER BY created_at DESC");
  sql = select_sql (table, where->str);
  if (!prepare (self, &select, sql, error))
    return NULL;
  if (column != NULL)
    sqlite3_bind_text (select.stmt, 1, value, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (select.stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, row_to_record (table, select.stmt));
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
  g_auto(Stmt) count = { NULL };

  g_return_val_if_fail (TF_IS_STORE (self), -1);

  if (!prepare (self, &count, "SELECT count(*) FROM outbox", error))
    return -1;
  if (sqlite3_step (count.stmt) != SQLITE_ROW)
    {
      tf_store_set_error (error, self->db, sqlite3_errcode (self->db), _("Cannot read the store"));
      return -1;
    }
  return sqlite3_column_int64 (count.stmt, 0);
}
