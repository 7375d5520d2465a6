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

#include "tf-account-manage.h"
#include "tf-account-private.h"

/* Keeps @auth_key under the master key of @keys, writing only when it
 * changed (unlocking must work on a full disk). */
static gboolean
remember_auth_key (TfStore *store, TfKeys *keys, const TfSecret *auth_key, GError **error)
{
  g_autofree char *stored = tf_store_dup_state (store, KEY_AUTH_KEY, NULL);
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

/* POST /v1/auth/login with @body, and with @code (may be NULL) once the
 * server asks for one.  The server answers a wrong code exactly as a wrong
 * password, so that nobody learns which of the two was wrong without the
 * other; the device, which is told which it is by the first answer (a code
 * is asked for only after the password is right, and asking writes and
 * counts nothing), can then say "wrong code" and let the person try the
 * code again without the password.  Each try counts one failure at most;
 * it costs the server a second check of the auth key. */
static JsonObject *
login_with_code (TfSyncClient *client, JsonObject *body, const char *code, char **out_code,
                 GError **error)
{
  g_autoptr(GError) local = NULL;
  JsonObject *answer = tf_account_call_full (client, "POST", "/v1/auth/login", body, out_code,
                                             &local);

  if (answer != NULL || code == NULL ||
      !g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED))
    {
      if (answer == NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return answer;
    }
  g_clear_error (&local);
  if (out_code != NULL)
    g_clear_pointer (out_code, g_free);
  json_object_set_string_member (body, "totp", code);
  answer = tf_account_call_full (client, "POST", "/v1/auth/login", body, out_code, &local);
  if (answer == NULL && g_error_matches (local, TF_ACCOUNT_ERROR,
                                         TF_ACCOUNT_ERROR_WRONG_PASSWORD))
    tf_account_set_totp_wrong (error);
  else if (answer == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return answer;
}

/* The KDF parameters for @email from the server (prelogin), the keys of
 * @password derived with them, and a login (with the TOTP @code, may be
 * NULL): the answer, with the auth key and the KEK.  When the server's
 * salt is @known_salt's, the password there is the one this device has and
 * @password, which did not open it, is not sent:
 * TF_ACCOUNT_ERROR_WRONG_PASSWORD, without counting as a failed login on
 * the server. */
static JsonObject *
sign_in_once (TfSyncClient *client, const char *email, const char *device, const char *password,
              const char *code, const char *known_salt, TfSecret **out_auth_key,
              TfSecret **out_kek, char **out_code, GError **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) pre = NULL;
  g_autofree char *auth_b64 = NULL;
  JsonObject *answer;

  json_object_set_string_member (body, "email", email);
  pre = tf_account_call (client, "POST", "/v1/auth/prelogin", body, error);
  if (pre == NULL)
    return NULL;
  if (known_salt != NULL &&
      g_strcmp0 (tf_json_get_string (pre, "salt"),
                 known_salt) == 0)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD,
                   _("Wrong password"));
      return NULL;
    }
  if (!tf_keys_derive (pre, password, out_auth_key, out_kek, error))
    return NULL;
  auth_b64 = tf_account_base64_of (*out_auth_key);
  json_object_set_string_member (body, "auth_key", auth_b64);
  json_object_set_string_member (body, "device_id", device);
  json_object_set_string_member (body, "device_name", g_get_host_name ());
  answer = login_with_code (client, body, code, out_code, error);
  sodium_memzero (auth_b64, strlen (auth_b64));
  return answer;
}

/* sign_in_once, saying plainly when the server is out of reach (or answers
 * as no Therapy Field server would, at a mistyped address): a sign-in
 * queues nothing, so the sync's "your changes are kept and will sync
 * later" would promise what does not happen. */
static JsonObject *
sign_in (TfSyncClient *client, const char *email, const char *device, const char *password,
         const char *code, const char *known_salt, TfSecret **out_auth_key, TfSecret **out_kek,
         char **out_code, GError **error)
{
  g_autoptr(GError) local = NULL;
  JsonObject *answer = sign_in_once (client, email, device, password, code, known_salt,
                                     out_auth_key, out_kek, out_code, &local);

  if (answer != NULL)
    return answer;
  if (g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE))
    g_set_error_literal (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                         _("The server cannot be reached. Check its address and your "
                           "connection, then try again."));
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

