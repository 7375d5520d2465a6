/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault.c: plain form in, ciphertext in the store (DESIGN.md §5,
 * docs/encryption.md).
 *
 * A record with encrypted columns has one data key.  The owner keeps it
 * wrapped by their master key in enc_key; anyone it is shared with finds it
 * sealed to their identity key in a key_grants row.  Writing an own record
 * keeps its data key (so grants stay valid) unless the write takes a reader
 * away: then the record gets a new key at once, so that not even this edit
 * is readable with the old one.  Every content column is encrypted as
 * "tf1|<table>|<record id>|<column>"; a JSONB column's plaintext is its JSON
 * text, its envelope a JSON string.  The plaintext is validated (UTF-8, JSON,
 * ICD-10 codes) before it is encrypted, because nobody can check it after.
 *
 * Reading tries the account's own wrap first and the grants second; a
 * record that neither opens is an error for tf_vault_get() and an
 * "unreadable" entry in a list, never garbage.
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-error.h"
#include "tf-store.h"
#include "tf-validate.h"
#include "tf-signed.h"
#include "tf-store-verified.h"
#include "tf-vault-private.h"

G_DEFINE_QUARK (tf-vault-error-quark, tf_vault_error)

G_DEFINE_FINAL_TYPE (TfVault, tf_vault, G_TYPE_OBJECT)

static void
tf_vault_dispose (GObject *object)
{
  TfVault *self = TF_VAULT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->principal);
  G_OBJECT_CLASS (tf_vault_parent_class)->dispose (object);
}

static void
tf_vault_finalize (GObject *object)
{
  TfVault *self = TF_VAULT (object);

  g_clear_pointer (&self->keys, tf_keys_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->keys_refetched, g_hash_table_unref);
  G_OBJECT_CLASS (tf_vault_parent_class)->finalize (object);
}

static void
tf_vault_class_init (TfVaultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tf_vault_dispose;
  object_class->finalize = tf_vault_finalize;
}

static void
tf_vault_init (TfVault *self)
{
}

/* The store's sign function: every mutation queued on this store is signed
 * with the account's signing key (tf-store-signed.c); a write made after the
 * vault is gone goes unsigned, and is signed again at the next unlock. */
static char *
sign_cb (TfStore *store, const TfRecord *record, gpointer user_data, GError **error)
{
  g_autoptr(TfVault) self = g_weak_ref_get (user_data);
  const TfSecret *secret = NULL;

  /* A managed client's vault writing through this one: in the client's name. */
  if (self != NULL)
    secret = tf_keys_get_signing_secret (self->acting_keys != NULL ? self->acting_keys
                                                                    : self->keys);
  if (secret == NULL)
    return NULL;
  return tf_signed_record_sign (secret, record, record->revision, error);
}

TfVault *
tf_vault_new (TfStore *store, const char *user_id, TfKeys *keys)
{
  TfVault *self;
  GWeakRef *ref;

  g_return_val_if_fail (TF_IS_STORE (store), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);
  g_return_val_if_fail (keys != NULL, NULL);

  self = g_object_new (TF_TYPE_VAULT, NULL);
  self->store = g_object_ref (store);
  self->user_id = g_strdup (user_id);
  self->keys = keys;
  /* The store outlives no vault it needs: it holds only a weak reference,
   * and a copy made after the vault is gone simply stays on the device. */
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  tf_store_set_copy_func (store, tf_vault_copy_cb, ref, tf_vault_copy_data_free);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  tf_store_set_sign_func (store, sign_cb, ref, tf_vault_copy_data_free);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  tf_store_set_verify_func (store, tf_vault_verify_cb, ref, tf_vault_copy_data_free);
  return self;
}

TfVault *
tf_vault_new_managed (TfVault *principal, const char *client_id, TfKeys *keys)
{
  TfVault *self;

  g_return_val_if_fail (TF_IS_VAULT (principal), NULL);
  g_return_val_if_fail (principal->principal == NULL, NULL);
  g_return_val_if_fail (client_id != NULL && keys != NULL, NULL);

  /* The store's hooks stay the principal's: it signs for this vault while
   * this vault writes (tf_vault_atomic sets acting_keys). */
  self = g_object_new (TF_TYPE_VAULT, NULL);
  self->store = g_object_ref (principal->store);
  self->user_id = g_strdup (client_id);
  self->keys = keys;
  self->principal = g_object_ref (principal);
  return self;
}

