/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-keys.c: other users' public keys (table known_keys).
 *
 * The vault seals record keys to a recipient's X25519 key and verifies
 * signed session notes with the author's Ed25519 key.  Both come from the
 * server's directory once; kept here, sharing and verification work
 * offline.  These rows are the device's own knowledge: they never sync.
 *
 * Also here, as the same kind of knowledge: the highest key grant counter
 * seen for a record and a recipient (grant_counters), so a grant the server
 * brings back from before is told from the newest one.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-store-private.h"
#include "tf-store-verified.h"
#include "tf-time.h"

gboolean
tf_store_remember_key (TfStore *self, const char *user_id, const char *identity_public_key,
                       const char *signing_public_key, const char *fingerprint, const char *email,
                       GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *params[] = { user_id, identity_public_key, signing_public_key, fingerprint, email,
                           stamp };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && identity_public_key != NULL, FALSE);
  g_return_val_if_fail (signing_public_key != NULL && fingerprint != NULL, FALSE);

  /* Keys are pinned at first sight: a server that later presents other keys
   * for the same person (to read what is sealed to them) is refused, and the
   * device keeps what it saw so the person is told and can compare safety
   * numbers (tf-store-verified.c). */
  {
    g_autoptr(JsonObject) known = tf_store_lookup_key (self, user_id, NULL);

    if (known != NULL &&
        (g_strcmp0 (json_object_get_string_member (known, "identity_public_key"),
                    identity_public_key) != 0 ||
         g_strcmp0 (json_object_get_string_member (known, "signing_public_key"),
                    signing_public_key) != 0))
      {
        const char *old = json_object_get_string_member (known, "fingerprint");

        if (!tf_store_record_key_change (self, user_id, old, identity_public_key,
                                         signing_public_key, fingerprint, error))
          return FALSE;
        g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED,
                     _("The server presents different keys for this person than before "
                       "(fingerprint %s, was %s); nothing will be shared with them until "
                       "you compare safety numbers"),
                     fingerprint, old);
        return FALSE;
      }
  }
  /* A known e-mail address is not forgotten when a lookup by id has none. */
  return tf_store_exec_bound (self,
                              "INSERT INTO known_keys (user_id, identity_public_key,"
                              " signing_public_key, fingerprint, email, fetched_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (user_id) DO UPDATE"
                              " SET identity_public_key = excluded.identity_public_key,"
                              " signing_public_key = excluded.signing_public_key,"
                              " fingerprint = excluded.fingerprint,"
                              " email = coalesce(excluded.email, known_keys.email),"
                              " fetched_at = excluded.fetched_at",
                              params, G_N_ELEMENTS (params), error);
}

JsonObject *
tf_store_lookup_key (TfStore *self, const char *user_id, GError **error)
{
  static const char * const names[] = {
    "user_id", "identity_public_key", "signing_public_key", "fingerprint", "email", "fetched_at",
  };
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  rows = tf_store_query_objects (self, "SELECT user_id, identity_public_key, signing_public_key,"
                                       " fingerprint, email, fetched_at FROM known_keys"
                                       " WHERE user_id = ?1",
                                 user_id, names, G_N_ELEMENTS (names), error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("The public keys of %s are not known on this device"), user_id);
      return NULL;
    }
  return json_object_ref (g_ptr_array_index (rows, 0));
}

gint64
tf_store_grant_counter (TfStore *self, const char *table_name, const char *record_id,
                        const char *recipient_id, const char *except_grant_id, GError **error)
{
  g_auto(TfStoreStmt) q = { NULL };
  const char *params[] = { table_name, record_id, recipient_id, except_grant_id };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), -1);

  /* Tombstones count: a deleted grant's counter was seen too. */
  if (!tf_store_prepare (self, &q, "SELECT coalesce(max(c), 0) FROM ("
                                   " SELECT counter AS c FROM grant_counters WHERE table_name = ?1"
                                   " AND record_id = ?2 AND recipient_id = ?3 UNION ALL"
                                   " SELECT counter FROM key_grants WHERE table_name = ?1"
                                   " AND record_id = ?2 AND recipient_id = ?3"
                                   " AND id IS NOT ?4)", error))
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    if (params[i] != NULL)
      sqlite3_bind_text (q.stmt, (int) i + 1, params[i], -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (q.stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (q.stmt, 0);
  tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
  return -1;
}

gboolean
tf_store_raise_grant_counter (TfStore *self, const char *table_name, const char *record_id,
                              const char *recipient_id, gint64 counter, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, counter);
  const char *params[] = { table_name, record_id, recipient_id, text };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (counter >= 1, FALSE);

  return tf_store_exec_bound (self, "INSERT INTO grant_counters (table_name, record_id,"
                                    " recipient_id, counter) VALUES (?1, ?2, ?3,"
                                    " CAST(?4 AS INTEGER)) ON CONFLICT DO UPDATE SET"
                                    " counter = max(counter, excluded.counter)",
                              params, G_N_ELEMENTS (params), error);
}
