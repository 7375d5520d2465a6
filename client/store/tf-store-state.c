/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-state.c: sync_state, the store's small key-value table — the
 * pull cursor, the server's limits, this device's account and ids.
 *
 * Values are text; a key that is absent reads as TF_STORE_ERROR_NOT_FOUND
 * (or the fallback of tf_store_get_cursor), and setting a NULL value deletes
 * it, so every key is either there with a value or not there.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-store-private.h"

gint64
tf_store_get_cursor (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), -1);

  return tf_store_query_int (self,
                             "SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = 'cursor'",
                             NULL, 0, error);
}

char *
tf_store_dup_state (TfStore *self, const char *key, GError **error)
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

gboolean
tf_store_raise_state (TfStore *self, const char *key, gint64 value, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  const char *params[] = { key, text };

  return tf_store_exec_bound (self, "INSERT INTO sync_state (key, value) VALUES (?1, ?2)"
                                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                                    " WHERE CAST(value AS INTEGER) < CAST(excluded.value"
                                    " AS INTEGER)",
                              params, 2, error);
}
