/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account.c: register, log in, unlock, password change and recovery on
 * the device.  The server sees the auth key, wrapped keys and public keys;
 * the password, the KEK, the master key and the recovery key stay here.
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "tf-account.h"
#include "tf-error.h"
#include "tf-time.h"

G_DEFINE_QUARK (tf-account-error-quark, tf_account_error)

#define KEY_SERVER    "account.server"
#define KEY_USER_ID   "account.user_id"
#define KEY_EMAIL     "account.email"
#define KEY_ROLE      "account.role"
#define KEY_TOKEN     "account.token"
#define KEY_KEYS      "account.keys"
#define KEY_DEVICE_ID "account.device_id"
/* The auth key, wrapped by the master key ("auth-key"): lets a device that
 * is unlocked sign in again when its session lapses.  Whoever holds the
 * master key can read everything already; the auth key adds only the
 * sign-in that the same person could make with the password. */
#define KEY_AUTH_KEY  "account.auth_key"

char *
tf_account_get (TfStore *store, const char *what)
{
  g_autofree char *key = g_strconcat ("account.", what, NULL);

  return tf_store_get_state (store, key, NULL);
}

static char *
base64_of (const TfSecret *secret)
{
  return g_base64_encode (tf_secret_get_data (secret), tf_secret_get_size (secret));
}

/* The Argon2id cost for new keys: the defaults, or TF_KDF_OPSLIMIT and
 * TF_KDF_MEMLIMIT_MIB (floored by tf_keys_new_kdf) for slow machines and
 * tests. */
