/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notify.c: the LISTEN thread.
 *
 * It waits on the connection's socket with a short timeout so it can notice
 * shutdown, reconnects after a second when PostgreSQL goes away, and hands
 * every notification to the main context with g_main_context_invoke.  While
 * it is disconnected, waiting requests simply run to their timeout: a
 * long-poll is a hint, the pull is the truth.
 */
#define G_LOG_DOMAIN "tf-notify"

#include "config.h"

#include <poll.h>

#include "tf-db.h"
#include "tf-notify.h"

struct _TfNotify
{
  char         *conninfo;
  TfNotifyFunc  func;
  gpointer      user_data;
  GMainContext *context;
  GThread      *thread;
  gint          stopping;  /* atomic */
};

typedef struct
{
  TfNotify *notify;
  char     *user_id;
} Delivery;

static gboolean
deliver (gpointer data)
{
  Delivery *delivery = data;

  if (!g_atomic_int_get (&delivery->notify->stopping))
    delivery->notify->func (delivery->user_id, delivery->notify->user_data);
  g_free (delivery->user_id);
  g_free (delivery);
  return G_SOURCE_REMOVE;
}

static gpointer
listen_thread (gpointer data)
{
  TfNotify *notify = data;
  PGconn *conn = NULL;

  while (!g_atomic_int_get (&notify->stopping))
    {
      struct pollfd pfd;
      PGnotify *n;

      if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
        {
          g_clear_pointer (&conn, PQfinish);
          conn = tf_db_connect (notify->conninfo, NULL);
          if (conn == NULL || !tf_db_exec (conn, "LISTEN tf_sync", NULL))
            {
              g_clear_pointer (&conn, PQfinish);
              g_usleep (G_USEC_PER_SEC / 2);
              continue;
            }
        }
      pfd.fd = PQsocket (conn);
      pfd.events = POLLIN;
      pfd.revents = 0;
      if (poll (&pfd, 1, 250) < 0 || !PQconsumeInput (conn))
        {
          g_clear_pointer (&conn, PQfinish);
          continue;
        }
      while ((n = PQnotifies (conn)) != NULL)
        {
          Delivery *delivery = g_new0 (Delivery, 1);

          delivery->notify = notify;
          delivery->user_id = g_strdup (n->extra);
          g_main_context_invoke (notify->context, deliver, delivery);
          PQfreemem (n);
        }
    }
  g_clear_pointer (&conn, PQfinish);
  return NULL;
}

TfNotify *
tf_notify_new (const char *conninfo, TfNotifyFunc func, gpointer user_data)
{
  TfNotify *notify = g_new0 (TfNotify, 1);

  notify->conninfo = g_strdup (conninfo);
  notify->func = func;
  notify->user_data = user_data;
  notify->context = g_main_context_ref_thread_default ();
  notify->thread = g_thread_new ("tf-notify", listen_thread, notify);
  return notify;
}

void
tf_notify_free (TfNotify *notify)
{
  if (notify == NULL)
    return;
  g_atomic_int_set (&notify->stopping, 1);
  g_thread_join (notify->thread);
  /* Deliveries still queued on the main context would point at us: run them
   * out now (they do nothing while stopping). */
  while (g_main_context_iteration (notify->context, FALSE))
    ;
  g_main_context_unref (notify->context);
  g_free (notify->conninfo);
  g_free (notify);
}
