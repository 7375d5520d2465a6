/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-contacts.c: other people's keys, as this account's vault knows
 * them — the signing keys whose signatures count as a person's (the pinned
 * key, those it replaced, and a signed successor not compared yet), the
 * chain of signed rotations the server presents with a person's keys
 * (docs/encryption.md, "Rotation"), and pinning keys a device fetched,
 * which lets the shares that waited for them be made.
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-error.h"
#include "tf-store.h"
#include "tf-store-verified.h"
#include "tf-vault-private.h"

GPtrArray *
tf_vault_signing_keys (TfVault *self, const char *user_id)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) known = NULL;
  g_autoptr(GPtrArray) previous = NULL;

  g_return_val_if_fail (TF_IS_VAULT (self), out);
  g_return_val_if_fail (user_id != NULL, out);

  if (strcmp (user_id, self->user_id) == 0)
    {
      GPtrArray *own = tf_keys_get_previous_signing (self->keys);

      g_ptr_array_add (out, g_strdup (tf_keys_get_signing_public (self->keys)));
      for (guint i = 0; own != NULL && i < own->len; i++)
        g_ptr_array_add (out, g_strdup (g_ptr_array_index (own, i)));
      return out;
    }
  known = tf_store_lookup_key (self->store, user_id, NULL);
  if (known == NULL)
    return out;
  g_ptr_array_add (out, g_strdup (tf_json_get_string (known, "signing_public_key")));
  previous = tf_store_list_previous_signing (self->store, user_id, NULL);
  for (guint i = 0; previous != NULL && i < previous->len; i++)
    g_ptr_array_add (out, g_strdup (g_ptr_array_index (previous, i)));
  /* New keys the pinned key signed over as its successors (a signed
   * rotation not compared yet): what they sign is the person's, as surely
   * as what the pinned key signs.  Nothing is sealed to them until the
   * person compares the new safety number (tf_verify_confirm). */
  {
    g_autoptr(JsonObject) change = tf_store_lookup_key_change (self->store, user_id, NULL);

    if (change != NULL &&
        g_strcmp0 (tf_json_get_string (change, "rotation_signed"),
                   "1") == 0)
      g_ptr_array_add (out, g_strdup (tf_json_get_string (change, "signing_public_key")));
  }
  return out;
}

static gboolean
same_keys (JsonObject *o, const char *identity_member, const char *signing_member,
           const char *identity, const char *signing)
{
  return g_strcmp0 (tf_json_get_string (o, identity_member), identity) == 0 &&
         g_strcmp0 (tf_json_get_string (o, signing_member), signing) == 0;
}

gboolean
tf_vault_note_rotations (TfVault *self, const char *user_id, const char *identity_public_key,
                         const char *signing_public_key, JsonArray *rotations, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonObject) change = NULL;
  g_autoptr(JsonObject) known = NULL;
  guint n;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  n = rotations != NULL ? json_array_get_length (rotations) : 0;
  known = tf_store_lookup_key (self->store, user_id, NULL);
  if (known == NULL || n == 0)
    return TRUE;
  change = tf_store_lookup_key_change (self->store, user_id, &local);
  if (change == NULL && !g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (change != NULL && same_keys (change, "identity_public_key", "signing_public_key",
                                   identity_public_key, signing_public_key))
    {
      /* From the pinned keys forward, each step signed by the key before
       * and the key after, up to the keys presented now: a rotation. */
      g_autofree char *identity = g_strdup (tf_json_get_string (known, "identity_public_key"));
      g_autofree char *signing = g_strdup (tf_json_get_string (known, "signing_public_key"));

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (rotations, i);
          JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          if (r == NULL || !same_keys (r, "old_identity_public_key", "old_signing_public_key",
                                       identity, signing) ||
              !tf_keys_verify_rotation (user_id, r, NULL))
            continue;
          g_free (identity);
          g_free (signing);
          identity = g_strdup (tf_json_get_string (r, "identity_public_key"));
          signing = g_strdup (tf_json_get_string (r, "signing_public_key"));
        }
      if (g_strcmp0 (identity, identity_public_key) == 0 &&
          g_strcmp0 (signing, signing_public_key) == 0)
        return tf_store_set_key_change_signed (self->store, user_id,
                                               tf_json_get_string (change, "fingerprint"),
                                               error);
      return TRUE;
    }
  if (same_keys (known, "identity_public_key", "signing_public_key", identity_public_key,
                 signing_public_key))
    {
      /* The pinned keys are the newest: the keys they signed as their
       * predecessors, back along the chain, still verify (a new device). */
      g_autofree char *identity = g_strdup (identity_public_key);
      g_autofree char *signing = g_strdup (signing_public_key);

      for (guint i = n; i-- > 0;)
        {
          JsonNode *node = json_array_get_element (rotations, i);
          JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          if (r == NULL || !same_keys (r, "identity_public_key", "signing_public_key", identity,
                                       signing) ||
              !tf_keys_verify_rotation (user_id, r, NULL))
            break;
          g_free (identity);
          g_free (signing);
          identity = g_strdup (tf_json_get_string (r, "old_identity_public_key"));
          signing = g_strdup (tf_json_get_string (r, "old_signing_public_key"));
          if (!tf_store_add_previous_key (self->store, user_id, signing, identity, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
tf_vault_remember_key (TfVault *self, const char *user_id, const char *identity_public_key,
                       const char *signing_public_key, const char *fingerprint,
                       const char *email, GError **error)
{
  const char *publics[] = { identity_public_key, signing_public_key, NULL };
  g_autofree char *computed = NULL;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);
  g_return_val_if_fail (identity_public_key != NULL && signing_public_key != NULL, FALSE);

  /* The fingerprint is what people compare: it must be these keys'. */
  computed = tf_crypto_fingerprint (publics);
  if (computed == NULL || (fingerprint != NULL && strcmp (computed, fingerprint) != 0))
    {
      g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                   _("The public keys of %s do not match their fingerprint"), user_id);
      return FALSE;
    }
  if (!tf_store_remember_key (self->store, user_id, identity_public_key, signing_public_key,
                              computed, email, error))
    return FALSE;
  /* Grants that waited for this key can be made now. */
  return tf_vault_reconcile_shares (self, NULL, error);
}
