/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-watch.c: the long-poll loop (GET /v1/sync/wait) of the app.
 *
 * The watch is shared by the main thread and the worker, each holding a
 * reference.  Stopping cancels the wait in flight; the worker then drops its
 * reference and ends.  A wake-up reaches the main context through an idle
 * source that checks, on the main thread, that the watch was not stopped
 * meanwhile — so @changed never runs for a locked session.
 */
#define G_LOG_DOMAIN "tf-sync-watch"

#include "config.h"

#include "tf-sync-watch.h"

#define FIRST_BACKOFF_MS 2000
#define LAST_BACKOFF_MS (5 * 60 * 1000)

struct _TfSyncWatch
{
  gatomicrefcount  ref_count;
  char            *db_path;
  TfSyncClient    *client;     /* used by the worker only, once started */
  GCancellable    *cancellable;
  GMainContext    *context;
  GSourceFunc      changed;
  gpointer         data;
};

static TfSyncWatch *
watch_ref (TfSyncWatch *watch)
{
  g_atomic_ref_count_inc (&watch->ref_count);
  return watch;
}

static void
watch_unref (TfSyncWatch *watch)
{
  if (!g_atomic_ref_count_dec (&watch->ref_count))
    return;
  g_free (watch->db_path);
  g_object_unref (watch->client);
  g_object_unref (watch->cancellable);
  g_main_context_unref (watch->context);
  g_free (watch);
}

static gboolean
tell_main (gpointer data)
{
  TfSyncWatch *watch = data;

  if (!g_cancellable_is_cancelled (watch->cancellable))
    watch->changed (watch->data);
  return G_SOURCE_REMOVE;
}

/* Always a source attached to the main context, never a direct call:
 * g_main_context_invoke() runs the function on the calling thread whenever
 * it can acquire the context, which the worker can whenever the main loop
 * is between iterations — @changed (a sync of the session) then ran on this
 * thread, beside the main thread's own use of the session's keys. */
static void
wake_main (TfSyncWatch *watch)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, tell_main, watch_ref (watch), (GDestroyNotify) watch_unref);
  g_source_set_static_name (source, "tf-sync-watch wake");
  g_source_attach (source, watch->context);
}

/* Sleeps @ms or until the watch is stopped; FALSE when stopped. */
static gboolean
sleep_unless_stopped (TfSyncWatch *watch, int ms)
{
  GPollFD fd;

  if (!g_cancellable_make_pollfd (watch->cancellable, &fd))
    {
      g_usleep ((gulong) ms * 1000);
      return !g_cancellable_is_cancelled (watch->cancellable);
    }
  g_poll (&fd, 1, ms);
  g_cancellable_release_fd (watch->cancellable);
  return !g_cancellable_is_cancelled (watch->cancellable);
}

static gpointer
watch_thread (gpointer data)
{
  TfSyncWatch *watch = data;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int backoff = FIRST_BACKOFF_MS;

  store = tf_store_open (watch->db_path, &error);
  if (store == NULL)
    g_warning ("Live updates are off: %s", error->message);
  while (store != NULL && !g_cancellable_is_cancelled (watch->cancellable))
    {
      gboolean changes = FALSE;

      g_clear_error (&error);
      if (tf_sync_client_wait (watch->client, store, 0, &changes, watch->cancellable, &error))
        {
          backoff = FIRST_BACKOFF_MS;
          if (changes)
            {
              wake_main (watch);
              /* Let that sync pull before asking again. */
              if (!sleep_unless_stopped (watch, 500))
                break;
            }
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
      /* Unreachable, or refused: a sync says which, and pushes what waits
       * once the server is back. */
      if (!sleep_unless_stopped (watch, backoff))
        break;
      wake_main (watch);
      if (g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_KEYS_REPLACED) ||
          g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED))
        break;
      backoff = MIN (backoff * 2, LAST_BACKOFF_MS);
    }
  watch_unref (watch);
  return NULL;
}

TfSyncWatch *
tf_sync_watch_start (const char *db_path, TfSyncClient *client, GSourceFunc changed,
                     gpointer data)
{
  TfSyncWatch *watch = g_new0 (TfSyncWatch, 1);

  g_atomic_ref_count_init (&watch->ref_count);
  watch->db_path = g_strdup (db_path);
  watch->client = g_object_ref (client);
  watch->cancellable = g_cancellable_new ();
  watch->context = g_main_context_ref_thread_default ();
  watch->changed = changed;
  watch->data = data;
  g_thread_unref (g_thread_new ("tf-sync-watch", watch_thread, watch_ref (watch)));
  return watch;
}

void
tf_sync_watch_stop (TfSyncWatch *watch)
{
  if (watch == NULL)
    return;
  g_cancellable_cancel (watch->cancellable);
  watch_unref (watch);
}