TfVault *
tf_vault_get_principal (TfVault *self)
{
  g_return_val_if_fail (TF_IS_VAULT (self), NULL);

  return self->principal;
}

TfStore *
tf_vault_get_store (TfVault *self)
{
  g_return_val_if_fail (TF_IS_VAULT (self), NULL);

  return self->store;
}

const char *
tf_vault_get_user_id (TfVault *self)
{
  g_return_val_if_fail (TF_IS_VAULT (self), NULL);

  return self->user_id;
}

TfKeys *
tf_vault_get_keys (TfVault *self)
{
  g_return_val_if_fail (TF_IS_VAULT (self), NULL);

  return self->keys;
}

void
tf_vault_replace_keys (TfVault *self, TfKeys *keys)
{
  g_return_if_fail (TF_IS_VAULT (self));
  g_return_if_fail (keys != NULL);

  tf_keys_free (self->keys);
  self->keys = keys;
}

/* --- small helpers --------------------------------------------------------- */

gboolean
tf_vault_is_content_column (const TfColumn *column)
{
  return (column->flags & TF_COLUMN_ENCRYPTED) && strcmp (column->name, "enc_key") != 0;
}

gboolean
tf_vault_has_content (const TfTable *table)
{
  for (guint i = 0; i < table->n_columns; i++)
    if (tf_vault_is_content_column (&table->columns[i]))
      return TRUE;
  return FALSE;
}

gboolean
tf_vault_has_care_columns (const TfTable *table)
{
  for (guint i = 0; i < table->n_columns; i++)
    if (table->columns[i].flags & TF_COLUMN_CARE_KEY)
      return TRUE;
  return FALSE;
}

/* The keys for the columns of a record of @table from @key: with @own (the
 * data key, unwrapped from the account's own enc_key) every column opens,
 * the care columns under the care key derived from it; else @key is what a
 * grant gave: the care key in a table with care columns (then *@out_data is
 * NULL), the data key in any other. */
void
tf_vault_split_keys (const TfTable *table, const TfSecret *key, gboolean own,
                     const TfSecret **out_data, TfSecret **out_care)
{
  *out_data = key;
  *out_care = NULL;
  if (key == NULL || !tf_vault_has_care_columns (table))
    return;
  if (own)
    *out_care = tf_crypto_derive_care_key (key);
  else
    {
      *out_data = NULL;
      *out_care = tf_secret_copy (key);
    }
}

gboolean
tf_vault_has_ciphertext (const TfTable *table, JsonObject *fields)
{
  for (guint i = 0; i < table->n_columns; i++)
    if (tf_vault_is_content_column (&table->columns[i]) &&
        tf_crypto_is_envelope (tf_json_get_string (fields, table->columns[i].name)))
      return TRUE;
  return FALSE;
}

void
tf_vault_set_no_key_error (GError **error)
{
  g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NO_KEY,
               _("This record is not shared with this account, or no longer is"));
}

/* --- data keys ------------------------------------------------------------- */

GPtrArray *
tf_vault_list_grants (TfVault *self, const TfTable *table, const char *record_id, gboolean to_me,
                      GError **error)
{
  g_autoptr(GPtrArray) all = tf_store_list (self->store, tf_registry_lookup ("key_grants"),
                                            "record_id", record_id, error);
  GPtrArray *out;

  if (all == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_record_free);
  for (guint i = 0; i < all->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (all, i);
      const char *party = tf_json_get_string (grant->fields,
                                                  to_me ? "recipient_id" : "owner_id");

      if (g_strcmp0 (tf_json_get_string (grant->fields, "table_name"), table->name) == 0 &&
          g_strcmp0 (party, self->user_id) == 0)
        g_ptr_array_add (out, tf_record_copy (grant));
    }
  return out;
}

