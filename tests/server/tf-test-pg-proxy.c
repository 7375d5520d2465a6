/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-pg-proxy.c: a middlebox in front of the test's PostgreSQL that
 * loses the server's "SET synchronous_commit = on".
 *
 * PostgreSQL itself always honours a session's SET (ALTER ROLE and ALTER
 * DATABASE only set defaults), so a connection of the server can only end
 * up with synchronous_commit off through something between the two that
 * does not pass the SET on — a pooler in transaction mode runs it on one
 * backend and the next statement on another.  This proxy is that thing,
 * for tests: a thread accepts on a Unix socket, and each connection gets a
 * thread per direction copying bytes; from the server to PostgreSQL the
 * SET becomes a SELECT of the same length (the protocol's message lengths
 * stay right).  Loopback only, no TLS (libpq does not use TLS on a Unix
 * socket).
 */
#define _GNU_SOURCE /* memmem */
#define G_LOG_DOMAIN "tf-test"

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <string.h>

#include "tf-test-pg.h"
#include "tf-test-pg-proxy.h"

#define LOST_SET  "SET synchronous_commit = on"
#define IN_PLACE  "SELECT 1                   "   /* as long as LOST_SET */

struct _TfTestPgProxy
{
  char      *dir;        /* the proxy's socket directory */
  char      *path;       /* its socket, named as PostgreSQL's */
  char      *upstream;   /* PostgreSQL's socket */
  GSocket   *listener;
  GThread   *acceptor;
  GMutex     lock;
  GPtrArray *threads;    /* GThread*, joined at stop */
  GPtrArray *sockets;    /* GSocket*, shut down at stop */
  guint      lost;
};

typedef struct
{
  TfTestPgProxy *proxy;
  GSocket       *from;
  GSocket       *to;
  gboolean       rewrite;
} Pipe;

