/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conn.c: one client connection, between its socket and libsoup.
 *
 * Why this exists.  Debian 12 has libsoup 3.2.3, whose server has no
 * timeouts, leaks every keep-alive connection the client closes (the idle
 * message that meets the end of the stream is dropped without closing the
 * connection; fixed in 3.3), reads a body of any declared length before any
 * handler can refuse it, and answers malformed heads with an empty body or
 * not at all.  A TfConn is the GIOStream libsoup is given for each
 * connection (soup_server_accept_iostream()), and the input libsoup reads
 * passes through it:
 *
 *   - A request's head is held back until it is complete and has passed
 *     tf_request_head_check(); a refused head is answered here (JSON error
 *     body, "Connection: close") and the connection closed, so libsoup never
 *     sees a head it would mishandle, nor a byte of a body over the limit.
 *   - Of the body, libsoup gets exactly Content-Length bytes; the next
 *     request's head is held back in turn.
 *   - libsoup is never shown the end of the stream while it waits for a
 *     next request (that is where 3.2 leaks): the connection is taken back
 *     from libsoup (soup_server_message_steal_connection()) and closed.
 *   - Clocks: header-timeout from the connection's start (or a request's
 *     first byte) to its complete head, body-timeout for the body and for
 *     writing the answer, idle-timeout between requests.  None runs while a
 *     request is being handled, so long-polls live as long as they ask.
 *
 * Taking a connection back from libsoup is only ever done from a source of
 * our own (a timer, or the high-priority "doom" idle), never from inside a
 * libsoup call, and only in states where libsoup's reader is intact (it has
 * never been told of an end of stream or an error while waiting for a head).
 *
 * The input libsoup reads, and the framing, are in tf-conn-input.c.
 *
 * Over TLS the handshake is done here, before libsoup gets the connection;
 * libsoup then speaks HTTP over the TLS stream (and sees it as plain).
 */
#define G_LOG_DOMAIN "tf-conn"

#include "config.h"

#include <gio/gnetworking.h>
#include <string.h>

#include "tf-conn-private.h"
#include "tf-http.h"

/* After an answer of our own, the client's further bytes are read and
 * dropped for a moment before closing, so that the answer is not lost to a
 * reset from the unread data. */
#define LINGER_US    (G_USEC_PER_SEC)
#define LINGER_BYTES (1024 * 1024)

G_DEFINE_FINAL_TYPE (TfConn, tf_conn, G_TYPE_IO_STREAM)

static void conn_close (TfConn *c);

static void
destroy_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

/* --- clocks --------------------------------------------------------------- */

void
tf_conn_update_timer (TfConn *c)
{
  guint seconds = 0;
  gint64 ready = -1;

  switch (c->phase)
    {
    case PHASE_START:
    case PHASE_HANDSHAKE:
      seconds = c->config->header_timeout;
      break;
    case PHASE_HEAD:
      if (c->busy)
        seconds = c->writing ? c->config->body_timeout : 0;
      else if (!c->first && c->pending == NULL)
        seconds = c->config->idle_timeout;
      else
        seconds = c->config->header_timeout;
      break;
    case PHASE_BODY:
      seconds = c->config->body_timeout;
      break;
    case PHASE_ANSWER:
      ready = c->since + LINGER_US;
      break;
    case PHASE_CLOSED:
      return;
    }
  if (seconds > 0)
    ready = c->since + (gint64) seconds * G_USEC_PER_SEC;
  g_source_set_ready_time (c->timer, ready);
}

void
tf_conn_restart_clock (TfConn *c)
{
  c->since = g_get_monotonic_time ();
  tf_conn_update_timer (c);
}

static gboolean
timer_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

/* --- answers of our own --------------------------------------------------- */

