/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-keys.c: creating, unlocking and re-wrapping an account's keys.
 */
#define G_LOG_DOMAIN "tf-keys"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tf-error.h"
#include "tf-keys.h"
#include "tf-keys-private.h"
#include "tf-record.h"

#define RECOVERY_AUTH_CONTEXT "tf1|recovery-auth"


void
tf_keys_free (TfKeys *self)
{
  if (self == NULL)
    return;
  tf_secret_free (self->master);
  tf_secret_free (self->identity_secret);
  tf_secret_free (self->signing_secret);
  g_free (self->identity_public);
  g_free (self->signing_public);
  g_clear_pointer (&self->previous_identity_secret, g_ptr_array_unref);
  g_clear_pointer (&self->previous_identity_public, g_ptr_array_unref);
  g_clear_pointer (&self->previous_signing_public, g_ptr_array_unref);
  g_clear_pointer (&self->previous_master, g_ptr_array_unref);
  g_free (self);
}

void
tf_keys_init_previous (TfKeys *self)
{
  if (self->previous_master == NULL)
    self->previous_master = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_secret_free);
  self->previous_identity_secret = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   tf_secret_free);
  self->previous_identity_public = g_ptr_array_new_with_free_func (g_free);
  self->previous_signing_public = g_ptr_array_new_with_free_func (g_free);
}

static TfSecret *
copy_secret (const TfSecret *secret)
{
  return secret != NULL ? tf_secret_copy (secret) : NULL;
}

TfKeys *
tf_keys_copy (TfKeys *self)
{
  TfKeys *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TfKeys, 1);
  copy->master = copy_secret (self->master);
  copy->identity_secret = copy_secret (self->identity_secret);
  copy->signing_secret = copy_secret (self->signing_secret);
  copy->identity_public = g_strdup (self->identity_public);
  copy->signing_public = g_strdup (self->signing_public);
  tf_keys_init_previous (copy);
  for (guint i = 0; self->previous_identity_secret != NULL &&
                    i < self->previous_identity_secret->len; i++)
    {
      g_ptr_array_add (copy->previous_identity_secret,
                       tf_secret_copy (g_ptr_array_index (self->previous_identity_secret, i)));
      g_ptr_array_add (copy->previous_identity_public,
                       g_strdup (g_ptr_array_index (self->previous_identity_public, i)));
      g_ptr_array_add (copy->previous_signing_public,
                       g_strdup (g_ptr_array_index (self->previous_signing_public, i)));
    }
  for (guint i = 0; self->previous_master != NULL && i < self->previous_master->len; i++)
    g_ptr_array_add (copy->previous_master,
                     tf_secret_copy (g_ptr_array_index (self->previous_master, i)));
  return copy;
}

static gboolean
format_error (GError **error, const char *what)
{
  g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
               _("The account keys are malformed (%s)"), what);
  return FALSE;
}

static gboolean
member_uint (JsonObject *object, const char *name, guint64 *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 1)
    return FALSE;
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

/* Passwords are derived in Unicode NFC: "Μαρία" typed with a precomposed ί
 * on one keyboard and as ι + U+0301 on another are the same password.  A
 * password that is not valid UTF-8 is derived as it is. */
static char *
normalize_password (const char *password)
{
  char *nfc = g_utf8_validate (password, -1, NULL)
                ? g_utf8_normalize (password, -1, G_NORMALIZE_NFC) : NULL;

  return nfc != NULL ? nfc : g_strdup (password);
}

gboolean
tf_keys_password_is_normalized (const char *password)
{
  g_autofree char *nfc = NULL;
  gboolean same;

  g_return_val_if_fail (password != NULL, TRUE);

  nfc = normalize_password (password);
  same = strcmp (nfc, password) == 0;
  sodium_memzero (nfc, strlen (nfc));
  return same;
}