static gpointer
pipe_thread (gpointer data)
{
  Pipe *p = data;
  char buffer[65536];
  gssize n;

  G_STATIC_ASSERT (sizeof LOST_SET == sizeof IN_PLACE);
  /* A statement is one protocol message, and the server sends each in one
   * write, so one read holds it whole on a Unix socket. */
  while ((n = g_socket_receive (p->from, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      gssize sent = 0;

      if (p->rewrite)
        for (char *at = buffer; (at = memmem (at, buffer + n - at, LOST_SET,
                                              strlen (LOST_SET))) != NULL; at++)
          {
            memcpy (at, IN_PLACE, strlen (IN_PLACE));
            g_mutex_lock (&p->proxy->lock);
            p->proxy->lost++;
            g_mutex_unlock (&p->proxy->lock);
          }
      while (sent < n)
        {
          gssize m = g_socket_send (p->to, buffer + sent, n - sent, NULL, NULL);
          if (m <= 0)
            break;
          sent += m;
        }
      if (sent < n)
        break;
    }
  /* One side closed: so does the other. */
  g_socket_shutdown (p->to, FALSE, TRUE, NULL);
  g_socket_shutdown (p->from, TRUE, FALSE, NULL);
  g_object_unref (p->from);
  g_object_unref (p->to);
  g_free (p);
  return NULL;
}

static void
start_pipe (TfTestPgProxy *proxy, GSocket *from, GSocket *to, gboolean rewrite)
{
  Pipe *p = g_new0 (Pipe, 1);

  p->proxy = proxy;
  p->from = g_object_ref (from);
  p->to = g_object_ref (to);
  p->rewrite = rewrite;
  g_ptr_array_add (proxy->threads, g_thread_new ("tf-test-pg-proxy-pipe", pipe_thread, p));
}

static gpointer
accept_thread (gpointer data)
{
  TfTestPgProxy *proxy = data;
  GSocket *client;

  while ((client = g_socket_accept (proxy->listener, NULL, NULL)) != NULL)
    {
      g_autoptr(GSocket) server = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_DEFAULT, NULL);
      g_autoptr(GSocketAddress) address = g_unix_socket_address_new (proxy->upstream);
      g_autoptr(GError) error = NULL;

      if (!g_socket_connect (server, address, NULL, &error))
        g_error ("the proxy cannot reach PostgreSQL at %s: %s", proxy->upstream,
                 error->message);
      g_mutex_lock (&proxy->lock);
      g_ptr_array_add (proxy->sockets, g_object_ref (client));
      g_ptr_array_add (proxy->sockets, g_object_ref (server));
      start_pipe (proxy, client, server, TRUE);
      start_pipe (proxy, server, client, FALSE);
      g_mutex_unlock (&proxy->lock);
      g_object_unref (client);
    }
  return NULL;
}

/* The value of @keyword in @conninfo, or NULL. */
static char *
conninfo_value (const char *conninfo, const char *keyword)
{
  PQconninfoOption *options = PQconninfoParse (conninfo, NULL);
  char *value = NULL;

  g_assert_nonnull (options);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (strcmp (o->keyword, keyword) == 0 && o->val != NULL)
      value = g_strdup (o->val);
  PQconninfoFree (options);
  return value;
}

TfTestPgProxy *
tf_test_pg_proxy_start (void)
{
  TfTestPgProxy *proxy = g_new0 (TfTestPgProxy, 1);
  g_autofree char *host = conninfo_value (tf_test_pg_conninfo (), "host");
  g_autofree char *port = conninfo_value (tf_test_pg_conninfo (), "port");
  g_autofree char *name = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (host);
  g_assert_true (host[0] == '/'); /* tf-pg: a Unix socket, no TCP listener */
  g_assert_nonnull (port);
  name = g_strdup_printf (".s.PGSQL.%s", port);
  proxy->upstream = g_build_filename (host, name, NULL);
  proxy->dir = g_dir_make_tmp ("tf-pg-proxy-XXXXXX", &error);
  g_assert_no_error (error);
  proxy->path = g_build_filename (proxy->dir, name, NULL);
  g_mutex_init (&proxy->lock);
  proxy->threads = g_ptr_array_new ();
  proxy->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  proxy->listener = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (proxy->path);
  g_assert_true (g_socket_bind (proxy->listener, address, FALSE, &error));
  g_assert_true (g_socket_listen (proxy->listener, &error));
  g_assert_no_error (error);
  proxy->acceptor = g_thread_new ("tf-test-pg-proxy", accept_thread, proxy);
  return proxy;
}

char *
tf_test_pg_proxy_conninfo (TfTestPgProxy *proxy, const char *conninfo)
{
  /* In a libpq connection string the last value of a keyword wins. */
  return g_strdup_printf ("%s host=%s", conninfo, proxy->dir);
}

guint
tf_test_pg_proxy_lost (TfTestPgProxy *proxy)
{
  guint lost;

  g_mutex_lock (&proxy->lock);
  lost = proxy->lost;
  g_mutex_unlock (&proxy->lock);
  return lost;
}

void
tf_test_pg_proxy_stop (TfTestPgProxy *proxy)
{
  /* Shutting the listener down ends the blocking accept. */
  g_socket_shutdown (proxy->listener, TRUE, TRUE, NULL);
  g_socket_close (proxy->listener, NULL);
  g_thread_join (proxy->acceptor);
  g_mutex_lock (&proxy->lock);
  for (guint i = 0; i < proxy->sockets->len; i++)
    g_socket_shutdown (g_ptr_array_index (proxy->sockets, i), TRUE, TRUE, NULL);
  g_mutex_unlock (&proxy->lock);
  for (guint i = 0; i < proxy->threads->len; i++)
    g_thread_join (g_ptr_array_index (proxy->threads, i));
  g_ptr_array_unref (proxy->threads);
  g_ptr_array_unref (proxy->sockets);
  g_object_unref (proxy->listener);
  g_mutex_clear (&proxy->lock);
  g_unlink (proxy->path);
  g_rmdir (proxy->dir);
  g_free (proxy->path);
  g_free (proxy->dir);
  g_free (proxy->upstream);
  g_free (proxy);
}
