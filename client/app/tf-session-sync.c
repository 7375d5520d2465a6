/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-sync.c: the session's syncs, and the sync state they leave.
 *
 * A sync runs in a worker on a store connection of its own (tf-session.c
 * says why); when it ends, the main thread's store announces the tables
 * the worker changed, and ::synced follows.  A server that refuses the
 * device's session signs it out (TF_SIGNED_OUT_REFUSED) — unless the
 * person is signing out or signed out: then the refusal was theirs, and a
 * sync that ends after they signed out changes nothing.
 */
#define G_LOG_DOMAIN "tf-session"

#include "config.h"

#include "tf-session-private.h"

/* A sync's own: the worker touches nothing of the session's but the path. */
typedef struct
{
  TfSyncClient *client;   /* built on the main thread from the open vault (the token
                           * opens with the master key only) */
  TfKeys       *keys;     /* a copy: a lapsed session renews by itself */
  char         *user_id;
  gboolean      renewed;  /* it did: the live-update watch needs the new token */
  TfSettleReport settled; /* what settling after the sync found (tf_account_settle) */
  char         *settle_error;  /* why settling failed, or NULL */
  GHashTable   *tables;   /* names of the tables the worker's connection changed */
} SyncJob;

static void
sync_job_free (SyncJob *job)
{
  g_clear_pointer (&job->tables, g_hash_table_unref);
  g_clear_object (&job->client);
  g_clear_pointer (&job->keys, tf_keys_free);
  g_free (job->user_id);
  tf_settle_report_clear (&job->settled);
  g_free (job->settle_error);
  g_free (job);
}

/* After the sync, on the worker's connection and a vault of its own: old
 * plaintext encrypted, the keys of people in care fetched, key grants
 * checked (the banner shows the refusals), shares brought in line
 * (tf_account_settle).  Done with before the task returns, so nothing of it
 * outlives the sync; a failure is the sync's message, not its failure. */
static void
settle (TfVault *vault, SyncJob *job)
{
  g_autoptr(GError) error = NULL;

  if (!tf_account_settle (vault, &job->settled, &error))
    job->settle_error = g_strdup (error->message);
  if (job->settled.legacy_error != NULL)
    g_message ("Old plaintext stays for now: %s", job->settled.legacy_error);
}

/* On the worker's thread: the tables the sync wrote, for the main
 * thread's connection to announce when it ends. */
static void
on_worker_store_changed_cb (TfStore *store, const char *table, const char *id, SyncJob *job)
{
  if (table != NULL && !g_hash_table_contains (job->tables, table))
    g_hash_table_add (job->tables, g_strdup (table));
}

static void
sync_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  TfSession *self = source;
  SyncJob *job = data;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfVault) vault = NULL;
  TfSyncReport report = { 0 };
  GError *error = NULL;

  /* A connection of this thread's own, and a vault on it before the pull:
   * the vault is what checks each pulled record's author signature (the
   * store's verify function); without it an altered record was taken. */
  store = tf_store_open (self->path, &error);
  if (store != NULL)
    {
      g_signal_connect (store, "changed", G_CALLBACK (on_worker_store_changed_cb), job);
      vault = tf_vault_new (store, job->user_id, tf_keys_copy (job->keys));
    }
  if (store != NULL && tf_account_sync (store, job->keys, job->user_id, job->client, &report,
                                        &job->renewed, &error))
    {
      settle (vault, job);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

/* The server refused this device and only the person can sign in again:
 * signed out from elsewhere, the password changed elsewhere, suspended, or
 * a code asked for.  A lapse alone was renewed in the worker. */
static gboolean
is_signed_out (const GError *error)
{
  return g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_SIGN_IN_NEEDED) ||
         g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_KEYS_REPLACED) ||
         g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED);
}