/* The sealed keys of every grant to this account for @table, by record id
 * (one query for a whole list instead of one per record). */
static GHashTable *
index_grants (TfVault *self, const TfTable *table, GError **error)
{
  g_autoptr(GPtrArray) all = tf_store_list (self->store, tf_registry_lookup ("key_grants"),
                                            "recipient_id", self->user_id, error);
  GHashTable *index;

  if (all == NULL)
    return NULL;
  index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < all->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (all, i);
      const char *record_id = tf_json_get_string (grant->fields, "record_id");
      const char *sealed = tf_json_get_string (grant->fields, "sealed_key");
      GPtrArray *keys;

      if (g_strcmp0 (tf_json_get_string (grant->fields, "table_name"), table->name) != 0 ||
          record_id == NULL || sealed == NULL || !tf_vault_grant_usable (self, grant))
        continue;
      keys = g_hash_table_lookup (index, record_id);
      if (keys == NULL)
        {
          keys = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (index, g_strdup (record_id), keys);
        }
      g_ptr_array_add (keys, g_strdup (sealed));
    }
  return index;
}

static TfSecret *
open_key_with (TfVault *self, const TfTable *table, const char *grant_id, const char *enc_key,
               GHashTable *index, gboolean *out_own, gboolean *out_previous, GError **error)
{
  if (out_own != NULL)
    *out_own = FALSE;
  if (out_previous != NULL)
    *out_previous = FALSE;
  if (enc_key != NULL)
    {
      /* Someone else's wrap fails authentication: then try the grants. */
      TfSecret *key = tf_keys_open_data_key (self->keys, enc_key, NULL);

      /* Wrapped while this account was a managed client (tf_keys_adopt):
       * the account's own, under the master key it took over. */
      if (key == NULL && (key = tf_keys_open_previous_data_key (self->keys, enc_key)) != NULL &&
          out_previous != NULL)
        *out_previous = TRUE;
      if (key != NULL)
        {
          if (out_own != NULL)
            *out_own = TRUE;
          return key;
        }
    }
  if (index != NULL)
    {
      GPtrArray *sealed = g_hash_table_lookup (index, grant_id);

      for (guint i = 0; sealed != NULL && i < sealed->len; i++)
        {
          TfSecret *key = tf_keys_open_grant (self->keys, g_ptr_array_index (sealed, i), NULL);
          if (key != NULL)
            return key;
        }
    }
  else
    {
      g_autoptr(GPtrArray) grants = tf_vault_list_grants (self, table, grant_id, TRUE, error);

      if (grants == NULL)
        return NULL;
      for (guint i = 0; i < grants->len; i++)
        {
          TfRecord *grant = g_ptr_array_index (grants, i);
          const char *sealed = tf_json_get_string (grant->fields, "sealed_key");
          TfSecret *key = sealed != NULL && tf_vault_grant_usable (self, grant)
                            ? tf_keys_open_grant (self->keys, sealed, NULL) : NULL;

          if (key != NULL)
            return key;
        }
    }
  tf_vault_set_no_key_error (error);
  return NULL;
}

TfSecret *
tf_vault_open_key (TfVault *self, const TfTable *table, const char *grant_id,
                   const char *enc_key, gboolean *out_own, GError **error)
{
  return open_key_with (self, table, grant_id, enc_key, NULL, out_own, NULL, error);
}

/* --- plain form <-> wire form: tf-vault-fields.c ------------------------------ */

/* The plain form of stored @record: TF_VAULT_ERROR_NO_KEY when this account
 * cannot open it (no grant, or only one from before a re-key). */