static gboolean
derive (JsonObject *kdf, const char *password, TfSecret **out_auth_key, TfSecret **out_kek,
        GError **error)
{
  const char *salt_b64 = tf_json_get_string (kdf, "salt");
  g_autofree guchar *salt = NULL;
  gsize salt_len = 0;
  guint64 ops, mem;

  if (salt_b64 == NULL || !member_uint (kdf, "opslimit", &ops) ||
      !member_uint (kdf, "memlimit", &mem))
    return format_error (error, "kdf");
  salt = g_base64_decode (salt_b64, &salt_len);
  if (salt_len != TF_CRYPTO_SALT_BYTES)
    return format_error (error, "kdf salt");
  if (ops < TF_KEYS_KDF_OPSLIMIT_FLOOR || mem < TF_KEYS_KDF_MEMLIMIT_FLOOR)
    {
      g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                   _("The server asked for a password hashing cost below the safe minimum; "
                     "refusing to derive keys"));
      return FALSE;
    }
  return tf_crypto_derive_keys (password, salt, ops, (gsize) mem, out_auth_key, out_kek, error);
}

gboolean
tf_keys_derive (JsonObject *kdf, const char *password, TfSecret **out_auth_key,
                TfSecret **out_kek, GError **error)
{
  g_autofree char *nfc = NULL;
  gboolean ok;

  g_return_val_if_fail (password != NULL, FALSE);

  nfc = normalize_password (password);
  ok = derive (kdf, nfc, out_auth_key, out_kek, error);
  sodium_memzero (nfc, strlen (nfc));
  return ok;
}

gboolean
tf_keys_derive_as_typed (JsonObject *kdf, const char *password, TfSecret **out_auth_key,
                         TfSecret **out_kek, GError **error)
{
  g_return_val_if_fail (password != NULL, FALSE);

  return derive (kdf, password, out_auth_key, out_kek, error);
}

JsonObject *
tf_keys_new_kdf (guint64 opslimit, gsize memlimit)
{
  guint8 salt[TF_CRYPTO_SALT_BYTES];
  g_autofree char *salt_b64 = NULL;
  JsonObject *kdf = json_object_new ();

  if (opslimit == 0)
    opslimit = TF_CRYPTO_KDF_OPSLIMIT_DEFAULT;
  if (memlimit == 0)
    memlimit = TF_CRYPTO_KDF_MEMLIMIT_DEFAULT;
  opslimit = MAX (opslimit, TF_KEYS_KDF_OPSLIMIT_FLOOR);
  memlimit = MAX (memlimit, TF_KEYS_KDF_MEMLIMIT_FLOOR);
  tf_crypto_random_salt (salt);
  salt_b64 = g_base64_encode (salt, sizeof salt);
  json_object_set_string_member (kdf, "salt", salt_b64);
  json_object_set_int_member (kdf, "opslimit", (gint64) opslimit);
  json_object_set_int_member (kdf, "memlimit", (gint64) memlimit);
  return kdf;
}

/* The proof of holding the recovery key: BLAKE2b-256 keyed by it. */
static char *
recovery_auth (const TfSecret *recovery)
{
  guint8 out[32];
  char *b64;

  crypto_generichash (out, sizeof out, (const guchar *) RECOVERY_AUTH_CONTEXT,
                      strlen (RECOVERY_AUTH_CONTEXT), tf_secret_get_data (recovery),
                      tf_secret_get_size (recovery));
  b64 = g_base64_encode (out, sizeof out);
  sodium_memzero (out, sizeof out);
  return b64;
}

char *
tf_keys_recovery_auth (const char *recovery_text, GError **error)
{
  g_autoptr(TfSecret) recovery = NULL;

  g_return_val_if_fail (recovery_text != NULL, NULL);

  recovery = tf_crypto_recovery_key_decode (recovery_text, error);
  return recovery != NULL ? recovery_auth (recovery) : NULL;
}