static JsonObject *
new_kdf (void)
{
  const char *ops = g_getenv ("TF_KDF_OPSLIMIT");
  const char *mib = g_getenv ("TF_KDF_MEMLIMIT_MIB");

  return tf_keys_new_kdf (ops != NULL ? g_ascii_strtoull (ops, NULL, 10) : 0,
                          mib != NULL ? (gsize) g_ascii_strtoull (mib, NULL, 10) * 1024 * 1024
                                      : 0);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonObject *
stored_keys (TfStore *store, GError **error)
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
static char *
device_id (TfStore *store, GError **error)
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

static JsonObject *
call (TfSyncClient *client, const char *method, const char *path, JsonObject *body,
      GError **error)
{
  g_autofree char *code = NULL;
  GError *local = NULL;
  JsonObject *answer = tf_sync_client_call (client, method, path, body, &code, &local);

  if (answer == NULL)
    explain (error, local, code);
  return answer;
}

static gboolean
save_account (TfStore *store, const char *server, JsonObject *answer, const char *email,
              JsonObject *keys, GError **error)
{
  g_autofree char *keys_text = object_to_string (keys);
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

static gboolean
refuse_second_account (TfStore *store, const char *email, GError **error)
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

static char *
strip_slash (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

static TfKeys *open_with_password (JsonObject *keys_object, const char *password,
                                   TfSecret **out_auth_key, GError **error);
static JsonObject *answer_keys (JsonObject *answer, GError **error);

/* Profile facts kept until the account is published on a server. */
/* {first_name, last_name, license_number} */
#define KEY_PENDING_PROFILE  "account.pending_profile"
/* the recovery proof, wrapped by the master key */
#define KEY_PENDING_RECOVERY "account.pending_recovery"

TfVault *
tf_account_create_local (TfStore *store, const TfRegistration *reg, char **out_recovery_text,
                         GError **error)
{
  g_autoptr(JsonObject) kdf = new_kdf ();
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

  existing = tf_store_get_state (store, KEY_USER_ID, NULL);
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
  keys_text = object_to_string (keys_object);
  profile_text = object_to_string (profile);
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

gboolean
tf_account_publish (TfStore *store, const char *server_url, const char *email,
                    const char *password, const char *device_name, GError **error)
{
  g_autoptr(JsonObject) keys_object = stored_keys (store, error);
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
  existing_server = tf_store_get_state (store, KEY_SERVER, NULL);
  if (existing_server != NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_EXISTS,
                   _("This profile already syncs with %s"), existing_server);
      return FALSE;
    }
  keys = open_with_password (keys_object, password, &auth_key, error);
  if (keys == NULL)
    return FALSE;
  user_id = tf_store_get_state (store, KEY_USER_ID, NULL);
  role = tf_store_get_state (store, KEY_ROLE, NULL);
  profile_text = tf_store_get_state (store, KEY_PENDING_PROFILE, NULL);
  wrapped_proof = tf_store_get_state (store, KEY_PENDING_RECOVERY, NULL);
  profile_node = profile_text ? json_from_string (profile_text, NULL) : NULL;
  profile = profile_node != NULL && JSON_NODE_HOLDS_OBJECT (profile_node)
              ? json_object_ref (json_node_get_object (profile_node)) : json_object_new ();
  device = device_id (store, error);
  if (device == NULL)
    return FALSE;

  auth_b64 = base64_of (auth_key);
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
          proof_b64 = base64_of (proof);
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

  server = strip_slash (server_url);
  client = tf_sync_client_new (server, NULL);
  answer = call (client, "POST", "/v1/auth/register", body, error);
  if (auth_b64 != NULL)
    sodium_memzero (auth_b64, strlen (auth_b64));
  if (proof_b64 != NULL)
    sodium_memzero (proof_b64, strlen (proof_b64));
  if (answer == NULL)
    return FALSE;
  if (g_strcmp0 (json_object_get_string_member_with_default (answer, "user_id", NULL),
                 user_id) != 0)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server’s answer was malformed"));
      return FALSE;
    }
  return save_account (store, server, answer, email, keys_object, error) &&
         tf_store_set_state (store, names, nothing, error);
}

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

/* The "keys" object of a login answer (borrowed), with its "kdf". */
static JsonObject *
answer_keys (JsonObject *answer, GError **error)
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

  if (!refuse_second_account (store, email, error))
    return NULL;
  device = device_id (store, error);
  if (device == NULL)
    return NULL;
  server = strip_slash (server_url);
  client = tf_sync_client_new (server, NULL);
  json_object_set_string_member (body, "email", email);
  pre = call (client, "POST", "/v1/auth/prelogin", body, error);
  if (pre == NULL || !tf_keys_derive (pre, password, &auth_key, &kek, error))
    return NULL;

  auth_b64 = base64_of (auth_key);
  json_object_set_string_member (body, "auth_key", auth_b64);
  json_object_set_string_member (body, "device_id", device);
  json_object_set_string_member (body, "device_name", g_get_host_name ());
  answer = call (client, "POST", "/v1/auth/login", body, error);
  sodium_memzero (auth_b64, strlen (auth_b64));
  if (answer == NULL)
    return NULL;
  keys_object = answer_keys (answer, error);
  if (keys_object == NULL)
    return NULL;
  keys = tf_keys_open (keys_object, kek, error);
  if (keys == NULL ||
      !save_account (store, server, answer, email, keys_object, error) ||
      !remember_auth_key (store, keys, auth_key, error))
    return NULL;
  return tf_vault_new (store, json_object_get_string_member (answer, "user_id"),
                       g_steal_pointer (&keys));
}

/* Opens @keys_object with @password: the keys, and the auth key it derives. */
static TfKeys *
open_with_password (JsonObject *keys_object, const char *password, TfSecret **out_auth_key,
                    GError **error)
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

/* The password was changed or recovered on another device: the server has
 * the new wrap.  Fetches it (when signed in and online) and opens it. */
static TfKeys *
open_with_server_keys (TfStore *store, const char *password, GError **error)
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
  keys = open_with_password (keys_object, password, &auth_key, NULL);
  if (keys == NULL)
    return NULL;
  keys_text = object_to_string (keys_object);
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
  g_autoptr(JsonObject) keys_object = stored_keys (store, error);
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *user_id = NULL;
  TfKeys *keys;

  if (keys_object == NULL)
    return NULL;
  keys = open_with_password (keys_object, password, &auth_key, &local);
  if (keys == NULL &&
      g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD))
    {
      keys = open_with_server_keys (store, password, NULL);
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
  auth_b64 = base64_of (auth_key);
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

/* Replaces the password wrap of the master key, on the server at @path
 * (with @proof members already in @body) and then here; @path NULL: here
 * only (an account on this computer only). */
static gboolean
rewrap (TfStore *store, TfKeys *keys, JsonObject *keys_object, const char *path,
        JsonObject *body, const char *new_password, GError **error)
{
  g_autoptr(JsonObject) kdf = new_kdf ();
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *wrapped = NULL, *auth_b64 = NULL, *keys_text = NULL;
  const char *names[] = { KEY_KEYS, NULL };
  const char *values[2];

  if (path != NULL)
    {
      client = tf_account_new_sync_client (store, error);
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
      auth_b64 = base64_of (auth_key);
      json_object_set_string_member (body, "new_auth_key", auth_b64);
      json_object_set_object_member (body, "kdf", json_object_ref (kdf));
      json_object_set_string_member (body, "wrapped_master_key", wrapped);
      answer = call (client, "POST", path, body, error);
      sodium_memzero (auth_b64, strlen (auth_b64));
      if (answer == NULL)
        return FALSE;
    }

  json_object_set_object_member (keys_object, "kdf", json_object_ref (kdf));
  json_object_set_string_member (keys_object, "wrapped_master_key", wrapped);
  keys_text = object_to_string (keys_object);
  values[0] = keys_text;
  values[1] = NULL;
  return tf_store_set_state (store, names, values, error);
}

gboolean
tf_account_change_password (TfStore *store, const char *password, const char *new_password,
                            GError **error)
{
  g_autoptr(JsonObject) keys_object = stored_keys (store, error);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autofree char *auth_b64 = NULL;

  g_autoptr(GError) local = NULL;

  if (keys_object == NULL)
    return FALSE;
  keys = open_with_password (keys_object, password, &auth_key, &local);
  /* Changed on another device already: the server has the current wrap. */
  if (keys == NULL &&
      g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD))
    {
      g_autoptr(TfKeys) fresh = open_with_server_keys (store, password, NULL);

      if (fresh != NULL)
        {
          g_clear_error (&local);
          json_object_unref (keys_object);
          keys_object = stored_keys (store, &local);
          if (keys_object != NULL)
            keys = open_with_password (keys_object, password, &auth_key, &local);
        }
    }
  if (keys == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  auth_b64 = base64_of (auth_key);
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
  g_autoptr(JsonObject) keys_object = stored_keys (store, error);
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
  g_autofree char *device = device_id (store, error);
  JsonObject *answer;

  if (device == NULL)
    return NULL;
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "recovery_auth_key", proof);
  json_object_set_string_member (body, "device_id", device);
  json_object_set_string_member (body, "device_name", g_get_host_name ());
  answer = call (client, "POST", "/v1/auth/recover/login", body, &local);
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
  g_autoptr(JsonObject) keys_object = stored_keys (store, error);
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
  server = tf_store_get_state (store, KEY_SERVER, NULL);
  if (server == NULL)
    return rewrap (store, keys, keys_object, NULL, NULL, new_password, error);
  if (recover_with_keys (store, keys, keys_object, proof, new_password, &local))
    return TRUE;
  /* No session (logged out, lapsed, ended elsewhere): the recovery key is
   * enough to get one. */
  email = tf_store_get_state (store, KEY_EMAIL, NULL);
  if (email == NULL ||
      !(g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT) ||
        g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED) ||
        g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED)))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  answer = recovery_sign_in (store, server, email, proof, error);
  if (answer == NULL)
    return FALSE;
  json_object_unref (keys_object);
  keys_object = answer_keys (answer, error);
  if (keys_object == NULL)
    return FALSE;
  json_object_ref (keys_object);
  return save_account (store, server, answer, email, keys_object, error) &&
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

  if (!refuse_second_account (store, email, error))
    return NULL;
  proof = tf_keys_recovery_auth (recovery_text, &local);
  if (proof == NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY,
                   _("This is not a valid recovery key (check for a typing mistake): %s"),
                   local->message);
      return NULL;
    }
  server = strip_slash (server_url);
  answer = recovery_sign_in (store, server, email, proof, error);
  if (answer == NULL)
    return NULL;
  keys_object = answer_keys (answer, error);
  if (keys_object == NULL)
    return NULL;
  keys = open_recovery (keys_object, recovery_text, NULL, error);
  if (keys == NULL ||
      !save_account (store, server, answer, email, keys_object, error) ||
      !recover_with_keys (store, keys, keys_object, proof, new_password, error))
    return NULL;
  return tf_vault_new (store, json_object_get_string_member (answer, "user_id"),
                       g_steal_pointer (&keys));
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

