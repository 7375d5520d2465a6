/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-signin.c: signing this device in and out — log in to an
 * existing account, unlock the stored keys with the password (fetching the
 * server's wrap when the password was changed elsewhere), sign in again by
 * itself when a session lapses, and log out.
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "tf-account-private.h"

/* Keeps @auth_key under the master key of @keys, writing only when it
 * changed (unlocking must work on a full disk). */
static gboolean
remember_auth_key (TfStore *store, TfKeys *keys, const TfSecret *auth_key, GError **error)
{
  g_autofree char *stored = tf_store_get_state (store, KEY_AUTH_KEY, NULL);
  g_autofree char *wrapped = NULL;
  const char *names[] = { KEY_AUTH_KEY, NULL };
  const char *values[2];

  if (stored != NULL)
    {
      g_autoptr(TfSecret) known = tf_crypto_unwrap_key (tf_keys_get_master (keys), "auth-key",
                                                        stored, NULL);

      if (known != NULL && tf_secret_equal (known, auth_key))
        return TRUE;
    }
  wrapped = tf_crypto_wrap_key (tf_keys_get_master (keys), "auth-key", auth_key, error);
  if (wrapped == NULL)
    return FALSE;
  values[0] = wrapped;
  values[1] = NULL;
  return tf_store_set_state (store, names, values, error);
}

TfVault *
tf_account_login (TfStore *store, const char *server_url, const char *email,
                  const char *password, GError **error)
{
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) pre = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autofree char *device = NULL, *auth_b64 = NULL, *server = NULL;
  JsonObject *keys_object;

  if (!tf_account_refuse_second (store, email, error))
    return NULL;
  device = tf_account_device_id (store, error);
  if (device == NULL)
    return NULL;
  server = tf_account_strip_slash (server_url);
  client = tf_sync_client_new (server, NULL);
  json_object_set_string_member (body, "email", email);
  pre = tf_account_call (client, "POST", "/v1/auth/prelogin", body, error);
  if (pre == NULL || !tf_keys_derive (pre, password, &auth_key, &kek, error))
    return NULL;

  auth_b64 = tf_account_base64_of (auth_key);
  json_object_set_string_member (body, "auth_key", auth_b64);
  json_object_set_string_member (body, "device_id", device);
  json_object_set_string_member (body, "device_name", g_get_host_name ());
  answer = tf_account_call (client, "POST", "/v1/auth/login", body, error);
  sodium_memzero (auth_b64, strlen (auth_b64));
  if (answer == NULL)
    return NULL;
  keys_object = tf_account_answer_keys (answer, error);
  if (keys_object == NULL)
    return NULL;
  keys = tf_keys_open (keys_object, kek, error);
  if (keys == NULL ||
      !tf_account_save (store, server, answer, email, keys_object, error) ||
      !remember_auth_key (store, keys, auth_key, error))
    return NULL;
  return tf_vault_new (store, json_object_get_string_member (answer, "user_id"),
                       g_steal_pointer (&keys));
}

/* The password was changed or recovered on another device: the server has
 * the new wrap.  Fetches it (when signed in and online) and opens it. */
TfKeys *
tf_account_open_with_server_keys (TfStore *store, const char *password, GError **error)
{
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (store, NULL);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(TfSecret) auth_key = NULL;
  g_autofree char *keys_text = NULL;
  JsonObject *keys_object;
  const char *names[] = { KEY_KEYS, NULL };
  const char *values[2];
  TfKeys *keys;

  if (client == NULL)
    return NULL;
  answer = tf_sync_client_call (client, "GET", "/v1/auth/keys", NULL, NULL, NULL);
  if (answer == NULL || !json_object_has_member (answer, "keys") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "keys")))
    return NULL;
  keys_object = json_object_get_object_member (answer, "keys");
  keys = tf_account_open_with_password (keys_object, password, &auth_key, NULL);
  if (keys == NULL)
    return NULL;
  keys_text = tf_account_object_to_string (keys_object);
  values[0] = keys_text;
  values[1] = NULL;
  if (!tf_store_set_state (store, names, values, error))
    {
      tf_keys_free (keys);
      return NULL;
    }
  return keys;
}

