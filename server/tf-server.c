/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-server.c: the SoupServer, its routes and its operational endpoints.
 *
 * Connections: the server listens itself (tf-listener.c) and each connection
 * passes through a TfConn (tf-conn.c), which refuses a bad head or a body
 * over the limit before libsoup reads it, and keeps the timeouts.
 *
 * Request life: the handler builds a TfRequest (holding a ref on the message),
 * pauses the message and calls the route's handler, which usually runs its
 * work on the database pool (tf_server_run_db) and replies from the main
 * context.  A client that disconnects cancels the request's cancellable; the
 * work finishes or stops, and nothing is written back to it.
 *
 * Shutdown (SIGTERM): answer new requests 503, let the ones in flight finish
 * within a grace period (long-polls are answered at once), then quit.
 */
#define G_LOG_DOMAIN "tf-server"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tf-auth.h"
#include "tf-db.h"
#include "tf-listener.h"
#include "tf-server.h"

typedef struct
{
  char          *method;
  char          *path;
  gboolean       prefix;
  TfRouteHandler handler;
} Route;

static const double latency_bounds[] = {
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
};

struct _TfServer
{
  TfConfig      *config;        /* borrowed: outlives the server */
  TfPool        *pool;
  SoupServer    *soup;
  GTlsCertificate *certificate; /* NULL: plain HTTP */
  TfListener    *listener;
  GPtrArray     *routes;
  guint          in_flight;     /* requests not yet answered */
  guint          unfinished;    /* answers not yet written to their client */
  gboolean       stopping;
  GMainLoop     *loop;          /* set while shutting down */
  guint          grace_id;

  /* metrics; touched only on the main context */
  GHashTable    *request_counts; /* "route\tstatus" -> guint64* */
  guint64        latency_buckets[G_N_ELEMENTS (latency_bounds)];
  guint64        latency_count;
  double         latency_sum;

  guint          maintenance_id; /* hourly upkeep: partitions, throttle rows */

  gpointer       sync;
  GDestroyNotify sync_destroy;
  void         (*sync_stop) (TfServer *server);
};

static void
route_free (Route *route)
{
  g_free (route->method);
  g_free (route->path);
  g_free (route);
}

TfConfig *
tf_server_get_config (TfServer *server)
{
  return server->config;
}

TfPool *
tf_server_get_pool (TfServer *server)
{
  return server->pool;
}

gboolean
tf_server_is_stopping (TfServer *server)
{
  return server->stopping;
}

gpointer
tf_server_get_sync (TfServer *server)
{
  return server->sync;
}

void
tf_server_set_sync (TfServer *server, gpointer sync, GDestroyNotify destroy,
                    void (*stop) (TfServer *server))
{
  server->sync = sync;
  server->sync_destroy = destroy;
  server->sync_stop = stop;
}

void
tf_server_add_route (TfServer *server, const char *method, const char *path,
                     TfRouteHandler handler)
{
  Route *route = g_new0 (Route, 1);

  route->method = g_strdup (method);
  route->path = g_strdup (path);
  route->prefix = g_str_has_suffix (path, "/");
  route->handler = handler;
  g_ptr_array_add (server->routes, route);
}

static void
maybe_finish_shutdown (TfServer *server)
{
  if (server->stopping && server->in_flight == 0 && server->unfinished == 0 &&
      server->loop != NULL)
    {
      g_clear_handle_id (&server->grace_id, g_source_remove);
      g_main_loop_quit (server->loop);
      g_clear_pointer (&server->loop, g_main_loop_unref);
    }
}

void
tf_server_record_request (TfServer *server, const char *route, guint status, gint64 duration_us)
{
  g_autofree char *key = g_strdup_printf ("%s\t%u", route ? route : "unmatched", status);
  guint64 *count = g_hash_table_lookup (server->request_counts, key);
  double seconds = duration_us / 1e6;

  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (server->request_counts, g_steal_pointer (&key), count);
    }
  (*count)++;
  for (guint i = 0; i < G_N_ELEMENTS (latency_bounds); i++)
    if (seconds <= latency_bounds[i])
      server->latency_buckets[i]++;
  server->latency_count++;
  server->latency_sum += seconds;

  g_assert (server->in_flight > 0);
  server->in_flight--;
  maybe_finish_shutdown (server);
}

/* --- running work on the database ---------------------------------------- */

typedef struct
{
  TfRequest     *req;
  TfRequestDone  done;
  GDestroyNotify result_free;
} DbCall;

