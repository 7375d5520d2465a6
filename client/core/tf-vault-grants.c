/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-grants.c: key grants signed by the user who grants, and checked
 * before they are used (issue 19, plan item 4; docs/encryption.md "Against
 * the server itself").
 *
 * A grant hands a record's key to a recipient, so whoever can write grants
 * decides who reads and whose keys a device accepts.  The server can write
 * any row, so a grant counts only when its owner signed it:
 * tf_vault_put_grant() is the one place grants are made or sealed again,
 * and signs what tf_signed_grant_encode() says (table, record, recipient,
 * the sealed key's hash, the grant's id and a counter) with this account's
 * Ed25519 secret.  The counter is one more than the highest this device has
 * seen for that record and recipient (grant_counters, tombstones too), so
 * a grant the server brings back from before — a deleted one undeleted, an
 * older sealed key under the same id — has a counter below one seen and is
 * refused where this device saw the newer one.
 *
 * A recipient's device uses a grant only when it verifies under the
 * granter's pinned signing key (known_keys; tf_vault_grant_usable), and
 * tf_vault_check_grants() — after every sync — records every grant it
 * refuses in sync_refused, where `status` and the app tell the user.  The
 * rule for grants from before signatures: a recipient refuses an unsigned
 * grant always; the owner's device signs its own (sealing the record's key
 * again, never signing what the server holds) when it brings its shares in
 * line after a sync (tf-vault-share.c), so a share made before works again
 * once its owner's device has run this version.  An owner's device also
 * reports grants in its name that carry a signature its key did not make;
 * an unsigned one is taken as one from before and signed, if its recipient
 * should read the record, or deleted like any grant to someone who should
 * not.
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-signed.h"
#include "tf-store.h"
#include "tf-store-verified.h"
#include "tf-time.h"
#include "tf-vault-private.h"

#define CODE_UNSIGNED       "grant_unsigned"
#define CODE_SIGNER_UNKNOWN "grant_signer_unknown"
#define CODE_FORGED         "grant_forged"
#define CODE_ROLLED_BACK    "grant_rolled_back"

static const TfTable *
grants_table (void)
{
  return tf_registry_lookup ("key_grants");
}

gboolean
tf_vault_put_grant (TfVault *self, const char *grant_id, const TfTable *table,
                    const char *record_id, const char *recipient, const char *sealed,
                    GError **error)
{
  g_autofree char *id = grant_id != NULL ? g_strdup (grant_id) : g_uuid_string_random ();
  g_autoptr(TfRecord) stored = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *stamp = NULL;
  g_autofree char *signature = NULL;
  const char *created_at = NULL;
  TfRecord grant = { 0 };
  gint64 counter;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (table != NULL && record_id != NULL, FALSE);
  g_return_val_if_fail (recipient != NULL && sealed != NULL, FALSE);

  if (grant_id != NULL)
    stored = tf_store_get (self->store, grants_table (), grant_id, NULL);
  if (stored != NULL)
    created_at = tf_json_get_string (stored->fields, "created_at");
  if (created_at == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      created_at = stamp = tf_time_format_timestamp (now);
    }
  counter = tf_store_grant_counter (self->store, table->name, record_id, recipient, NULL,
                                    error);
  if (counter < 0)
    return FALSE;
  counter++;
  json_object_set_string_member (fields, "table_name", table->name);
  json_object_set_string_member (fields, "record_id", record_id);
  json_object_set_string_member (fields, "owner_id", self->user_id);
  json_object_set_string_member (fields, "recipient_id", recipient);
  json_object_set_string_member (fields, "sealed_key", sealed);
  json_object_set_string_member (fields, "created_at", created_at);
  grant.table = grants_table ();
  grant.id = id;
  grant.fields = fields;
  signature = tf_signed_grant_sign (tf_keys_get_signing_secret (self->keys), &grant, counter,
                                    error);
  if (signature == NULL)
    return FALSE;
  json_object_set_string_member (fields, "signature", signature);
  json_object_set_int_member (fields, "counter", counter);
  return tf_store_put (self->store, grants_table (), id, fields, error) &&
         tf_store_raise_grant_counter (self->store, table->name, record_id, recipient, counter,
                                       error);
}

static gboolean
refuse (const char **out_code, const char *code, GError **error, const char *message)
{
  *out_code = code;
  g_set_error_literal (error, TF_VAULT_ERROR, TF_VAULT_ERROR_REFUSED_GRANT, message);
  return FALSE;
}

