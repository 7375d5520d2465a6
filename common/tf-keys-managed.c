/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-keys-managed.c: the keys of a client who has no account yet (a
 * "managed client", issue 12), their invitation, and their hand-over to
 * the account the client makes (docs/encryption.md, "Managed clients and
 * the hand-over").
 *
 * The therapist's device makes for the client what registration makes for
 * anyone — a random master key, an X25519 identity pair and an Ed25519
 * signing pair, the secret halves wrapped under the master key — but there
 * is no password to wrap the master key with.  The "managed keys" object
 * carries the master key itself, in base64, and is only ever stored as an
 * encrypted field of the therapist's own record (managed_clients.client_keys,
 * under the therapist's keys); the server gets the public halves only.
 *
 * An invitation is 32 random bytes, printed like a recovery key.  Its id
 * (what the server files it under) and its key (what wraps the client's
 * master key in the bundle the server keeps) are both derived from it by
 * keyed BLAKE2b, so the server, holding id and bundle, learns neither the
 * secret nor the master key.
 *
 * The hand-over: the client's new account keeps the managed pairs as
 * previous keys (the identity secret opens what was sealed to it, the
 * signing key's signatures still count) and the managed master key as a
 * previous master (it opens the data keys of the records written while the
 * client was managed, until each is re-keyed); the rotation statement,
 * signed by the managed signing key and the new one, proves to the server
 * and to the therapist's devices that whoever holds the code took over.
 */
#define G_LOG_DOMAIN "tf-keys"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tf-error.h"
#include "tf-keys-private.h"
#include "tf-record.h"

#define INVITE_WRAP "invite"

static gboolean
managed_format_error (GError **error, const char *what)
{
  g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
               _("The client’s keys are malformed (%s)"), what);
  return FALSE;
}

/* The public, wrapped half of @self as a "keys"-like object (no KDF). */
static JsonObject *
pairs_object (TfKeys *self, GError **error)
{
  g_autofree char *wrapped_identity = NULL, *wrapped_signing = NULL, *fingerprint = NULL;
  const char *publics[] = { self->identity_public, self->signing_public, NULL };
  JsonObject *o;

  wrapped_identity = tf_crypto_wrap_key (self->master, "identity", self->identity_secret, error);
  if (wrapped_identity == NULL)
    return NULL;
  wrapped_signing = tf_crypto_wrap_key (self->master, "signing", self->signing_secret, error);
  if (wrapped_signing == NULL)
    return NULL;
  fingerprint = tf_crypto_fingerprint (publics);
  o = json_object_new ();
  json_object_set_string_member (o, "identity_public_key", self->identity_public);
  json_object_set_string_member (o, "wrapped_identity_key", wrapped_identity);
  json_object_set_string_member (o, "signing_public_key", self->signing_public);
  json_object_set_string_member (o, "wrapped_signing_key", wrapped_signing);
  json_object_set_string_member (o, "fingerprint", fingerprint);
  return o;
}

TfKeys *
tf_keys_create_managed (JsonObject **out_managed, GError **error)
{
  g_autoptr(TfKeys) self = g_new0 (TfKeys, 1);
  g_autofree char *master_b64 = NULL;
  JsonObject *managed;

  g_return_val_if_fail (out_managed != NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;
  self->master = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  tf_keys_init_previous (self);
  if (!tf_crypto_box_keypair (&self->identity_public, &self->identity_secret, error) ||
      !tf_crypto_sign_keypair (&self->signing_public, &self->signing_secret, error))
    return NULL;
  managed = pairs_object (self, error);
  if (managed == NULL)
    return NULL;
  master_b64 = g_base64_encode (tf_secret_get_data (self->master),
                                tf_secret_get_size (self->master));
  json_object_set_string_member (managed, "master_key", master_b64);
  sodium_memzero (master_b64, strlen (master_b64));
  *out_managed = managed;
  return g_steal_pointer (&self);
}

TfKeys *
tf_keys_open_managed (JsonObject *managed, GError **error)
{
  g_autoptr(TfKeys) self = g_new0 (TfKeys, 1);
  const char *master_b64 = tf_json_get_string (managed, "master_key");
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  g_return_val_if_fail (managed != NULL, NULL);

  if (master_b64 == NULL)
    {
      managed_format_error (error, "master_key");
      return NULL;
    }
  raw = g_base64_decode (master_b64, &len);
  if (raw == NULL || len != TF_CRYPTO_KEY_BYTES)
    {
      if (raw != NULL)
        sodium_memzero (raw, len);
      managed_format_error (error, "master_key");
      return NULL;
    }
  self->master = tf_secret_new_from_data (raw, len);
  sodium_memzero (raw, len);
  if (!tf_keys_open_pairs (self, managed, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* --- invitations ------------------------------------------------------------ */

TfSecret *
tf_keys_new_invite_secret (void)
{
  return tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
}

char *
tf_keys_invite_id (const TfSecret *secret)
{
  g_autoptr(TfSecret) derived = NULL;
  const guint8 *b;
  guint8 id[16];

  g_return_val_if_fail (secret != NULL, NULL);

  derived = tf_crypto_derive_subkey (secret, "tf1|invite-id");
  memcpy (id, tf_secret_get_data (derived), sizeof id);
  /* A version-4, RFC 4122 UUID, so it is one by every check of ids. */
  id[6] = (guint8) ((id[6] & 0x0f) | 0x40);
  id[8] = (guint8) ((id[8] & 0x3f) | 0x80);
  b = id;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                          b[10], b[11], b[12], b[13], b[14], b[15]);
}

JsonObject *
tf_keys_seal_invite (TfKeys *managed, const TfSecret *secret, GError **error)
{
  g_autoptr(TfSecret) key = NULL;
  g_autofree char *wrapped = NULL;
  JsonObject *bundle;

  g_return_val_if_fail (managed != NULL && secret != NULL, NULL);

  key = tf_crypto_derive_subkey (secret, "tf1|invite-key");
  wrapped = tf_crypto_wrap_key (key, INVITE_WRAP, managed->master, error);
  if (wrapped == NULL)
    return NULL;
  bundle = pairs_object (managed, error);
  if (bundle == NULL)
    return NULL;
  json_object_set_string_member (bundle, "wrapped_master_key", wrapped);
  return bundle;
}

TfKeys *
tf_keys_open_invite (JsonObject *bundle, const TfSecret *secret, GError **error)
{
  g_autoptr(TfKeys) self = g_new0 (TfKeys, 1);
  g_autoptr(TfSecret) key = NULL;
  const char *wrapped = tf_json_get_string (bundle, "wrapped_master_key");

  g_return_val_if_fail (bundle != NULL && secret != NULL, NULL);

  if (wrapped == NULL)
    {
      managed_format_error (error, "wrapped_master_key");
      return NULL;
    }
  key = tf_crypto_derive_subkey (secret, "tf1|invite-key");
  self->master = tf_crypto_unwrap_key (key, INVITE_WRAP, wrapped, error);
  if (self->master == NULL || !tf_keys_open_pairs (self, bundle, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* --- the hand-over ---------------------------------------------------------- */

gboolean
tf_keys_adopt (TfKeys *self, JsonObject *keys, TfKeys *managed, const char *user_id,
               JsonObject **out_keys, JsonObject **out_rotation, GError **error)
{
  g_autofree char *wrapped_identity = NULL, *wrapped_master = NULL;
  g_autofree char *statement = NULL, *by_old = NULL, *by_new = NULL;
  JsonObject *adopted, *old, *rotation;
  JsonArray *previous;

  g_return_val_if_fail (self != NULL && keys != NULL && managed != NULL, FALSE);
  g_return_val_if_fail (user_id != NULL && out_keys != NULL && out_rotation != NULL, FALSE);

  wrapped_identity = tf_crypto_wrap_key (self->master, "identity", managed->identity_secret,
                                         error);
  if (wrapped_identity == NULL)
    return FALSE;
  wrapped_master = tf_crypto_wrap_key (self->master, TF_KEYS_PREVIOUS_MASTER, managed->master,
                                       error);
  if (wrapped_master == NULL)
    return FALSE;
  statement = tf_keys_rotation_statement (user_id, managed->identity_public,
                                          managed->signing_public, self->identity_public,
                                          self->signing_public);
  by_old = tf_crypto_sign (managed->signing_secret, (const guint8 *) statement,
                           strlen (statement));
  by_new = tf_crypto_sign (self->signing_secret, (const guint8 *) statement, strlen (statement));

  tf_keys_init_previous (self);
  g_ptr_array_insert (self->previous_identity_secret, 0,
                      tf_secret_copy (managed->identity_secret));
  g_ptr_array_insert (self->previous_identity_public, 0, g_strdup (managed->identity_public));
  g_ptr_array_insert (self->previous_signing_public, 0, g_strdup (managed->signing_public));
  g_ptr_array_insert (self->previous_master, 0, tf_secret_copy (managed->master));

  adopted = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (keys);

    for (GList *m = members; m != NULL; m = m->next)
      if (strcmp (m->data, "previous_keys") != 0)
        json_object_set_member (adopted, m->data, json_object_dup_member (keys, m->data));
  }
  previous = json_array_new ();
  old = json_object_new ();
  json_object_set_string_member (old, "identity_public_key", managed->identity_public);
  json_object_set_string_member (old, "wrapped_identity_key", wrapped_identity);
  json_object_set_string_member (old, "signing_public_key", managed->signing_public);
  json_object_set_string_member (old, "wrapped_master_key", wrapped_master);
  json_array_add_object_element (previous, old);
  json_object_set_array_member (adopted, "previous_keys", previous);

  rotation = json_object_new ();
  json_object_set_string_member (rotation, "old_identity_public_key", managed->identity_public);
  json_object_set_string_member (rotation, "old_signing_public_key", managed->signing_public);
  json_object_set_string_member (rotation, "identity_public_key", self->identity_public);
  json_object_set_string_member (rotation, "signing_public_key", self->signing_public);
  json_object_set_string_member (rotation, "signature_by_old", by_old);
  json_object_set_string_member (rotation, "signature_by_new", by_new);
  *out_keys = adopted;
  *out_rotation = rotation;
  return TRUE;
}

TfSecret *
tf_keys_open_previous_data_key (TfKeys *self, const char *enc_key)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; enc_key != NULL && self->previous_master != NULL &&
                    i < self->previous_master->len; i++)
    {
      TfSecret *key = tf_crypto_unwrap_key (g_ptr_array_index (self->previous_master, i), "data",
                                            enc_key, NULL);
      if (key != NULL)
        return key;
    }
  return NULL;
}

gboolean
tf_keys_has_previous_master (TfKeys *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->previous_master != NULL && self->previous_master->len > 0;
}