TfVault *
tf_account_login (TfStore *store, const char *server_url, const char *email,
                  const char *password, const char *totp, GError **error)
{
  g_autofree char *code = NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autofree char *device = NULL, *server = NULL;
  JsonObject *keys_object;

  if (totp != NULL && (code = tf_account_totp_code_normalize (totp, error)) == NULL)
    return NULL;
  if (!tf_account_refuse_second (store, email, error))
    return NULL;
  device = tf_account_device_id (store, error);
  if (device == NULL)
    return NULL;
  server = tf_account_strip_slash (server_url);
  client = tf_sync_client_new (server, NULL);
  answer = sign_in (client, email, device, password, code, NULL, &auth_key, &kek, NULL, error);
  if (answer == NULL)
    return NULL;
  keys_object = tf_account_answer_keys (answer, error);
  if (keys_object == NULL)
    return NULL;
  keys = tf_keys_open (keys_object, kek, error);
  if (keys == NULL ||
      !tf_account_save (store, server, answer, email, keys_object, keys, error) ||
      !remember_auth_key (store, keys, auth_key, error))
    return NULL;
  return tf_vault_new (store, tf_json_get_string (answer, "user_id"),
                       g_steal_pointer (&keys));
}

TfKeys *
tf_account_open_with_server_keys (TfStore *store, JsonObject *keys_object, const char *password,
                                  TfSecret **out_auth_key, GError **error)
{
  g_autofree char *server = tf_store_dup_state (store, KEY_SERVER, NULL);
  g_autofree char *email = tf_store_dup_state (store, KEY_EMAIL, NULL);
  g_autofree char *device = tf_store_dup_state (store, KEY_DEVICE_ID, NULL);
  JsonObject *kdf = json_object_has_member (keys_object, "kdf")
                      ? json_object_get_object_member (keys_object, "kdf") : NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autoptr(TfToken) old_token = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *fresh;

  if (server == NULL || email == NULL || device == NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                   _("This profile does not sync with a server"));
      return NULL;
    }
  client = tf_sync_client_new (server, NULL);
  answer = sign_in (client, email, device, password, NULL,
                    kdf != NULL ? tf_json_get_string (kdf, "salt")
                                : NULL,
                    &auth_key, &kek, &code, &local);
  if (answer == NULL)
    {
      if (g_strcmp0 (code, "mfa_required") == 0)
        g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_SIGN_IN_NEEDED,
                     _("The password was changed on another device; log in again with "
                       "the new password and your code"));
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  fresh = tf_account_answer_keys (answer, error);
  if (fresh == NULL)
    return NULL;
  keys = tf_keys_open (fresh, kek, error);
  if (keys == NULL)
    return NULL;
  /* The master key is the same: it opens the old session's token, which
   * the new session replaces. */
  old_token = tf_account_dup_token (store, keys);
  if (!tf_account_save (store, server, answer, email, fresh, keys, error))
    return NULL;
  if (old_token != NULL)
    {
      g_autoptr(JsonObject) ended = NULL;

      tf_sync_client_set_token (client, old_token);
      ended = tf_sync_client_call (client, "POST", "/v1/auth/logout", NULL, NULL, NULL);
    }
  *out_auth_key = g_steal_pointer (&auth_key);
  return g_steal_pointer (&keys);
}

/* Versions before the token was wrapped kept it in plaintext: wrapped now,
 * and the plaintext row deleted (secure_delete zeroes it in the file). */
static gboolean
wrap_plaintext_token (TfStore *store, TfKeys *keys, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(TfToken) token = tf_store_dup_state (store, KEY_TOKEN, NULL);
  g_autofree char *wrapped = tf_store_dup_state (store, KEY_SESSION, NULL);
  g_autofree char *user_id = NULL;
  const char *names[] = { KEY_SESSION, KEY_TOKEN, NULL };
  const char *values[] = { NULL, NULL, NULL };

  if (token == NULL)
    return TRUE;
  user_id = tf_store_dup_state (store, KEY_USER_ID, NULL);
  if (user_id == NULL)
    return TRUE;
  /* Wrapped already (by a login since): the plaintext is only deleted. */
  if (wrapped == NULL)
    {
      wrapped = tf_account_wrap_token (keys, user_id, token, error);
      if (wrapped == NULL)
        return FALSE;
    }
  values[0] = wrapped;
  if (!tf_store_set_state (store, names, values, error))
    return FALSE;
  /* Nor in the file's older page or the log; else at the next checkpoint. */
  if (!tf_store_checkpoint (store, &local))
    g_debug ("plaintext token left to the next checkpoint: %s", local->message);
  return TRUE;
}