gboolean
tf_account_remember_keys (TfVault *vault, JsonObject *answer, const char *email, GError **error)
{
  const char *user_id = json_object_get_string_member_with_default (answer, "user_id", NULL);
  const char *identity = json_object_get_string_member_with_default (answer,
                                                                     "identity_public_key",
                                                                     NULL);
  const char *signing = json_object_get_string_member_with_default (answer, "signing_public_key",
                                                                    NULL);
  const char *fingerprint = json_object_get_string_member_with_default (answer, "fingerprint",
                                                                        NULL);

  if (user_id == NULL || !g_uuid_string_is_valid (user_id) || identity == NULL ||
      signing == NULL || fingerprint == NULL)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server’s answer was malformed"));
      return FALSE;
    }
  return tf_vault_remember_key (vault, user_id, identity, signing, fingerprint, email, error);
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
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (tf_vault_get_store (vault), error);
  g_autoptr(JsonObject) answer = NULL;

  if (client == NULL)
    return NULL;
  answer = tf_account_lookup_therapist (client, email, error);
  if (answer == NULL || !tf_account_remember_keys (vault, answer, email, error))
    return NULL;
  return g_strdup (json_object_get_string_member (answer, "user_id"));
}

gboolean
tf_account_fetch_keys (TfVault *vault, const char *user_id, GError **error)
{
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (tf_vault_get_store (vault), error);
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) answer = NULL;

  if (client == NULL)
    return FALSE;
  path = g_strconcat ("/v1/keys/", user_id, NULL);
  answer = call (client, "GET", path, NULL, error);
  return answer != NULL && tf_account_remember_keys (vault, answer, NULL, error);
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
      const char *client = json_object_get_string_member_with_default (record->fields,
                                                                       "client_id", NULL);
      const char *therapist = json_object_get_string_member_with_default (record->fields,
                                                                          "therapist_id", NULL);
      const char *other = g_strcmp0 (client, me) == 0 ? therapist : client;
      g_autoptr(JsonObject) known = NULL;

      if (other == NULL)
        continue;
      known = tf_store_lookup_key (store, other, NULL);
      if (known == NULL && !tf_account_fetch_keys (vault, other, error))
        return FALSE;
    }
  return TRUE;
}
