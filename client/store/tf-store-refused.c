/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-refused.c: what the server sent that this device refuses to use
 * (table sync_refused; issue 19, docs/encryption.md "Against the server
 * itself").
 *
 * Whoever checks what the server sent — a key grant's signature, a
 * record's author signature or revision — and finds it wrong records it
 * here and does not use it: this is the one place the user is told from
 * (`sync`, `status`, the app's banner, tf-sync-notice.c).  One row per
 * record: refusing it again at the same version for the same reason keeps
 * the row as it is (checks run after every sync, and the user is told
 * once); another version or reason replaces it and is news again.  A later
 * version from the server removes the row (tf_store_apply_pull), and the
 * check then judges the new one afresh — but for a report of what the
 * server did in this account's name, which stays until the user dismisses
 * it (the account's own device repairs it, and the repair must not erase
 * the telling).  These rows never sync.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-store-private.h"
#include "tf-time.h"

/* @claimed_by (may be NULL): the user the server's copy names. */
static gboolean
add_refused (TfStore *self, const char *table, const char *record_id, gint64 version,
             const char *claimed_by, const char *code, const char *message,
             gboolean until_dismissed, gboolean *out_new, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  const char *params[] = { table, record_id, version_text, code, message, stamp,
                           until_dismissed ? "1" : "0", claimed_by };

  if (!tf_store_exec_bound (self,
                            "INSERT INTO sync_refused (table_name, record_id, version, code,"
                            " message, refused_at, until_dismissed, claimed_by) VALUES (?1, ?2,"
                            " CAST(?3 AS INTEGER), ?4, ?5, ?6, CAST(?7 AS INTEGER), ?8)"
                            " ON CONFLICT (table_name, record_id) DO UPDATE SET"
                            " version = excluded.version, code = excluded.code,"
                            " message = excluded.message, refused_at = excluded.refused_at,"
                            " until_dismissed = excluded.until_dismissed,"
                            " claimed_by = excluded.claimed_by,"
                            " seen = 0 WHERE version IS NOT excluded.version"
                            " OR code IS NOT excluded.code",
                            params, G_N_ELEMENTS (params), error))
    return FALSE;
  if (out_new != NULL)
    *out_new = sqlite3_changes (self->db) > 0;
  return TRUE;
}

gboolean
tf_store_add_refused (TfStore *self, const char *table, const char *record_id, gint64 version,
                      const char *code, const char *message, gboolean until_dismissed,
                      gboolean *out_new, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL && record_id != NULL && version >= 0, FALSE);
  g_return_val_if_fail (code != NULL && message != NULL, FALSE);

  return add_refused (self, table, record_id, version, NULL, code, message, until_dismissed,
                      out_new, error);
}

gboolean
tf_store_add_refused_record (TfStore *self, const TfRecord *record, const char *code,
                             const char *message, gboolean until_dismissed, gboolean *out_new,
                             GError **error)
{
  const char *columns[3];
  const char *claimed_by = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL && record->version >= 0, FALSE);
  g_return_val_if_fail (code != NULL && message != NULL, FALSE);

  /* Whose the server says it is, as tf-refusals.c reads a held copy. */
  columns[0] = record->table->owner_column;
  columns[1] = record->table->client_column;
  columns[2] = record->table->therapist_column;
  for (guint i = 0; i < G_N_ELEMENTS (columns) && claimed_by == NULL; i++)
    if (columns[i] != NULL && record->fields != NULL)
      claimed_by = tf_json_get_string (record->fields, columns[i]);
  return add_refused (self, record->table->name, record->id, record->version, claimed_by, code,
                      message, until_dismissed, out_new, error);
}

gboolean
tf_store_clear_refused (TfStore *self, const char *table, const char *record_id, GError **error)
{
  const char *params[] = { table, record_id };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL && record_id != NULL, FALSE);

  return tf_store_exec_bound (self, "DELETE FROM sync_refused WHERE table_name = ?1"
                                    " AND record_id = ?2", params, 2, error);
}

gboolean
tf_store_forget_refused_below (TfStore *self, const char *table, const char *record_id,
                               gint64 version, GError **error)
{
  g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  const char *params[] = { table, record_id, version_text };

  return tf_store_exec_bound (self, "DELETE FROM sync_refused WHERE table_name = ?1"
                                    " AND record_id = ?2 AND version < CAST(?3 AS INTEGER)"
                                    " AND NOT until_dismissed",
                              params, 3, error);
}

gint64
tf_store_refused_count (TfStore *self, gboolean unseen_only, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), -1);

  return tf_store_query_int (self, unseen_only
                                     ? "SELECT count(*) FROM sync_refused WHERE NOT seen"
                                     : "SELECT count(*) FROM sync_refused",
                             NULL, 0, error);
}

gboolean
tf_store_is_refused (TfStore *self, const char *table, const char *record_id, gint64 version)
{
  g_auto(TfStoreStmt) q = { NULL };
  g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  if (!tf_store_prepare (self, &q, "SELECT 1 FROM sync_refused WHERE table_name = ?1"
                                   " AND record_id = ?2 AND version = CAST(?3 AS INTEGER)", NULL))
    return FALSE;
  sqlite3_bind_text (q.stmt, 1, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (q.stmt, 2, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (q.stmt, 3, version_text, -1, SQLITE_TRANSIENT);
  return sqlite3_step (q.stmt) == SQLITE_ROW;
}

static const char * const refused_columns[] = {
  "table", "id", "i:version", "code", "message", "refused_at", "b:seen", "claimed_by",
};

JsonArray *
tf_store_list_refused (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  return tf_store_query_array (self, "SELECT table_name, record_id, version, code, message,"
                               " refused_at, seen, claimed_by FROM sync_refused"
                               " ORDER BY refused_at, table_name, record_id",
                               refused_columns, G_N_ELEMENTS (refused_columns), error);
}

gboolean
tf_store_dismiss_refused (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  return tf_store_exec_bound (self, "DELETE FROM sync_refused WHERE until_dismissed", NULL, 0,
                              error) &&
         tf_store_exec_bound (self, "UPDATE sync_refused SET seen = 1 WHERE NOT seen", NULL, 0,
                              error);
}
