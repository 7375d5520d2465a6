/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-conflicts.c: conflict copies in plain form, and choosing.
 *
 * When a merge keeps the local edit as a conflict copy (tf-store.h), the
 * store calls tf_vault_copy_cb() inside the merge's transaction.  The copy
 * is a new record: its ciphertexts, bound to the original's id, are opened
 * and encrypted again for the copy's id under a data key of its own, and it
 * starts unsigned and unshared (no grants exist for it; the user shares it
 * again after keeping it).  Then the store may sync it, and the other
 * devices of the account hold both texts too.
 *
 * A copy made without the vault (no account unlocked at that moment) still
 * holds ciphertexts bound to the original's id; opening a copy therefore
 * tries its own id first and the original's second, and keeping such a
 * copy as a record binds it to its own id before it is queued.
 *
 * Choosing: TF_KEEP_LOCAL writes the copy's content into the original (with
 * the original's data key, the original's sharing, unless the write takes a
 * reader away) and removes the copy; TF_KEEP_SERVER removes the copy;
 * TF_KEEP_BOTH makes the copy an ordinary record.  The store does each in
 * one transaction and queues it.
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-store.h"
#include "tf-vault-private.h"

void
tf_vault_copy_data_free (gpointer data)
{
  GWeakRef *ref = data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

/* Re-encrypts the content columns of @fields, bound to @from_id, for
 * @to_id under a new data key. */
static gboolean
rebind (TfVault *self, const TfTable *table, const char *from_id, const char *to_id,
        JsonObject *fields, GError **error)
{
  g_autoptr(TfSecret) old_key = NULL;
  g_autoptr(TfSecret) key = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(JsonObject) wire = NULL;
  g_autofree char *enc_key = NULL;
  gboolean own = FALSE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (tf_vault_has_ciphertext (table, fields))
    {
      old_key = tf_vault_open_key (self, table, from_id,
                                   tf_json_get_string (fields, "enc_key"), &own, error);
      if (old_key == NULL)
        return FALSE;
    }
  plain = tf_vault_open_fields (table, from_id, fields, old_key, own, error);
  if (plain == NULL)
    return FALSE;
  key = tf_keys_new_data_key (self->keys, &enc_key, error);
  if (key == NULL)
    return FALSE;
  wire = tf_vault_seal_fields (table, to_id, plain, key, TRUE, enc_key, error);
  if (wire == NULL)
    return FALSE;
  json_object_iter_init (&iter, wire);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (fields, name, json_node_copy (value));
  return TRUE;
}

gboolean
tf_vault_copy_cb (TfStore *store, const TfTable *table, const char *original_id,
                  const char *copy_id, JsonObject *fields, gpointer user_data, GError **error)
{
  g_autoptr(TfVault) self = g_weak_ref_get (user_data);

  if (self == NULL)
    {
      /* Not shown to anyone: the copy just stays on this device. */
      g_set_error_literal (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NO_KEY, "no unlocked account");
      return FALSE;
    }
  /* A new record: nobody signed it, nobody holds a grant for it. */
  if (tf_vault_is_lockable (table))
    {
      json_object_set_null_member (fields, "locked_at");
      json_object_set_null_member (fields, "signature");
    }
  if (table->shared_column != NULL)
    json_object_set_boolean_member (fields, table->shared_column, FALSE);
  if (!tf_vault_has_content (table))
    return TRUE;
  return rebind (self, table, original_id, copy_id, fields, error);
}

/* The plain form of @conflict's copy; @out_own_id: its ciphertexts are bound
 * to its own id (else to the original's). */
static JsonObject *
open_copy (TfVault *self, const TfConflict *conflict, gboolean *out_own_id, GError **error)
{
  const TfTable *table = conflict->table;
  const TfRecord *copy = conflict->copy;
  const char *ids[] = { copy->id, conflict->original_id };
  const char *enc_key = tf_json_get_string (copy->fields, "enc_key");

  *out_own_id = TRUE;
  if (!tf_vault_has_ciphertext (table, copy->fields))
    return tf_vault_open_fields (table, copy->id, copy->fields, NULL, FALSE, error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      gboolean own = FALSE;
      g_autoptr(TfSecret) key = tf_vault_open_key (self, table, ids[i], enc_key, &own, NULL);
      JsonObject *plain = key ? tf_vault_open_fields (table, ids[i], copy->fields, key, own,
                                                      NULL)
                              : NULL;

      if (plain != NULL)
        {
          *out_own_id = i == 0;
          return plain;
        }
    }
  g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NO_KEY,
               _("This record is not shared with this account, or no longer is"));
  return NULL;
}