/* Unwraps the key pairs' secret halves under the master key in @self. */
gboolean
tf_keys_open_pairs (TfKeys *self, JsonObject *keys, GError **error)
{
  const char *identity_public = tf_json_get_string (keys, "identity_public_key");
  const char *signing_public = tf_json_get_string (keys, "signing_public_key");
  const char *wrapped_identity = tf_json_get_string (keys, "wrapped_identity_key");
  const char *wrapped_signing = tf_json_get_string (keys, "wrapped_signing_key");

  if (identity_public == NULL || signing_public == NULL || wrapped_identity == NULL ||
      wrapped_signing == NULL)
    return format_error (error, "key pairs");
  self->identity_secret = tf_crypto_unwrap_key (self->master, "identity", wrapped_identity, error);
  if (self->identity_secret == NULL)
    return FALSE;
  self->signing_secret = tf_crypto_unwrap_key (self->master, "signing", wrapped_signing, error);
  if (self->signing_secret == NULL)
    return FALSE;
  self->identity_public = g_strdup (identity_public);
  self->signing_public = g_strdup (signing_public);
  tf_keys_init_previous (self);
  if (json_object_has_member (keys, "previous_keys"))
    {
      JsonNode *node = json_object_get_member (keys, "previous_keys");
      JsonArray *list;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return format_error (error, "previous_keys");
      list = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *item = json_array_get_element (list, i);
          JsonObject *old;
          const char *old_identity, *old_wrapped, *old_signing;
          TfSecret *secret;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            return format_error (error, "previous_keys");
          old = json_node_get_object (item);
          old_identity = tf_json_get_string (old, "identity_public_key");
          old_wrapped = tf_json_get_string (old, "wrapped_identity_key");
          old_signing = tf_json_get_string (old, "signing_public_key");
          if (old_identity == NULL || old_wrapped == NULL || old_signing == NULL)
            return format_error (error, "previous_keys");
          secret = tf_crypto_unwrap_key (self->master, "identity", old_wrapped, error);
          if (secret == NULL)
            return FALSE;
          g_ptr_array_add (self->previous_identity_secret, secret);
          g_ptr_array_add (self->previous_identity_public, g_strdup (old_identity));
          g_ptr_array_add (self->previous_signing_public, g_strdup (old_signing));
          /* A master key of before, when the account took over keys it did
           * not make (a managed client's, tf_keys_adopt). */
          if (tf_json_get_string (old, "wrapped_master_key") != NULL)
            {
              TfSecret *master = tf_crypto_unwrap_key (self->master, TF_KEYS_PREVIOUS_MASTER,
                                                       tf_json_get_string (old,
                                                                           "wrapped_master_key"),
                                                       error);
              if (master == NULL)
                return FALSE;
              g_ptr_array_add (self->previous_master, master);
            }
        }
    }
  return TRUE;
}