TfVault *
tf_account_unlock (TfStore *store, const char *password, GError **error)
{
  g_autoptr(JsonObject) keys_object = tf_account_stored_keys (store, error);
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *user_id = NULL;
  TfKeys *keys;

  if (keys_object == NULL)
    return NULL;
  keys = tf_account_open_with_password (keys_object, password, &auth_key, &local);
  if (keys == NULL &&
      g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD))
    {
      keys = tf_account_open_with_server_keys (store, password, NULL);
      /* Derived with the old salt: not the new password's auth key. */
      g_clear_pointer (&auth_key, tf_secret_free);
      if (keys != NULL)
        g_clear_error (&local);
    }
  if (keys == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* Kept for signing in again by itself; failing to keep it (a full disk)
   * must not stop the unlock. */
  if (auth_key != NULL && !remember_auth_key (store, keys, auth_key, &local))
    g_debug ("auth key not kept: %s", local->message);
  user_id = tf_store_get_state (store, KEY_USER_ID, NULL);
  return tf_vault_new (store, user_id, keys);
}

gboolean
tf_account_renew_session (TfVault *vault, TfSyncClient *client, GError **error)
{
  TfStore *store = tf_vault_get_store (vault);
  g_autofree char *wrapped = tf_store_get_state (store, KEY_AUTH_KEY, NULL);
  g_autofree char *email = tf_store_get_state (store, KEY_EMAIL, NULL);
  g_autofree char *device = tf_store_get_state (store, KEY_DEVICE_ID, NULL);
  g_autofree char *code = NULL, *auth_b64 = NULL;
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local = NULL;
  const char *names[] = { KEY_TOKEN, NULL };
  const char *values[2];

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (TF_IS_SYNC_CLIENT (client), FALSE);

  if (wrapped != NULL)
    auth_key = tf_crypto_unwrap_key (tf_keys_get_master (tf_vault_get_keys (vault)), "auth-key",
                                     wrapped, NULL);
  if (auth_key == NULL || email == NULL || device == NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_SIGN_IN_NEEDED,
                   _("This device’s sign-in has ended; log in again"));
      return FALSE;
    }
  auth_b64 = tf_account_base64_of (auth_key);
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "auth_key", auth_b64);
  json_object_set_string_member (body, "device_id", device);
  json_object_set_string_member (body, "device_name", g_get_host_name ());
  tf_sync_client_set_token (client, NULL);
  answer = tf_sync_client_call (client, "POST", "/v1/auth/login", body, &code, &local);
  sodium_memzero (auth_b64, strlen (auth_b64));
  if (answer == NULL)
    {
      if (g_strcmp0 (code, "invalid_credentials") == 0)
        g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_SIGN_IN_NEEDED,
                     _("This device’s sign-in has ended and the password was changed on "
                       "another device, or the account was suspended; log in again"));
      else if (g_strcmp0 (code, "mfa_required") == 0)
        g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_SIGN_IN_NEEDED,
                     _("This device’s sign-in has ended; log in again with your code"));
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  values[0] = json_object_get_string_member_with_default (answer, "token", NULL);
  values[1] = NULL;
  if (values[0] == NULL)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server’s answer was malformed"));
      return FALSE;
    }
  if (!tf_store_set_state (store, names, values, error))
    return FALSE;
  tf_sync_client_set_token (client, values[0]);
  return TRUE;
}

gboolean
tf_account_logout (TfStore *store, gboolean *out_server_ended, GError **error)
{
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (store, error);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *code = NULL;
  const char *names[] = { KEY_TOKEN, NULL };
  const char *values[] = { NULL, NULL };

  if (client == NULL)
    return FALSE;
  answer = tf_sync_client_call (client, "POST", "/v1/auth/logout", NULL, &code, &local);
  /* A token the server no longer knows has ended too. */
  if (out_server_ended != NULL)
    *out_server_ended = answer != NULL ||
                        g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED);
  return tf_store_set_state (store, names, values, error);
}
