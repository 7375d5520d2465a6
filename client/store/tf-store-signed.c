/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-signed.c: the author's revision and signature of each record on
 * this device (issue 19; common/tf-signed.h, docs/encryption.md).
 *
 * Every mutation is signed where it is queued, tf_store_append_outbox(),
 * the one place every write of every table goes through (a local edit, a
 * merge, a conflict copy, a resolution): its revision is one more than the
 * highest this device holds or wrote of the record, and the layer holding
 * the keys (the vault) makes the signature through the sign function it
 * installs, as it installs the copy function.  Without one (no vault on
 * this connection) a write goes unsigned, as before signatures; its owner
 * signs it later.
 *
 * record_revisions (SQLite 0010) keeps per record the highest revision held
 * from the server — raised by a pulled record this device accepted and by
 * its own write the server acknowledged — with that revision's signature,
 * and the highest it queued itself.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-error.h"
#include "tf-signed.h"
#include "tf-store-private.h"

void
tf_store_set_sign_func (TfStore *self, TfStoreSignFunc func, gpointer user_data,
                        GDestroyNotify destroy)
{
  g_return_if_fail (TF_IS_STORE (self));

  if (self->sign_destroy != NULL)
    self->sign_destroy (self->sign_data);
  self->sign_func = func;
  self->sign_data = user_data;
  self->sign_destroy = destroy;
}

/* The record's row of record_revisions: revision, signature (may be
 * NULL), written; all 0/NULL when there is none. */
static gboolean
read_revisions (TfStore *self, const TfTable *table, const char *id, gint64 *out_revision,
                char **out_signature, gint64 *out_written, GError **error)
{
  g_auto(TfStoreStmt) q = { NULL };
  int rc;

  *out_revision = *out_written = 0;
  if (out_signature != NULL)
    *out_signature = NULL;
  if (!tf_store_prepare (self, &q, "SELECT revision, signature, written FROM record_revisions"
                                   " WHERE table_name = ?1 AND record_id = ?2", error))
    return FALSE;
  sqlite3_bind_text (q.stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (q.stmt, 2, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (q.stmt);
  if (rc == SQLITE_ROW)
    {
      *out_revision = sqlite3_column_int64 (q.stmt, 0);
      if (out_signature != NULL)
        *out_signature = g_strdup ((const char *) sqlite3_column_text (q.stmt, 1));
      *out_written = sqlite3_column_int64 (q.stmt, 2);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    return TRUE;
  tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
  return FALSE;
}

void
tf_store_set_verify_func (TfStore *self, TfStoreVerifyFunc func, gpointer user_data,
                          GDestroyNotify destroy)
{
  g_return_if_fail (TF_IS_STORE (self));

  if (self->verify_destroy != NULL)
    self->verify_destroy (self->verify_data);
  self->verify_func = func;
  self->verify_data = user_data;
  self->verify_destroy = destroy;
}

gboolean
tf_store_get_revision (TfStore *self, const TfTable *table, const char *id,
                       gint64 *out_revision, char **out_signature, gint64 *out_written,
                       GError **error)
{
  gint64 written;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL && id != NULL && out_revision != NULL, FALSE);

  return read_revisions (self, table, id, out_revision, out_signature,
                         out_written != NULL ? out_written : &written, error);
}

gboolean
tf_store_hold_revision (TfStore *self, const TfTable *table, const char *id, gint64 revision,
                        const char *signature, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, revision);
  const char *params[] = { table->name, id, text, signature };

  if (signature == NULL || !tf_signed_table_has_envelope (table))
    return TRUE;
  return tf_store_exec_bound (self,
                              "INSERT INTO record_revisions (table_name, record_id, revision,"
                              " signature) VALUES (?1, ?2, CAST(?3 AS INTEGER), ?4)"
                              " ON CONFLICT (table_name, record_id) DO UPDATE SET"
                              " revision = excluded.revision, signature = excluded.signature"
                              " WHERE excluded.revision >= record_revisions.revision",
                              params, G_N_ELEMENTS (params), error);
}

gboolean
tf_store_raise_written (TfStore *self, const TfTable *table, const char *id, gint64 revision,
                        GError **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, MIN (revision,
                                                                     TF_SIGNED_MAX_REVISION));
  const char *params[] = { table->name, id, text };

  if (revision <= 0 || !tf_signed_table_has_envelope (table))
    return TRUE;
  return tf_store_exec_bound (self,
                              "INSERT INTO record_revisions (table_name, record_id, written)"
                              " VALUES (?1, ?2, CAST(?3 AS INTEGER))"
                              " ON CONFLICT (table_name, record_id) DO UPDATE SET"
                              " written = max(written, excluded.written)",
                              params, G_N_ELEMENTS (params), error);
}