TfKeys *
tf_keys_create (JsonObject *kdf, const TfSecret *kek, JsonObject **out_keys,
                char **out_recovery_text, char **out_recovery_auth, GError **error)
{
  g_autoptr(TfKeys) self = g_new0 (TfKeys, 1);
  g_autoptr(TfSecret) recovery = NULL;
  g_autofree char *wrapped_master = NULL, *wrapped_recovery = NULL;
  g_autofree char *wrapped_identity = NULL, *wrapped_signing = NULL;
  g_autofree char *fingerprint = NULL;
  const char *publics[3];
  JsonObject *keys;

  g_return_val_if_fail (kdf != NULL && kek != NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;
  self->master = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  recovery = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  tf_keys_init_previous (self);
  if (!tf_crypto_box_keypair (&self->identity_public, &self->identity_secret, error) ||
      !tf_crypto_sign_keypair (&self->signing_public, &self->signing_secret, error))
    return NULL;
  wrapped_master = tf_crypto_wrap_key (kek, "master", self->master, error);
  if (wrapped_master == NULL)
    return NULL;
  wrapped_recovery = tf_crypto_wrap_key (recovery, "master-recovery", self->master, error);
  if (wrapped_recovery == NULL)
    return NULL;
  wrapped_identity = tf_crypto_wrap_key (self->master, "identity", self->identity_secret, error);
  if (wrapped_identity == NULL)
    return NULL;
  wrapped_signing = tf_crypto_wrap_key (self->master, "signing", self->signing_secret, error);
  if (wrapped_signing == NULL)
    return NULL;
  publics[0] = self->identity_public;
  publics[1] = self->signing_public;
  publics[2] = NULL;
  fingerprint = tf_crypto_fingerprint (publics);

  keys = json_object_new ();
  json_object_set_object_member (keys, "kdf", json_object_ref (kdf));
  json_object_set_string_member (keys, "wrapped_master_key", wrapped_master);
  json_object_set_string_member (keys, "wrapped_recovery_key", wrapped_recovery);
  json_object_set_string_member (keys, "identity_public_key", self->identity_public);
  json_object_set_string_member (keys, "wrapped_identity_key", wrapped_identity);
  json_object_set_string_member (keys, "signing_public_key", self->signing_public);
  json_object_set_string_member (keys, "wrapped_signing_key", wrapped_signing);
  json_object_set_string_member (keys, "fingerprint", fingerprint);
  *out_keys = keys;
  *out_recovery_text = tf_crypto_recovery_key_encode (recovery);
  if (out_recovery_auth != NULL)
    *out_recovery_auth = recovery_auth (recovery);
  return g_steal_pointer (&self);
}

TfKeys *
tf_keys_open (JsonObject *keys, const TfSecret *kek, GError **error)
{
  g_autoptr(TfKeys) self = g_new0 (TfKeys, 1);
  const char *wrapped_master = tf_json_get_string (keys, "wrapped_master_key");

  g_return_val_if_fail (kek != NULL, NULL);

  if (wrapped_master == NULL)
    {
      format_error (error, "wrapped_master_key");
      return NULL;
    }
  self->master = tf_crypto_unwrap_key (kek, "master", wrapped_master, error);
  if (self->master == NULL || !tf_keys_open_pairs (self, keys, error))
    return NULL;
  return g_steal_pointer (&self);
}

TfKeys *
tf_keys_open_recovery (JsonObject *keys, const char *recovery_text, char **out_recovery_auth,
                       GError **error)
{
  g_autoptr(TfKeys) self = g_new0 (TfKeys, 1);
  g_autoptr(TfSecret) recovery = NULL;
  const char *wrapped = tf_json_get_string (keys, "wrapped_recovery_key");

  g_return_val_if_fail (recovery_text != NULL, NULL);

  if (wrapped == NULL)
    {
      format_error (error, "wrapped_recovery_key");
      return NULL;
    }
  recovery = tf_crypto_recovery_key_decode (recovery_text, error);
  if (recovery == NULL)
    return NULL;
  self->master = tf_crypto_unwrap_key (recovery, "master-recovery", wrapped, error);
  if (self->master == NULL || !tf_keys_open_pairs (self, keys, error))
    return NULL;
  if (out_recovery_auth != NULL)
    *out_recovery_auth = recovery_auth (recovery);
  return g_steal_pointer (&self);
}

char *
tf_keys_wrap_master (TfKeys *self, const TfSecret *kek, GError **error)
{
  return tf_crypto_wrap_key (kek, "master", self->master, error);
}

const TfSecret *
tf_keys_get_master (TfKeys *self)
{
  return self->master;
}

const char *
tf_keys_get_identity_public (TfKeys *self)
{
  return self->identity_public;
}

const TfSecret *
tf_keys_get_identity_secret (TfKeys *self)
{
  return self->identity_secret;
}

const char *
tf_keys_get_signing_public (TfKeys *self)
{
  return self->signing_public;
}

const TfSecret *
tf_keys_get_signing_secret (TfKeys *self)
{
  return self->signing_secret;
}

TfSecret *
tf_keys_new_data_key (TfKeys *self, char **out_enc_key, GError **error)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);

  *out_enc_key = tf_crypto_wrap_key (self->master, "data", key, error);
  if (*out_enc_key == NULL)
    return NULL;
  return g_steal_pointer (&key);
}

TfSecret *
tf_keys_open_data_key (TfKeys *self, const char *enc_key, GError **error)
{
  return tf_crypto_unwrap_key (self->master, "data", enc_key, error);
}

