/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-pool.c: GThreadPool of database workers.
 *
 * Each worker thread owns one connection (thread-private, opened on first
 * use).  A connection that breaks is dropped and reopened by the next job on
 * that thread, so a PostgreSQL restart costs the jobs in flight a 503 and
 * nothing more.  An idle connection is tested before a job gets it: a
 * PostgreSQL that stopped or restarted since its last use closed it (or sent
 * its FATAL), which libpq learns only when it next reads, so without the test
 * the first job on every pooled connection after a restart would fail on a
 * healthy database.  A job left in an open transaction by a failure is rolled
 * back before the connection is reused.  Results return through GTask to the
 * caller's main context.
 */
#define G_LOG_DOMAIN "tf-pool"

#include "config.h"

#include <poll.h>

#include "tf-db.h"
#include "tf-pool.h"

struct _TfPool
{
  char        *conninfo;
  guint        size;
  GThreadPool *threads;
  gint         busy;  /* atomic */
};

typedef struct
{
  TfPoolFunc     func;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} Job;

static GPrivate worker_conn = G_PRIVATE_INIT ((GDestroyNotify) PQfinish);

static void
job_free (Job *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

/* FALSE when the server has closed or is closing @conn.  An idle pool
 * connection (no LISTEN, nothing in flight) has nothing to read unless the
 * server hung up or sent its FATAL notice; anything else unasked for (a
 * parameter report after a reload) costs only a reconnect.  A poll(), no
 * round trip. */
static gboolean
connection_alive (PGconn *conn)
{
  struct pollfd pfd = { .fd = PQsocket (conn), .events = POLLIN };

  return pfd.fd >= 0 && poll (&pfd, 1, 0) == 0;
}

static PGconn *
worker_connection (TfPool *pool, GError **error)
{
  PGconn *conn = g_private_get (&worker_conn);

  if (conn != NULL && PQstatus (conn) == CONNECTION_OK && connection_alive (conn))
    {
      /* A job that failed mid-transaction must not leak it into the next. */
      if (PQtransactionStatus (conn) != PQTRANS_IDLE)
        {
          PGresult *r = PQexec (conn, "ROLLBACK");
          PQclear (r);
        }
      if (PQstatus (conn) == CONNECTION_OK && PQtransactionStatus (conn) == PQTRANS_IDLE)
        return conn;
    }
  g_private_replace (&worker_conn, NULL);
  conn = tf_db_connect (pool->conninfo, error);
  if (conn != NULL)
    g_private_set (&worker_conn, conn);
  return conn;
}

static void
run_job (gpointer item, gpointer user_data)
{
  g_autoptr(GTask) task = item;
  TfPool *pool = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PGconn *conn;
  gpointer result = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  g_atomic_int_inc (&pool->busy);
  conn = worker_connection (pool, &error);
  if (conn != NULL)
    result = job->func (conn, job->data, &error);
  if (error != NULL && error->domain == TF_DB_ERROR && error->code == TF_DB_ERROR_UNAVAILABLE)
    g_private_replace (&worker_conn, NULL);
  g_atomic_int_dec_and_test (&pool->busy);

  if (error != NULL)
    {
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, job->result_free);
}

TfPool *
tf_pool_new (const char *conninfo, guint size)
{
  TfPool *pool;

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  pool = g_new0 (TfPool, 1);
  pool->conninfo = g_strdup (conninfo);
  pool->size = size;
  /* Exclusive: the threads (and their connections) are this pool's alone,
   * never lent to GLib's shared threads, and end with it. */
  pool->threads = g_thread_pool_new (run_job, pool, (int) size, TRUE, NULL);
  return pool;
}

void
tf_pool_free (TfPool *pool)
{
  if (pool == NULL)
    return;
  /* Finish queued and running jobs; their connections close with their threads. */
  g_thread_pool_free (pool->threads, FALSE, TRUE);
  g_free (pool->conninfo);
  g_free (pool);
}

void
tf_pool_run_async (TfPool             *pool,
                   TfPoolFunc          func,
                   gpointer            data,
                   GDestroyNotify      data_free,
                   GDestroyNotify      result_free,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (pool != NULL);
  g_return_if_fail (func != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_pool_run_async);
  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_thread_pool_push (pool->threads, task, NULL);
}

gpointer
tf_pool_run_finish (TfPool *pool, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tf_pool_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
tf_pool_get_size (TfPool *pool)
{
  return pool->size;
}

guint
tf_pool_get_busy (TfPool *pool)
{
  return (guint) g_atomic_int_get (&pool->busy);
}

guint
tf_pool_get_queued (TfPool *pool)
{
  return g_thread_pool_unprocessed (pool->threads);
}

const char *
tf_pool_get_conninfo (TfPool *pool)
{
  return pool->conninfo;
}
