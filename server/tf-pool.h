/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-pool.h: a bounded pool of database workers, one libpq connection each.
 *
 * The HTTP main loop never waits on PostgreSQL: a handler pauses its
 * message, hands a job to the pool and is called back on its own main
 * context with the job's result.
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct _TfPool TfPool;

/* Runs on a worker thread with that worker's connection.  Returns the
 * result (freed with the destroy given to tf_pool_run_async when unused) or
 * NULL with @error set. */
typedef gpointer (*TfPoolFunc) (PGconn   *conn,
                                gpointer  data,
                                GError  **error);

TfPool  *tf_pool_new          (const char         *conninfo,
                               guint               size);
/* Waits for running jobs, closes every connection. */
void     tf_pool_free         (TfPool             *pool);

void     tf_pool_run_async    (TfPool             *pool,
                               TfPoolFunc          func,
                               gpointer            data,
                               GDestroyNotify      data_free,
                               GDestroyNotify      result_free,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data);
gpointer tf_pool_run_finish   (TfPool             *pool,
                               GAsyncResult       *result,
                               GError            **error);

guint    tf_pool_get_size     (TfPool             *pool);
guint    tf_pool_get_busy     (TfPool             *pool);  /* jobs running now */
guint    tf_pool_get_queued   (TfPool             *pool);  /* jobs waiting for a worker */
const char *tf_pool_get_conninfo (TfPool          *pool);

G_END_DECLS
