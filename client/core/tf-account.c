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
#include <string.h>

#include "tf-account-private.h"

G_DEFINE_QUARK (tf-account-error-quark, tf_account_error)

char *
tf_account_get (TfStore *store, const char *what)
{
  g_autofree char *key = g_strconcat ("account.", what, NULL);

  return tf_store_get_state (store, key, NULL);
}

char *
tf_account_base64_of (const TfSecret *secret)
{
  return g_base64_encode (tf_secret_get_data (secret), tf_secret_get_size (secret));
}

/* The Argon2id cost for new keys: the defaults, or TF_KDF_OPSLIMIT and
 * TF_KDF_MEMLIMIT_MIB (floored by tf_keys_new_kdf) for slow machines and
 * tests. */
JsonObject *
tf_account_new_kdf (void)
{
  const char *ops = g_getenv ("TF_KDF_OPSLIMIT");
  const char *mib = g_getenv ("TF_KDF_MEMLIMIT_MIB");

  return tf_keys_new_kdf (ops != NULL ? g_ascii_strtoull (ops, NULL, 10) : 0,
                          mib != NULL ? (gsize) g_ascii_strtoull (mib, NULL, 10) * 1024 * 1024
                                      : 0);
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
  g_autofree char *text = tf_store_get_state (store, KEY_KEYS, NULL);
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
  char *id = tf_store_get_state (store, KEY_DEVICE_ID, NULL);
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

/* Turns the server's answer codes into what the person should hear. */
static void
explain (GError **error, GError *local, const char *code)
{
  if (g_strcmp0 (code, "invalid_credentials") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD,
                 _("Wrong e-mail or password"));
  else if (g_strcmp0 (code, "email_taken") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED,
                 _("An account with this e-mail address already exists; log in instead"));
  else if (g_strcmp0 (code, "license_taken") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED,
                 _("A therapist with this licence number is already registered; check the "
                   "number, or contact the service if it is yours"));
  else if (g_strcmp0 (code, "rate_limited") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED,
                 _("Too many failed attempts; wait a few minutes and try again"));
  else if (g_strcmp0 (code, "mfa_required") == 0)
    g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_REFUSED,
                 _("This account needs a second-factor code, which this program cannot "
                   "ask for yet"));
  else
    g_propagate_error (error, g_steal_pointer (&local));
  g_clear_error (&local);
}

JsonObject *
tf_account_call (TfSyncClient *client, const char *method, const char *path,
                 JsonObject *body, GError **error)
{
  g_autofree char *code = NULL;
  GError *local = NULL;
  JsonObject *answer = tf_sync_client_call (client, method, path, body, &code, &local);

  if (answer == NULL)
    explain (error, local, code);
  return answer;
}

gboolean
tf_account_save (TfStore *store, const char *server, JsonObject *answer, const char *email,
                 JsonObject *keys, GError **error)
{
  g_autofree char *keys_text = tf_account_object_to_string (keys);
  const char *names[] = { KEY_SERVER, KEY_USER_ID, KEY_EMAIL, KEY_ROLE, KEY_TOKEN, KEY_KEYS,
                          NULL };
  const char *values[] = {
    server,
    json_object_get_string_member_with_default (answer, "user_id", NULL),
    email,
    json_object_get_string_member_with_default (answer, "role", NULL),
    json_object_get_string_member_with_default (answer, "token", NULL),
    keys_text,
    NULL,
  };

  for (guint i = 0; i < 5; i++)
    if (values[i] == NULL)
      {
        g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                     _("The server’s answer was malformed"));
        return FALSE;
      }
  return tf_store_set_state (store, names, values, error);
}

gboolean
tf_account_refuse_second (TfStore *store, const char *email, GError **error)
{
  g_autofree char *existing = tf_store_get_state (store, KEY_EMAIL, NULL);
  g_autofree char *local_only = tf_store_get_state (store, KEY_USER_ID, NULL);

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

TfSyncClient *
tf_account_new_sync_client (TfStore *store, GError **error)
{
  g_autofree char *server = tf_store_get_state (store, KEY_SERVER, NULL);
  g_autofree char *token = tf_store_get_state (store, KEY_TOKEN, NULL);

  if (server == NULL || token == NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                   server == NULL ? _("This profile is on this computer only: run “account "
                                      "register --server URL --email E” to sync it")
                                  : _("This device is logged out: run “account login”"));
      return NULL;
    }
  return tf_sync_client_new (server, token);
}
