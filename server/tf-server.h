/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-server.h: the HTTP server: listening, routing, limits, metrics,
 * health, graceful shutdown.  Subsystems (auth, sync, directory) register
 * their routes; the server owns the database pool they run on.
 */
#pragma once

#include "tf-http.h"

G_BEGIN_DECLS

typedef void (*TfRouteHandler) (TfRequest *req);

TfServer   *tf_server_new            (TfConfig     *config,
                                      GError      **error);
void        tf_server_free           (TfServer     *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfServer, tf_server_free)

/* @path is exact, or a prefix when it ends with '/'. */
void        tf_server_add_route      (TfServer      *server,
                                      const char    *method,
                                      const char    *path,
                                      TfRouteHandler handler);

/* Starts listening (TLS when configured); the actual port when 0 was asked. */
gboolean    tf_server_listen         (TfServer     *server,
                                      guint16      *out_port,
                                      GError      **error);
/* Serves @socket, already connected, as if tf_server_listen() had
 * accepted it: the same request path, without a listening socket (the fuzz
 * target of the push endpoint drives it in-process). */
gboolean    tf_server_accept_socket  (TfServer     *server,
                                      GSocket      *socket,
                                      GError      **error);
/* Stops accepting, lets requests in flight finish (at most @grace_ms), and
 * quits @loop. */
void        tf_server_shutdown       (TfServer     *server,
                                      GMainLoop    *loop,
                                      guint         grace_ms);

TfConfig   *tf_server_get_config     (TfServer     *server);
TfPool     *tf_server_get_pool       (TfServer     *server);
gboolean    tf_server_is_stopping    (TfServer     *server);

/* Runs @func on the pool; on completion calls @done on the main context
 * with the result, or replies with the error and frees @req. */
typedef void (*TfRequestDone) (TfRequest *req, gpointer result);
void        tf_server_run_db         (TfRequest     *req,
                                      TfPoolFunc     func,
                                      gpointer       data,
                                      GDestroyNotify data_free,
                                      GDestroyNotify result_free,
                                      TfRequestDone  done);

/* Counts a finished request for /metrics. */
void        tf_server_record_request (TfServer     *server,
                                      const char   *route,
                                      guint         status,
                                      gint64        duration_us);

/* Subsystem hooks kept by the server. */
gpointer    tf_server_get_sync       (TfServer     *server);
/* @stop is called when shutdown begins (answer long-polls now). */
void        tf_server_set_sync       (TfServer     *server,
                                      gpointer      sync,
                                      GDestroyNotify destroy,
                                      void        (*stop) (TfServer *server));

G_END_DECLS
