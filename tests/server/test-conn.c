/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-conn.c: the server stays up.  Raw connections to the real server
 * binary: keep-alive connections the client closes are let go (descriptor
 * count), a cap with 503 (over TLS too) and accepting again after
 * descriptor pressure, a declared body over the limit refused before it is
 * read (memory), header, body and idle timeouts that spare long-polls, a
 * backlog that takes a burst and is the configured one, and malformed heads
 * answered with the JSON error body.
 *
 * Every read and write here is bounded by a socket timeout: a server that
 * does not answer fails the test, it never hangs it.
 */
#include "config.h"

#include <errno.h>
#include <gio/gnetworking.h>
#include <signal.h>
#include <string.h>

#include "tf-test-server.h"

#define IO_TIMEOUT_S 5

/* --- the server process ----------------------------------------------------- */

static guint16
server_port (TfTestServer *server)
{
  const char *colon = strrchr (server->base_url, ':');

  g_assert_nonnull (colon);
  return (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
}

static int
server_pid (TfTestServer *server)
{
  return (int) g_ascii_strtoll (g_subprocess_get_identifier (server->process), NULL, 10);
}

static guint
count_fds (TfTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", server_pid (server));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static guint64
rss_kib (TfTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", server_pid (server));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* --- raw HTTP --------------------------------------------------------------- */

static gboolean
on_accept_certificate_cb (GTlsConnection *conn, GTlsCertificate *certificate,
                          GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;  /* the test's own self-signed certificate */
}

static void
on_client_event_cb (GSocketClient *client, GSocketClientEvent event,
                    GSocketConnectable *connectable, GIOStream *connection, gpointer user_data)
{
  /* Without it, the handshake's small writes wait for delayed ACKs. */
  if (event == G_SOCKET_CLIENT_CONNECTED)
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                         IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_signal_connect (connection, "accept-certificate", G_CALLBACK (on_accept_certificate_cb),
                      NULL);
}

/* A connection to @server, over TLS (handshake done) when it is https://;
 * NULL with @error when it could not be made. */
static GIOStream *
conn_try_open (TfTestServer *server, GError **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  g_socket_client_set_timeout (client, IO_TIMEOUT_S);
  if (g_str_has_prefix (server->base_url, "https://"))
    {
      g_socket_client_set_tls (client, TRUE);
      g_signal_connect (client, "event", G_CALLBACK (on_client_event_cb), NULL);
    }
  return G_IO_STREAM (g_socket_client_connect_to_host (client, "127.0.0.1", server_port (server),
                                                       NULL, error));
}

static GIOStream *
conn_open (TfTestServer *server)
{
  g_autoptr(GError) error = NULL;
  GIOStream *conn = conn_try_open (server, &error);

  g_assert_no_error (error);
  return conn;
}

/* Errors are ignored: the server may close while a refused request is
 * still being sent, and the answer is what the test looks at. */
static void
conn_send (GIOStream *conn, const char *data, gsize len)
{
  g_output_stream_write_all (g_io_stream_get_output_stream (conn), data, len, NULL, NULL, NULL);
}

typedef struct
{
  guint   status;
  char   *head;
  char   *body;
} Reply;

static void
reply_free (Reply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->head);
  g_free (reply->body);
  g_free (reply);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* One answer; NULL when the server closed without one.  A server that
 * neither answers nor closes within the timeout fails the test. */
static Reply *
conn_read_reply (GIOStream *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (conn);
  g_autoptr(GString) data = g_string_new (NULL);
  Reply *reply;
  const char *end, *length;
  gsize want;

  while ((end = strstr (data->str, "\r\n\r\n")) == NULL)
    {
      char buffer[4096];
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_error ("no answer within %d s (after %" G_GSIZE_FORMAT " bytes)", IO_TIMEOUT_S,
                 data->len);
      if (n <= 0)
        {
          /* A reset counts as a close. */
          g_assert_cmpuint (data->len, ==, 0);
          return NULL;
        }
      g_string_append_len (data, buffer, n);
      g_assert_cmpuint (data->len, <, 65536);
    }
  reply = g_new0 (Reply, 1);
  reply->head = g_strndup (data->str, end - data->str);
  g_assert_true (g_str_has_prefix (reply->head, "HTTP/1.1 "));
  reply->status = (guint) g_ascii_strtoull (reply->head + 9, NULL, 10);
  length = strstr (reply->head, "Content-Length: ");
  g_assert_nonnull (length);
  want = g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10);
  g_string_erase (data, 0, end + 4 - data->str);
  while (data->len < want)
    {
      char buffer[4096];
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (in, buffer, MIN (sizeof buffer, want - data->len), NULL,
                                      &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (data, buffer, n);
    }
  reply->body = g_strndup (data->str, want);
  return reply;
}

/* The error code of a JSON error body. */
static char *
reply_error_code (Reply *reply)
{
  g_autoptr(JsonNode) root = json_from_string (reply->body, NULL);
  JsonObject *error;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "error"))
    g_error ("not a JSON error body (%u): %s", reply->status, reply->body);
  error = json_object_get_object_member (json_node_get_object (root), "error");
  return g_strdup (json_object_get_string_member (error, "code"));
}

static Reply *
get (GIOStream *conn, const char *path)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);

  conn_send (conn, request, strlen (request));
  return conn_read_reply (conn);
}

