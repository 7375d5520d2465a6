/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-publish.c: an account made on this computer only, and later
 * published on a server with the keys and user id it already has, so that
 * what was written offline syncs as it is.  Until then the profile's names,
 * licence number and recovery proof wait in the store.  Published, it syncs
 * once at once, which signs what the server made at registration.
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "tf-account-private.h"


TfVault *
tf_account_create_local (TfStore *store, const TfRegistration *reg, char **out_recovery_text,
                         GError **error)
{
  g_autoptr(JsonObject) kdf = tf_account_new_kdf ();
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autoptr(JsonObject) keys_object = NULL;
  g_autoptr(JsonObject) profile = json_object_new ();
  g_autoptr(TfSecret) proof = NULL;
  g_autofree char *recovery_text = NULL, *recovery_auth = NULL, *wrapped_proof = NULL;
  g_autofree char *existing = NULL, *user_id = NULL, *keys_text = NULL, *profile_text = NULL;
  g_autofree guchar *proof_raw = NULL;
  gsize proof_len = 0;
  const char *names[] = { KEY_USER_ID, KEY_ROLE, KEY_KEYS, KEY_PENDING_PROFILE,
                          KEY_PENDING_RECOVERY, NULL };
  const char *values[6];

  g_return_val_if_fail (reg != NULL && reg->role != NULL && reg->password != NULL, NULL);

  existing = tf_store_dup_state (store, KEY_USER_ID, NULL);
  if (existing != NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_EXISTS,
                   _("This profile already has an account; use another data directory "
                     "for a new one"));
      return NULL;
    }
  if (!tf_keys_derive (kdf, reg->password, &auth_key, &kek, error))
    return NULL;
  keys = tf_keys_create (kdf, kek, &keys_object, &recovery_text, &recovery_auth, error);
  if (keys == NULL)
    return NULL;
  /* The recovery proof is for the server, later: kept under the master key. */
  proof_raw = g_base64_decode (recovery_auth, &proof_len);
  proof = tf_secret_new_from_data (proof_raw, proof_len);
  sodium_memzero (proof_raw, proof_len);
  wrapped_proof = tf_crypto_wrap_key (tf_keys_get_master (keys), "recovery-auth", proof, error);
  if (wrapped_proof == NULL)
    return NULL;

  user_id = g_uuid_string_random ();
  if (reg->first_name != NULL)
    json_object_set_string_member (profile, "first_name", reg->first_name);
  if (reg->last_name != NULL)
    json_object_set_string_member (profile, "last_name", reg->last_name);
  if (reg->license_number != NULL)
    json_object_set_string_member (profile, "license_number", reg->license_number);
  keys_text = tf_account_object_to_string (keys_object);
  profile_text = tf_account_object_to_string (profile);
  values[0] = user_id;
  values[1] = reg->role;
  values[2] = keys_text;
  values[3] = profile_text;
  values[4] = wrapped_proof;
  values[5] = NULL;
  if (!tf_store_set_state (store, names, values, error))
    return NULL;
  *out_recovery_text = g_steal_pointer (&recovery_text);
  return tf_vault_new (store, user_id, g_steal_pointer (&keys));
}

/* The server made this account's profile (and a therapist's directory
 * entry) from what was typed, unsigned: one sync now brings them and
 * writes them again, signed, above the server's revision (the legacy step
 * of tf_account_settle, which signs every record of this account held
 * unsigned), so other devices take them unsigned only until then
 * (docs/encryption.md, "Unsigned records").  The account is registered
 * whatever happens here: failing, the next sync does it. */
static void
sign_registration (TfStore *store, const char *user_id, TfKeys *keys)
{
  g_autoptr(TfVault) vault = tf_vault_new (store, user_id, tf_keys_copy (keys));
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  TfSyncReport report = { 0 };
  TfSettleReport settled;

  client = tf_account_new_sync_client (vault, &error);
  if (client != NULL)
    tf_account_sync_settled (vault, client, &report, &settled, &error);
  else
    memset (&settled, 0, sizeof settled);
  if (error != NULL)
    g_message ("the first sync after registering failed, the next one signs the profile: %s",
               error->message);
  tf_settle_report_clear (&settled);
}

gboolean
tf_account_publish (TfStore *store, const char *server_url, const char *email,
                    const char *password, const char *device_name, GError **error)
{
  return tf_account_publish_full (store, server_url, email, password, device_name, NULL, NULL,
                                  error);
}