static void
sync_done (GObject *source, GAsyncResult *result, gpointer data)
{
  TfSession *self = TF_SESSION (source);
  SyncJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  const char *table;

  self->syncing = FALSE;
  /* What the worker wrote, this thread's list models follow: each reloads
   * once if its table is among them. */
  g_hash_table_iter_init (&iter, job->tables);
  while (g_hash_table_iter_next (&iter, (gpointer *) &table, NULL))
    tf_store_announce_changed (self->store, table);
  /* A watch refused with the lapsed token has ended: one with the new. */
  if (job->renewed)
    tf_session_start_watch (self);
  g_clear_pointer (&self->sync_error, g_free);
  if (self->signed_out == TF_SIGNED_OUT_BY_PERSON)
    /* The person signed out while it ran: signed out it stays. */
    g_task_propagate_boolean (G_TASK (result), NULL);
  else if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* What settling queued goes at once; should settling queue again
       * every time, the next sync (or change) takes it instead of a loop. */
      if (job->settled.push_again && self->settle_rounds++ < 2)
        self->sync_again = TRUE;
      else if (!job->settled.push_again)
        self->settle_rounds = 0;
      self->sync_error = g_strdup (job->settle_error);
      tf_session_set_sync_state (self, TF_SYNC_STATE_IDLE);
    }
  else
    {
      self->sync_error = g_strdup (error->message);
      if (!is_signed_out (error))
        tf_session_set_sync_state (self, TF_SYNC_STATE_OFFLINE);
      else
        {
          self->keys_replaced = g_error_matches (error, TF_SYNC_ERROR,
                                                 TF_SYNC_ERROR_KEYS_REPLACED);
          tf_session_set_signed_out (self, self->signing_out ? TF_SIGNED_OUT_BY_PERSON
                                                             : TF_SIGNED_OUT_REFUSED);
        }
    }
  tf_session_emit_synced (self);
  if (self->sync_again)
    {
      self->sync_again = FALSE;
      tf_session_sync (self);
    }
}

void
tf_session_sync (TfSession *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  SyncJob *job;

  /* Locked, the session's token cannot be read: the unlock syncs. */
  if (self->sync_state == TF_SYNC_STATE_LOCAL_ONLY || self->vault == NULL)
    return;
  if (self->syncing)
    {
      /* What was written during this sync goes in the next one. */
      self->sync_again = TRUE;
      return;
    }
  client = tf_account_new_sync_client (self->vault, &error);
  if (client == NULL)
    {
      g_free (self->sync_error);
      self->sync_error = g_strdup (error->message);
      /* No session held here: this device was signed out on it. */
      tf_session_set_signed_out (self, TF_SIGNED_OUT_BY_PERSON);
      tf_session_emit_synced (self);
      return;
    }
  self->syncing = TRUE;
  tf_session_set_sync_state (self, TF_SYNC_STATE_SYNCING);
  job = g_new0 (SyncJob, 1);
  job->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  job->client = g_steal_pointer (&client);
  job->keys = tf_keys_copy (tf_vault_get_keys (self->vault));
  job->user_id = g_strdup (tf_vault_get_user_id (self->vault));
  task = g_task_new (self, NULL, sync_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) sync_job_free);
  g_task_run_in_thread (task, sync_thread);
}

TfSyncState
tf_session_get_sync_state (TfSession *self)
{
  return self->sync_state;
}

gint64
tf_session_get_pending (TfSession *self)
{
  return tf_store_outbox_count (self->store, NULL);
}

char *
tf_session_dup_last_sync (TfSession *self)
{
  return tf_store_dup_state (self->store, "last_sync", NULL);
}

const char *
tf_session_get_sync_error (TfSession *self)
{
  return self->sync_error;
}

gboolean
tf_session_get_keys_replaced (TfSession *self)
{
  g_return_val_if_fail (TF_IS_SESSION (self), FALSE);

  return self->signed_out == TF_SIGNED_OUT_REFUSED && self->keys_replaced;
}

TfSignedOut
tf_session_get_signed_out (TfSession *self)
{
  return self->signed_out;
}