/* The server answers /healthz on a new connection (after pressure, within
 * a second or two: closes are noticed and accepting resumes). */
static void
assert_healthy (TfTestServer *server)
{
  for (guint attempt = 0; attempt < 40; attempt++)
    {
      g_autoptr(GIOStream) conn = conn_open (server);
      g_autoptr(Reply) reply = get (conn, "/healthz");

      if (reply != NULL && reply->status == 200)
        return;
      g_usleep (G_USEC_PER_SEC / 10);
    }
  g_error ("the server does not answer /healthz");
}

static void
assert_refused (const char *what, GIOStream *conn, guint status, const char *code)
{
  g_autoptr(Reply) reply = conn_read_reply (conn);
  g_autofree char *got = NULL;

  if (reply == NULL)
    g_error ("%s: closed without an answer", what);
  got = reply_error_code (reply);
  if (reply->status != status || g_strcmp0 (got, code) != 0)
    g_error ("%s: %u %s, expected %u %s", what, reply->status, got, status, code);
  g_assert_nonnull (strstr (reply->head, "Connection: close"));
  /* ... and closed. */
  g_assert_null (conn_read_reply (conn));
}

/* --- keep-alive connections the client closes --------------------------------- */

static TfTestServer *server;      /* defaults, max-connections=8 */
static TfTestServer *timeouts;    /* 1-2 s timeouts, 4 s long-polls */
static TfTestUser *waiter;        /* registered on @timeouts at the start, so that the news
                                   * of it is old when it long-polls */

static void
request_and_close (TfTestServer *s, guint times)
{
  for (guint i = 0; i < times; i++)
    {
      g_autoptr(GIOStream) conn = conn_open (s);
      g_autoptr(Reply) reply = get (conn, "/healthz");

      g_assert_nonnull (reply);
      g_assert_cmpuint (reply->status, ==, 200);
      /* Keep-alive: the server leaves it open; the client closes it. */
      g_assert_null (strstr (reply->head, "Connection: close"));
      g_io_stream_close (conn, NULL, NULL);
    }
}

/* The descriptor count settles back to @before (the database pool opens a
 * connection per worker on first use: slack of the pool's size). */
static guint
settled_fds (TfTestServer *s, guint before)
{
  guint now = count_fds (s);

  for (guint i = 0; i < 20 && now > before + 4; i++)
    {
      g_usleep (G_USEC_PER_SEC / 10);
      now = count_fds (s);
    }
  return now;
}

