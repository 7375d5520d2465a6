/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account.c: what the account's files share — the facts kept in the
 * store, calls to the server with their answers put in the person's words,
 * opening the keys with a password, and the sync client of a signed-in
 * profile.  The server sees the auth key, wrapped keys and public keys; the
 * password, the KEK, the master key and the recovery key stay here.
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "tf-account-hooks.h"
#include "tf-account-private.h"

G_DEFINE_QUARK (tf-account-error-quark, tf_account_error)

char *
tf_account_get (TfStore *store, const char *what)
{
  g_autofree char *key = g_strconcat ("account.", what, NULL);

  return tf_store_dup_state (store, key, NULL);
}

char *
tf_account_base64_of (const TfSecret *secret)
{
  return g_base64_encode (tf_secret_get_data (secret), tf_secret_get_size (secret));
}

/* The Argon2id cost for new keys: the defaults, floored by tf_keys_new_kdf;
 * a test build may ask for a lower one (tf-account-hooks.h). */
JsonObject *
tf_account_new_kdf (void)
{
  guint64 opslimit;
  gsize memlimit;

  tf_account_hook_kdf_cost (&opslimit, &memlimit);
  return tf_keys_new_kdf (opslimit, memlimit);
}

char *
tf_account_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

JsonObject *
tf_account_stored_keys (TfStore *store, GError **error)
{
  g_autofree char *text = tf_store_dup_state (store, KEY_KEYS, NULL);
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                   _("This profile has no account yet: run “account register” or "
                     "“account login”"));
      return NULL;
    }
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                   _("The stored account keys are damaged; log in again"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* This device's id: made once per profile. */
char *
tf_account_device_id (TfStore *store, GError **error)
{
  char *id = tf_store_dup_state (store, KEY_DEVICE_ID, NULL);
  const char *keys[] = { KEY_DEVICE_ID, NULL };
  const char *values[2];

  if (id != NULL)
    return id;
  id = g_uuid_string_random ();
  values[0] = id;
  values[1] = NULL;
  if (!tf_store_set_state (store, keys, values, error))
    g_clear_pointer (&id, g_free);
  return id;
}

gboolean
tf_account_explain_wait (const char *code, GError **error)
{
  if (g_strcmp0 (code, "rate_limited") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_THROTTLED,
                 _("Too many failed attempts; wait a few minutes and try again"));
  else if (g_strcmp0 (code, "mfa_unavailable") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_THROTTLED,
                 _("The server cannot check two-step sign-in codes right now; nothing was "
                   "changed. Try again later, and tell the server’s operator if it lasts"));
  else
    return FALSE;
  return TRUE;
}

/* Turns the server's answer codes into what the person should hear. */
static void
explain (GError **error, GError *local, const char *code)
{
  if (tf_account_explain_wait (code, error))
    ;
  else if (g_strcmp0 (code, "invalid_credentials") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD,
                 _("Wrong e-mail or password"));
  else if (g_strcmp0 (code, "email_taken") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED,
                 _("An account with this e-mail address already exists; log in instead"));
  else if (g_strcmp0 (code, "license_taken") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED,
                 _("A therapist with this licence number is already registered; check the "
                   "number, or contact the service if it is yours"));
  else if (g_strcmp0 (code, "mfa_required") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED,
                 _("This account uses two-step sign-in: give the code your authenticator "
                   "app shows"));
  else
    g_propagate_error (error, g_steal_pointer (&local));
  g_clear_error (&local);
}

JsonObject *
tf_account_call_full (TfSyncClient *client, const char *method, const char *path,
                      JsonObject *body, char **out_code, GError **error)
{
  g_autofree char *code = NULL;
  GError *local = NULL;
  JsonObject *answer = tf_sync_client_call (client, method, path, body, &code, &local);

  if (answer == NULL)
    explain (error, local, code);
  if (out_code != NULL)
    *out_code = g_steal_pointer (&code);
  return answer;
}

JsonObject *
tf_account_call (TfSyncClient *client, const char *method, const char *path,
                 JsonObject *body, GError **error)
{
  return tf_account_call_full (client, method, path, body, NULL, error);
}

gboolean
tf_account_save (TfStore *store, const char *server, JsonObject *answer, const char *email,
                 JsonObject *keys_object, TfKeys *keys, GError **error)
{
  g_autofree char *keys_text = tf_account_object_to_string (keys_object);
  g_autofree char *wrapped = NULL;
  const char *names[] = { KEY_SERVER, KEY_USER_ID, KEY_EMAIL, KEY_ROLE, KEY_KEYS, KEY_SESSION,
                          KEY_TOKEN, NULL };
  const char *values[] = {
    server,
    tf_json_get_string (answer, "user_id"),
    email,
    tf_json_get_string (answer, "role"),
    keys_text,
    NULL,
    NULL,  /* no plaintext token stays from an older version */
    NULL,
  };
  const char *token = tf_json_get_string (answer, "token");

  for (guint i = 0; i < 4; i++)
    if (values[i] == NULL || token == NULL)
      {
        g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                     _("The server’s answer was malformed"));
        return FALSE;
      }
  wrapped = tf_account_wrap_token (keys, values[1], token, error);
  if (wrapped == NULL)
    return FALSE;
  values[5] = wrapped;
  return tf_store_set_state (store, names, values, error);
}

gboolean
tf_account_refuse_second (TfStore *store, const char *email, GError **error)
{
  g_autofree char *existing = tf_store_dup_state (store, KEY_EMAIL, NULL);
  g_autofree char *local_only = tf_store_dup_state (store, KEY_USER_ID, NULL);

  if (existing == NULL && local_only != NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_EXISTS,
                   _("This profile has an account on this computer only: register it with "
                     "“account register” instead, or use another data directory"));
      return FALSE;
    }

  if (existing == NULL || (email != NULL && g_ascii_strcasecmp (existing, email) == 0))
    return TRUE;
  g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_EXISTS,
               _("This profile belongs to %s; use another data directory for another account"),
               existing);
  return FALSE;
}

