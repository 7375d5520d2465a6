/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-drafts.c: the drafts table (sql/sqlite/0018-drafts.sql says
 * what it holds and why).  Only envelopes go in: the CHECK of the table
 * and the test here both refuse anything else, so a mistake above can
 * never leave typed text in the file.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-crypto.h"
#include "tf-store-drafts.h"
#include "tf-store-private.h"
#include "tf-time.h"

gboolean
tf_store_put_draft (TfStore *self, const char *account_id, const char *form,
                    const char *record_key, const char *envelope, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *params[] = { account_id, form, record_key, envelope, stamp };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL && form != NULL && record_key != NULL, FALSE);
  g_return_val_if_fail (envelope != NULL, FALSE);

  if (!tf_crypto_is_envelope (envelope))
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT,
                   _("A draft is kept only encrypted"));
      return FALSE;
    }
  return tf_store_exec_bound (self,
                              "INSERT INTO drafts (account_id, form, record_key, content,"
                              " saved_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                              " ON CONFLICT (account_id, form, record_key) DO UPDATE"
                              " SET content = excluded.content, saved_at = excluded.saved_at",
                              params, G_N_ELEMENTS (params), error);
}

char *
tf_store_dup_draft (TfStore *self, const char *account_id, const char *form,
                    const char *record_key, GError **error)
{
  g_auto(TfStoreStmt) q = { NULL };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL && form != NULL && record_key != NULL, NULL);

  if (!tf_store_prepare (self, &q, "SELECT content FROM drafts WHERE account_id = ?1"
                                   " AND form = ?2 AND record_key = ?3", error))
    return NULL;
  sqlite3_bind_text (q.stmt, 1, account_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (q.stmt, 2, form, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (q.stmt, 3, record_key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (q.stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (q.stmt, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                 _("No unsaved changes are kept for this form"));
  else
    tf_store_set_error (error, self->db, rc, _("Cannot read a draft"));
  return NULL;
}

gboolean
tf_store_delete_draft (TfStore *self, const char *account_id, const char *form,
                       const char *record_key, GError **error)
{
  const char *params[] = { account_id, form, record_key };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL && form != NULL && record_key != NULL, FALSE);

  return tf_store_exec_bound (self, "DELETE FROM drafts WHERE account_id = ?1 AND form = ?2"
                                    " AND record_key = ?3", params, 3, error);
}

GPtrArray *
tf_store_list_drafts (TfStore *self, const char *account_id, GError **error)
{
  static const char * const names[] = { "form", "record_key", "content", "saved_at" };

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  return tf_store_query_objects (self, "SELECT form, record_key, content, saved_at FROM drafts"
                                       " WHERE account_id = ?1 ORDER BY saved_at, form,"
                                       " record_key",
                                 account_id, names, G_N_ELEMENTS (names), error);
}

gboolean
tf_store_delete_drafts (TfStore *self, const char *account_id, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  return tf_store_exec_bound (self, "DELETE FROM drafts WHERE account_id = ?1",
                              (const char *[]) { account_id }, 1, error);
}
