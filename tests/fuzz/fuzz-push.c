/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz-push.c: the whole request path of POST /v1/sync/push in-process, up
 * to the database: libsoup reading the request from a connected socket, the
 * server's routing, the bearer token, the body's JSON, the schema version,
 * the batch limit and every mutation's decoding and validation
 * (server/tf-server.c, tf-http.c, tf-sync.c, common/tf-record.c).  A push
 * that passes all of that goes to the database pool, whose PostgreSQL does
 * not exist here: it is answered 503, as a server with its database down
 * answers it.
 *
 * The input is the Authorization header's value on the first line (empty:
 * no header) and the body after it.  Each input is one real HTTP/1.1
 * request on one end of a socket pair, the server serving the other end
 * (tf_server_accept_socket), answered before the next.  Beyond not crashing,
 * the answer keeps the protocol's promises (docs/protocol.md): a status a
 * push refused before the database may have (400, 413, 401 only without a
 * token) or 503, a JSON error body {"error": {"code", "message"}}, and no
 * database text in it.
 */
#define G_LOG_DOMAIN "fuzz-push"
#define _GNU_SOURCE /* memmem */

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tf-fuzz.h"
#include "tf-record.h"
#include "tf-routes.h"
#include "tf-server.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static TfConfig *config;
static TfServer *server;

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;

  config = tf_config_new ();
  /* A socket directory that does not exist: every connection attempt fails
   * at once, as with PostgreSQL down. */
  config->db = g_strdup ("host=/nonexistent/tf-fuzz-push dbname=tf connect_timeout=1");
  config->pool_size = 1;
  config->batch_limit = 50;
  config->body_limit = 64 * 1024;
  server = tf_server_new (config, &error);
  if (server == NULL)
    g_error ("cannot make the server: %s", error->message);
  tf_routes_register (server);
}

typedef struct
{
  GString  *answer;
  gboolean  done;
} Client;

/* TRUE once @answer holds a whole HTTP answer: its head and as many bytes
 * of body as its Content-Length says (every answer of this server has one). */
static gboolean
answer_complete (const GString *answer)
{
  const char *end = strstr (answer->str, "\r\n\r\n");
  const char *length;

  if (end == NULL)
    return FALSE;
  length = g_strstr_len (answer->str, end - answer->str, "\r\nContent-Length: ");
  if (length == NULL)
    return FALSE;
  return answer->len - (gsize) (end + 4 - answer->str) >=
         g_ascii_strtoull (length + strlen ("\r\nContent-Length: "), NULL, 10);
}

static gboolean
on_client_readable_cb (int fd, GIOCondition condition, gpointer user_data)
{
  Client *client = user_data;
  char buffer[4096];
  ssize_t n = read (fd, buffer, sizeof buffer);

  if (n > 0)
    g_string_append_len (client->answer, buffer, n);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;
  /* A whole answer, or the server closed before one. */
  if (n > 0 && !answer_complete (client->answer))
    return G_SOURCE_CONTINUE;
  client->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Sends @request on a new connection and returns the server's answer (or
 * what it wrote before it closed the connection), then closes, as a client
 * does; the server's side of it is closed before the next input. */