gboolean
tf_vault_verify_grant (TfVault *self, const TfRecord *grant, const char **out_code,
                       GError **error)
{
  const char *owner = tf_json_get_string (grant->fields, "owner_id");
  const char *signature = tf_json_get_string (grant->fields, "signature");
  JsonNode *counter_node = json_object_get_member (grant->fields, "counter");
  g_autoptr(JsonObject) known = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *signer;
  gint64 counter, seen;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (out_code != NULL, FALSE);

  *out_code = NULL;
  if (signature == NULL || counter_node == NULL || !JSON_NODE_HOLDS_VALUE (counter_node) ||
      json_node_get_value_type (counter_node) != G_TYPE_INT64)
    return refuse (out_code, CODE_UNSIGNED, error,
                   _("This key grant is not signed by the person who shares the record"));
  counter = json_node_get_int (counter_node);
  if (g_strcmp0 (owner, self->user_id) == 0)
    signer = tf_keys_get_signing_public (self->keys);
  else
    {
      known = owner != NULL ? tf_store_lookup_key (self->store, owner, &local_error) : NULL;
      if (known == NULL && local_error != NULL &&
          !g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (known == NULL)
        return refuse (out_code, CODE_SIGNER_UNKNOWN, error,
                       _("The signing key of the person who shares this record is not known "
                         "on this device yet"));
      signer = tf_json_get_string (known, "signing_public_key");
    }
  if (!tf_signed_grant_verify (signer, grant, counter, signature, NULL))
    {
      g_autoptr(GPtrArray) all = tf_vault_signing_keys (self, owner);
      g_autoptr(JsonObject) change = NULL;
      gboolean previous = FALSE;

      /* Signed before the owner rotated their keys, and not signed again
       * yet: their previous key, vouched for by the rotation. */
      for (guint k = 1; !previous && k < all->len; k++)
        previous = tf_signed_grant_verify (g_ptr_array_index (all, k), grant, counter,
                                           signature, NULL);
      if (previous)
        goto signed_ok;
      /* Signed with keys of the owner this device was shown but that the
       * person has not verified yet (a rotation): used once they are. */
      change = tf_store_lookup_key_change (self->store, owner, NULL);
      if (change != NULL &&
          tf_signed_grant_verify (tf_json_get_string (change, "signing_public_key"), grant,
                                  counter, signature, NULL))
        return refuse (out_code, CODE_SIGNER_UNKNOWN, error,
                       _("This key grant is signed with new keys of the person who shares the "
                         "record, which are not verified on this device yet: compare the new "
                         "safety number with them"));
      return refuse (out_code, CODE_FORGED, error,
                   _("This key grant was not signed by the person who shares the record: it "
                     "was made or changed on the server"));
    }
signed_ok:
  seen = tf_store_grant_counter (self->store, tf_json_get_string (grant->fields, "table_name"),
                                 tf_json_get_string (grant->fields, "record_id"),
                                 tf_json_get_string (grant->fields, "recipient_id"), grant->id,
                                 error);
  if (seen < 0)
    return FALSE;
  if (counter < seen)
    return refuse (out_code, CODE_ROLLED_BACK, error,
                   _("This key grant is older than one this device has seen: the server "
                     "brought back a grant from before"));
  return TRUE;
}

gboolean
tf_vault_grant_usable (TfVault *self, const TfRecord *grant)
{
  g_autoptr(GError) error = NULL;
  const char *code;

  if (tf_vault_verify_grant (self, grant, &code, &error))
    return TRUE;
  g_debug ("key grant %s not used: %s", grant->id, error->message);
  return FALSE;
}

/* tf_vault_verify_grant(), and once more after asking the server for the
 * granter's keys when none this device knows for them made the signature:
 * a grant sealed again after they rotated their keys may be the first
 * thing this device sees signed with the new ones (a record signed so
 * makes the same request, tf-vault-verify.c). */
static gboolean
verify_asking (TfVault *self, const TfRecord *grant, gboolean mine, const char **out_code,
               GError **error)
{
  g_autoptr(GError) local = NULL;

  if (tf_vault_verify_grant (self, grant, out_code, &local))
    return TRUE;
  if (!mine && *out_code != NULL && g_str_equal (*out_code, CODE_FORGED) &&
      tf_vault_refetch_keys_once (self, tf_json_get_string (grant->fields, "owner_id")))
    return tf_vault_verify_grant (self, grant, out_code, error);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
tf_vault_check_grants (TfVault *self, guint *n_refused, GError **error)
{
  g_autoptr(GPtrArray) grants = NULL;
  guint refused = 0;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);

  grants = tf_store_list (self->store, grants_table (), NULL, NULL, error);
  if (grants == NULL)
    return FALSE;
  for (guint i = 0; i < grants->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (grants, i);
      const char *table_name = tf_json_get_string (grant->fields, "table_name");
      const char *record_id = tf_json_get_string (grant->fields, "record_id");
      const char *recipient = tf_json_get_string (grant->fields, "recipient_id");
      gboolean mine = g_strcmp0 (tf_json_get_string (grant->fields, "owner_id"),
                                 self->user_id) == 0;
      gboolean to_me = g_strcmp0 (recipient, self->user_id) == 0;
      g_autoptr(GError) local_error = NULL;
      const char *code;
      gboolean fresh = FALSE;

      if (!mine && !to_me)
        continue;
      if (verify_asking (self, grant, mine, &code, &local_error))
        {
          /* Its counter is seen now; a refusal of it (to this account)
           * no longer stands.  An owner's report of a grant it did not
           * sign stays: it says what the server did. */
          if (!tf_store_raise_grant_counter (self->store, table_name, record_id, recipient,
                                             json_object_get_int_member (grant->fields,
                                                                         "counter"),
                                             error) ||
              (to_me && !tf_store_clear_refused (self->store, grants_table ()->name, grant->id,
                                                 error)))
            return FALSE;
          continue;
        }
      if (code == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* One of this account's from before signatures: signed when the
       * shares are brought in line (tf-vault-share.c). */
      if (mine && g_str_equal (code, CODE_UNSIGNED))
        continue;
      if (!tf_store_add_refused_record (self->store, grant, code, local_error->message, mine,
                                        &fresh, error))
        return FALSE;
      refused += fresh ? 1 : 0;
    }
  if (n_refused != NULL)
    *n_refused += refused;
  return TRUE;
}
