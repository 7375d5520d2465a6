/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-managed-invite.c: a managed client's invitation and the hand-over of
 * their records to the account they make with it (tf-managed.h;
 * docs/encryption.md, "Managed clients and the hand-over").
 *
 * The therapist's device makes the code: 32 random bytes, printed like a
 * recovery key.  The server files, under an id derived from them, the
 * client's key bundle sealed under a key derived from them too
 * (tf_keys_seal_invite), and never sees the code.
 *
 * The client's device, given the code, fetches and opens the bundle, makes
 * the new account's keys as registration does and takes the managed keys
 * over (tf_keys_adopt: previous keys and a previous master key), and
 * registers under the client's id with the rotation from the managed keys
 * to the new ones, signed by both: the server takes the account row over
 * only so.  Its first sync brings the client's records, and every one
 * under the managed master key is re-keyed under the new one
 * (tf_vault_rekey_adopted), its grants to the therapists in care sealed
 * again and signed with the new key — same ids, so nothing is duplicated.
 *
 * The therapist's device, after each sync, asks the server for the keys of
 * each client it still writes for; keys that a chain of signed rotations
 * leads to from the managed keys it made mean the client took over: it
 * pins them (nothing to compare: the code it handed out vouched for them),
 * seals its own grants to the client again to the new identity key, and
 * drops the client's keys from its file (client_keys null, handed_over_at
 * set), so it no longer writes in the client's name.
 */
#define G_LOG_DOMAIN "tf-managed"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "tf-account-private.h"
#include "tf-error.h"
#include "tf-managed.h"
#include "tf-store-verified.h"
#include "tf-time.h"
#include "tf-vault-private.h"

static const TfTable *
managed_table (void)
{
  return tf_registry_lookup ("managed_clients");
}

/* The server's invitation codes as the person's errors. */
static gboolean
invite_error (const char *code, GError **error)
{
  if (g_strcmp0 (code, "invite_unknown") == 0)
    g_set_error_literal (error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_INVITE_UNKNOWN,
                         _("This invitation code is not known: check it, or ask your "
                           "therapist for a new one"));
  else if (g_strcmp0 (code, "invite_expired") == 0)
    g_set_error_literal (error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_INVITE_EXPIRED,
                         _("This invitation has expired: ask your therapist for a new one"));
  else if (g_strcmp0 (code, "invite_used") == 0)
    g_set_error_literal (error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_INVITE_USED,
                         _("This invitation was used already: sign in to the account made "
                           "with it, or ask your therapist for a new one"));
  else
    return FALSE;
  return TRUE;
}

/* --- the therapist's side ----------------------------------------------------- */

char *
tf_managed_invite (TfVault *vault, const char *client_id, char **out_expires, GError **error)
{
  g_autoptr(TfVault) managed = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autoptr(JsonObject) bundle = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(TfSyncClient) sync = NULL;
  g_autofree char *id = NULL, *role = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  role = tf_account_get (tf_vault_get_store (vault), "role");
  if (g_strcmp0 (role, "therapist") != 0)
    {
      g_set_error_literal (error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_NOT_THERAPIST,
                           _("Only a therapist can add or invite clients"));
      return NULL;
    }
  managed = tf_managed_vault_for (vault, client_id, error);
  if (managed == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_NOT_MANAGED,
                             _("This client has an account of their own already, or is not "
                               "one you added"));
      return NULL;
    }
  sync = tf_account_new_sync_client (vault, error);
  if (sync == NULL)
    return NULL;
  secret = tf_keys_new_invite_secret ();
  id = tf_keys_invite_id (secret);
  bundle = tf_keys_seal_invite (tf_vault_get_keys (managed), secret, error);
  if (bundle == NULL)
    return NULL;
  json_object_set_string_member (body, "id", id);
  json_object_set_string_member (body, "client_id", client_id);
  json_object_set_object_member (body, "bundle", g_steal_pointer (&bundle));
  answer = tf_account_call (sync, "POST", "/v1/invites", body, error);
  if (answer == NULL)
    return NULL;
  if (out_expires != NULL)
    *out_expires = g_strdup (tf_json_get_string (answer, "expires_at"));
  return tf_crypto_recovery_key_encode (secret);
}

/* TRUE when @rotations (the server's, oldest first) lead, each signed by
 * the keys before and after, from @identity/@signing to @to_identity/
 * @to_signing. */