JsonObject *
tf_store_complete_signed (TfStore *self, const TfTable *table, const char *id, JsonObject *fields)
{
  g_autoptr(TfRecord) row = NULL;
  JsonObject *complete = tf_json_object_dup (fields);

  if (!tf_signed_table_has_envelope (table))
    return complete;
  row = tf_store_get (self, table, id, NULL);
  for (guint i = 0; row != NULL && i < table->n_columns; i++)
    {
      const TfColumn *c = &table->columns[i];
      JsonNode *value = json_object_get_member (row->fields, c->name);

      if (tf_signed_column_is_signed (c) && !json_object_has_member (complete, c->name))
        json_object_set_member (complete, c->name,
                                value != NULL ? json_node_copy (value)
                                              : json_node_new (JSON_NODE_NULL));
    }
  return complete;
}

gboolean
tf_store_sign_queued (TfStore *self, const TfTable *table, const char *id, JsonObject *fields,
                      gint64 *out_revision, char **out_signature, GError **error)
{
  g_autoptr(TfRecord) record = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 revision, written;

  *out_revision = 0;
  *out_signature = NULL;
  if (self->sign_func == NULL || !tf_signed_table_has_envelope (table))
    return TRUE;

  if (!read_revisions (self, table, id, &revision, NULL, &written, error))
    return FALSE;
  revision = MAX (revision, written);
  if (revision >= TF_SIGNED_MAX_REVISION)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT,
                   _("This record has no revision left to sign"));
      return FALSE;
    }
  record = tf_record_new (table, id);
  record->revision = ++revision;
  if (fields != NULL)
    {
      json_object_unref (record->fields);
      record->fields = json_object_ref (fields);
    }
  else
    record->deleted = TRUE;
  signature = self->sign_func (self, record, self->sign_data, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (signature == NULL)
    return TRUE;

  if (!tf_store_raise_written (self, table, id, revision, error))
    return FALSE;
  *out_revision = revision;
  *out_signature = g_steal_pointer (&signature);
  return TRUE;
}

gboolean
tf_store_check_pulled (TfStore *self, const TfRecord *record, char **out_code,
                       char **out_message, GError **error)
{
  g_autofree char *held_signature = NULL;
  gint64 held, written;

  *out_code = *out_message = NULL;
  if (!tf_signed_table_has_envelope (record->table))
    return TRUE;
  /* The signature first: it is what makes the revision the author's. */
  if (self->verify_func != NULL &&
      (!self->verify_func (self, record, self->verify_data, out_code, out_message, error) ||
       *out_code != NULL))
    return *out_code != NULL;
  if (!read_revisions (self, record->table, record->id, &held, &held_signature, &written, error))
    return FALSE;
  /* Below what this device holds, or the same revision with other signed
   * bytes (the signature of one key over the same bytes is always the
   * same): an older copy served again, or a replacement. */
  if (record->revision < held ||
      (record->revision == held && g_strcmp0 (record->signature, held_signature) != 0))
    {
      *out_code = g_strdup ("rolled_back");
      *out_message = g_strdup_printf (_("The server sent an older version of this record than "
                                        "this device holds (revision %lld, held %lld)"),
                                      (long long) record->revision, (long long) held);
    }
  return TRUE;
}

gboolean
tf_store_check_answered (TfStore *self, JsonObject *result, GError **error)
{
  JsonNode *node = json_object_get_member (result, "record");
  g_autoptr(TfRecord) record = NULL;
  g_autofree char *code = NULL, *message = NULL;

  /* A record of no shape the store takes is left to the answer's reader. */
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (record = tf_record_from_json (node, NULL)) == NULL)
    return TRUE;
  if (!tf_store_check_pulled (self, record, &code, &message, error))
    return FALSE;
  if (code == NULL)
    return TRUE;
  g_message ("refused the %s record %s a push answer carried: %s", record->table->name,
             record->id, code);
  if (!tf_store_add_refused_record (self, record, code, message, FALSE, NULL, error))
    return FALSE;
  json_object_remove_member (result, "record");
  json_object_set_boolean_member (result, "record_refused", TRUE);
  return TRUE;
}

gboolean
tf_store_seen_signed_by (TfStore *self, const char *key_id)
{
  g_autofree char *prefix = NULL;
  g_auto(TfStoreStmt) q = { NULL };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (key_id != NULL, FALSE);

  prefix = g_strconcat (TF_SIGNED_PREFIX, key_id, ":", NULL);
  if (!tf_store_prepare (self, &q, "SELECT 1 FROM record_revisions"
                                   " WHERE substr(signature, 1, length(?1)) = ?1 LIMIT 1", NULL))
    return FALSE;
  sqlite3_bind_text (q.stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  return sqlite3_step (q.stmt) == SQLITE_ROW;
}