static GBytes *
answer_bytes (guint status, const char *code, const char *message)
{
  g_autofree char *body = tf_http_error_body (code, message);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  char *text = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                "Date: %s\r\n"
                                "Server: therapy-field-server/" PACKAGE_VERSION "\r\n"
                                "Content-Type: application/json\r\n"
                                "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                "Cache-Control: no-store\r\n"
                                "Connection: close\r\n"
                                "%s\r\n%s",
                                status, status == 431 ? "Request Header Fields Too Large"
                                                      : soup_status_get_phrase (status),
                                date, strlen (body),
                                status == SOUP_STATUS_SERVICE_UNAVAILABLE ? "Retry-After: 1\r\n"
                                                                          : "",
                                body);

  return g_bytes_new_take (text, strlen (text));
}

/* Takes the connection back from libsoup.  The server counts a request
 * until its message finishes (tf-server.c); one that ends here is finished
 * for it, as libsoup would on a lost connection. */
static void
leave_soup (TfConn *c)
{
  g_autoptr(SoupServerMessage) msg = NULL;
  g_autoptr(GIOStream) stolen = NULL;

  if (!c->with_soup)
    return;
  c->with_soup = FALSE;
  msg = g_steal_pointer (&c->msg);
  if (msg == NULL)
    {
      g_warning ("a connection without a message cannot be taken from libsoup");
      return;
    }
  g_signal_handlers_disconnect_by_data (msg, c);
  if (c->busy)
    g_signal_emit_by_name (msg, "finished");
  stolen = soup_server_message_steal_connection (msg);
}

static gboolean
on_drain_cb (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  g_autoptr(TfConn) c = g_object_ref (user_data);
  char buffer[16384];
  g_autoptr(GError) error = NULL;
  gssize n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, &error);

  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  if (n > 0 && (c->drained += n) < LINGER_BYTES)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&c->drain, g_source_unref);
  conn_close (c);
  return G_SOURCE_REMOVE;
}

static void
on_answer_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(TfConn) c = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) ||
      c->phase != PHASE_ANSWER)
    {
      conn_close (c);
      return;
    }
  g_socket_shutdown (c->socket, FALSE, TRUE, NULL);
  c->drain = g_socket_create_source (c->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (c->drain, G_SOURCE_FUNC (on_drain_cb), c, NULL);
  g_source_attach (c->drain, NULL);
}

static void
conn_answer (TfConn *c, guint status, const char *code, const char *message)
{
  const guint8 *data;
  gsize size;

  leave_soup (c);
  c->phase = PHASE_ANSWER;
  tf_conn_restart_clock (c);
  c->answer = answer_bytes (status, code, message);
  data = g_bytes_get_data (c->answer, &size);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (c->base), data, size,
                                   G_PRIORITY_DEFAULT, c->cancellable, on_answer_written_cb,
                                   g_object_ref (c));
}

static gboolean
on_doom_cb (gpointer user_data)
{
  g_autoptr(TfConn) c = g_object_ref (user_data);

  g_clear_pointer (&c->doom, g_source_unref);
  if (c->phase == PHASE_CLOSED || c->phase == PHASE_ANSWER)
    return G_SOURCE_REMOVE;
  if (c->refusal.status != 0)
    conn_answer (c, c->refusal.status, c->refusal.code, c->refusal.message);
  else
    conn_close (c);
  return G_SOURCE_REMOVE;
}

/* Answers @refusal (NULL: nothing) and closes, from a source of our own:
 * this is called while libsoup reads, and it must not lose its connection
 * under its feet.  Until then, libsoup's reads would block. */
void
tf_conn_doom (TfConn *c, TfRefusal *refusal)
{
  if (c->doom != NULL)
    {
      if (refusal != NULL)
        g_free (refusal->message);
      return;
    }
  if (refusal != NULL)
    c->refusal = *refusal;
  c->doom = g_idle_source_new ();
  g_source_set_priority (c->doom, G_PRIORITY_HIGH);
  g_source_set_callback (c->doom, on_doom_cb, c, NULL);
  g_source_attach (c->doom, NULL);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  g_autoptr(TfConn) c = g_object_ref (user_data);

  if (c->phase == PHASE_BODY || (c->phase == PHASE_HEAD && !c->busy && c->pending != NULL))
    conn_answer (c, SOUP_STATUS_REQUEST_TIMEOUT, "timeout",
                 "the request took too long to arrive");
  else
    /* Idle, silent from the start, a handshake or an answer too slow. */
    conn_close (c);
  return G_SOURCE_CONTINUE;
}