static gboolean
chain_leads (const char *user_id, JsonArray *rotations, const char *identity,
             const char *signing, const char *to_identity, const char *to_signing)
{
  const char *at_identity = identity, *at_signing = signing;

  for (guint i = 0; rotations != NULL && i < json_array_get_length (rotations); i++)
    {
      JsonObject *r = json_array_get_object_element (rotations, i);

      if (r == NULL)
        return FALSE;
      /* Rotations before the managed keys (none: they were the first). */
      if (g_strcmp0 (tf_json_get_string (r, "old_identity_public_key"), at_identity) != 0 ||
          g_strcmp0 (tf_json_get_string (r, "old_signing_public_key"), at_signing) != 0 ||
          !tf_keys_verify_rotation (user_id, r, NULL))
        return FALSE;
      at_identity = tf_json_get_string (r, "identity_public_key");
      at_signing = tf_json_get_string (r, "signing_public_key");
    }
  return g_strcmp0 (at_identity, to_identity) == 0 && g_strcmp0 (at_signing, to_signing) == 0 &&
         g_strcmp0 (at_identity, identity) != 0;
}

/* The client of @file took over when the server's keys for them are ones
 * their managed keys lead to: pin them, seal again to them, drop the
 * managed keys.  FALSE only for a local failure; the server unreachable is
 * for the next sync. */
static gboolean
notice_hand_over (TfVault *vault, TfSyncClient *sync, JsonObject *file, GError **error)
{
  const char *client_id = tf_json_get_string (file, "client_id");
  JsonObject *keys = json_object_get_object_member (file, "client_keys");
  const char *identity = tf_json_get_string (keys, "identity_public_key");
  const char *signing = tf_json_get_string (keys, "signing_public_key");
  g_autofree char *path = g_strconcat ("/v1/keys/", client_id, NULL);
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) dropped = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *now_identity, *now_signing;
  JsonNode *rotations;

  answer = tf_account_call (sync, "GET", path, NULL, &local);
  if (answer == NULL)
    {
      g_debug ("keys of managed client %s not checked: %s", client_id, local->message);
      return TRUE;
    }
  now_identity = tf_json_get_string (answer, "identity_public_key");
  now_signing = tf_json_get_string (answer, "signing_public_key");
  rotations = json_object_get_member (answer, "rotations");
  if (g_strcmp0 (now_identity, identity) == 0 && g_strcmp0 (now_signing, signing) == 0)
    return TRUE;  /* still theirs to write for */
  if (rotations == NULL || !JSON_NODE_HOLDS_ARRAY (rotations) ||
      !chain_leads (client_id, json_node_get_array (rotations), identity, signing, now_identity,
                    now_signing))
    {
      /* Keys nobody signed over from the managed ones: not a hand-over.
       * Recorded as a key change like any (the person is told), and this
       * account keeps writing as the client, as the server allows. */
      if (!tf_account_remember_keys (vault, answer, NULL, &local) &&
          !g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED))
        g_debug ("keys of managed client %s: %s", client_id, local->message);
      return TRUE;
    }
  /* Taken over with the code this account handed out: the new keys are
   * the client's.  Recorded (a signed rotation), then accepted. */
  g_clear_error (&local);
  if (!tf_account_remember_keys (vault, answer, NULL, &local) &&
      !g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (local != NULL &&
      !tf_store_accept_key_change (tf_vault_get_store (vault), client_id, now_identity,
                                   now_signing, NULL, error))
    return FALSE;
  dropped = tf_json_object_dup (file);
  json_object_set_null_member (dropped, "client_keys");
  json_object_set_string_member (dropped, "handed_over_at", stamp);
  return tf_vault_reseal_grants (vault, client_id, NULL, error) &&
         tf_vault_put (vault, managed_table (), client_id, dropped, error);
}

gboolean
tf_managed_settle (TfVault *vault, GError **error)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(TfSyncClient) sync = NULL;
  g_autoptr(GError) local = NULL;
  guint n_rekeyed = 0;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);

  /* A client who took over: their records under the managed master key
   * come under their own. */
  if (!tf_vault_rekey_adopted (vault, &n_rekeyed, error))
    return FALSE;
  if (n_rekeyed > 0)
    g_debug ("%u records re-keyed under this account's own keys", n_rekeyed);

  files = tf_vault_list (vault, managed_table (), "therapist_id", tf_vault_get_user_id (vault),
                         error);
  if (files == NULL)
    return FALSE;
  for (guint i = 0; i < files->len; i++)
    {
      JsonObject *file = g_ptr_array_index (files, i);
      JsonNode *keys = json_object_get_member (file, "client_keys");

      if (keys == NULL || !JSON_NODE_HOLDS_OBJECT (keys))
        continue;
      if (sync == NULL && (sync = tf_account_new_sync_client (vault, &local)) == NULL)
        {
          g_debug ("managed clients not checked: %s", local->message);
          return TRUE;
        }
      if (!notice_hand_over (vault, sync, file, error))
        return FALSE;
    }
  return TRUE;
}

/* --- the client's side --------------------------------------------------------- */

