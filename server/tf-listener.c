/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-listener.c: the listening socket, the accept loop and the connection
 * cap, in front of a SoupServer.
 *
 * libsoup 3.2's own listener stops accepting for good after one failed
 * accept() (EMFILE under descriptor pressure), listens with a backlog of
 * 10, and hands its connections to code that leaks them (tf-conn.c).  So
 * the server listens itself: a backlog of listen-backlog (1024 by default:
 * a burst waits in the kernel, not a second for a SYN sent again), accept()
 * errors pause accepting for RETRY_MS instead of ending it, and every
 * connection goes to libsoup through a TfConn (soup_server_accept_iostream()).
 *
 * The cap: at most max-connections open at once (by default the descriptor
 * limit less a reserve for the database pool, files and the refusals
 * themselves), so that accept() keeps working; a connection over the cap
 * is answered 503 (JSON error body, Retry-After) and closed, over TLS after
 * the handshake.
 *
 * libsoup 3.2 keeps a connection alive after an answer only while it has a
 * listener of its own (request_finished() in soup-server.c).  It is given
 * one end of a socket pair that nobody writes to: it never accepts from it,
 * and keep-alive works.
 */
#define G_LOG_DOMAIN "tf-conn"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tf-conn.h"
#include "tf-listener.h"

#define RETRY_MS       250
#define MAX_REFUSING   16    /* 503s being written at once; more are closed unanswered */
#define WARN_EVERY_US  (10 * G_USEC_PER_SEC)

struct _TfListener
{
  SoupServer      *soup;          /* borrowed */
  const TfConfig  *config;        /* borrowed */
  GTlsCertificate *certificate;
  GSocket         *socket;
  GSource         *accept_source;
  guint            retry_id;      /* accepting again after an accept() error */
  GSocket         *placeholder[2];
  gulong           started_id;
  GHashTable      *conns;         /* TfConn*, owned */
  guint            refusing;      /* of @conns, those answering 503 */
  guint            max_connections;
  guint64          refused;
  gint64           warned_at;
};

static void start_accepting (TfListener *listener);

TfListener *
tf_listener_new (SoupServer *soup, const TfConfig *config, GTlsCertificate *certificate)
{
  TfListener *listener = g_new0 (TfListener, 1);

  listener->soup = soup;
  listener->config = config;
  listener->certificate = certificate ? g_object_ref (certificate) : NULL;
  listener->conns = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  return listener;
}

void
tf_listener_free (TfListener *listener)
{
  GHashTableIter iter;
  gpointer conn;

  if (listener == NULL)
    return;
  g_clear_signal_handler (&listener->started_id, listener->soup);
  if (listener->accept_source != NULL)
    g_source_destroy (listener->accept_source);
  g_clear_pointer (&listener->accept_source, g_source_unref);
  g_clear_handle_id (&listener->retry_id, g_source_remove);
  if (listener->socket != NULL)
    g_socket_close (listener->socket, NULL);
  g_clear_object (&listener->socket);
  g_hash_table_iter_init (&iter, listener->conns);
  while (g_hash_table_iter_next (&iter, &conn, NULL))
    tf_conn_detach (conn);
  g_hash_table_unref (listener->conns);
  for (guint i = 0; i < G_N_ELEMENTS (listener->placeholder); i++)
    if (listener->placeholder[i] != NULL)
      {
        g_socket_close (listener->placeholder[i], NULL);
        g_object_unref (listener->placeholder[i]);
      }
  g_clear_object (&listener->certificate);
  g_free (listener);
}

/* Linux takes a backlog up to net.core.somaxconn and quietly uses that
 * instead of more: say so, or a raised listen-backlog seems to do nothing. */
static void
check_backlog (guint backlog)
{
  g_autofree char *text = NULL;
  guint64 somaxconn;

  if (!g_file_get_contents ("/proc/sys/net/core/somaxconn", &text, NULL, NULL))
    return;
  somaxconn = g_ascii_strtoull (text, NULL, 10);
  if (somaxconn > 0 && backlog > somaxconn)
    g_warning ("listen-backlog=%u is above net.core.somaxconn=%" G_GUINT64_FORMAT ": the "
               "kernel queues %" G_GUINT64_FORMAT " (raise the sysctl to queue more)",
               backlog, somaxconn, somaxconn);
}

/* The cap, from max-connections or from the descriptor limit. */
static guint
connection_cap (const TfConfig *config)
{
  struct rlimit limit;
  /* Database connections (and the notification listener's), files,
   * GLib's own descriptors, refusals being written. */
  guint64 reserve = 32 + MAX_REFUSING + 2 * (guint64) config->pool_size;
  guint64 room;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return config->max_connections ? config->max_connections : 100000;
  room = limit.rlim_cur > reserve + 8 ? limit.rlim_cur - reserve : 8;
  if (config->max_connections == 0)
    return (guint) MIN (room, 1000000);
  if (config->max_connections > room)
    g_warning ("max-connections=%u leaves too few of the %" G_GUINT64_FORMAT " descriptors the "
               "process may open: accept() may fail under load (raise LimitNOFILE)",
               config->max_connections, (guint64) limit.rlim_cur);
  return config->max_connections;
}