GPtrArray *
tf_vault_list_conflicts (TfVault *self, GError **error)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  GPtrArray *out;

  g_return_val_if_fail (TF_IS_VAULT (self), NULL);

  conflicts = tf_store_list_conflicts (self->store, NULL, error);
  if (conflicts == NULL)
    return NULL;
  out = g_ptr_array_new_full (conflicts->len, (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < conflicts->len; i++)
    {
      TfConflict *conflict = g_ptr_array_index (conflicts, i);
      JsonObject *item = json_object_new ();
      g_autoptr(TfRecord) original = tf_store_get (self->store, conflict->table,
                                                   conflict->original_id, NULL);
      g_autoptr(GError) local_error = NULL;
      JsonObject *local;
      gboolean own_id;

      json_object_set_string_member (item, "table", conflict->table->name);
      json_object_set_string_member (item, "id", conflict->copy->id);
      json_object_set_string_member (item, "original_id", conflict->original_id);
      local = open_copy (self, conflict, &own_id, &local_error);
      if (local == NULL)
        local = tf_vault_unreadable_fields (conflict->table, conflict->copy->fields);
      json_object_set_object_member (item, "local", local);
      if (original != NULL && !original->deleted)
        json_object_set_object_member (item, "server", tf_vault_plain_for_list (self, original));
      else
        json_object_set_null_member (item, "server");
      g_ptr_array_add (out, item);
    }
  return out;
}

static gboolean
keep_local (TfVault *self, const TfConflict *conflict, GError **error)
{
  const TfTable *table = conflict->table;
  const char *original_id = conflict->original_id;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(JsonObject) wire = NULL;
  g_autoptr(TfRecord) original = NULL;
  gboolean own_id, rekeyed = FALSE;

  if (tf_vault_is_lockable (table) &&
      !tf_vault_check_unlocked (self, table, original_id, error))
    return FALSE;
  plain = open_copy (self, conflict, &own_id, error);
  if (plain == NULL)
    return FALSE;
  json_object_set_string_member (plain, table->key_column, original_id);
  if (tf_vault_is_lockable (table))
    {
      json_object_set_null_member (plain, "locked_at");
      json_object_set_null_member (plain, "signature");
    }
  /* The copy was unshared when it was made; who reads the record is the
   * original's to say, not the conflict's. */
  original = tf_store_get (self->store, table, original_id, NULL);
  if (table->shared_column != NULL && original != NULL &&
      json_object_has_member (original->fields, table->shared_column))
    json_object_set_member (plain, table->shared_column,
                            json_node_copy (json_object_get_member (original->fields,
                                                                    table->shared_column)));
  wire = tf_vault_prepare_write (self, table, original_id, plain, &rekeyed, error);
  if (wire == NULL ||
      !tf_store_resolve_conflict (self->store, table, conflict->copy->id, TF_RESOLVE_TAKE_COPY,
                                  wire, error))
    return FALSE;
  return tf_vault_reconcile_record (self, table, original_id, rekeyed, NULL, error);
}

static gboolean
keep_both (TfVault *self, const TfConflict *conflict, GError **error)
{
  const TfTable *table = conflict->table;
  const char *copy_id = conflict->copy->id;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(JsonObject) wire = NULL;
  gboolean own_id;

  plain = open_copy (self, conflict, &own_id, error);
  if (plain == NULL)
    return FALSE;
  if (!own_id)
    {
      /* Made without the vault: bind it to its own id before it travels. */
      g_autoptr(TfSecret) key = NULL;
      g_autofree char *enc_key = NULL;

      key = tf_keys_new_data_key (self->keys, &enc_key, error);
      if (key == NULL)
        return FALSE;
      wire = tf_vault_seal_fields (table, copy_id, plain, key, TRUE, enc_key, error);
      if (wire == NULL)
        return FALSE;
    }
  if (!tf_store_resolve_conflict (self->store, table, copy_id, TF_RESOLVE_KEEP_COPY, wire,
                                  error))
    return FALSE;
  return tf_vault_reconcile_record (self, table, copy_id, FALSE, NULL, error);
}

gboolean
tf_vault_resolve_conflict (TfVault *self, const char *copy_id, TfKeep keep, GError **error)
{
  g_autoptr(TfConflict) conflict = NULL;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (copy_id != NULL, FALSE);

  conflict = tf_store_find_conflict (self->store, copy_id, error);
  if (conflict == NULL)
    return FALSE;
  switch (keep)
    {
    case TF_KEEP_LOCAL:
      return keep_local (self, conflict, error);
    case TF_KEEP_SERVER:
      return tf_store_resolve_conflict (self->store, conflict->table, copy_id,
                                        TF_RESOLVE_DROP_COPY, NULL, error);
    case TF_KEEP_BOTH:
      return keep_both (self, conflict, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}