static void
test_closed_keep_alive (void)
{
  guint before, after;
  gint64 start;

  request_and_close (server, 50);
  before = count_fds (server);
  start = g_get_monotonic_time ();
  request_and_close (server, 2000);
  after = settled_fds (server, before);
  g_test_message ("descriptors: %u before, %u after 2000 request-and-close cycles (%.1f s)",
                  before, after, (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (after, <=, before + 4);
}

static void
test_tls (void)
{
  TfTestServer *tls = tf_test_server_start_tls ("tf_conn_tls", NULL);
  guint before = 0, after;

  for (guint i = 0; i < 70; i++)
    {
      g_autoptr(GIOStream) conn = conn_open (tls);

      /* Two requests on one connection: keep-alive over TLS. */
      for (guint j = 0; j < 2; j++)
        {
          g_autoptr(Reply) reply = get (conn, "/healthz");
          g_assert_nonnull (reply);
          g_assert_cmpuint (reply->status, ==, 200);
        }
      g_io_stream_close (conn, NULL, NULL);
      if (i == 9)
        before = count_fds (tls);
    }
  after = settled_fds (tls, before);
  g_test_message ("TLS descriptors: %u before, %u after 60 cycles", before, after);
  g_assert_cmpuint (after, <=, before + 4);
  tf_test_server_stop (tls);
}

/* --- the cap and descriptor pressure ------------------------------------------ */

/* @s has max-connections=@cap. */
static void
assert_cap (TfTestServer *s, guint cap)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GIOStream) over = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *code = NULL;

  /* @cap connections are served and kept... */
  for (guint i = 0; i < cap; i++)
    {
      GIOStream *conn = conn_open (s);
      g_autoptr(Reply) ok = get (conn, "/healthz");

      g_assert_nonnull (ok);
      g_assert_cmpuint (ok->status, ==, 200);
      g_ptr_array_add (open, conn);
    }
  /* ... the next is answered 503 and closed (over TLS, after the
   * handshake) ... */
  over = conn_try_open (s, &error);
  if (over == NULL)
    g_error ("the connection over the cap was closed unanswered: %s", error->message);
  reply = get (over, "/healthz");
  if (reply == NULL)
    g_error ("the connection over the cap was closed unanswered");
  g_assert_cmpuint (reply->status, ==, 503);
  code = reply_error_code (reply);
  g_assert_cmpstr (code, ==, "unavailable");
  g_assert_nonnull (strstr (reply->head, "Retry-After: 1"));
  g_assert_nonnull (strstr (reply->head, "Connection: close"));
  g_assert_null (conn_read_reply (over));
  /* ... and once they close, the server serves again. */
  g_ptr_array_set_size (open, 0);
  assert_healthy (s);
}

static void
test_cap (void)
{
  assert_cap (server, 8);
}

static void
test_cap_tls (void)
{
  TfTestServer *tls = tf_test_server_start_tls ("tf_conn_tls_cap", "max-connections=2");

  assert_cap (tls, 2);
  tf_test_server_stop (tls);
}

static void
test_descriptor_pressure (void)
{
  /* 64 descriptors, and a cap above them: accept() meets EMFILE. */
  TfTestServer *tight = tf_test_server_start_with_fd_limit ("tf_conn_tight",
                                                            "max-connections=1000", 64);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);

  assert_healthy (tight);
  /* The kernel completes these from the backlog whether or not the server
   * can accept them. */
  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (held, conn_open (tight));
  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_cmpuint (count_fds (tight), >=, 60);
  g_ptr_array_set_size (held, 0);
  /* libsoup 3.2's listener never accepts again after one EMFILE. */
  assert_healthy (tight);
  tf_test_server_stop (tight);
}

/* How many of @n connections to @s complete while it is stopped: only the
 * kernel's backlog takes them. */
static guint
connect_while_stopped (TfTestServer *s, guint n)
{
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (
    "127.0.0.1", server_port (s));
  guint connected = 0;

  g_assert_cmpint (kill (server_pid (s), SIGSTOP), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, &error);

      g_assert_no_error (error);
      g_socket_set_blocking (socket, FALSE);
      if (!g_socket_connect (socket, address, NULL, &error))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
      g_ptr_array_add (sockets, socket);
    }
  g_usleep (G_USEC_PER_SEC / 2);
  for (guint i = 0; i < sockets->len; i++)
    {
      GSocket *socket = g_ptr_array_index (sockets, i);

      if (g_socket_condition_check (socket, G_IO_OUT) & G_IO_OUT &&
          g_socket_check_connect_result (socket, NULL))
        connected++;
    }
  g_assert_cmpint (kill (server_pid (s), SIGCONT), ==, 0);
  g_test_message ("%u of %u connections completed while the server was stopped", connected, n);
  g_ptr_array_set_size (sockets, 0);
  assert_healthy (s);
  return connected;
}

