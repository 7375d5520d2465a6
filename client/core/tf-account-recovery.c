/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-recovery.c: a new password for the account — changed with the
 * old one, or set with the recovery key on a signed-in device, on a device
 * with no session (it signs in with the recovery proof), on a new device,
 * or offline on an account on this computer only.  Only the password wrap
 * of the master key changes; the master key and all data stay.
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "tf-account-private.h"

/* Replaces the password wrap of the master key, on the server at @path
 * (with @proof members already in @body) and then here; @path NULL: here
 * only (an account on this computer only). */
static gboolean
rewrap (TfStore *store, TfKeys *keys, JsonObject *keys_object, const char *path,
        JsonObject *body, const char *new_password, GError **error)
{
  g_autoptr(JsonObject) kdf = tf_account_new_kdf ();
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *wrapped = NULL, *auth_b64 = NULL, *keys_text = NULL;
  const char *names[] = { KEY_KEYS, NULL };
  const char *values[2];

  if (path != NULL)
    {
      client = tf_account_sync_client_for (store, keys, error);
      if (client == NULL)
        return FALSE;
    }
  if (!tf_keys_derive (kdf, new_password, &auth_key, &kek, error))
    return FALSE;
  wrapped = tf_keys_wrap_master (keys, kek, error);
  if (wrapped == NULL)
    return FALSE;
  if (path != NULL)
    {
      auth_b64 = tf_account_base64_of (auth_key);
      json_object_set_string_member (body, "new_auth_key", auth_b64);
      json_object_set_object_member (body, "kdf", json_object_ref (kdf));
      json_object_set_string_member (body, "wrapped_master_key", wrapped);
      answer = tf_account_call (client, "POST", path, body, error);
      sodium_memzero (auth_b64, strlen (auth_b64));
      if (answer == NULL)
        return FALSE;
    }

  json_object_set_object_member (keys_object, "kdf", json_object_ref (kdf));
  json_object_set_string_member (keys_object, "wrapped_master_key", wrapped);
  keys_text = tf_account_object_to_string (keys_object);
  values[0] = keys_text;
  values[1] = NULL;
  return tf_store_set_state (store, names, values, error);
}

gboolean
tf_account_change_password (TfStore *store, const char *password, const char *new_password,
                            GError **error)
{
  g_autoptr(JsonObject) keys_object = tf_account_stored_keys (store, error);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autofree char *auth_b64 = NULL;

  if (keys_object == NULL)
    return FALSE;
  /* Changed on another device already: the server has the current wrap. */
  keys = tf_account_open_anywhere (store, &keys_object, password, &auth_key, error);
  if (keys == NULL)
    return FALSE;
  auth_b64 = tf_account_base64_of (auth_key);
  json_object_set_string_member (body, "auth_key", auth_b64);
  sodium_memzero (auth_b64, strlen (auth_b64));
  return rewrap (store, keys, keys_object, "/v1/auth/password", body, new_password, error);
}

/* The keys opened with the recovery key, or a clear error. */
static TfKeys *
open_recovery (JsonObject *keys_object, const char *recovery_text, char **out_proof,
               GError **error)
{
  g_autoptr(GError) local = NULL;
  TfKeys *keys = tf_keys_open_recovery (keys_object, recovery_text, out_proof, &local);

  if (keys != NULL)
    return keys;
  if (g_error_matches (local, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT))
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY,
                 _("This recovery key does not belong to this account"));
  else if (g_error_matches (local, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT))
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY,
                 _("This is not a valid recovery key (check for a typing mistake): %s"),
                 local->message);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

gboolean
tf_account_check_recovery_key (TfStore *store, const char *recovery_text, GError **error)
{
  g_autoptr(JsonObject) keys_object = tf_account_stored_keys (store, error);
  g_autoptr(TfKeys) keys = NULL;

  if (keys_object == NULL)
    return FALSE;
  keys = open_recovery (keys_object, recovery_text, NULL, error);
  return keys != NULL;
}