static JsonObject *
plain_of (TfVault *self, const TfRecord *record, GHashTable *index, GError **error)
{
  const TfTable *table = record->table;
  g_autoptr(TfSecret) key = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *plain;
  gboolean own = FALSE;

  if (!tf_vault_has_content (table) || !tf_vault_has_ciphertext (table, record->fields))
    return tf_vault_open_fields (table, record->id, record->fields, NULL, FALSE, error);
  key = open_key_with (self, table, record->id,
                       tf_json_get_string (record->fields, "enc_key"), index, &own, NULL, error);
  if (key == NULL)
    return NULL;
  plain = tf_vault_open_fields (table, record->id, record->fields, key, own, &local_error);
  if (plain != NULL)
    return plain;
  /* A grant that opens but no longer fits was made before a re-key. */
  if (!own && g_error_matches (local_error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT))
    tf_vault_set_no_key_error (error);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static JsonObject *
plain_for_list (TfVault *self, const TfRecord *record, GHashTable *index)
{
  g_autoptr(GError) error = NULL;
  JsonObject *plain = plain_of (self, record, index, &error);

  if (plain == NULL)
    {
      g_debug ("%s %s is unreadable here: %s", record->table->name, record->id, error->message);
      plain = tf_vault_unreadable_fields (record->table, record->fields);
    }
  if (tf_vault_is_lockable (record->table) &&
      tf_json_get_string (record->fields, "locked_at") != NULL)
    json_object_set_boolean_member (plain, "signature_valid",
                                    tf_vault_verify_note (self, record, NULL));
  return plain;
}

JsonObject *
tf_vault_plain_for_list (TfVault *self, const TfRecord *record)
{
  return plain_for_list (self, record, NULL);
}

/* --- writing --------------------------------------------------------------- */

/* Puts back in @wire the stored ciphertext of every content column whose
 * plaintext in @plain is what @stored (the row before this write, sealed
 * with @key too) already holds.  Sealing draws a new nonce each time, so
 * without this every write changed every ciphertext, and two devices that
 * edited different fields of one record (a journal title here, its content
 * there) met in the merge as a clash on every field, a conflict copy
 * instead of the field merge. */
static void
keep_unchanged_ciphertexts (const TfTable *table, const char *id, const TfSecret *key,
                            gboolean own, JsonObject *stored, JsonObject *plain, JsonObject *wire)
{
  g_autoptr(TfSecret) care = NULL;
  const TfSecret *data = NULL;

  tf_vault_split_keys (table, key, own, &data, &care);
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *column = &table->columns[i];
      JsonNode *value = json_object_get_member (plain, column->name);
      const char *envelope = tf_json_get_string (stored, column->name);
      g_autofree char *old_text = NULL, *new_text = NULL;

      if (!tf_vault_is_content_column (column) || value == NULL ||
          JSON_NODE_HOLDS_NULL (value) || envelope == NULL)
        continue;
      if (column->type == TF_COLUMN_JSON)
        new_text = json_to_string (value, FALSE);
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        new_text = g_strdup (json_node_get_string (value));
      if ((column->flags & TF_COLUMN_CARE_KEY ? (const TfSecret *) care : data) == NULL)
        continue;
      old_text = tf_crypto_decrypt_field (column->flags & TF_COLUMN_CARE_KEY ? care : data,
                                          table->name, id, column->name, envelope, NULL);
      if (new_text != NULL && old_text != NULL && strcmp (new_text, old_text) == 0)
        json_object_set_string_member (wire, column->name, envelope);
    }
}

