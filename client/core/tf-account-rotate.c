/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-rotate.c: new identity and signing keys on request — after a
 * lost device, for instance (issue 19, plan item 8; docs/encryption.md,
 * "Rotation").
 *
 * The new pairs are wrapped by the same master key, so every device that
 * can unlock the account can open them; the old ones are kept as previous
 * keys (their identity secret still opens what others sealed to it until
 * they seal again; their signing key still verifies what it signed).  The
 * server takes the new public keys only with the statement signed by the
 * old signing key and the new one (tf_keys_rotation_statement), and serves
 * it to contacts, whose devices can so tell this rotation from keys that
 * merely changed on the server.  Then every grant this account made is
 * sealed again and signed with the new key, in one transaction and one
 * atomic group.
 *
 * The new keys object waits in "account.rotating" while the server is
 * asked: when the answer is lost, the next rotation finds the server
 * holding those keys already and takes them instead of making others.
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-account-private.h"
#include "tf-store-db.h"
#include "tf-sync-hooks.h"

#define KEY_ROTATING "account.rotating"

/* The keys the server holds for this account now, or NULL. */
static char *
server_fingerprint (TfSyncClient *client, const char *user_id)
{
  g_autofree char *path = g_strconcat ("/v1/keys/", user_id, NULL);
  g_autoptr(JsonObject) answer = tf_account_call (client, "GET", path, NULL, NULL);

  return answer != NULL
           ? g_strdup (tf_json_get_string (answer, "fingerprint"))
           : NULL;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node)
           ? json_object_ref (json_node_get_object (node)) : NULL;
}

gboolean
tf_account_rotate_keys (TfVault *vault, char **out_fingerprint, guint *out_resealed,
                        GError **error)
{
  TfStore *store;
  const char *user_id;
  g_autoptr(JsonObject) keys_object = NULL, rotated = NULL, rotation = NULL, answer = NULL;
  g_autoptr(JsonObject) pending = NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(TfKeys) next = NULL;
  g_autofree char *pending_text = NULL, *rotated_text = NULL, *fingerprint = NULL;
  const char *names[] = { KEY_KEYS, KEY_ROTATING, NULL };
  const char *values[3] = { NULL, NULL, NULL };

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);

  store = tf_vault_get_store (vault);
  user_id = tf_vault_get_user_id (vault);
  keys_object = tf_account_stored_keys (store, error);
  if (keys_object == NULL)
    return FALSE;
  client = tf_account_new_sync_client (vault, error);
  if (client == NULL)
    return FALSE;

  /* A rotation whose answer was lost: the server may hold its keys. */
  pending_text = tf_store_dup_state (store, KEY_ROTATING, NULL);
  pending = parse_object (pending_text);
  if (pending != NULL)
    {
      g_autofree char *current = server_fingerprint (client, user_id);

      if (current != NULL &&
          g_strcmp0 (current, tf_json_get_string (pending, "fingerprint")) == 0)
        {
          g_autoptr(GError) local = NULL;

          /* Opened with the master key this vault holds. */
          next = tf_keys_reopen (tf_vault_get_keys (vault), pending, &local);
          if (next == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          rotated = g_steal_pointer (&pending);
        }
    }
  if (next == NULL)
    {
      next = tf_keys_rotate (tf_vault_get_keys (vault), user_id, keys_object, &rotated,
                             &rotation, error);
      if (next == NULL)
        return FALSE;
      rotated_text = tf_account_object_to_string (rotated);
      names[0] = KEY_ROTATING;
      names[1] = NULL;
      values[0] = rotated_text;
      if (!tf_store_set_state (store, names, values, error))
        return FALSE;
      answer = tf_account_call (client, "POST", "/v1/keys/rotate", rotation, error);
      if (answer == NULL)
        return FALSE;
      /* Killed here, the server holds keys this device has only in
       * "account.rotating": the next rotation takes them (above). */
      tf_sync_hook_kill_point (TF_KILL_ROTATE_ANSWERED);
      names[0] = KEY_KEYS;
      names[1] = KEY_ROTATING;
    }
  g_clear_pointer (&rotated_text, g_free);
  rotated_text = tf_account_object_to_string (rotated);
  values[0] = rotated_text;
  values[1] = NULL;
  if (!tf_store_set_state (store, names, values, error))
    return FALSE;
  fingerprint = g_strdup (tf_json_get_string (rotated, "fingerprint"));
  tf_vault_replace_keys (vault, g_steal_pointer (&next));
  /* What this account shares, sealed again and signed with the new key;
   * the readers' keys did not change. */
  if (!tf_vault_reseal_grants (vault, NULL, out_resealed, error))
    return FALSE;
  if (out_fingerprint != NULL)
    *out_fingerprint = g_steal_pointer (&fingerprint);
  return TRUE;
}