static void
test_backlog (void)
{
  /* The default (1024) takes a burst whole. */
  g_assert_cmpuint (connect_while_stopped (timeouts, 60), ==, 60);
}

static void
test_backlog_configured (void)
{
  TfTestServer *small = tf_test_server_start ("tf_conn_backlog", "listen-backlog=16");
  guint connected = connect_while_stopped (small, 40);

  /* Linux completes one more than the backlog before it drops SYNs. */
  g_assert_cmpuint (connected, >=, 16);
  g_assert_cmpuint (connected, <=, 17);
  tf_test_server_stop (small);
}

/* --- bodies over the limit ---------------------------------------------------- */

static void
test_declared_body_over_limit (void)
{
  static const char head[] = "POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: 10737418240\r\n\r\n";
  g_autofree char *chunk = g_malloc0 (1024 * 1024);
  guint64 before = rss_kib (server), after;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GIOStream) conn = conn_open (server);
      gint64 start = g_get_monotonic_time ();

      conn_send (conn, head, strlen (head));
      /* A few MB of the 10 GiB (the server stops taking them). */
      for (guint j = 0; j < 4; j++)
        conn_send (conn, chunk, 1024 * 1024);
      assert_refused ("10 GiB declared", conn, 413, "too_large");
      g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
    }
  after = rss_kib (server);
  g_test_message ("RSS: %" G_GUINT64_FORMAT " KiB before, %" G_GUINT64_FORMAT
                  " KiB after three 10 GiB uploads", before, after);
  g_assert_cmpuint (after, <, before + 8 * 1024);
  assert_healthy (server);
}

/* --- timeouts ----------------------------------------------------------------- */

