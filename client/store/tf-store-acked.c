/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-acked.c: the mutations the server acknowledged, kept a while
 * after they leave the outbox, for a server that loses them.
 *
 * A server restored from an older backup has forgotten what this device
 * pushed since the backup: its last_mutation_id for the device is below what
 * it acknowledged before.  The sync engine notices (tf-sync-answer.c) and
 * puts back in the queue what is still kept here, so the server gets it
 * again instead of the user being told it is gone.  Kept for at most
 * ACKED_KEEP_DAYS and the newest ACKED_KEEP_COUNT: enough for any backup an
 * operator restores in practice, and bounded, because the fields are whole
 * records (envelopes, often kilobytes).  The highest id ever dropped is
 * kept in sync_state, so the device can say when a loss reaches further
 * back than it can mend.
 *
 * Only "applied" answers are kept: a rejected mutation changed nothing on
 * the server, and a conflict stays in the outbox anyway.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-store-private.h"
#include "tf-time.h"

#define ACKED_KEEP_DAYS  30
#define ACKED_KEEP_COUNT 2000
#define DROPPED_KEY      "acked_dropped_mutation_id"

gboolean
tf_store_keep_acked (TfStore *self, const char *mutation, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *params[] = { mutation, stamp };

  return tf_store_exec_bound (self,
                              "INSERT OR REPLACE INTO outbox_acked (mutation_id, table_name,"
                              " record_id, op, base_version, fields, created_at,"
                              " acknowledged_at, revision, signature, atomic_group) SELECT"
                              " mutation_id, table_name, record_id, op, base_version, fields,"
                              " created_at, ?2, revision, signature, atomic_group FROM outbox"
                              " WHERE mutation_id = CAST(?1 AS INTEGER)",
                              params, G_N_ELEMENTS (params), error);
}

gboolean
tf_store_prune_acked (TfStore *self, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -ACKED_KEEP_DAYS);
  g_autofree char *cutoff = tf_time_format_timestamp (then);
  g_autofree char *count = g_strdup_printf ("%d", ACKED_KEEP_COUNT);
  const char *where = " WHERE acknowledged_at < ?1 OR mutation_id NOT IN (SELECT mutation_id"
                      " FROM outbox_acked ORDER BY mutation_id DESC LIMIT CAST(?2 AS INTEGER))";
  g_autofree char *max_sql = g_strconcat ("SELECT max(mutation_id) FROM outbox_acked", where,
                                          NULL);
  g_autofree char *delete_sql = g_strconcat ("DELETE FROM outbox_acked", where, NULL);
  const char *params[] = { cutoff, count };
  g_auto(TfStoreStmt) q = { NULL };
  gint64 dropped;

  if (!tf_store_prepare (self, &q, max_sql, error))
    return FALSE;
  sqlite3_bind_text (q.stmt, 1, cutoff, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (q.stmt, 2, ACKED_KEEP_COUNT);
  if (sqlite3_step (q.stmt) != SQLITE_ROW)
    {
      tf_store_set_error (error, self->db, sqlite3_errcode (self->db),
                          _("Cannot read the store"));
      return FALSE;
    }
  if (sqlite3_column_type (q.stmt, 0) == SQLITE_NULL)
    return TRUE;
  dropped = sqlite3_column_int64 (q.stmt, 0);
  return tf_store_raise_state (self, DROPPED_KEY, dropped, error) &&
         tf_store_exec_bound (self, delete_sql, params, G_N_ELEMENTS (params), error);
}

/* --- putting back what the server lost ------------------------------------ */

/* One record's kept mutations above the server's number, folded into the
 * one mutation that goes again. */
typedef struct
{
  char       *table;
  char       *record_id;
  gint64      mutation_id;   /* the newest: the place in the queue */
  gint64      base_version;  /* the oldest: what the server went back to */
  char       *op;
  JsonObject *fields;        /* the fields of every upsert, later over earlier */
  gint64      revision;      /* the newest's author revision and signature, or 0/NULL */
  char       *signature;
  gint64      group;         /* the newest's atomic group, 0: none */
} Lost;

static void
lost_free (Lost *lost)
{
  g_free (lost->table);
  g_free (lost->record_id);
  g_free (lost->op);
  g_free (lost->signature);
  g_clear_pointer (&lost->fields, json_object_unref);
  g_free (lost);
}

typedef struct
{
  gint64  above;
  guint   requeued;
  gint64  unkept;
} Requeue;

