/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-ids.c: where this device's mutation ids stand against the server.
 *
 * A mutation id is the outbox's AUTOINCREMENT key: it strictly increases on
 * one profile, and the server answers an id at or below the device's
 * last_mutation_id with the answer it stored the first time.  Two things can
 * break that, and the sync engine needs three numbers to tell:
 *
 *   - the highest id ever given out here (sqlite_sequence of outbox);
 *   - the highest id ever sent ("sent_mutation_id", saved before the push
 *     goes out): a repeated answer for an id above it cannot be a retry of
 *     ours, so the profile was restored from a backup or copied, and its ids
 *     are being reused — those mutations get new ids above the server's and
 *     are sent again (tf_store_outbox_renumber), never dropped;
 *   - the highest id the server acknowledged ("acked_mutation_id"): a pull
 *     saying the server's last_mutation_id is below it means the server lost
 *     acknowledged changes, which the user is told.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-store-private.h"

#define SENT_KEY  "sent_mutation_id"
#define ACKED_KEY "acked_mutation_id"

static gint64
state_int (TfStore *self, const char *key, gint64 fallback, GError **error)
{
  return tf_store_query_int (self, "SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = ?1",
                             key, fallback, error);
}

gint64
tf_store_get_sent_mutation (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), -1);

  /* A profile from before this was kept: nothing to compare with (-2, so
   * that -1 stays the error). */
  return state_int (self, SENT_KEY, -2, error);
}

gboolean
tf_store_set_sent_mutation (TfStore *self, gint64 mutation_id, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  return tf_store_raise_state (self, SENT_KEY, mutation_id, error);
}

gint64
tf_store_get_acked_mutation (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), -1);

  return state_int (self, ACKED_KEY, 0, error);
}

gboolean
tf_store_set_acked_mutation (TfStore *self, gint64 mutation_id, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, mutation_id);
  const char * const keys[] = { ACKED_KEY, NULL };
  const char * const values[] = { text, NULL };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  /* Set, not raised: after the server went back, its word is the base. */
  return tf_store_set_state (self, keys, values, error);
}

typedef struct
{
  GArray *ids;    /* gint64, ascending */
  gint64  above;
} Renumber;

static gboolean
renumber_body (TfStore *self, gpointer data, GError **error)
{
  Renumber *r = data;
  gint64 next = tf_store_query_int (self, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'",
                                    NULL, 0, error);
  g_autofree char *last = NULL;

  if (next < 0)
    return FALSE;
  next = MAX (next, r->above);
  for (guint i = 0; r->ids != NULL && i < r->ids->len; i++)
    {
      g_autofree char *old_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 g_array_index (r->ids, gint64, i));
      g_autofree char *new_id = g_strdup_printf ("%" G_GINT64_FORMAT, ++next);
      const char *params[] = { new_id, old_id };

      if (!tf_store_exec_bound (self, "UPDATE outbox SET mutation_id = CAST(?1 AS INTEGER),"
                                      " attempts = 0 WHERE mutation_id = CAST(?2 AS INTEGER)",
                                params, 2, error))
        return FALSE;
    }
  /* The next write takes the id after these: above the server's too. */
  last = g_strdup_printf ("%" G_GINT64_FORMAT, next);
  {
    const char *params[] = { last };

    if (!tf_store_exec_bound (self, "UPDATE sqlite_sequence SET seq = CAST(?1 AS INTEGER)"
                                    " WHERE name = 'outbox'", params, 1, error) ||
        !tf_store_exec_bound (self, "INSERT INTO sqlite_sequence (name, seq)"
                                    " SELECT 'outbox', CAST(?1 AS INTEGER) WHERE NOT EXISTS"
                                    " (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox')",
                              params, 1, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
tf_store_outbox_renumber (TfStore *self, GArray *ids, gint64 above, GError **error)
{
  Renumber r = { ids, above };
  gint64 given;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  given = tf_store_query_int (self, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'",
                              NULL, 0, error);
  if (given < 0)
    return FALSE;
  /* Nothing to move and the next id is already above: no write at all. */
  if ((ids == NULL || ids->len == 0) && given >= above)
    return TRUE;
  return tf_store_in_transaction (self, renumber_body, &r, error);
}

gboolean
tf_store_outbox_move_to_end (TfStore *self, const TfTable *table, const char *id, GError **error)
{
  g_auto(TfStoreStmt) q = { NULL };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  Renumber r = { ids, 0 };
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL && id != NULL, FALSE);

  if (self->group == 0)
    return TRUE;
  if (!tf_store_prepare (self, &q, "SELECT mutation_id FROM outbox WHERE table_name = ?1"
                                   " AND record_id = ?2 AND atomic_group = ?3"
                                   " ORDER BY mutation_id", error))
    return FALSE;
  sqlite3_bind_text (q.stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (q.stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (q.stmt, 3, self->group);
  while ((rc = sqlite3_step (q.stmt)) == SQLITE_ROW)
    {
      gint64 mutation = sqlite3_column_int64 (q.stmt, 0);

      g_array_append_val (ids, mutation);
    }
  if (rc != SQLITE_DONE)
    {
      tf_store_set_error (error, self->db, rc, _("Cannot read the store"));
      return FALSE;
    }
  /* Their atomic_group stays: a value no other queued mutation has. */
  return ids->len == 0 || renumber_body (self, &r, error);
}