/* The new password on the server (with the recovery proof) and here. */
static gboolean
recover_with_keys (TfStore *store, TfKeys *keys, JsonObject *keys_object, const char *proof,
                   const char *new_password, GError **error)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "recovery_auth_key", proof);
  /* Whoever had the forgotten password is signed out everywhere else. */
  json_object_set_boolean_member (body, "end_other_sessions", TRUE);
  return rewrap (store, keys, keys_object, "/v1/auth/recover", body, new_password, error);
}

/* Signs in to @server with @email and the recovery proof alone: the login
 * answer (session and wrapped keys). */
static JsonObject *
recovery_sign_in (TfStore *store, const char *server, const char *email, const char *proof,
                  GError **error)
{
  g_autoptr(TfSyncClient) client = tf_sync_client_new (server, NULL);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *device = tf_account_device_id (store, error);
  JsonObject *answer;

  if (device == NULL)
    return NULL;
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "recovery_auth_key", proof);
  json_object_set_string_member (body, "device_id", device);
  json_object_set_string_member (body, "device_name", g_get_host_name ());
  answer = tf_account_call (client, "POST", "/v1/auth/recover/login", body, &local);
  if (answer != NULL)
    return answer;
  /* The same answer for an unknown e-mail and a wrong key, on purpose. */
  if (g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD))
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY,
                 _("Wrong e-mail address or recovery key"));
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

gboolean
tf_account_recover (TfStore *store, const char *recovery_text, const char *new_password,
                    GError **error)
{
  g_autoptr(JsonObject) keys_object = tf_account_stored_keys (store, error);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *proof = NULL, *server = NULL, *email = NULL;

  if (keys_object == NULL)
    return FALSE;
  keys = open_recovery (keys_object, recovery_text, &proof, error);
  if (keys == NULL)
    return FALSE;
  /* This computer only: the keys are all there is; no network. */
  server = tf_store_dup_state (store, KEY_SERVER, NULL);
  if (server == NULL)
    return rewrap (store, keys, keys_object, NULL, NULL, new_password, error);
  if (recover_with_keys (store, keys, keys_object, proof, new_password, &local))
    return TRUE;
  /* No session (logged out, lapsed, ended elsewhere): the recovery key is
   * enough to get one. */
  email = tf_store_dup_state (store, KEY_EMAIL, NULL);
  if (email == NULL ||
      !(g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT) ||
        g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED) ||
        g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_KEYS_REPLACED) ||
        g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED)))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  answer = recovery_sign_in (store, server, email, proof, error);
  if (answer == NULL)
    return FALSE;
  json_object_unref (keys_object);
  keys_object = tf_account_answer_keys (answer, error);
  if (keys_object == NULL)
    return FALSE;
  json_object_ref (keys_object);
  return tf_account_save (store, server, answer, email, keys_object, keys, error) &&
         recover_with_keys (store, keys, keys_object, proof, new_password, error);
}

TfVault *
tf_account_recover_on_new_device (TfStore *store, const char *server_url, const char *email,
                                  const char *recovery_text, const char *new_password,
                                  GError **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *server = NULL, *proof = NULL;
  JsonObject *keys_object;

  g_return_val_if_fail (server_url != NULL && email != NULL, NULL);
  g_return_val_if_fail (recovery_text != NULL && new_password != NULL, NULL);

  if (!tf_account_refuse_second (store, email, error))
    return NULL;
  proof = tf_keys_recovery_auth (recovery_text, &local);
  if (proof == NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY,
                   _("This is not a valid recovery key (check for a typing mistake): %s"),
                   local->message);
      return NULL;
    }
  server = tf_account_strip_slash (server_url);
  answer = recovery_sign_in (store, server, email, proof, error);
  if (answer == NULL)
    return NULL;
  keys_object = tf_account_answer_keys (answer, error);
  if (keys_object == NULL)
    return NULL;
  keys = open_recovery (keys_object, recovery_text, NULL, error);
  if (keys == NULL ||
      !tf_account_save (store, server, answer, email, keys_object, keys, error) ||
      !recover_with_keys (store, keys, keys_object, proof, new_password, error))
    return NULL;
  return tf_vault_new (store, tf_json_get_string (answer, "user_id"),
                       g_steal_pointer (&keys));
}