TfSecret *
tf_keys_open_grant (TfKeys *self, const char *sealed_key, GError **error)
{
  g_autoptr(GError) first = NULL;
  TfSecret *key;

  key = tf_crypto_open_sealed_key (self->identity_public, self->identity_secret, sealed_key,
                                   &first);
  /* Sealed to a key of before a rotation, by someone who has not sealed it
   * to the new one yet. */
  for (guint i = 0; key == NULL && self->previous_identity_secret != NULL &&
                    i < self->previous_identity_secret->len; i++)
    key = tf_crypto_open_sealed_key (g_ptr_array_index (self->previous_identity_public, i),
                                     g_ptr_array_index (self->previous_identity_secret, i),
                                     sealed_key, NULL);
  if (key == NULL)
    g_propagate_error (error, g_steal_pointer (&first));
  return key;
}

GPtrArray *
tf_keys_get_previous_signing (TfKeys *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->previous_signing_public == NULL)
    tf_keys_init_previous (self);
  return self->previous_signing_public;
}

char *
tf_keys_rotation_statement (const char *user_id, const char *old_identity,
                            const char *old_signing, const char *new_identity,
                            const char *new_signing)
{
  g_return_val_if_fail (user_id != NULL && old_identity != NULL && old_signing != NULL, NULL);
  g_return_val_if_fail (new_identity != NULL && new_signing != NULL, NULL);

  return g_strconcat ("tf1|rotate|", user_id, "|", old_identity, "|", old_signing, "|",
                      new_identity, "|", new_signing, NULL);
}

gboolean
tf_keys_verify_rotation (const char *user_id, JsonObject *rotation, GError **error)
{
  const char *old_identity = tf_json_get_string (rotation, "old_identity_public_key");
  const char *old_signing = tf_json_get_string (rotation, "old_signing_public_key");
  const char *new_identity = tf_json_get_string (rotation, "identity_public_key");
  const char *new_signing = tf_json_get_string (rotation, "signing_public_key");
  const char *by_old = tf_json_get_string (rotation, "signature_by_old");
  const char *by_new = tf_json_get_string (rotation, "signature_by_new");
  g_autofree char *statement = NULL;

  if (old_identity == NULL || old_signing == NULL || new_identity == NULL ||
      new_signing == NULL || by_old == NULL || by_new == NULL)
    return format_error (error, "rotation");
  statement = tf_keys_rotation_statement (user_id, old_identity, old_signing, new_identity,
                                          new_signing);
  return tf_crypto_verify (old_signing, (const guint8 *) statement, strlen (statement), by_old,
                           error) &&
         tf_crypto_verify (new_signing, (const guint8 *) statement, strlen (statement), by_new,
                           error);
}

TfKeys *
tf_keys_reopen (TfKeys *self, JsonObject *keys, GError **error)
{
  g_autoptr(TfKeys) other = g_new0 (TfKeys, 1);

  g_return_val_if_fail (self != NULL && keys != NULL, NULL);

  other->master = tf_secret_copy (self->master);
  if (!tf_keys_open_pairs (other, keys, error))
    return NULL;
  return g_steal_pointer (&other);
}

