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
 * Over TLS the handshake is done here, before libsoup gets the connection;
 * libsoup then speaks HTTP over the TLS stream (and sees it as plain).
 */
#define G_LOG_DOMAIN "tf-conn"

#include "config.h"

#include <gio/gnetworking.h>
#include <string.h>

#include "tf-conn.h"
#include "tf-http.h"
#include "tf-request-head.h"

/* After an answer of our own, the client's further bytes are read and
 * dropped for a moment before closing, so that the answer is not lost to a
 * reset from the unread data. */
#define LINGER_US    (G_USEC_PER_SEC)
#define LINGER_BYTES (1024 * 1024)
#define READ_CHUNK   4096

typedef enum
{
  PHASE_START,      /* accepted, not started */
  PHASE_HANDSHAKE,  /* TLS handshake */
  PHASE_HEAD,       /* with libsoup; holding back the next request's head */
  PHASE_BODY,       /* with libsoup; it reads the body */
  PHASE_ANSWER,     /* taken from libsoup: our answer, then the linger */
  PHASE_CLOSED,
} Phase;

/* --- the input libsoup reads ---------------------------------------------- */

#define TF_TYPE_CONN_INPUT (tf_conn_input_get_type ())
G_DECLARE_FINAL_TYPE (TfConnInput, tf_conn_input, TF, CONN_INPUT, GInputStream)

struct _TfConnInput
{
  GInputStream  parent_instance;
  TfConn       *conn;   /* weak: cleared when the connection is disposed */
};

struct _TfConn
{
  GIOStream          parent_instance;
  GSocket           *socket;
  GIOStream         *base;          /* the socket's connection, or TLS over it */
  TfConnInput       *input;         /* what libsoup reads */
  SoupServer        *soup;          /* borrowed */
  const TfConfig    *config;        /* borrowed */
  GTlsCertificate   *certificate;   /* NULL: plain HTTP */
  TfConnClosedFunc   closed;
  gpointer           closed_data;
  GSocketAddress    *remote;        /* its "tf-conn" data finds us from a message */
  GCancellable      *cancellable;

  Phase              phase;
  gboolean           with_soup;     /* libsoup owns the connection */
  gboolean           first;         /* no request has finished yet */
  gboolean           busy;          /* a request is being handled or answered */
  gboolean           writing;       /* ... and its answer is being written */
  gboolean           refusing;      /* answering 503 for the listener */
  gint64             since;         /* when the running clock started */
  GSource           *timer;

  SoupServerMessage *msg;           /* the newest message on the connection */

  GByteArray        *pending;       /* received, not yet read by libsoup; NULL when empty */
  gsize              deliver;       /* bytes at the front of @pending libsoup may read */
  guint64            body_left;     /* body bytes still to come from the socket */

  GSource           *doom;          /* a pending answer-and-close, or close */
  TfRefusal          refusal;       /* what @doom answers; status 0: close quietly */
  GBytes            *answer;
  GSource           *drain;
  gsize              drained;
};

G_DEFINE_FINAL_TYPE (TfConn, tf_conn, G_TYPE_IO_STREAM)

static void conn_close (TfConn *c);

static void
destroy_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

/* --- clocks --------------------------------------------------------------- */

static void
update_timer (TfConn *c)
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

static void
restart_clock (TfConn *c)
{
  c->since = g_get_monotonic_time ();
  update_timer (c);
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
  restart_clock (c);
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
static void
conn_doom (TfConn *c, TfRefusal *refusal)
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

/* --- framing: what libsoup may read --------------------------------------- */

static void
accept_head (TfConn *c, gsize head_len, guint64 length)
{
  gsize body_now = MIN (c->pending->len - head_len, length);

  c->deliver = head_len + body_now;
  c->body_left = length - body_now;
  c->busy = TRUE;
  c->writing = FALSE;
  c->phase = c->body_left > 0 ? PHASE_BODY : PHASE_HEAD;
  restart_clock (c);
}

static TfRequestHeadResult
check_pending (TfConn *c, gsize *head_len, guint64 *length, TfRefusal *refusal)
{
  gsize blank = 0;

  /* Empty lines before a request are allowed (RFC 9112, 2.2). */
  while (blank < c->pending->len && (c->pending->data[blank] == '\r' ||
                                     c->pending->data[blank] == '\n'))
    blank++;
  g_byte_array_remove_range (c->pending, 0, blank);
  if (c->pending->len == 0)
    return TF_REQUEST_HEAD_MORE;
  return tf_request_head_check (c->pending->data, c->pending->len, c->config->body_limit,
                                head_len, length, refusal);
}

/* Reads the next request's head from the socket, as far as it has come. */
static void
take_head (TfConn *c)
{
  GPollableInputStream *base = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (c->base));

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      TfRefusal refusal = { 0 };
      gsize head_len = 0, have, room;
      guint64 length = 0;
      gssize n;

      if (c->pending != NULL)
        switch (check_pending (c, &head_len, &length, &refusal))
          {
          case TF_REQUEST_HEAD_REFUSED:
            conn_doom (c, &refusal);
            return;
          case TF_REQUEST_HEAD_DONE:
            accept_head (c, head_len, length);
            return;
          case TF_REQUEST_HEAD_MORE:
            break;
          }
      if (c->pending == NULL)
        c->pending = g_byte_array_sized_new (READ_CHUNK);
      /* A head over the limit is refused above: this stays bounded. */
      have = c->pending->len;
      room = MIN (READ_CHUNK, TF_REQUEST_HEAD_MAX + 1 - have);
      g_byte_array_set_size (c->pending, have + room);
      n = g_pollable_input_stream_read_nonblocking (base, c->pending->data + have, room, NULL,
                                                    &error);
      g_byte_array_set_size (c->pending, have + MAX (n, 0));
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        {
          /* The client went away between requests (or inside a head): no
           * one to answer, and libsoup 3.2 must not see it (see above). */
          conn_doom (c, NULL);
          break;
        }
      if (have == 0 && !c->busy && !c->first)
        restart_clock (c);  /* idle → header clock */
    }
  if (c->pending != NULL && c->pending->len == 0)
    g_clear_pointer (&c->pending, g_byte_array_unref);
  update_timer (c);
}