static void
on_db_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DbCall *call = user_data;
  TfRequest *req = call->req;
  g_autoptr(GError) error = NULL;
  gpointer value = tf_pool_run_finish (req->server->pool, result, &error);

  if (error != NULL)
    tf_request_reply_error (req, error);
  else
    call->done (req, value);
  if (value != NULL && call->result_free != NULL)
    call->result_free (value);
  g_free (call);
}

void
tf_server_run_db (TfRequest *req, TfPoolFunc func, gpointer data, GDestroyNotify data_free,
                  GDestroyNotify result_free, TfRequestDone done)
{
  DbCall *call = g_new0 (DbCall, 1);

  call->req = req;
  call->done = done;
  call->result_free = result_free;
  /* The result is lent to @done, then freed here; the pool frees it only if
   * nobody collects it. */
  tf_pool_run_async (req->server->pool, func, data, data_free, result_free, NULL, on_db_done_cb,
                     call);
}

/* --- upkeep -------------------------------------------------------------- */

/* The throttles' and the ended sessions' old rows, then partitions; @data
 * is the TfConfig.  The cheap deletes first, so that trouble with
 * partitions does not keep them. */
static gpointer
run_upkeep (PGconn *conn, gpointer data, GError **error)
{
  const TfConfig *config = data;

  if (!tf_auth_purge_throttles (conn, config, error) ||
      !tf_auth_purge_sessions (conn, config, error) ||
      !tf_db_exec (conn, "SELECT create_monthly_partitions()", error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static void
on_upkeep_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TfPool *pool = user_data;
  g_autoptr(GError) error = NULL;

  if (tf_pool_run_finish (pool, result, &error) == NULL)
    g_warning ("upkeep failed (it is retried within the hour): %s", error->message);
}

/* Premakes partitions ahead and empties the default partitions (0001-schema.sql, D3),
 * and deletes the throttles' rows that have left their windows and the
 * sessions that ended long ago. */
static gboolean
on_maintenance_cb (gpointer user_data)
{
  TfServer *server = user_data;

  tf_pool_run_async (server->pool, run_upkeep, server->config, NULL, NULL, NULL,
                     on_upkeep_done_cb, server->pool);
  return G_SOURCE_CONTINUE;
}

/* --- built-in routes ------------------------------------------------------ */

static gpointer
health_check (PGconn *conn, gpointer data, GError **error)
{
  return tf_db_exec (conn, "SELECT 1", error) ? GINT_TO_POINTER (1) : NULL;
}

static void
health_done (TfRequest *req, gpointer result)
{
  tf_request_reply_text (req, SOUP_STATUS_OK, "application/json",
                         "{\"status\":\"ok\",\"database\":\"up\"}");
}

static void
handle_healthz (TfRequest *req)
{
  tf_server_run_db (req, health_check, NULL, NULL, NULL, health_done);
}

static void
handle_metrics (TfRequest *req)
{
  TfServer *server = req->server;
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  g_autofree char *text = NULL;
  char sum[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, "# HELP tf_http_requests_total HTTP requests answered, by route and status.\n"
                        "# TYPE tf_http_requests_total counter\n");
  g_hash_table_iter_init (&iter, server->request_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (key, "\t", 2);
      g_string_append_printf (out, "tf_http_requests_total{route=\"%s\",status=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", parts[0], parts[1], *(guint64 *) value);
    }
  g_string_append (out, "# HELP tf_http_request_duration_seconds Time from request to reply.\n"
                        "# TYPE tf_http_request_duration_seconds histogram\n");
  for (guint i = 0; i < G_N_ELEMENTS (latency_bounds); i++)
    {
      char le[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (out, "tf_http_request_duration_seconds_bucket{le=\"%s\"} %"
                              G_GUINT64_FORMAT "\n",
                              g_ascii_dtostr (le, sizeof le, latency_bounds[i]),
                              server->latency_buckets[i]);
    }
  g_string_append_printf (out, "tf_http_request_duration_seconds_bucket{le=\"+Inf\"} %"
                          G_GUINT64_FORMAT "\n", server->latency_count);
  g_string_append_printf (out, "tf_http_request_duration_seconds_sum %s\n",
                          g_ascii_dtostr (sum, sizeof sum, server->latency_sum));
  g_string_append_printf (out, "tf_http_request_duration_seconds_count %" G_GUINT64_FORMAT "\n",
                          server->latency_count);
  g_string_append_printf (out,
                          "# HELP tf_http_requests_in_flight Requests being handled now.\n"
                          "# TYPE tf_http_requests_in_flight gauge\n"
                          "tf_http_requests_in_flight %u\n"
                          "# HELP tf_http_connections Client connections open now.\n"
                          "# TYPE tf_http_connections gauge\ntf_http_connections %u\n"
                          "# HELP tf_http_connections_max Client connections allowed at once.\n"
                          "# TYPE tf_http_connections_max gauge\ntf_http_connections_max %u\n"
                          "# HELP tf_http_connections_refused_total Connections refused over the cap.\n"
                          "# TYPE tf_http_connections_refused_total counter\n"
                          "tf_http_connections_refused_total %" G_GUINT64_FORMAT "\n"
                          "# HELP tf_db_pool_size Database connections the pool may use.\n"
                          "# TYPE tf_db_pool_size gauge\ntf_db_pool_size %u\n"
                          "# HELP tf_db_pool_busy Database workers running a job.\n"
                          "# TYPE tf_db_pool_busy gauge\ntf_db_pool_busy %u\n"
                          "# HELP tf_db_pool_queued Jobs waiting for a database worker.\n"
                          "# TYPE tf_db_pool_queued gauge\ntf_db_pool_queued %u\n",
                          server->in_flight,
                          server->listener ? tf_listener_get_connections (server->listener) : 0,
                          server->listener ? tf_listener_get_max_connections (server->listener) : 0,
                          server->listener ? tf_listener_get_refused (server->listener) : 0,
                          tf_pool_get_size (server->pool),
                          tf_pool_get_busy (server->pool), tf_pool_get_queued (server->pool));
  text = g_string_free (out, FALSE);
  tf_request_reply_text (req, SOUP_STATUS_OK, "text/plain; version=0.0.4", text);
}

/* --- dispatch ------------------------------------------------------------- */

static void
on_message_finished_cb (SoupServerMessage *msg, gpointer user_data)
{
  TfRequest *req = user_data;

  /* Finished before we replied: the client went away. */
  req->gone = TRUE;
  g_cancellable_cancel (req->cancellable);
}

static void
on_wire_finished_cb (SoupServerMessage *msg, gpointer user_data)
{
  TfServer *server = user_data;

  g_assert (server->unfinished > 0);
  server->unfinished--;
  maybe_finish_shutdown (server);
}

static const Route *
find_route (TfServer *server, const char *method, const char *path, gboolean *path_known)
{
  *path_known = FALSE;
  for (guint i = 0; i < server->routes->len; i++)
    {
      const Route *route = g_ptr_array_index (server->routes, i);
      gboolean match = route->prefix ? (g_str_has_prefix (path, route->path) &&
                                        path[strlen (route->path)] != '\0')
                                     : strcmp (path, route->path) == 0;
      if (!match)
        continue;
      *path_known = TRUE;
      if (strcmp (method, route->method) == 0)
        return route;
    }
  return NULL;
}

static char *
bearer_token (SoupMessageHeaders *headers)
{
  const char *auth = soup_message_headers_get_one (headers, "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  return g_strstrip (g_strdup (auth + 7));
}

static void
server_handler (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  TfServer *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  const char *method = soup_server_message_get_method (msg);
  TfRequest *req;
  const Route *route;
  gboolean path_known;

  req = g_new0 (TfRequest, 1);
  req->server = server;
  req->msg = g_object_ref (msg);
  req->method = g_strdup (method);
  req->path = g_strdup (path);
  req->query = query ? g_hash_table_ref (query) : NULL;
  req->body = g_bytes_ref (body);
  req->token = bearer_token (headers);
  req->address = g_strdup (soup_server_message_get_remote_host (msg));
  req->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  req->cancellable = g_cancellable_new ();
  req->started_us = g_get_monotonic_time ();
  req->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished_cb), req);
  /* Shutdown waits until the answer is on the wire, not only composed. */
  g_signal_connect (msg, "finished", G_CALLBACK (on_wire_finished_cb), server);
  server->unfinished++;
  server->in_flight++;
  soup_server_message_pause (msg);

  route = find_route (server, method, path, &path_known);
  if (route != NULL)
    req->route = route->path;

  if (server->stopping)
    {
      g_autoptr(GError) error = g_error_new (TF_DB_ERROR, TF_DB_ERROR_UNAVAILABLE,
                                             "the server is shutting down");
      tf_request_reply_error (req, error);
      return;
    }
  if (g_bytes_get_size (body) > server->config->body_limit)
    {
      g_autoptr(GError) error = g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_TOO_LARGE,
                                             "the request body is larger than %" G_GSIZE_FORMAT
                                             " bytes", server->config->body_limit);
      tf_request_reply_error (req, error);
      return;
    }
  if (route == NULL)
    {
      g_autoptr(GError) error = NULL;
      if (path_known)
        error = g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_METHOD, "%s is not allowed on %s",
                             method, path);
      else
        error = g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_NOT_FOUND, "no such endpoint: %s", path);
      tf_request_reply_error (req, error);
      return;
    }
  route->handler (req);
}