static void
test_timeouts (void)
{
  g_autofree char *wait = g_strdup_printf (
    "GET /v1/sync/wait?cursor=999999999&timeout=4 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Authorization: Bearer %s\r\n\r\n", waiter->token);
  static const char slow_head[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  static const char slow_body[] = "POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  "Content-Length: 100\r\n\r\n{\"email\": ";
  g_autoptr(GIOStream) head = conn_open (timeouts);
  g_autoptr(GIOStream) silent = conn_open (timeouts);
  g_autoptr(GIOStream) body = conn_open (timeouts);
  g_autoptr(GIOStream) idle = conn_open (timeouts);
  g_autoptr(GIOStream) poll = conn_open (timeouts);
  g_autoptr(Reply) answer = NULL;
  g_autoptr(Reply) waited = NULL;
  gint64 start = g_get_monotonic_time (), answered;

  /* All at once, so the test takes as long as the longest (the poll). */
  conn_send (head, slow_head, strlen (slow_head));
  conn_send (body, slow_body, strlen (slow_body));
  conn_send (poll, wait, strlen (wait));
  answer = get (idle, "/healthz");
  g_assert_cmpuint (answer->status, ==, 200);
  answered = g_get_monotonic_time ();

  /* Slow headers and a slow body: 408 after header- and body-timeout (1 s). */
  assert_refused ("slow headers", head, 408, "timeout");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC * 9 / 10);
  assert_refused ("slow body", body, 408, "timeout");
  /* A connection that never says anything is closed after header-timeout. */
  g_assert_null (conn_read_reply (silent));
  /* An idle keep-alive connection is closed after idle-timeout (2 s). */
  g_assert_null (conn_read_reply (idle));
  g_assert_cmpint (g_get_monotonic_time () - answered, >=, G_USEC_PER_SEC * 3 / 2);
  /* A long-poll of 4 s outlives them all: it is in flight.  (The news of
   * the registration may still end a first poll early: poll again.) */
  for (guint i = 0; i < 3; i++)
    {
      g_clear_pointer (&waited, reply_free);
      waited = conn_read_reply (poll);
      g_assert_nonnull (waited);
      g_assert_cmpuint (waited->status, ==, 200);
      if (strstr (waited->body, "\"changes\":false") != NULL)
        break;
      g_clear_object (&poll);
      poll = conn_open (timeouts);
      start = g_get_monotonic_time ();
      conn_send (poll, wait, strlen (wait));
    }
  g_assert_nonnull (strstr (waited->body, "\"changes\":false"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * G_USEC_PER_SEC);
}

/* --- malformed heads ---------------------------------------------------------- */

static void
test_malformed (void)
{
  g_autoptr(GString) big_header = g_string_new ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
  g_autoptr(GString) many = g_string_new ("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  g_autoptr(GString) long_line = g_string_new ("GET /");
  static const char garbage[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xff\xfe\r\n\r\n";
  struct { const char *what; const char *data; gsize len; guint status; const char *code; } cases[] = {
    { "huge header", NULL, 0, 431, "headers_too_large" },
    { "10,000 headers", NULL, 0, 431, "headers_too_large" },
    { "100 KB request line", NULL, 0, 414, "uri_too_long" },
    { "Content-Length: -1", "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      0, 400, "bad_request" },
    { "two Content-Lengths", "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
      "Content-Length: 6\r\n\r\nhello!", 0, 400, "bad_request" },
    { "Content-Length and Transfer-Encoding", "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\n"
      "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, 400, "bad_request" },
    { "chunked", "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n", 0, 411, "length_required" },
    { "garbage bytes", garbage, sizeof garbage - 1, 400, "bad_request" },
    { "not HTTP", "HELLO THERE\r\n\r\n", 0, 400, "bad_request" },
    { "no Host", "GET /healthz HTTP/1.1\r\n\r\n", 0, 400, "bad_request" },
    { "NUL in a header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n",
      sizeof "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n" - 1, 400, "bad_request" },
    { "HTTP/2.0", "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 0, 505,
      "http_version_not_supported" },
  };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (big_header, 'a');
  g_string_append (big_header, "\r\n\r\n");
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (many, "X-%u: v\r\n", i);
  g_string_append (many, "\r\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (long_line, 'a');
  g_string_append (long_line, " HTTP/1.1\r\nHost: x\r\n\r\n");
  cases[0].data = big_header->str;
  cases[1].data = many->str;
  cases[2].data = long_line->str;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GIOStream) conn = conn_open (server);

      conn_send (conn, cases[i].data, cases[i].len ? cases[i].len : strlen (cases[i].data));
      assert_refused (cases[i].what, conn, cases[i].status, cases[i].code);
      assert_healthy (server);
    }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_conn", "max-connections=8");
  timeouts = tf_test_server_start ("tf_conn_timeouts",
                                   "header-timeout=1\nbody-timeout=1\nidle-timeout=2\n"
                                   "wait-timeout=4");
  waiter = tf_test_register (timeouts, "wait@example.gr", "client");

  g_test_add_func ("/tf/conn/closed-keep-alive-let-go", test_closed_keep_alive);
  g_test_add_func ("/tf/conn/tls", test_tls);
  g_test_add_func ("/tf/conn/cap", test_cap);
  g_test_add_func ("/tf/conn/cap-tls", test_cap_tls);
  g_test_add_func ("/tf/conn/descriptor-pressure", test_descriptor_pressure);
  g_test_add_func ("/tf/conn/backlog", test_backlog);
  g_test_add_func ("/tf/conn/backlog-configured", test_backlog_configured);
  g_test_add_func ("/tf/conn/declared-body-over-limit", test_declared_body_over_limit);
  g_test_add_func ("/tf/conn/timeouts", test_timeouts);
  g_test_add_func ("/tf/conn/malformed", test_malformed);
  ret = g_test_run ();
  tf_test_user_free (waiter);
  tf_test_server_stop (timeouts);
  tf_test_server_stop (server);
  return ret;
}
