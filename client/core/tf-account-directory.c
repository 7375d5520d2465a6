/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-directory.c: other people's public keys from the server's
 * directory — a therapist looked up by e-mail, a user's keys by id, and the
 * keys of everyone in care with this account that this device lacks or
 * checked more than a day ago.  Keys are pinned in the vault: a change of
 * someone's keys is refused and recorded for the person (tf-verify.h).
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-account-private.h"
#include "tf-care-requests.h"
#include "tf-managed.h"
#include "tf-store.h"
#include "tf-verify.h"

gboolean
tf_account_remember_keys (TfVault *vault, JsonObject *answer, const char *email, GError **error)
{
  const char *user_id = tf_json_get_string (answer, "user_id");
  const char *identity = tf_json_get_string (answer, "identity_public_key");
  const char *signing = tf_json_get_string (answer, "signing_public_key");
  const char *fingerprint = tf_json_get_string (answer, "fingerprint");

  if (user_id == NULL || !g_uuid_string_is_valid (user_id) || identity == NULL ||
      signing == NULL || fingerprint == NULL)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server’s answer was malformed"));
      return FALSE;
    }
  {
    g_autoptr(GError) local = NULL;
    gboolean ok = tf_vault_remember_key (vault, user_id, identity, signing, fingerprint, email,
                                         &local);
    JsonNode *rotations = json_object_get_member (answer, "rotations");

    /* A change is recorded before it is refused: whether it is a signed
     * rotation is noted on it now. */
    if ((ok || g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED)) &&
        rotations != NULL && JSON_NODE_HOLDS_ARRAY (rotations) &&
        !tf_vault_note_rotations (vault, user_id, identity, signing,
                                  json_node_get_array (rotations), error))
      return FALSE;
    if (!ok)
      g_propagate_error (error, g_steal_pointer (&local));
    return ok;
  }
}

JsonObject *
tf_account_lookup_therapist (TfSyncClient *client, const char *email, GError **error)
{
  g_autofree char *escaped = NULL, *path = NULL, *code = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *answer;

  g_return_val_if_fail (TF_IS_SYNC_CLIENT (client), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  escaped = g_uri_escape_string (email, NULL, FALSE);
  path = g_strconcat ("/v1/therapists?email=", escaped, NULL);
  answer = tf_sync_client_call (client, "GET", path, NULL, &code, &local);
  if (answer == NULL)
    {
      if (g_strcmp0 (code, "not_found") == 0)
        g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED,
                     _("No therapist with the e-mail address %s uses this server"), email);
      else
        g_propagate_error (error, g_steal_pointer (&local));
    }
  return answer;
}

char *
tf_account_find_therapist (TfVault *vault, const char *email, GError **error)
{
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (vault, error);
  g_autoptr(JsonObject) answer = NULL;

  if (client == NULL)
    return NULL;
  answer = tf_account_lookup_therapist (client, email, error);
  if (answer == NULL || !tf_account_remember_keys (vault, answer, email, error))
    return NULL;
  return g_strdup (tf_json_get_string (answer, "user_id"));
}

gboolean
tf_account_fetch_keys (TfVault *vault, const char *user_id, GError **error)
{
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (vault, error);
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) answer = NULL;

  if (client == NULL)
    return FALSE;
  path = g_strconcat ("/v1/keys/", user_id, NULL);
  answer = tf_account_call (client, "GET", path, NULL, error);
  return answer != NULL && tf_account_remember_keys (vault, answer, NULL, error);
}

/* Whether @known (a known_keys row) was last checked with the server more
 * than TF_VERIFY_REFRESH_SECONDS ago. */
static gboolean
keys_are_stale (JsonObject *known)
{
  g_autoptr(GDateTime) fetched = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *stamp = tf_json_get_string (known, "fetched_at");

  fetched = stamp != NULL ? g_date_time_new_from_iso8601 (stamp, NULL) : NULL;
  return fetched == NULL ||
         g_date_time_difference (now, fetched) > TF_VERIFY_REFRESH_SECONDS * G_TIME_SPAN_SECOND;
}

gboolean
tf_account_fetch_missing_keys (TfVault *vault, GError **error)
{
  TfStore *store = tf_vault_get_store (vault);
  const char *me = tf_vault_get_user_id (vault);
  g_autoptr(GPtrArray) care = NULL;

  care = tf_store_list (store, tf_registry_lookup ("care_relationships"), "status", "active",
                        error);
  if (care == NULL)
    return FALSE;
  for (guint i = 0; i < care->len; i++)
    {
      TfRecord *record = g_ptr_array_index (care, i);
      const char *client = tf_json_get_string (record->fields, "client_id");
      const char *therapist = tf_json_get_string (record->fields, "therapist_id");
      const char *other = g_strcmp0 (client, me) == 0 ? therapist : client;
      g_autoptr(JsonObject) known = NULL;

      if (other == NULL)
        continue;
      known = tf_store_lookup_key (store, other, NULL);
      if (known == NULL && !tf_account_fetch_keys (vault, other, error))
        return FALSE;
      if (known != NULL && keys_are_stale (known))
        {
          g_autoptr(GError) local = NULL;

          /* A change is recorded for the person to see (tf-verify.h); the
           * sync goes on with the pinned keys. */
          if (!tf_account_fetch_keys (vault, other, &local) &&
              !g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
        }
    }
  return TRUE;
}

gboolean
tf_account_settle (TfVault *vault, TfSettleReport *report, GError **error)
{
  TfStore *store = tf_vault_get_store (vault);
  g_autoptr(GError) local = NULL;
  gint64 queued;

  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  queued = tf_store_outbox_count (store, NULL);
  /* A pull can bring rows from before a column was encrypted: a failure
   * costs nothing but the wait for the next sync. */
  if (!tf_vault_encrypt_legacy (vault, NULL, &local))
    report->legacy_error = g_strdup (local->message);
  /* A share made here for a therapist linked on another device needs their
   * key; grants their owners did not sign are refused before the shares
   * are brought in line. */
  if (!tf_account_fetch_missing_keys (vault, error) ||
      !tf_vault_check_grants (vault, &report->refused, error) ||
      !tf_managed_settle (vault, error) ||
      !tf_care_settle (vault, error) ||
      !tf_vault_reconcile_shares (vault, &report->pending, error))
    return FALSE;
  report->push_again = tf_store_outbox_count (store, NULL) > queued;
  return TRUE;
}

void
tf_settle_report_clear (TfSettleReport *report)
{
  g_clear_pointer (&report->legacy_error, g_free);
}

gboolean
tf_account_sync_settled (TfVault *vault, TfSyncClient *client, TfSyncReport *report,
                         TfSettleReport *settled, GError **error)
{
  TfSyncReport again = { 0 };
  TfStore *store;
  TfKeys *keys;
  const char *user_id;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (report != NULL && settled != NULL, FALSE);

  memset (settled, 0, sizeof *settled);
  store = tf_vault_get_store (vault);
  keys = tf_vault_get_keys (vault);
  user_id = tf_vault_get_user_id (vault);
  if (!tf_account_sync (store, keys, user_id, client, report, NULL, error) ||
      !tf_account_settle (vault, settled, error))
    return FALSE;
  report->refused += settled->refused;
  if (!settled->push_again)
    return TRUE;
  if (!tf_account_sync (store, keys, user_id, client, &again, NULL, error))
    return FALSE;
  tf_sync_report_add (report, &again);
  return TRUE;
}