TfServer *
tf_server_new (TfConfig *config, GError **error)
{
  g_autoptr(TfServer) server = g_new0 (TfServer, 1);

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->db != NULL, NULL);

  server->config = config;
  if ((config->tls_certificate != NULL) != (config->tls_key != NULL))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "TLS needs both tls-certificate and tls-key");
      return NULL;
    }
  if (config->tls_certificate != NULL)
    {
      server->certificate = g_tls_certificate_new_from_files (config->tls_certificate,
                                                              config->tls_key, error);
      if (server->certificate == NULL)
        return NULL;
    }
  /* TLS is the connections' business (tf-conn.c), not libsoup's. */
  server->soup = soup_server_new ("server-header", "therapy-field-server/" PACKAGE_VERSION " ",
                                  NULL);
  server->pool = tf_pool_new (config->db, config->pool_size);
  server->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  server->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_server_add_handler (server->soup, NULL, server_handler, server, NULL);

  tf_server_add_route (server, "GET", "/healthz", handle_healthz);
  tf_server_add_route (server, "GET", "/metrics", handle_metrics);
  return g_steal_pointer (&server);
}

void
tf_server_free (TfServer *server)
{
  if (server == NULL)
    return;
  /* libsoup closes its connections first, then the listener the rest. */
  if (server->soup != NULL)
    soup_server_disconnect (server->soup);
  g_clear_pointer (&server->listener, tf_listener_free);
  g_clear_object (&server->soup);
  g_clear_object (&server->certificate);
  if (server->sync_destroy != NULL)
    server->sync_destroy (server->sync);
  g_clear_pointer (&server->pool, tf_pool_free);
  g_clear_pointer (&server->routes, g_ptr_array_unref);
  g_clear_pointer (&server->request_counts, g_hash_table_unref);
  g_clear_handle_id (&server->grace_id, g_source_remove);
  g_clear_handle_id (&server->maintenance_id, g_source_remove);
  g_clear_pointer (&server->loop, g_main_loop_unref);
  g_free (server);
}