static GString *
exchange (const char *request, gsize length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  Client client = { g_string_new (NULL), FALSE };
  int fds[2];
  gsize sent = 0;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    g_error ("socketpair: %s", g_strerror (errno));
  socket = g_socket_new_from_fd (fds[0], &error);
  if (socket == NULL || !tf_server_accept_socket (server, socket, &error))
    g_error ("cannot serve a connection: %s", error->message);
  /* The request fits the socket's buffer: write it all, then read. */
  while (sent < length)
    {
      ssize_t n = write (fds[1], request + sent, length - sent);
      if (n < 0 && errno != EINTR)
        g_error ("write: %s", g_strerror (errno));
      sent += n > 0 ? (gsize) n : 0;
    }
  g_unix_set_fd_nonblocking (fds[1], TRUE, NULL);
  g_unix_fd_add (fds[1], G_IO_IN | G_IO_HUP | G_IO_ERR, on_client_readable_cb, &client);
  while (!client.done)
    g_main_context_iteration (NULL, TRUE);
  close (fds[1]);
  /* The server sees the close and lets go of the connection. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return client.answer;
}

/* The promises of docs/protocol.md about the answer to a push. */
static void
check_answer (const GString *answer, gboolean has_token, const guint8 *input, gsize input_size)
{
  /* Words of libpq's messages and of this server's conninfo: in an answer
   * they are database text, unless the request itself said them. */
  static const char * const database_words[] = { "PostgreSQL", "tf-fuzz-push", ".s.PGSQL", NULL };
  const char *body = strstr (answer->str, "\r\n\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *e;
  const char *code, *message;
  guint status;

  if (!g_str_has_prefix (answer->str, "HTTP/1.1 ") || body == NULL)
    g_error ("not an HTTP answer: %s", answer->str);
  status = (guint) g_ascii_strtoull (answer->str + 9, NULL, 10);
  root = tf_json_parse (body + 4, -1, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    g_error ("a %u answer whose body is not a JSON object: %s", status, body + 4);
  e = json_node_get_object (root);
  e = json_object_has_member (e, "error") && JSON_NODE_HOLDS_OBJECT (
        json_object_get_member (e, "error")) ? json_object_get_object_member (e, "error") : NULL;
  code = tf_json_get_string (e, "code");
  message = tf_json_get_string (e, "message");
  if (code == NULL || message == NULL)
    g_error ("a %u answer without an error code and message: %s", status, body + 4);

  switch (status)
    {
    case 400: /* bad_json wrong_type missing_field unknown_table bad_value unsupported_schema ... */
    case 413: /* too_large */
      break;
    case 401:
      if (has_token)
        g_error ("401 before the database for a push with a token: %s", body + 4);
      break;
    case 503: /* the push passed everything before the database */
      if (strcmp (code, "database_unavailable") != 0)
        g_error ("a 503 with code %s", code);
      break;
    default:
      g_error ("a push answered %u before the database: %s", status, body + 4);
    }
  /* The server never returns database text to a client. */
  for (guint i = 0; database_words[i] != NULL; i++)
    if (strstr (message, database_words[i]) != NULL &&
        memmem (input, input_size, database_words[i], strlen (database_words[i])) == NULL)
      g_error ("database text in an answer: %s", message);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const guint8 *newline = memchr (data, '\n', size);
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GString) answer = NULL;
  gsize auth_len, body_len;

  tf_fuzz_init (TRUE);
  if (server == NULL)
    start_server ();
  if (newline == NULL)
    return 0;
  auth_len = (gsize) (newline - data);
  /* A header value with a control character is refused by libsoup itself
   * (not this server's answer): out of scope. */
  for (gsize i = 0; i < auth_len; i++)
    if (data[i] < 0x20 || data[i] > 0x7e)
      return 0;
  body_len = size - auth_len - 1;

  g_string_append_printf (request, "POST /v1/sync/push HTTP/1.1\r\nHost: localhost\r\n"
                                   "Connection: close\r\nContent-Type: application/json\r\n"
                                   "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_len);
  if (auth_len > 0)
    {
      g_string_append (request, "Authorization: ");
      g_string_append_len (request, (const char *) data, (gssize) auth_len);
      g_string_append (request, "\r\n");
    }
  g_string_append (request, "\r\n");
  g_string_append_len (request, (const char *) newline + 1, (gssize) body_len);

  answer = exchange (request->str, request->len);
  /* "Bearer <token>" (RFC 6750: the scheme in any case), the token not blank. */
  {
    g_autofree char *auth = tf_fuzz_strndup (data, auth_len);
    gboolean has_token = g_ascii_strncasecmp (auth, "Bearer ", 7) == 0 &&
                         *g_strstrip (auth + 7) != '\0';

    check_answer (answer, has_token, data, size);
  }
  return 0;
}
