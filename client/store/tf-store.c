/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store.c: the TfStore object and the statement layer every file of the
 * store writes through.
 *
 * SQL is built only from registry names (never from input) and every value
 * is bound.  A TfStore owns one SQLite connection (tf-store-db.c opens it,
 * migrates it and refuses a damaged file); the store's other files each hold
 * one concern on top of the helpers here:
 *
 *   tf-store-rows.c       the records: local writes, reads, the server's rows
 *   tf-store-outbox.c     the queue of mutations: append, peek, the answers
 *   tf-store-state.c      sync_state: the cursor and the device's settings
 *   tf-store-ids.c        where this device's mutation ids stand
 *   tf-store-conflicts.c  merging a conflict, conflict copies
 *   tf-store-keys.c       other users' public keys
 *
 * Every write that belongs together runs in one tf_store_in_transaction().
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-store-private.h"

G_DEFINE_FINAL_TYPE (TfStore, tf_store, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_store_finalize (GObject *object)
{
  TfStore *self = TF_STORE (object);

  if (self->copy_destroy != NULL)
    self->copy_destroy (self->copy_data);
  if (self->sign_destroy != NULL)
    self->sign_destroy (self->sign_data);
  if (self->verify_destroy != NULL)
    self->verify_destroy (self->verify_data);
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
tf_store_announce_changed (TfStore *self, const char *table)
{
  g_return_if_fail (TF_IS_STORE (self));
  g_return_if_fail (table != NULL);

  tf_store_emit_changed (self, table, NULL);
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

GPtrArray *
tf_store_query_objects (TfStore *self, const char *sql, const char *param,
                        const char * const *names, guint n_names, GError **error)
{
  g_auto(TfStoreStmt) q = { NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  int rc;

  g_assert (TF_IS_STORE (self));

  if (!tf_store_prepare (self, &q, sql, error))
    return NULL;
  if (param != NULL)
    sqlite3_bind_text (q.stmt, 1, param, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (q.stmt)) == SQLITE_ROW)
    {
      JsonObject *row = json_object_new ();

      for (guint i = 0; i < n_names; i++)
        {
          const char *value = (const char *) sqlite3_column_text (q.stmt, (int) i);
          gboolean typed = names[i][0] != '\0' && names[i][1] == ':';
          const char *name = typed ? names[i] + 2 : names[i];

          if (value == NULL)
            json_object_set_null_member (row, name);
          else if (typed && names[i][0] == 'i')
            json_object_set_int_member (row, name, sqlite3_column_int64 (q.stmt, (int) i));
          else if (typed && names[i][0] == 'b')
            json_object_set_boolean_member (row, name, sqlite3_column_int (q.stmt, (int) i) != 0);
          else
            json_object_set_string_member (row, name, value);
        }
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

JsonArray *
tf_store_query_array (TfStore *self, const char *sql, const char * const *names, guint n_names,
                      GError **error)
{
  g_autoptr(GPtrArray) rows = tf_store_query_objects (self, sql, NULL, names, n_names, error);
  JsonArray *out;

  if (rows == NULL)
    return NULL;
  out = json_array_sized_new (rows->len);
  for (guint i = 0; i < rows->len; i++)
    json_array_add_object_element (out, json_object_ref (g_ptr_array_index (rows, i)));
  return out;
}

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
tf_store_in_transaction (TfStore *self, TfStoreBody body, gpointer data, GError **error)
{
  gboolean outer = self->depth == 0;
  int rc = sqlite3_exec (self->db, outer ? "BEGIN IMMEDIATE" : "SAVEPOINT tf_nested", NULL, NULL,
                         NULL);
  gboolean ok;

  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot save to the store"));
      return FALSE;
    }
  self->depth++;
  ok = body (self, data, error);
  self->depth--;
  if (!outer)
    {
      /* Undone or kept, the savepoint goes; the outer transaction decides. */
      if (!ok)
        sqlite3_exec (self->db, "ROLLBACK TO tf_nested", NULL, NULL, NULL);
      rc = sqlite3_exec (self->db, "RELEASE tf_nested", NULL, NULL, NULL);
      if (ok && rc != SQLITE_OK)
        {
          tf_store_set_error (error, self->db, rc, _("Cannot save to the store"));
          return FALSE;
        }
      return ok;
    }
  if (!ok)
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
  TfStoreBody body;
  gpointer    data;
} Atomic;

static gboolean
atomic_body (TfStore *self, gpointer data, GError **error)
{
  Atomic *a = data;
  gint64 outer_group = self->group;
  gint64 next;
  gboolean ok;

  /* Inside tf_store_atomic_one_group(), everything joins its group. */
  if (self->one_group > 0 && outer_group != 0)
    return a->body (self, a->data, error);
  /* The group is the id the group's first mutation will have: unique, as
   * ids are never reused; a group that queues nothing leaves no trace. */
  next = tf_store_query_int (self, "SELECT seq + 1 FROM sqlite_sequence WHERE name = 'outbox'",
                             NULL, 1, error);
  if (next < 0)
    return FALSE;
  self->group = next;
  ok = a->body (self, a->data, error);
  self->group = outer_group;
  return ok;
}

gboolean
tf_store_atomic (TfStore *self, TfStoreBody body, gpointer data, GError **error)
{
  Atomic a = { body, data };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  return tf_store_in_transaction (self, atomic_body, &a, error);
}

static gboolean
one_group_body (TfStore *self, gpointer data, GError **error)
{
  Atomic *a = data;
  gboolean ok;

  self->one_group++;
  ok = a->body (self, a->data, error);
  self->one_group--;
  return ok;
}

gboolean
tf_store_atomic_one_group (TfStore *self, TfStoreBody body, gpointer data, GError **error)
{
  Atomic a = { body, data };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  /* tf_store_atomic opens the group; inside, every nested call joins it. */
  return tf_store_atomic (self, one_group_body, &a, error);
}

gboolean
tf_store_checkpoint (TfStore *self, GError **error)
{
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot save to the store"));
      return FALSE;
    }
  return TRUE;
}
