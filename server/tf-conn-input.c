/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conn-input.c: the input libsoup reads from a connection (tf-conn.c),
 * and the request framing it does.  A request's head is read from the
 * socket and held back until it is complete and tf_request_head_check()
 * passed it (a refused one is answered by the connection, and libsoup never
 * sees it); of the body, libsoup gets exactly Content-Length bytes; an end
 * of the stream between requests is never shown to libsoup (the connection
 * closes instead).  The connection's clocks move with each step.
 */
#define G_LOG_DOMAIN "tf-conn"

#include "config.h"

#include <string.h>

#include "tf-conn-private.h"

#define READ_CHUNK   4096

struct _TfConnInput
{
  GInputStream  parent_instance;
  TfConn       *conn;   /* weak: cleared when the connection is disposed */
};

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
  tf_conn_restart_clock (c);
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
            tf_conn_doom (c, &refusal);
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
          tf_conn_doom (c, NULL);
          break;
        }
      if (have == 0 && !c->busy && !c->first)
        tf_conn_restart_clock (c);  /* idle → header clock */
    }
  if (c->pending != NULL && c->pending->len == 0)
    g_clear_pointer (&c->pending, g_byte_array_unref);
  tf_conn_update_timer (c);
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
          tf_conn_update_timer (c);
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

TfConnInput *
tf_conn_input_new (TfConn *c)
{
  TfConnInput *input = g_object_new (TF_TYPE_CONN_INPUT, NULL);

  input->conn = c;
  return input;
}

void
tf_conn_input_forget (TfConnInput *input)
{
  input->conn = NULL;
}
