/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-adopt.c: the records of a managed client re-keyed under the
 * account the client made with their invitation (issue 12;
 * docs/encryption.md, "Managed clients and the hand-over").
 *
 * While the therapist managed the client, the client's records (their
 * profile, details, intake, care relationship and the grants of them) were
 * written in the client's name under keys the therapist's device made.  The
 * account that takes them over keeps that master key as a previous one
 * (tf_keys_adopt): it still opens those records, and each is written again
 * here under a data key of the account's own — every content column
 * encrypted again, a new enc_key, the grants to the therapists in care
 * sealed again and signed by the account's new signing key, one
 * transaction and one atomic group per record (tf_vault_put re-keys a
 * record whose key came from a previous master: tf_vault_prepare_write).
 * The records keep their ids, so nothing is duplicated; the server applies
 * them as edits.  Run after every sync until none is left, so a record that
 * arrives late (a mood entry the therapist's device pushed after the
 * hand-over began) is re-keyed too.
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include "tf-vault-private.h"

/* TRUE when @record's enc_key opens only with a master key taken over. */
static gboolean
under_previous_master (TfVault *self, const TfRecord *record)
{
  const char *enc_key = tf_json_get_string (record->fields, "enc_key");
  g_autoptr(TfSecret) current = NULL;
  g_autoptr(TfSecret) previous = NULL;

  if (enc_key == NULL || record->deleted)
    return FALSE;
  current = tf_keys_open_data_key (tf_vault_get_keys (self), enc_key, NULL);
  if (current != NULL)
    return FALSE;
  previous = tf_keys_open_previous_data_key (tf_vault_get_keys (self), enc_key);
  return previous != NULL;
}

gboolean
tf_vault_rekey_adopted (TfVault *self, guint *n_rekeyed, GError **error)
{
  guint n_tables, count = 0;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);

  if (n_rekeyed != NULL)
    *n_rekeyed = 0;
  if (!tf_keys_has_previous_master (self->keys))
    return TRUE;
  for (guint t = 0; t < n_tables; t++)
    {
      const TfTable *table = &tables[t];
      g_autoptr(GPtrArray) records = NULL;

      if (!tf_vault_has_content (table))
        continue;
      records = tf_store_list (self->store, table, NULL, NULL, error);
      if (records == NULL)
        return FALSE;
      for (guint i = 0; i < records->len; i++)
        {
          TfRecord *record = g_ptr_array_index (records, i);
          g_autoptr(JsonObject) plain = NULL;

          if (!under_previous_master (self, record))
            continue;
          plain = tf_vault_get (self, table, record->id, error);
          if (plain == NULL || !tf_vault_put (self, table, record->id, plain, error))
            return FALSE;
          count++;
        }
    }
  if (n_rekeyed != NULL)
    *n_rekeyed = count;
  return TRUE;
}