static void
conn_close (TfConn *c)
{
  TfConnClosedFunc closed = c->closed;

  if (c->phase == PHASE_CLOSED)
    return;
  leave_soup (c);
  c->phase = PHASE_CLOSED;
  g_cancellable_cancel (c->cancellable);
  g_clear_pointer (&c->timer, destroy_source);
  g_clear_pointer (&c->doom, destroy_source);
  g_clear_pointer (&c->drain, destroy_source);
  if (c->remote != NULL)
    g_object_set_data (G_OBJECT (c->remote), "tf-conn", NULL);
  g_socket_close (c->socket, NULL);
  c->closed = NULL;
  if (closed != NULL)
    closed (c, c->closed_data);
}

/* --- messages ------------------------------------------------------------- */

static void
on_wrote_headers_cb (SoupServerMessage *msg, gpointer user_data)
{
  TfConn *c = user_data;

  c->writing = TRUE;
  tf_conn_restart_clock (c);
}

static void
on_finished_cb (SoupServerMessage *msg, gpointer user_data)
{
  TfConn *c = user_data;

  c->busy = FALSE;
  c->writing = FALSE;
  c->first = FALSE;
  /* Inside libsoup: anything more waits for a source of our own. */
  if (c->phase == PHASE_BODY)
    tf_conn_doom (c, NULL);  /* a body left unread: no next request can follow */
  else
    tf_conn_restart_clock (c);
}

void
tf_conn_on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  TfConn *c = remote != NULL ? g_object_get_data (G_OBJECT (remote), "tf-conn") : NULL;

  if (c == NULL || !c->with_soup)
    return;
  if (c->msg != NULL)
    g_signal_handlers_disconnect_by_data (c->msg, c);
  g_set_object (&c->msg, msg);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished_cb), c);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers_cb), c);
}

/* --- the connection ------------------------------------------------------- */

static void
hand_to_soup (TfConn *c)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (c->socket, NULL);

  c->remote = g_socket_get_remote_address (c->socket, NULL);
  if (local == NULL || c->remote == NULL)
    {
      conn_close (c);
      return;
    }
  c->input = tf_conn_input_new (c);
  c->phase = PHASE_HEAD;
  c->first = TRUE;
  tf_conn_restart_clock (c);
  /* Each connection has its own address object: libsoup hands it back
   * with every message (soup_server_message_get_remote_address()). */
  g_object_set_data (G_OBJECT (c->remote), "tf-conn", c);
  c->with_soup = TRUE;
  soup_server_accept_iostream (c->soup, G_IO_STREAM (c), local, c->remote, NULL);
}

static void
refuse_over_cap (TfConn *c)
{
  conn_answer (c, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
               "the server has too many connections; try again shortly");
}

static void
on_handshake_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(TfConn) c = user_data;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, NULL) ||
      c->phase != PHASE_HANDSHAKE)
    conn_close (c);
  else if (c->refusing)
    refuse_over_cap (c);
  else
    hand_to_soup (c);
}

/* Starts the TLS handshake; on_handshake_cb goes on from there. */
static void
start_handshake (TfConn *c)
{
  static const char *const protocols[] = { "http/1.1", "http/1.0", NULL };
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  tls = g_tls_server_connection_new (c->base, c->certificate, &error);
  if (tls == NULL)
    {
      g_warning ("TLS: %s", error->message);
      conn_close (c);
      return;
    }
  /* No client certificates, so no trust database to load for each one. */
  g_object_set (tls, "require-close-notify", FALSE, "database", NULL, NULL);
  g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (tls), protocols);
  g_object_unref (c->base);
  c->base = tls;
  c->phase = PHASE_HANDSHAKE;
  tf_conn_update_timer (c);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, c->cancellable,
                                    on_handshake_cb, g_object_ref (c));
}

