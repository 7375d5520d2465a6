/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-resolve.c: resolving a conflict copy (tf-store-conflicts.c makes
 * them) — keeping the server's version, this device's or both.  A copy
 * that the server has, or will have once the outbox is pushed, goes as a
 * queued delete, so that no device keeps a copy the user threw away; all
 * of it in one transaction.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "config.h"
#include "tf-error.h"
#include "tf-store-private.h"
#include "tf-time.h"
#include "tf-validate.h"

typedef struct
{
  const TfTable *table;
  const char    *copy_id;
  TfResolve      how;
  JsonObject    *fields;
  char          *original_id; /* out */
} Resolve;

/* The copy goes: a queued delete when the server has it or will have it
 * (its upsert is queued), otherwise it is simply removed. */
static gboolean
drop_copy (TfStore *self, TfConflict *conflict, GError **error)
{
  const TfTable *t = conflict->table;
  const char *params[] = { conflict->copy->id };

  if (conflict->synced)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = tf_time_format_timestamp (now);
      g_autofree char *sql = g_strdup_printf ("UPDATE %s SET deleted_at = ?1 WHERE %s = ?2",
                                              t->name, t->key_column);
      const char *update_params[] = { stamp, conflict->copy->id };

      return tf_store_exec_bound (self, sql, update_params, 2, error) &&
             tf_store_append_outbox (self, t, conflict->copy->id, "delete", NULL, error);
    }
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1", t->name,
                                            t->key_column);
    return tf_store_exec_bound (self, sql, params, 1, error);
  }
}

/* What is fixed once record @id exists (an owner, a parent, the moment it
 * was written) stays the stored row's in @fields: the server refuses a
 * change of it, and no longer puts it back (an author's moment is signed). */
static void
keep_fixed_columns (TfStore *self, const TfTable *table, const char *id, JsonObject *fields)
{
  g_autoptr(TfRecord) original = tf_store_get (self, table, id, NULL);

  for (guint i = 0; original != NULL && i < table->n_columns; i++)
    {
      const TfColumn *c = &table->columns[i];
      JsonNode *value = json_object_get_member (original->fields, c->name);

      if ((c->flags & TF_COLUMN_IMMUTABLE) && value != NULL && !JSON_NODE_HOLDS_NULL (value))
        json_object_set_member (fields, c->name, json_node_copy (value));
    }
}

/* Validates and writes @fields as record @id (queued). */
static gboolean
write_queued (TfStore *self, const TfTable *table, const char *id, JsonObject *fields,
              GError **error)
{
  g_autoptr(JsonObject) copy = tf_json_object_dup (fields);

  json_object_set_string_member (copy, table->key_column, id);
  return tf_validate_fields (table, copy, TF_VALIDATE_FULL, error) &&
         tf_store_upsert_row (self, table, copy, NULL, error) &&
         tf_store_append_outbox (self, table, id, "upsert", copy, error);
}

static gboolean
resolve_body (TfStore *self, gpointer data, GError **error)
{
  Resolve *r = data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TfConflict) conflict = tf_store_load_conflict (self, r->table, r->copy_id, &local_error);
  const TfTable *t = r->table;

  if (conflict == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                     _("There is no conflict copy %s"), r->copy_id);
      return FALSE;
    }
  r->original_id = g_strdup (conflict->original_id);

  switch (r->how)
    {
    case TF_RESOLVE_TAKE_COPY:
      {
        g_autoptr(JsonObject) taken = tf_json_object_dup (r->fields ? r->fields
                                                                    : conflict->copy->fields);

        keep_fixed_columns (self, t, conflict->original_id, taken);
        return write_queued (self, t, conflict->original_id, taken, error) &&
               drop_copy (self, conflict, error);
      }

    case TF_RESOLVE_DROP_COPY:
      return drop_copy (self, conflict, error);

    case TF_RESOLVE_KEEP_COPY:
      if (!t->conflict_copy_syncs)
        {
          g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT,
                       _("Both versions cannot be kept here; choose one of them"));
          return FALSE;
        }
      {
        g_autofree char *sql = g_strdup_printf ("UPDATE %s SET conflict_of = NULL WHERE %s = ?1",
                                                t->name, t->key_column);
        const char *params[] = { r->copy_id };

        if (!tf_store_exec_bound (self, sql, params, 1, error))
          return FALSE;
      }
      if (r->fields != NULL)
        return write_queued (self, t, r->copy_id, r->fields, error);
      if (!conflict->synced)
        return tf_store_append_outbox (self, t, r->copy_id, "upsert", conflict->copy->fields,
                                       error);
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

gboolean
tf_store_resolve_conflict (TfStore *self, const TfTable *table, const char *copy_id,
                           TfResolve how, JsonObject *fields, GError **error)
{
  Resolve r = { table, copy_id, how, fields, NULL };
  gboolean ok;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (copy_id != NULL, FALSE);
  /* A copy's ciphertexts are not the original's: the caller re-encrypts. */
  g_return_val_if_fail (how != TF_RESOLVE_TAKE_COPY || fields != NULL ||
                        !tf_table_has_encrypted (table), FALSE);

  ok = tf_store_in_transaction (self, resolve_body, &r, error);
  if (ok)
    {
      if (r.original_id != NULL)
        tf_store_emit_changed (self, table->name, r.original_id);
      tf_store_emit_changed (self, table->name, copy_id);
    }
  g_free (r.original_id);
  return ok;
}