char *
tf_account_strip_slash (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

/* The "keys" object of a login answer (borrowed), with its "kdf". */
JsonObject *
tf_account_answer_keys (JsonObject *answer, GError **error)
{
  JsonNode *node = json_object_get_member (answer, "keys");
  JsonObject *keys = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                       ? json_node_get_object (node) : NULL;
  JsonNode *kdf = keys != NULL ? json_object_get_member (keys, "kdf") : NULL;

  if (kdf == NULL || !JSON_NODE_HOLDS_OBJECT (kdf))
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED,
                   _("This account has no encryption keys; it was not made by the app"));
      return NULL;
    }
  return keys;
}

/* Opens @keys_object with @password: the keys, and the auth key it derives. */
TfKeys *
tf_account_open_with_password (JsonObject *keys_object, const char *password,
                               TfSecret **out_auth_key, GError **error)
{
  JsonObject *kdf = json_object_has_member (keys_object, "kdf")
                      ? json_object_get_object_member (keys_object, "kdf") : NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(GError) local = NULL;
  TfKeys *keys;

  if (!tf_keys_derive (kdf, password, out_auth_key, &kek, error))
    return NULL;
  keys = tf_keys_open (keys_object, kek, &local);
  /* Keys made before passwords were normalised, from a password not in NFC. */
  if (keys == NULL && g_error_matches (local, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT) &&
      !tf_keys_password_is_normalized (password))
    {
      g_autoptr(TfSecret) typed_auth = NULL;
      g_autoptr(TfSecret) typed_kek = NULL;

      if (!tf_keys_derive_as_typed (kdf, password, &typed_auth, &typed_kek, error))
        return NULL;
      keys = tf_keys_open (keys_object, typed_kek, NULL);
      if (keys != NULL)
        {
          g_clear_error (&local);
          g_clear_pointer (out_auth_key, tf_secret_free);
          *out_auth_key = g_steal_pointer (&typed_auth);
        }
    }
  if (keys == NULL)
    {
      if (g_error_matches (local, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT))
        g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD,
                     _("Wrong password"));
      else
        g_propagate_error (error, g_steal_pointer (&local));
    }
  return keys;
}

/* --- the session token ------------------------------------------------------ */

/* Bound to the account: a token row moved from another account's profile
 * does not open. */
static char *
token_purpose (const char *user_id)
{
  return g_strconcat ("session-token:", user_id, NULL);
}

char *
tf_account_wrap_token (TfKeys *keys, const char *user_id, const char *token, GError **error)
{
  g_autofree char *purpose = token_purpose (user_id);
  g_autoptr(TfSecret) secret = tf_secret_new_from_data ((const guint8 *) token, strlen (token));

  return tf_crypto_wrap_key (tf_keys_get_master (keys), purpose, secret, error);
}

char *
tf_account_dup_token (TfStore *store, TfKeys *keys)
{
  g_autofree char *wrapped = tf_store_dup_state (store, KEY_SESSION, NULL);
  g_autofree char *user_id = tf_store_dup_state (store, KEY_USER_ID, NULL);
  g_autofree char *purpose = NULL;
  g_autoptr(TfSecret) secret = NULL;

  /* Not wrapped yet: the unlock that should have wrapped it could not
   * write (a full disk); it is wrapped at a later one. */
  if (wrapped == NULL)
    return tf_store_dup_state (store, KEY_TOKEN, NULL);
  if (user_id == NULL)
    return NULL;
  purpose = token_purpose (user_id);
  secret = tf_crypto_unwrap_key (tf_keys_get_master (keys), purpose, wrapped, NULL);
  if (secret == NULL)
    return NULL;
  return g_strndup ((const char *) tf_secret_get_data (secret), tf_secret_get_size (secret));
}

void
tf_account_wipe_token (char *token)
{
  if (token != NULL)
    sodium_memzero (token, strlen (token));
  g_free (token);
}

/* The error for a profile with no session to use. */
static void
set_no_session_error (GError **error, gboolean local_only)
{
  g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
               local_only ? _("This profile is on this computer only: run “account "
                              "register --server URL --email E” to sync it")
                          : _("This device is logged out: run “account login”"));
}

gboolean
tf_account_has_session (TfStore *store, GError **error)
{
  g_autofree char *server = tf_store_dup_state (store, KEY_SERVER, NULL);
  g_autofree char *wrapped = tf_store_dup_state (store, KEY_SESSION, NULL);
  g_autoptr(TfToken) plaintext = wrapped == NULL ? tf_store_dup_state (store, KEY_TOKEN, NULL)
                                                 : NULL;

  if (server != NULL && (wrapped != NULL || plaintext != NULL))
    return TRUE;
  set_no_session_error (error, server == NULL);
  return FALSE;
}

TfSyncClient *
tf_account_sync_client_for (TfStore *store, TfKeys *keys, GError **error)
{
  g_autofree char *server = tf_store_dup_state (store, KEY_SERVER, NULL);
  g_autoptr(TfToken) token = server != NULL ? tf_account_dup_token (store, keys) : NULL;

  /* A token that does not open (moved from another profile) is no session. */
  if (server == NULL || token == NULL)
    {
      set_no_session_error (error, server == NULL);
      return NULL;
    }
  return tf_sync_client_new (server, token);
}

TfSyncClient *
tf_account_new_sync_client (TfVault *vault, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  return tf_account_sync_client_for (tf_vault_get_store (vault), tf_vault_get_keys (vault),
                                     error);
}