void
tf_conn_start (TfConn *c)
{
  g_return_if_fail (TF_IS_CONN (c));
  g_return_if_fail (c->phase == PHASE_START);

  if (c->certificate == NULL)
    hand_to_soup (c);
  else
    start_handshake (c);
}

void
tf_conn_refuse (TfConn *c)
{
  g_return_if_fail (TF_IS_CONN (c));
  g_return_if_fail (c->phase == PHASE_START);

  c->refusing = TRUE;
  /* Over TLS the answer needs the handshake first: a client that only
   * hears a close cannot tell a full server from a broken one.  The
   * listener keeps the refusals in flight few (MAX_REFUSING), and the
   * handshake has header-timeout like any other. */
  if (c->certificate != NULL)
    start_handshake (c);
  else
    refuse_over_cap (c);
}

gboolean
tf_conn_is_refusing (TfConn *c)
{
  g_return_val_if_fail (TF_IS_CONN (c), FALSE);
  return c->refusing;
}

void
tf_conn_detach (TfConn *c)
{
  g_return_if_fail (TF_IS_CONN (c));
  c->closed = NULL;
  conn_close (c);
}

TfConn *
tf_conn_new (GSocket *socket, SoupServer *soup, const TfConfig *config,
             GTlsCertificate *certificate, TfConnClosedFunc closed, gpointer user_data)
{
  TfConn *c;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  c = g_object_new (TF_TYPE_CONN, NULL);
  c->socket = g_object_ref (socket);
  /* Nothing here may block the main loop, a close included. */
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  c->base = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  c->soup = soup;
  c->config = config;
  c->certificate = certificate ? g_object_ref (certificate) : NULL;
  c->closed = closed;
  c->closed_data = user_data;
  c->cancellable = g_cancellable_new ();
  c->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_callback (c->timer, on_timer_cb, c, NULL);
  g_source_attach (c->timer, NULL);
  tf_conn_restart_clock (c);
  return c;
}

static GInputStream *
tf_conn_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (TF_CONN (stream)->input);
}

static GOutputStream *
tf_conn_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (TF_CONN (stream)->base);
}

/* libsoup is done with the connection (it closes the stream it was given). */
static gboolean
tf_conn_close_fn (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  g_autoptr(TfConn) c = g_object_ref (TF_CONN (stream));

  c->with_soup = FALSE;
  if (c->msg != NULL)
    g_signal_handlers_disconnect_by_data (c->msg, c);
  conn_close (c);
  return TRUE;
}

/* The default would close in a thread; closing never blocks here. */
static void
tf_conn_close_async (GIOStream *stream, int priority, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  tf_conn_close_fn (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
tf_conn_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tf_conn_dispose (GObject *object)
{
  TfConn *c = TF_CONN (object);

  c->closed = NULL;
  conn_close (c);
  if (c->msg != NULL)
    g_signal_handlers_disconnect_by_data (c->msg, c);
  g_clear_object (&c->msg);
  if (c->input != NULL)
    tf_conn_input_forget (c->input);
  g_clear_object (&c->input);
  g_clear_object (&c->base);
  g_clear_object (&c->socket);
  g_clear_object (&c->certificate);
  g_clear_object (&c->remote);
  g_clear_object (&c->cancellable);
  g_clear_pointer (&c->pending, g_byte_array_unref);
  g_clear_pointer (&c->answer, g_bytes_unref);
  g_clear_pointer (&c->refusal.message, g_free);
  G_OBJECT_CLASS (tf_conn_parent_class)->dispose (object);
}

static void
tf_conn_class_init (TfConnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = tf_conn_dispose;
  stream_class->get_input_stream = tf_conn_get_input_stream;
  stream_class->get_output_stream = tf_conn_get_output_stream;
  stream_class->close_fn = tf_conn_close_fn;
  stream_class->close_async = tf_conn_close_async;
  stream_class->close_finish = tf_conn_close_finish;
}

static void
tf_conn_init (TfConn *c)
{
  c->phase = PHASE_START;
}