gboolean
tf_server_listen (TfServer *server, guint16 *out_port, GError **error)
{
  if (server->listener == NULL)
    server->listener = tf_listener_new (server->soup, server->config, server->certificate);
  if (!tf_listener_listen (server->listener, out_port, error))
    return FALSE;
  on_maintenance_cb (server);
  server->maintenance_id = g_timeout_add_seconds (3600, on_maintenance_cb, server);
  return TRUE;
}

gboolean
tf_server_accept_socket (TfServer *server, GSocket *socket, GError **error)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, error);
  g_autoptr(GSocketAddress) remote = local ? g_socket_get_remote_address (socket, error) : NULL;

  if (remote == NULL)
    return FALSE;
  if (server->listener == NULL)
    server->listener = tf_listener_new (server->soup, server->config, server->certificate);
  return tf_listener_take_socket (server->listener, socket, error);
}

static gboolean
on_grace_over_cb (gpointer user_data)
{
  TfServer *server = user_data;

  g_warning ("%u requests still running after the grace period; stopping anyway",
             server->in_flight);
  server->grace_id = 0;
  if (server->loop != NULL)
    {
      g_main_loop_quit (server->loop);
      g_clear_pointer (&server->loop, g_main_loop_unref);
    }
  return G_SOURCE_REMOVE;
}

void
tf_server_shutdown (TfServer *server, GMainLoop *loop, guint grace_ms)
{
  if (server->stopping)
    return;
  server->stopping = TRUE;
  /* libsoup 3.2's soup_server_disconnect() also drops the connections of
   * requests in flight, so the listener stays open until the end and new
   * requests are answered 503 (a load balancer moves on) while the ones in
   * flight finish. */
  server->loop = g_main_loop_ref (loop);
  server->grace_id = g_timeout_add (grace_ms, on_grace_over_cb, server);
  if (server->sync_stop != NULL)
    server->sync_stop (server);
  maybe_finish_shutdown (server);
}