static gboolean
head_is_waiting (TfConn *c)
{
  gsize head_len;
  guint64 length;
  TfRefusal refusal = { 0 };
  TfRequestHeadResult result;

  if (c->pending == NULL || c->phase != PHASE_HEAD)
    return FALSE;
  result = tf_request_head_check (c->pending->data, c->pending->len, c->config->body_limit,
                                  &head_len, &length, &refusal);
  g_free (refusal.message);
  return result != TF_REQUEST_HEAD_MORE;
}

static gssize
input_read_nonblocking (GPollableInputStream *pollable, void *buffer, gsize count,
                        GError **error)
{
  TfConn *c = TF_CONN_INPUT (pollable)->conn;

  if (c == NULL || (c->phase != PHASE_HEAD && c->phase != PHASE_BODY))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "the connection is closed");
      return -1;
    }
  if (c->doom == NULL && c->deliver == 0 && c->phase == PHASE_HEAD)
    take_head (c);
  if (c->doom != NULL)
    goto would_block;
  if (c->deliver > 0)
    {
      gsize n = MIN (count, c->deliver);

      memcpy (buffer, c->pending->data, n);
      g_byte_array_remove_range (c->pending, 0, n);
      c->deliver -= n;
      if (c->pending->len == 0)
        g_clear_pointer (&c->pending, g_byte_array_unref);
      return n;
    }
  if (c->phase == PHASE_BODY)
    {
      GPollableInputStream *base =
        G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (c->base));
      /* The end of the stream and errors go to libsoup, which ends the
       * request and the connection. */
      gssize n = g_pollable_input_stream_read_nonblocking (base, buffer, MIN (count, c->body_left),
                                                           NULL, error);
      if (n > 0 && (c->body_left -= n) == 0)
        {
          c->phase = PHASE_HEAD;
          update_timer (c);
        }
      return n;
    }

would_block:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "no request yet");
  return -1;
}

static gboolean
input_is_readable (GPollableInputStream *pollable)
{
  TfConn *c = TF_CONN_INPUT (pollable)->conn;

  if (c == NULL || c->phase == PHASE_CLOSED)
    return TRUE;  /* the read says it is closed */
  if (c->doom != NULL)
    return FALSE;
  return c->deliver > 0 || head_is_waiting (c) ||
         g_pollable_input_stream_is_readable (
           G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (c->base)));
}

static GSource *
input_create_source (GPollableInputStream *pollable, GCancellable *cancellable)
{
  TfConn *c = TF_CONN_INPUT (pollable)->conn;
  g_autoptr(GSource) child = NULL;

  if (c == NULL || c->phase == PHASE_CLOSED || c->deliver > 0 || head_is_waiting (c))
    child = g_idle_source_new ();
  else if (c->doom == NULL)
    child = g_pollable_input_stream_create_source (
      G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (c->base)), cancellable);
  /* Doomed: a source that never fires; the connection goes first. */
  return g_pollable_source_new_full (pollable, child, cancellable);
}

static gboolean
input_can_poll (GPollableInputStream *pollable)
{
  return TRUE;
}

static gssize
input_read (GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable,
            GError **error)
{
  /* libsoup's server only reads without blocking. */
  return input_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), buffer, count, error);
}

static gboolean
input_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  return TRUE;  /* the connection closes the socket */
}

static void
tf_conn_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = input_can_poll;
  iface->is_readable = input_is_readable;
  iface->create_source = input_create_source;
  iface->read_nonblocking = input_read_nonblocking;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TfConnInput, tf_conn_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      tf_conn_input_pollable_init))

static void
tf_conn_input_class_init (TfConnInputClass *klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  input_class->read_fn = input_read;
  input_class->close_fn = input_close;
}

static void
tf_conn_input_init (TfConnInput *self)
{
}

/* --- messages ------------------------------------------------------------- */

static void
on_wrote_headers_cb (SoupServerMessage *msg, gpointer user_data)
{
  TfConn *c = user_data;

  c->writing = TRUE;
  restart_clock (c);
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
    conn_doom (c, NULL);  /* a body left unread: no next request can follow */
  else
    restart_clock (c);
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
  c->input = g_object_new (TF_TYPE_CONN_INPUT, NULL);
  c->input->conn = c;
  c->phase = PHASE_HEAD;
  c->first = TRUE;
  restart_clock (c);
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
  update_timer (c);
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
  restart_clock (c);
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
    c->input->conn = NULL;
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