static void
on_conn_closed_cb (TfConn *conn, gpointer user_data)
{
  TfListener *listener = user_data;

  if (tf_conn_is_refusing (conn))
    listener->refusing--;
  g_hash_table_remove (listener->conns, conn);
}

static gboolean
on_retry_cb (gpointer user_data)
{
  TfListener *listener = user_data;

  listener->retry_id = 0;
  start_accepting (listener);
  return G_SOURCE_REMOVE;
}

static void
take_connection (TfListener *listener, GSocket *socket)
{
  g_autoptr(TfConn) conn = NULL;
  guint open = g_hash_table_size (listener->conns) - listener->refusing;

  if (open >= listener->max_connections)
    {
      listener->refused++;
      if (listener->refusing >= MAX_REFUSING)
        {
          g_socket_close (socket, NULL);
          return;
        }
    }
  conn = tf_conn_new (socket, listener->soup, listener->config, listener->certificate,
                      on_conn_closed_cb, listener);
  g_hash_table_add (listener->conns, g_object_ref (conn));
  if (open < listener->max_connections)
    tf_conn_start (conn);
  else
    {
      listener->refusing++;
      tf_conn_refuse (conn);
    }
}

static gboolean
on_accept_cb (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  TfListener *listener = user_data;

  /* A burst is taken in slices, so that answers are written in between. */
  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) peer = g_socket_accept (socket, NULL, &error);
      gint64 now;

      if (peer != NULL)
        {
          take_connection (listener, peer);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        continue;  /* the client gave up before we accepted */
      /* Out of descriptors (or memory): connections wait in the backlog
       * until some close, and accepting resumes. */
      now = g_get_monotonic_time ();
      if (now - listener->warned_at > WARN_EVERY_US)
        {
          g_warning ("accept: %s (%u connections open); accepting again in %u ms",
                     error->message, g_hash_table_size (listener->conns), RETRY_MS);
          listener->warned_at = now;
        }
      g_clear_pointer (&listener->accept_source, g_source_unref);
      listener->retry_id = g_timeout_add (RETRY_MS, on_retry_cb, listener);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_accepting (TfListener *listener)
{
  listener->accept_source = g_socket_create_source (listener->socket, G_IO_IN, NULL);
  g_source_set_callback (listener->accept_source, G_SOURCE_FUNC (on_accept_cb), listener, NULL);
  g_source_attach (listener->accept_source, NULL);
}

/* See the top of the file: libsoup's keep-alive needs a listener. */
static gboolean
give_soup_a_listener (TfListener *listener, GError **error)
{
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "socketpair: %s",
                   g_strerror (saved));
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      listener->placeholder[i] = g_socket_new_from_fd (fds[i], error);
      if (listener->placeholder[i] == NULL)
        {
          close (fds[i]);
          if (i == 0)
            close (fds[1]);
          return FALSE;
        }
    }
  return soup_server_listen_socket (listener->soup, listener->placeholder[0], 0, error);
}

/* What libsoup needs before the first connection. */
static gboolean
prepare_soup (TfListener *listener, GError **error)
{
  if (listener->started_id != 0)
    return TRUE;
  if (!give_soup_a_listener (listener, error))
    return FALSE;
  listener->max_connections = connection_cap (listener->config);
  listener->started_id = g_signal_connect (listener->soup, "request-started",
                                           G_CALLBACK (tf_conn_on_request_started), NULL);
  return TRUE;
}

gboolean
tf_listener_take_socket (TfListener *listener, GSocket *socket, GError **error)
{
  if (!prepare_soup (listener, error))
    return FALSE;
  take_connection (listener, socket);
  return TRUE;
}

gboolean
tf_listener_listen (TfListener *listener, guint16 *out_port, GError **error)
{
  const char *host = listener->config->listen_host;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (listener->socket == NULL, FALSE);

  if (g_strcmp0 (host, "localhost") == 0)
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address to listen on", host);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (address, listener->config->listen_port);
  listener->socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, error);
  if (listener->socket == NULL)
    return FALSE;
  g_socket_set_blocking (listener->socket, FALSE);
  g_socket_set_listen_backlog (listener->socket, (int) listener->config->listen_backlog);
  check_backlog (listener->config->listen_backlog);
  if (!g_socket_bind (listener->socket, socket_address, TRUE, error) ||
      !g_socket_listen (listener->socket, error) ||
      !(bound = g_socket_get_local_address (listener->socket, error)) ||
      !prepare_soup (listener, error))
    {
      g_socket_close (listener->socket, NULL);
      g_clear_object (&listener->socket);
      return FALSE;
    }
  start_accepting (listener);
  if (out_port != NULL)
    *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return TRUE;
}

guint
tf_listener_get_connections (TfListener *listener)
{
  return g_hash_table_size (listener->conns) - listener->refusing;
}

guint
tf_listener_get_max_connections (TfListener *listener)
{
  return listener->max_connections;
}

guint64
tf_listener_get_refused (TfListener *listener)
{
  return listener->refused;
}