JsonObject *
tf_vault_prepare_write (TfVault *self, const TfTable *table, const char *id, JsonObject *plain,
                        gboolean *out_rekeyed, GError **error)
{
  JsonObject *wire;
  g_autoptr(TfRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TfSecret) key = NULL;
  g_autofree char *enc_key = NULL;
  const char *old_enc_key;
  gboolean own = FALSE, revokes = FALSE, previous = FALSE;

  *out_rekeyed = FALSE;
  if (!tf_vault_has_content (table))
    return tf_vault_seal_fields (table, id, plain, NULL, FALSE, NULL, error);

  existing = tf_store_get (self->store, table, id, &local_error);
  if (existing == NULL && !g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  old_enc_key = existing ? tf_json_get_string (existing->fields, "enc_key") : NULL;
  if (old_enc_key != NULL)
    {
      /* An own record keeps its key; someone else's (shared for writing)
       * keeps the owner's wrap, and we encrypt with the key they granted. */
      key = open_key_with (self, table, id, old_enc_key, NULL, &own, &previous, error);
      if (key == NULL)
        return NULL;
      if (own && !tf_vault_write_revokes (self, table, id, plain, &revokes, error))
        return NULL;
      /* Under a master key this account took over: re-keyed under its own,
       * every grant sealed again (the hand-over, tf-vault-adopt.c). */
      if (previous)
        revokes = TRUE;
      if (revokes)
        g_clear_pointer (&key, tf_secret_free);
      else
        enc_key = g_strdup (old_enc_key);
    }
  if (key == NULL)
    {
      key = tf_keys_new_data_key (self->keys, &enc_key, error);
      if (key == NULL)
        return NULL;
      own = TRUE;
      *out_rekeyed = revokes;
    }
  wire = tf_vault_seal_fields (table, id, plain, key, own, enc_key, error);
  /* Same key as the stored row: what did not change keeps its ciphertext. */
  if (wire != NULL && existing != NULL && g_strcmp0 (enc_key, old_enc_key) == 0)
    keep_unchanged_ciphertexts (table, id, key, own, existing->fields, plain, wire);
  return wire;
}

/* A write and the grants it changes: one transaction, one atomic group
 * (tf_vault_atomic), so a share that ends is never half taken back. */
typedef struct
{
  TfVault       *vault;
  const TfTable *table;
  const char    *id;
  JsonObject    *wire;     /* NULL: a delete */
  gboolean       rekeyed;  /* the write carries a new data key */
} Write;

static gboolean
put_body (TfStore *store, gpointer data, GError **error)
{
  Write *w = data;

  if (!tf_store_put (store, w->table, w->id, w->wire, error))
    return FALSE;
  if (w->rekeyed)
    tf_vault_rekey_step (w->vault, TF_KILL_REKEY_SEALED);
  /* A care relationship decides who reads everything else.  One that is
   * no longer active goes to the server after the re-keys it made
   * (tf_store_outbox_move_to_end): cut in between, a push leaves the old
   * state or the new, never an ended relationship whose former reader
   * still holds the live key. */
  if (w->table == tf_registry_lookup ("care_relationships"))
    return tf_vault_reconcile_shares (w->vault, NULL, error) &&
           (g_strcmp0 (tf_json_get_string (w->wire, "status"), "active") == 0 ||
            tf_store_outbox_move_to_end (store, w->table, w->id, error));
  return tf_vault_reconcile_record (w->vault, w->table, w->id, w->rekeyed, NULL, error);
}

static gboolean
delete_body (TfStore *store, gpointer data, GError **error)
{
  Write *w = data;

  if (!tf_store_delete (store, w->table, w->id, error))
    return FALSE;
  /* Grants of a deleted record have nothing left to open.  A deleted care
   * relationship, like an ended one, goes to the server after the re-keys
   * it made (put_body). */
  if (w->table == tf_registry_lookup ("care_relationships"))
    return tf_vault_reconcile_shares (w->vault, NULL, error) &&
           tf_store_outbox_move_to_end (store, w->table, w->id, error);
  return tf_vault_reconcile_record (w->vault, w->table, w->id, FALSE, NULL, error);
}

gboolean
tf_vault_put (TfVault *self, const TfTable *table, const char *id, JsonObject *plain,
              GError **error)
{
  g_autoptr(JsonObject) wire = NULL;
  gboolean rekeyed = FALSE;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (plain != NULL, FALSE);

  /* The id is bound into every ciphertext: check it before encrypting. */
  if (!tf_validate_uuid (id))
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not a record id"), id ? id : "");
      return FALSE;
    }
  if (tf_vault_is_lockable (table))
    {
      if (tf_json_get_string (plain, "locked_at") != NULL ||
          tf_json_get_string (plain, "signature") != NULL)
        {
          g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                       _("A session note is locked by signing it, not by editing it"));
          return FALSE;
        }
      if (!tf_vault_check_unlocked (self, table, id, error))
        return FALSE;
    }
  wire = tf_vault_prepare_write (self, table, id, plain, &rekeyed, error);
  if (wire == NULL)
    return FALSE;
  {
    Write w = { self, table, id, wire, rekeyed };

    return tf_vault_atomic (self, put_body, &w, error);
  }
}