/* Folds the kept mutations above @r->above per record, in id order. */
static GPtrArray *
read_lost (TfStore *self, Requeue *r, GError **error)
{
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func ((GDestroyNotify) lost_free);
  g_autoptr(GHashTable) by_record = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(TfStoreStmt) q = { NULL };
  int rc;

  if (!tf_store_prepare (self, &q, "SELECT mutation_id, table_name, record_id, op, base_version,"
                                   " fields, revision, signature, atomic_group FROM outbox_acked"
                                   " WHERE mutation_id > ?1"
                                   " ORDER BY mutation_id", error))
    return NULL;
  sqlite3_bind_int64 (q.stmt, 1, r->above);
  while ((rc = sqlite3_step (q.stmt)) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (q.stmt, 1);
      const char *record_id = (const char *) sqlite3_column_text (q.stmt, 2);
      const char *fields = (const char *) sqlite3_column_text (q.stmt, 5);
      g_autofree char *key = g_strconcat (table, "\n", record_id, NULL);
      Lost *l = g_hash_table_lookup (by_record, key);

      if (l == NULL)
        {
          l = g_new0 (Lost, 1);
          l->table = g_strdup (table);
          l->record_id = g_strdup (record_id);
          l->base_version = sqlite3_column_int64 (q.stmt, 4);
          l->fields = json_object_new ();
          g_ptr_array_add (lost, l);
          g_hash_table_insert (by_record, g_steal_pointer (&key), l);
        }
      l->mutation_id = sqlite3_column_int64 (q.stmt, 0);
      /* The last one's group: the folded record goes again with it. */
      l->group = sqlite3_column_int64 (q.stmt, 8); /* NULL reads 0 */
      /* The last one's signature: an upsert carries the whole record, so
       * the folded fields are the ones it signed. */
      l->revision = sqlite3_column_int64 (q.stmt, 6);
      g_free (l->signature);
      l->signature = g_strdup ((const char *) sqlite3_column_text (q.stmt, 7));
      g_free (l->op);
      l->op = g_strdup ((const char *) sqlite3_column_text (q.stmt, 3));
      if (fields != NULL)
        {
          g_autoptr(JsonNode) node = json_from_string (fields, NULL);

          if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
            {
              JsonObjectIter iter;
              const char *name;
              JsonNode *value;

              json_object_iter_init (&iter, json_node_get_object (node));
              while (json_object_iter_next (&iter, &name, &value))
                json_object_set_member (l->fields, name, json_node_copy (value));
            }
        }
      r->requeued++;
    }
  if (rc != SQLITE_DONE)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return NULL;
    }
  return g_steal_pointer (&lost);
}

static gboolean
requeue_body (TfStore *self, gpointer data, GError **error)
{
  Requeue *r = data;
  g_autoptr(GPtrArray) lost = read_lost (self, r, error);
  g_autofree char *above = g_strdup_printf ("%" G_GINT64_FORMAT, r->above);
  const char *above_params[] = { above };
  gint64 dropped;

  if (lost == NULL)
    return FALSE;
  for (guint i = 0; i < lost->len; i++)
    {
      Lost *l = g_ptr_array_index (lost, i);
      gboolean deleted = strcmp (l->op, "delete") == 0;
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, l->mutation_id);
      g_autofree char *base = g_strdup_printf ("%" G_GINT64_FORMAT, l->base_version);
      g_autofree char *fields = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = tf_time_format_timestamp (now);
      const char *base_params[] = { l->table, l->record_id };

      /* Made and deleted since the server's backup: nothing to send. */
      if (deleted && l->base_version == 0)
        continue;
      if (!deleted)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), l->fields);
          fields = json_to_string (node, FALSE);
        }
      {
        g_autofree char *revision = l->signature != NULL
                                      ? g_strdup_printf ("%" G_GINT64_FORMAT, l->revision)
                                      : NULL;
        g_autofree char *group = l->group != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, l->group)
                                               : NULL;
        const char *params[] = {
          id, l->table, l->record_id, l->op, base, fields, stamp, revision, l->signature, group
        };

        if (!tf_store_exec_bound (self, "INSERT INTO outbox (mutation_id, table_name, record_id,"
                                        " op, base_version, fields, created_at, revision,"
                                        " signature, atomic_group) VALUES"
                                        " (CAST(?1 AS INTEGER), ?2, ?3, ?4, CAST(?5 AS INTEGER),"
                                        " ?6, ?7, CAST(?8 AS INTEGER), ?9, CAST(?10 AS INTEGER))",
                                  params,
                                  G_N_ELEMENTS (params), error))
          return FALSE;
      }
      /* The last synced copy is one the server no longer has: without it,
       * a conflict on the way back is a clash (a copy for the user), never
       * a merge that takes the server's older values over these. */
      if (!tf_store_exec_bound (self, "DELETE FROM sync_base WHERE table_name = ?1"
                                      " AND record_id = ?2", base_params, 2, error))
        return FALSE;
    }
  dropped = tf_store_query_int (self, "SELECT CAST(value AS INTEGER) FROM sync_state"
                                      " WHERE key = ?1", DROPPED_KEY, 0, error);
  if (dropped < 0)
    return FALSE;
  r->unkept = MAX (0, dropped - r->above);
  return tf_store_exec_bound (self, "DELETE FROM outbox_acked WHERE mutation_id >"
                                    " CAST(?1 AS INTEGER)", above_params, 1, error);
}

gboolean
tf_store_outbox_requeue_acked (TfStore *self, gint64 above, guint *out_requeued,
                               gint64 *out_unkept, GError **error)
{
  Requeue r = { above, 0, 0 };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (above >= 0, FALSE);

  if (!tf_store_in_transaction (self, requeue_body, &r, error))
    return FALSE;
  if (out_requeued != NULL)
    *out_requeued = r.requeued;
  if (out_unkept != NULL)
    *out_unkept = r.unkept;
  return TRUE;
}