TfKeys *
tf_keys_rotate (TfKeys *self, const char *user_id, JsonObject *keys, JsonObject **out_keys,
                JsonObject **out_rotation, GError **error)
{
  g_autoptr(TfKeys) next = NULL;
  g_autofree char *wrapped_identity = NULL, *wrapped_signing = NULL, *fingerprint = NULL;
  g_autofree char *statement = NULL, *by_old = NULL, *by_new = NULL;
  const char *publics[3];
  JsonObject *rotated, *old, *rotation;
  JsonArray *previous;

  g_return_val_if_fail (self != NULL && user_id != NULL && keys != NULL, NULL);
  g_return_val_if_fail (out_keys != NULL && out_rotation != NULL, NULL);

  if (tf_json_get_string (keys, "wrapped_identity_key") == NULL)
    {
      format_error (error, "wrapped_identity_key");
      return NULL;
    }
  next = g_new0 (TfKeys, 1);
  next->master = tf_secret_copy (self->master);
  tf_keys_init_previous (next);
  if (!tf_crypto_box_keypair (&next->identity_public, &next->identity_secret, error) ||
      !tf_crypto_sign_keypair (&next->signing_public, &next->signing_secret, error))
    return NULL;
  wrapped_identity = tf_crypto_wrap_key (next->master, "identity", next->identity_secret, error);
  if (wrapped_identity == NULL)
    return NULL;
  wrapped_signing = tf_crypto_wrap_key (next->master, "signing", next->signing_secret, error);
  if (wrapped_signing == NULL)
    return NULL;
  publics[0] = next->identity_public;
  publics[1] = next->signing_public;
  publics[2] = NULL;
  fingerprint = tf_crypto_fingerprint (publics);
  /* The old key says these are its successors; the new one that the old
   * was its predecessor, so what the old one signed still counts. */
  statement = tf_keys_rotation_statement (user_id, self->identity_public, self->signing_public,
                                          next->identity_public, next->signing_public);
  by_old = tf_crypto_sign (self->signing_secret, (const guint8 *) statement, strlen (statement));
  by_new = tf_crypto_sign (next->signing_secret, (const guint8 *) statement, strlen (statement));

  /* The keys before, newest first. */
  g_ptr_array_add (next->previous_identity_secret, tf_secret_copy (self->identity_secret));
  g_ptr_array_add (next->previous_identity_public, g_strdup (self->identity_public));
  g_ptr_array_add (next->previous_signing_public, g_strdup (self->signing_public));
  for (guint i = 0; self->previous_identity_secret != NULL &&
                    i < self->previous_identity_secret->len; i++)
    {
      g_ptr_array_add (next->previous_identity_secret,
                       tf_secret_copy (g_ptr_array_index (self->previous_identity_secret, i)));
      g_ptr_array_add (next->previous_identity_public,
                       g_strdup (g_ptr_array_index (self->previous_identity_public, i)));
      g_ptr_array_add (next->previous_signing_public,
                       g_strdup (g_ptr_array_index (self->previous_signing_public, i)));
    }
  for (guint i = 0; self->previous_master != NULL && i < self->previous_master->len; i++)
    g_ptr_array_add (next->previous_master,
                     tf_secret_copy (g_ptr_array_index (self->previous_master, i)));

  rotated = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (keys);

    for (GList *m = members; m != NULL; m = m->next)
      if (strcmp (m->data, "previous_keys") != 0)
        json_object_set_member (rotated, m->data, json_object_dup_member (keys, m->data));
  }
  json_object_set_string_member (rotated, "identity_public_key", next->identity_public);
  json_object_set_string_member (rotated, "wrapped_identity_key", wrapped_identity);
  json_object_set_string_member (rotated, "signing_public_key", next->signing_public);
  json_object_set_string_member (rotated, "wrapped_signing_key", wrapped_signing);
  json_object_set_string_member (rotated, "fingerprint", fingerprint);
  previous = json_array_new ();
  old = json_object_new ();
  json_object_set_string_member (old, "identity_public_key", self->identity_public);
  json_object_set_string_member (old, "wrapped_identity_key",
                                 tf_json_get_string (keys, "wrapped_identity_key"));
  json_object_set_string_member (old, "signing_public_key", self->signing_public);
  json_array_add_object_element (previous, old);
  if (json_object_has_member (keys, "previous_keys") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (keys, "previous_keys")))
    {
      JsonArray *before = json_object_get_array_member (keys, "previous_keys");

      for (guint i = 0; i < json_array_get_length (before); i++)
        json_array_add_element (previous, json_node_copy (json_array_get_element (before, i)));
    }
  json_object_set_array_member (rotated, "previous_keys", previous);

  rotation = json_object_new ();
  json_object_set_string_member (rotation, "old_identity_public_key", self->identity_public);
  json_object_set_string_member (rotation, "old_signing_public_key", self->signing_public);
  json_object_set_string_member (rotation, "identity_public_key", next->identity_public);
  json_object_set_string_member (rotation, "signing_public_key", next->signing_public);
  json_object_set_string_member (rotation, "wrapped_identity_key", wrapped_identity);
  json_object_set_string_member (rotation, "wrapped_signing_key", wrapped_signing);
  json_object_set_string_member (rotation, "fingerprint", fingerprint);
  json_object_set_string_member (rotation, "signature_by_old", by_old);
  json_object_set_string_member (rotation, "signature_by_new", by_new);
  *out_keys = rotated;
  *out_rotation = rotation;
  return g_steal_pointer (&next);
}