gboolean
tf_managed_register_invited (TfStore *store, const char *server_url, const char *email,
                             const char *password, const char *code, const char *device_name,
                             char **out_recovery_text, GError **error)
{
  g_autoptr(TfSecret) secret = NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(JsonObject) invite = NULL;
  g_autoptr(TfKeys) managed = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autoptr(JsonObject) kdf = tf_account_new_kdf ();
  g_autoptr(JsonObject) keys_object = NULL;
  g_autoptr(JsonObject) adopted = NULL;
  g_autoptr(JsonObject) rotation = NULL;
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(TfSecret) auth_key = NULL, kek = NULL, proof = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *id = NULL, *path = NULL, *server = NULL, *server_code = NULL;
  g_autofree char *recovery_text = NULL, *recovery_auth = NULL, *wrapped_proof = NULL;
  g_autofree char *existing = NULL, *keys_text = NULL;
  g_autofree guchar *proof_raw = NULL;
  gsize proof_len = 0;
  const char *client_id;
  JsonNode *bundle;

  g_return_val_if_fail (TF_IS_STORE (store), FALSE);
  g_return_val_if_fail (server_url != NULL && email != NULL && password != NULL, FALSE);
  g_return_val_if_fail (code != NULL && out_recovery_text != NULL, FALSE);

  existing = tf_store_dup_state (store, KEY_USER_ID, NULL);
  if (existing != NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_EXISTS,
                   _("This profile already has an account; use another data directory "
                     "for a new one"));
      return FALSE;
    }
  /* A mistyped code is no invitation: nothing is asked of the server. */
  secret = tf_crypto_recovery_key_decode (code, &local);
  if (secret == NULL)
    {
      invite_error ("invite_unknown", error);
      return FALSE;
    }
  id = tf_keys_invite_id (secret);
  server = tf_account_strip_slash (server_url);
  client = tf_sync_client_new (server, NULL);
  path = g_strconcat ("/v1/invites/", id, NULL);
  invite = tf_account_call_full (client, "GET", path, NULL, &server_code, &local);
  if (invite == NULL)
    {
      if (invite_error (server_code, error))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  client_id = tf_json_get_string (invite, "client_id");
  bundle = json_object_get_member (invite, "bundle");
  if (client_id == NULL || !g_uuid_string_is_valid (client_id) || bundle == NULL ||
      !JSON_NODE_HOLDS_OBJECT (bundle))
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server’s answer was malformed"));
      return FALSE;
    }
  managed = tf_keys_open_invite (json_node_get_object (bundle), secret, NULL);
  if (managed == NULL)
    {
      invite_error ("invite_unknown", error);
      return FALSE;
    }

  /* The new account's keys, as registration makes them, with the managed
   * ones taken over. */
  if (!tf_keys_derive (kdf, password, &auth_key, &kek, error))
    return FALSE;
  keys = tf_keys_create (kdf, kek, &keys_object, &recovery_text, &recovery_auth, error);
  if (keys == NULL ||
      !tf_keys_adopt (keys, keys_object, managed, client_id, &adopted, &rotation, error))
    return FALSE;
  proof_raw = g_base64_decode (recovery_auth, &proof_len);
  proof = tf_secret_new_from_data (proof_raw, proof_len);
  sodium_memzero (proof_raw, proof_len);
  wrapped_proof = tf_crypto_wrap_key (tf_keys_get_master (keys), "recovery-auth", proof, error);
  if (wrapped_proof == NULL)
    return FALSE;
  keys_text = tf_account_object_to_string (adopted);
  {
    const char *names[] = { KEY_USER_ID, KEY_ROLE, KEY_KEYS, KEY_PENDING_RECOVERY, NULL };
    const char *values[] = { client_id, "client", keys_text, wrapped_proof, NULL };

    if (!tf_store_set_state (store, names, values, error))
      return FALSE;
  }
  {
    JsonObject *invite_member = json_object_new ();

    json_object_set_string_member (invite_member, "id", id);
    json_object_set_object_member (invite_member, "rotation", g_steal_pointer (&rotation));
    json_object_set_object_member (extra, "invite", invite_member);
    json_object_set_member (extra, "previous_keys",
                            json_object_dup_member (adopted, "previous_keys"));
  }
  g_clear_pointer (&server_code, g_free);
  g_clear_error (&local);
  if (!tf_account_publish_full (store, server, email, password, device_name, extra,
                                &server_code, &local))
    {
      /* Nothing was taken over: this profile holds no account after all. */
      const char *names[] = { KEY_USER_ID, KEY_ROLE, KEY_KEYS, KEY_PENDING_RECOVERY, NULL };
      const char *nothing[] = { NULL, NULL, NULL, NULL, NULL };

      tf_store_set_state (store, names, nothing, NULL);
      if (invite_error (server_code, error))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *out_recovery_text = g_steal_pointer (&recovery_text);
  return TRUE;
}