gboolean
tf_account_publish_full (TfStore *store, const char *server_url, const char *email,
                         const char *password, const char *device_name, JsonObject *extra,
                         char **out_code, GError **error)
{
  g_autoptr(JsonObject) keys_object = tf_account_stored_keys (store, error);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) profile = NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfSecret) proof = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autoptr(JsonNode) profile_node = NULL;
  g_autofree char *user_id = NULL, *role = NULL, *profile_text = NULL, *wrapped_proof = NULL;
  g_autofree char *existing_server = NULL, *device = NULL, *server = NULL;
  g_autofree char *auth_b64 = NULL, *proof_b64 = NULL;
  const char *names[] = { KEY_PENDING_PROFILE, KEY_PENDING_RECOVERY, NULL };
  const char *nothing[] = { NULL, NULL, NULL };

  if (keys_object == NULL)
    return FALSE;
  existing_server = tf_store_dup_state (store, KEY_SERVER, NULL);
  if (existing_server != NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_EXISTS,
                   _("This profile already syncs with %s"), existing_server);
      return FALSE;
    }
  keys = tf_account_open_with_password (keys_object, password, &auth_key, error);
  if (keys == NULL)
    return FALSE;
  user_id = tf_store_dup_state (store, KEY_USER_ID, NULL);
  role = tf_store_dup_state (store, KEY_ROLE, NULL);
  profile_text = tf_store_dup_state (store, KEY_PENDING_PROFILE, NULL);
  wrapped_proof = tf_store_dup_state (store, KEY_PENDING_RECOVERY, NULL);
  profile_node = profile_text ? json_from_string (profile_text, NULL) : NULL;
  profile = profile_node != NULL && JSON_NODE_HOLDS_OBJECT (profile_node)
              ? json_object_ref (json_node_get_object (profile_node)) : json_object_new ();
  device = tf_account_device_id (store, error);
  if (device == NULL)
    return FALSE;

  auth_b64 = tf_account_base64_of (auth_key);
  json_object_set_string_member (body, "user_id", user_id);
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "role", role);
  json_object_set_string_member (body, "auth_key", auth_b64);
  json_object_set_member (body, "kdf", json_node_copy (json_object_get_member (keys_object,
                                                                               "kdf")));
  for (const char * const *m = (const char * const[]) { "wrapped_master_key",
                                                        "wrapped_recovery_key",
                                                        "identity_public_key",
                                                        "wrapped_identity_key",
                                                        "signing_public_key",
                                                        "wrapped_signing_key", NULL };
       *m != NULL; m++)
    json_object_set_string_member (body, *m, json_object_get_string_member (keys_object, *m));
  if (wrapped_proof != NULL)
    {
      proof = tf_crypto_unwrap_key (tf_keys_get_master (keys), "recovery-auth", wrapped_proof,
                                    NULL);
      if (proof != NULL)
        {
          proof_b64 = tf_account_base64_of (proof);
          json_object_set_string_member (body, "recovery_auth_key", proof_b64);
        }
    }
  json_object_set_string_member (body, "device_id", device);
  json_object_set_string_member (body, "device_name",
                                 device_name ? device_name : g_get_host_name ());
  /* Without names, the part of the address before @ stands in until the
   * profile is edited. */
  if (json_object_has_member (profile, "first_name"))
    {
      json_object_set_string_member (body, "first_name",
                                     json_object_get_string_member (profile, "first_name"));
      json_object_set_string_member (body, "last_name",
                                     json_object_get_string_member (profile, "last_name"));
    }
  else
    {
      const char *at = strchr (email, '@');
      g_autofree char *local = at ? g_strndup (email, at - email) : g_strdup (email);

      json_object_set_string_member (body, "first_name", local);
      json_object_set_string_member (body, "last_name", "-");
    }
  if (json_object_has_member (profile, "license_number"))
    json_object_set_string_member (body, "license_number",
                                   json_object_get_string_member (profile, "license_number"));

  server = tf_account_strip_slash (server_url);
  client = tf_sync_client_new (server, NULL);
  /* A managed client taking their account over: the invitation and the
   * keys they take over (tf-account-invite.c). */
  if (extra != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (extra);

      for (GList *m = members; m != NULL; m = m->next)
        json_object_set_member (body, m->data, json_object_dup_member (extra, m->data));
    }
  answer = tf_account_call_full (client, "POST", "/v1/auth/register", body, out_code, error);
  if (auth_b64 != NULL)
    sodium_memzero (auth_b64, strlen (auth_b64));
  if (proof_b64 != NULL)
    sodium_memzero (proof_b64, strlen (proof_b64));
  if (answer == NULL)
    return FALSE;
  if (g_strcmp0 (tf_json_get_string (answer, "user_id"),
                 user_id) != 0)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server’s answer was malformed"));
      return FALSE;
    }
  if (!tf_account_save (store, server, answer, email, keys_object, keys, error) ||
      !tf_store_set_state (store, names, nothing, error))
    return FALSE;
  sign_registration (store, user_id, keys);
  return TRUE;
}
