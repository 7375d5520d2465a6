/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-legacy.c: plaintext left behind in columns encrypted later.
 *
 * Some columns were plaintext in the first versions (journal titles, the
 * emotions and categories of a check-in since PostgreSQL migration 0010;
 * an appointment's notes for the therapist and reason for cancelling, a
 * session's summary, homework and plan since 0011) and are encrypted now
 * (TF_COLUMN_WAS_PLAIN in the registry).  Rows written
 * before that still hold their plaintext, on this device and on the server,
 * and other devices still pull them.  The store keeps such a value as it
 * came and the vault reads it as plaintext; this file writes each record
 * this account looks after again through the vault, so the value is
 * encrypted with the record's data key (its grants stay valid), stored and
 * queued, and the server's copy is replaced by the envelope with the next
 * push.  It runs when the vault is unlocked and after every sync, because
 * a pull can bring old rows (a new device pulls everything).
 *
 * A record this account does not look after is left to the devices of the
 * account that does (looks_after): re-encrypting it on both sides would
 * make two keys and a conflict.
 *
 * Records written before authors signed them (issue 19) are written again
 * the same way, and so signed: those this account looks after that this
 * device holds no signed revision of and never signed itself.  Until then
 * other devices keep what they hold of them and refuse them afresh
 * (tf-vault-verify.c).
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include "tf-error.h"
#include "tf-signed.h"
#include "tf-store.h"
#include "tf-vault-private.h"

static gboolean
has_late_columns (const TfTable *table)
{
  for (guint i = 0; i < table->n_columns; i++)
    if (table->columns[i].flags & TF_COLUMN_WAS_PLAIN)
      return TRUE;
  return FALSE;
}

gboolean
tf_vault_holds_legacy (const TfTable *table, JsonObject *fields)
{
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *column = &table->columns[i];
      JsonNode *value = json_object_get_member (fields, column->name);
      const char *text;

      if (!(column->flags & TF_COLUMN_WAS_PLAIN) || value == NULL || JSON_NODE_HOLDS_NULL (value))
        continue;
      text = tf_json_get_string (fields, column->name);
      if (text == NULL || !tf_crypto_is_envelope (text))
        return TRUE;
    }
  return FALSE;
}

/* The ids of the conflict copies of @table: they are encrypted again when
 * they are resolved, and must not be queued before. */
static GHashTable *
copy_ids (TfVault *self, const TfTable *table, GError **error)
{
  g_autoptr(GPtrArray) conflicts = tf_store_list_conflicts (self->store, table, error);
  GHashTable *ids;

  if (conflicts == NULL)
    return NULL;
  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < conflicts->len; i++)
    {
      TfConflict *conflict = g_ptr_array_index (conflicts, i);

      g_hash_table_add (ids, g_strdup (conflict->copy->id));
    }
  return ids;
}

/* Writes @record again through the vault.  FALSE only for a store error;
 * a record whose old plaintext no longer validates stays as it is. */
static gboolean
encrypt_record (TfVault *self, const TfRecord *record, gboolean *out_done, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) plain = tf_vault_get (self, record->table, record->id, &local_error);

  *out_done = FALSE;
  if (plain != NULL && tf_vault_put (self, record->table, record->id, plain, &local_error))
    {
      *out_done = TRUE;
      return TRUE;
    }
  if (local_error->domain == TF_STORE_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_message ("%s %s keeps its old plaintext: %s", record->table->name, record->id,
             local_error->message);
  return TRUE;
}

/* Whose devices encrypt an old row: the owner's; for an appointment, which
 * both sides may write, the client's; for a session, its therapist's (the
 * only writer). */
static gboolean
looks_after (TfVault *self, const TfRecord *record)
{
  const TfTable *table = record->table;
  g_autoptr(TfRecord) parent = NULL;

  if (table->owner_column != NULL)
    return g_strcmp0 (tf_json_get_string (record->fields, table->owner_column),
                      self->user_id) == 0;
  if (table->client_column != NULL)
    return g_strcmp0 (tf_json_get_string (record->fields, table->client_column),
                      self->user_id) == 0;
  if (table->parent_table == NULL || table->writer != TF_WRITER_THERAPIST)
    return FALSE;
  parent = tf_store_get (self->store, tf_registry_lookup (table->parent_table),
                         tf_json_get_string (record->fields, table->parent_column), NULL);
  return parent != NULL &&
         g_strcmp0 (tf_json_get_string (parent->fields, "therapist_id"), self->user_id) == 0;
}

/* Written before signatures: no signed revision held or made here. */
static gboolean
holds_unsigned (TfVault *self, const TfRecord *record)
{
  gint64 revision = 0, written = 0;

  if (!tf_signed_table_has_envelope (record->table) || record->table->writer == TF_WRITER_ADMIN)
    return FALSE;
  return tf_store_get_revision (self->store, record->table, record->id, &revision, NULL,
                                &written, NULL) && revision == 0 && written == 0;
}

gboolean
tf_vault_encrypt_legacy (TfVault *self, guint *n_encrypted, GError **error)
{
  const TfTable *tables;
  guint n_tables, done = 0;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);

  tables = tf_registry_get_tables (&n_tables);
  for (guint t = 0; t < n_tables; t++)
    {
      const TfTable *table = &tables[t];
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GHashTable) copies = NULL;

      if (!has_late_columns (table) && !tf_signed_table_has_envelope (table))
        continue;
      records = tf_store_list (self->store, table, table->owner_column,
                               table->owner_column != NULL ? self->user_id : NULL, error);
      if (records == NULL)
        return FALSE;
      copies = copy_ids (self, table, error);
      if (copies == NULL)
        return FALSE;
      for (guint i = 0; i < records->len; i++)
        {
          TfRecord *record = g_ptr_array_index (records, i);
          gboolean encrypted;

          if (g_hash_table_contains (copies, record->id) ||
              !(tf_vault_holds_legacy (table, record->fields) || holds_unsigned (self, record)) ||
              !looks_after (self, record))
            continue;
          if (!encrypt_record (self, record, &encrypted, error))
            return FALSE;
          done += encrypted ? 1 : 0;
        }
    }
  if (n_encrypted != NULL)
    *n_encrypted = done;
  return TRUE;
}