TfKeys *
tf_account_open_anywhere (TfStore *store, JsonObject **keys_object, const char *password,
                          TfSecret **out_auth_key, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GError) online = NULL;
  TfKeys *keys;

  keys = tf_account_open_with_password (*keys_object, password, out_auth_key, &local);
  if (keys != NULL)
    return keys;
  if (!g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* Derived with the old salt: not the new password's auth key. */
  g_clear_pointer (out_auth_key, tf_secret_free);
  keys = tf_account_open_with_server_keys (store, *keys_object, password, out_auth_key,
                                           &online);
  if (keys != NULL)
    {
      JsonObject *stored = tf_account_stored_keys (store, error);

      if (stored == NULL)
        {
          tf_keys_free (keys);
          return NULL;
        }
      json_object_unref (*keys_object);
      *keys_object = stored;
      return keys;
    }
  /* The server's reason, when it has one beyond a wrong password. */
  if (g_error_matches (online, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_SIGN_IN_NEEDED) ||
      g_error_matches (online, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED))
    g_propagate_error (error, g_steal_pointer (&online));
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
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
  keys = tf_account_open_anywhere (store, &keys_object, password, &auth_key, error);
  if (keys == NULL)
    return NULL;
  /* Kept for signing in again by itself, and the token wrapped; failing to
   * write either (a full disk) must not stop the unlock. */
  if (auth_key != NULL && !remember_auth_key (store, keys, auth_key, &local))
    g_debug ("auth key not kept: %s", local->message);
  g_clear_error (&local);
  if (!wrap_plaintext_token (store, keys, &local))
    g_debug ("token not wrapped yet: %s", local->message);
  user_id = tf_store_dup_state (store, KEY_USER_ID, NULL);
  return tf_vault_new (store, user_id, keys);
}

/* The renewal on @store's connection with @keys of @user_id: a caller in a
 * worker thread passes its own connection and a copy of the keys, so no
 * connection and no vault is shared between threads. */
static gboolean
renew_session (TfStore *store, TfKeys *keys, const char *user_id, TfSyncClient *client,
               GError **error)
{
  g_autofree char *wrapped = tf_store_dup_state (store, KEY_AUTH_KEY, NULL);
  g_autofree char *email = tf_store_dup_state (store, KEY_EMAIL, NULL);
  g_autofree char *device = tf_store_dup_state (store, KEY_DEVICE_ID, NULL);
  g_autofree char *code = NULL, *auth_b64 = NULL;
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *wrapped_token = NULL;
  const char *token;
  const char *names[] = { KEY_SESSION, KEY_TOKEN, NULL };
  const char *values[] = { NULL, NULL, NULL };

  if (wrapped != NULL)
    auth_key = tf_crypto_unwrap_key (tf_keys_get_master (keys), "auth-key", wrapped, NULL);
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
  token = tf_json_get_string (answer, "token");
  if (token == NULL)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server’s answer was malformed"));
      return FALSE;
    }
  wrapped_token = tf_account_wrap_token (keys, user_id, token, error);
  values[0] = wrapped_token;
  if (wrapped_token == NULL || !tf_store_set_state (store, names, values, error))
    return FALSE;
  tf_sync_client_set_token (client, token);
  return TRUE;
}

gboolean
tf_account_renew_session (TfVault *vault, TfSyncClient *client, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (TF_IS_SYNC_CLIENT (client), FALSE);

  return renew_session (tf_vault_get_store (vault), tf_vault_get_keys (vault),
                        tf_vault_get_user_id (vault), client, error);
}

gboolean
tf_account_sync (TfStore *store, TfKeys *keys, const char *user_id, TfSyncClient *client,
                 TfSyncReport *report, gboolean *out_renewed, GError **error)
{
  g_autoptr(GError) local = NULL;
  TfSyncReport more = { 0 };

  g_return_val_if_fail (TF_IS_STORE (store), FALSE);
  g_return_val_if_fail (keys != NULL && user_id != NULL, FALSE);
  g_return_val_if_fail (TF_IS_SYNC_CLIENT (client), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (out_renewed != NULL)
    *out_renewed = FALSE;
  if (tf_sync_client_sync (client, store, report, &local))
    return TRUE;
  if (!g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!renew_session (store, keys, user_id, client, error))
    return FALSE;
  if (out_renewed != NULL)
    *out_renewed = TRUE;
  if (!tf_sync_client_sync (client, store, &more, error))
    return FALSE;
  tf_sync_report_add (report, &more);
  return TRUE;
}

gboolean
tf_account_logout (TfStore *store, TfVault *vault, gboolean *out_server_ended, GError **error)
{
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local = NULL;
  const char *names[] = { KEY_SESSION, KEY_TOKEN, NULL };
  const char *values[] = { NULL, NULL, NULL };

  g_return_val_if_fail (TF_IS_STORE (store), FALSE);
  g_return_val_if_fail (vault == NULL || TF_IS_VAULT (vault), FALSE);

  if (out_server_ended != NULL)
    *out_server_ended = FALSE;
  if (!tf_account_has_session (store, error))
    return FALSE;
  /* Locked, the token cannot be read: forgotten here, it ends on the
   * server when it expires. */
  if (vault != NULL)
    client = tf_account_sync_client_for (store, tf_vault_get_keys (vault), NULL);
  if (client != NULL)
    {
      answer = tf_sync_client_call (client, "POST", "/v1/auth/logout", NULL, NULL, &local);
      /* A token the server no longer knows has ended too. */
      if (out_server_ended != NULL)
        *out_server_ended = answer != NULL ||
                            g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED) ||
                            g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_KEYS_REPLACED);
    }
  return tf_store_set_state (store, names, values, error);
}
