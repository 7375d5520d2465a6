/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-http.c: the server process itself, over real HTTP on loopback:
 * health, metrics, routing errors, body limit, shutdown, and answering 503
 * while PostgreSQL is down and recovering by itself when it is back.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tf-config.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

static TfTestServer *server;

static void
test_health_and_metrics (void)
{
  g_autoptr(TfTestResponse) health = tf_test_request (server, "GET", "/healthz", NULL, NULL);
  g_autoptr(TfTestResponse) metrics = NULL;

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (tf_test_response_object (health), "status"),
                   ==, "ok");
  metrics = tf_test_request (server, "GET", "/metrics", NULL, NULL);
  g_assert_cmpuint (metrics->status, ==, 200);
  /* Prometheus text: the health check just made is counted. */
  g_assert_nonnull (strstr (metrics->text, "tf_http_requests_total{route=\"/healthz\",status=\"200\"}"));
  g_assert_nonnull (strstr (metrics->text, "# TYPE tf_http_request_duration_seconds histogram"));
  g_assert_nonnull (strstr (metrics->text, "tf_db_pool_size 4"));
}

static void
test_routing_errors (void)
{
  g_autoptr(TfTestResponse) missing = tf_test_request (server, "GET", "/v1/nothing", NULL, NULL);
  g_autoptr(TfTestResponse) method = tf_test_request (server, "DELETE", "/healthz", NULL, NULL);

  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (tf_test_response_error_code (missing), ==, "not_found");
  g_assert_cmpuint (method->status, ==, 405);
  g_assert_cmpstr (tf_test_response_error_code (method), ==, "method_not_allowed");
}

static void
test_body_limit (void)
{
  /* The test config sets body-limit = 65536. */
  g_autofree char *big = g_malloc (70000 + 1);
  g_autoptr(TfTestResponse) response = NULL;
  g_autoptr(TfTestResponse) after = NULL;

  memset (big, ' ', 70000);
  big[70000] = '\0';
  response = tf_test_request (server, "POST", "/healthz", NULL, big);
  g_assert_cmpuint (response->status, ==, 413);
  g_assert_cmpstr (tf_test_response_error_code (response), ==, "too_large");
  /* The server is fine afterwards. */
  after = tf_test_request (server, "GET", "/healthz", NULL, NULL);
  g_assert_cmpuint (after->status, ==, 200);
}

static void
test_database_down_then_back (void)
{
  g_autoptr(TfTestResponse) down = NULL;
  guint status = 0;

  tf_test_pg_ctl ("-m fast stop");
  down = tf_test_request (server, "GET", "/healthz", NULL, NULL);
  g_assert_cmpuint (down->status, ==, 503);
  g_assert_cmpstr (tf_test_response_error_code (down), ==, "database_unavailable");
  g_assert_nonnull (down->retry_after);

  tf_test_pg_ctl ("start");
  /* Recovers by itself: the next requests reconnect. */
  for (int i = 0; i < 50 && status != 200; i++)
    {
      g_autoptr(TfTestResponse) up = tf_test_request (server, "GET", "/healthz", NULL, NULL);
      status = up->status;
      if (status != 200)
        g_usleep (100 * 1000);
    }
  g_assert_cmpuint (status, ==, 200);
}

static void
test_example_config (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TF_SOURCE_DIR"), "data",
                                            "therapy-field-server.conf", NULL);
  g_autoptr(TfConfig) config = tf_config_new ();
  g_autoptr(TfConfig) bad = tf_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_path = NULL;
  static const char *const out_of_range_backlogs[] = { "[server]\nlisten-backlog=0\n",
                                                       "[server]\nlisten-backlog=65536\n" };
  int fd;

  /* The shipped example is valid and says what it means. */
  g_assert_true (tf_config_load_file (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (config->listen_host, ==, "127.0.0.1");
  g_assert_cmpuint (config->listen_port, ==, 8080);
  g_assert_cmpuint (config->batch_limit, ==, 500);
  g_assert_cmpuint (config->listen_backlog, ==, 1024);
  g_assert_nonnull (strstr (config->db, "dbname=therapy_field"));

  /* A typo is an error at start, naming the setting. */
  fd = g_file_open_tmp ("tf-bad-XXXXXX.conf", &bad_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (bad_path, "[server]\nbatch-limit=lots\n", -1, NULL));
  g_assert_false (tf_config_load_file (bad, bad_path, &error));
  g_assert_nonnull (strstr (error->message, "batch-limit"));
  /* So is a value out of its range. */
  for (guint i = 0; i < G_N_ELEMENTS (out_of_range_backlogs); i++)
    {
      g_autoptr(TfConfig) out_of_range = tf_config_new ();

      g_clear_error (&error);
      g_assert_true (g_file_set_contents (bad_path, out_of_range_backlogs[i], -1, NULL));
      g_assert_false (tf_config_load_file (out_of_range, bad_path, &error));
      g_assert_nonnull (strstr (error->message, "listen-backlog"));
      g_assert_nonnull (strstr (error->message, "from 1 to 65535"));
    }
  g_unlink (bad_path);
}

static void
test_tls (void)
{
  TfTestServer *tls = tf_test_server_start_tls ("tf_http_tls", NULL);

  g_assert_true (g_str_has_prefix (tls->base_url, "https://"));
  {
    g_autoptr(TfTestResponse) r = tf_test_request (tls, "GET", "/healthz", NULL, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
  tf_test_server_stop (tls);
}

typedef struct
{
  TfTestServer *server;
  char         *token;
  guint         status;
} LongPoll;

static gpointer
long_poll_thread (gpointer data)
{
  LongPoll *poll = data;
  g_autoptr(TfTestResponse) r = tf_test_request (poll->server, "GET",
                                                 "/v1/sync/wait?cursor=999999999&timeout=20",
                                                 poll->token, NULL);
  poll->status = r->status;
  return NULL;
}

static void
test_sigterm_finishes_requests (void)
{
  TfTestServer *own = tf_test_server_start ("tf_http_term", NULL);
  g_autoptr(TfTestUser) user = tf_test_register (own, "term@example.gr", "client");
  LongPoll poll = { own, user->token, 0 };
  GThread *thread = g_thread_new ("poll", long_poll_thread, &poll);
  gint64 start;

  g_usleep (G_USEC_PER_SEC / 2);
  start = g_get_monotonic_time ();
  /* The long-poll in flight is answered, and the server exits cleanly, well
   * before the poll's own 20 s timeout. */
  tf_test_server_stop (own);
  g_thread_join (thread);
  g_assert_cmpuint (poll.status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_http", "body-limit=65536");

  g_test_add_func ("/tf/http/health-and-metrics", test_health_and_metrics);
  g_test_add_func ("/tf/http/example-config", test_example_config);
  g_test_add_func ("/tf/http/tls", test_tls);
  g_test_add_func ("/tf/http/sigterm-finishes-requests", test_sigterm_finishes_requests);
  g_test_add_func ("/tf/http/routing-errors", test_routing_errors);
  g_test_add_func ("/tf/http/body-limit", test_body_limit);
  g_test_add_func ("/tf/http/database-down-then-back", test_database_down_then_back);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