gboolean
tf_vault_put_locked (TfVault *self, const TfTable *table, const char *id, JsonObject *plain,
                     GError **error)
{
  g_autoptr(JsonObject) wire = NULL;
  g_autoptr(TfRecord) existing = NULL;
  gboolean rekeyed = FALSE;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (table != NULL && tf_vault_is_lockable (table), FALSE);
  g_return_val_if_fail (plain != NULL, FALSE);

  if (!tf_validate_uuid (id))
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not a record id"), id ? id : "");
      return FALSE;
    }
  if (tf_json_get_string (plain, "locked_at") != NULL ||
      tf_json_get_string (plain, "signature") != NULL)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   _("A session note is locked by signing it, not by editing it"));
      return FALSE;
    }
  existing = tf_store_get (self->store, table, id, NULL);
  if (existing != NULL)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_LOCKED_NOTE,
                   _("This session note is locked and cannot be changed"));
      return FALSE;
    }
  wire = tf_vault_prepare_write (self, table, id, plain, &rekeyed, error);
  if (wire == NULL)
    return FALSE;
  tf_vault_sign_lock (self, table, wire);
  {
    Write w = { self, table, id, wire, rekeyed };

    return tf_vault_atomic (self, put_body, &w, error);
  }
}

gboolean
tf_vault_put_keep (TfVault *self, const TfTable *table, const char *id, JsonObject *plain,
                   JsonObject **out_plain, GError **error)
{
  if (!tf_vault_put (self, table, id, plain, error))
    return FALSE;
  if (out_plain != NULL)
    *out_plain = json_object_ref (plain);
  return TRUE;
}

gboolean
tf_vault_delete (TfVault *self, const TfTable *table, const char *id, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (tf_vault_is_lockable (table) && !tf_vault_check_unlocked (self, table, id, error))
    return FALSE;
  {
    Write w = { self, table, id, NULL, FALSE };

    return tf_vault_atomic (self, delete_body, &w, error);
  }
}

/* --- reading --------------------------------------------------------------- */

JsonObject *
tf_vault_get (TfVault *self, const TfTable *table, const char *id, GError **error)
{
  g_autoptr(TfRecord) record = NULL;

  g_return_val_if_fail (TF_IS_VAULT (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  record = tf_store_get (self->store, table, id, error);
  if (record == NULL)
    return NULL;
  if (record->deleted)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND, _("There is no record %s"),
                   id);
      return NULL;
    }
  if (!tf_vault_verify_note (self, record, error))
    return NULL;
  return plain_of (self, record, NULL, error);
}

gboolean
tf_vault_dup_own (TfVault *self, const TfTable *table, const char *id, const char *not_owner,
                  JsonObject **out_plain, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) stored = NULL;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (table != NULL && id != NULL && out_plain != NULL, FALSE);

  *out_plain = NULL;
  stored = tf_vault_get (self, table, id, &local_error);
  if (stored == NULL)
    {
      if (g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (table->owner_column != NULL &&
      g_strcmp0 (tf_json_get_string (stored, table->owner_column), self->user_id) != 0)
    {
      g_set_error_literal (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER, not_owner);
      return FALSE;
    }
  *out_plain = g_steal_pointer (&stored);
  return TRUE;
}

GPtrArray *
tf_vault_list (TfVault *self, const TfTable *table, const char *column, const char *value,
               GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) index = NULL;
  GPtrArray *out;

  g_return_val_if_fail (TF_IS_VAULT (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  records = tf_store_list (self->store, table, column, value, error);
  if (records == NULL)
    return NULL;
  if (tf_vault_has_content (table))
    {
      index = index_grants (self, table, error);
      if (index == NULL)
        return NULL;
    }
  out = g_ptr_array_new_full (records->len, (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < records->len; i++)
    {
      TfRecord *record = g_ptr_array_index (records, i);

      g_ptr_array_add (out, plain_for_list (self, record, index));
    }
  return out;
}
