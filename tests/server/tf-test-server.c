/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-server.c: start the real server, speak HTTP to it.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "tf-test-pg.h"
#include "tf-test-server.h"

TfTestServer *
tf_test_server_start (const char *db_name, const char *extra_config)
{
  TfTestServer *server = g_new0 (TfTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = g_build_filename (g_getenv ("TF_BUILD_DIR"), "server",
                                              "therapy-field-server", NULL);
  g_autofree char *config = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  int fd;

  server->conninfo = tf_test_pg_create_migrated_db (db_name);
  /* A fast slow-hash for tests; production keeps libsodium's interactive cost. */
  config = g_strdup_printf ("[database]\nurl=%s\npool-size=4\n\n[server]\n"
                            "listen=127.0.0.1:0\nauth-hash-opslimit=1\nauth-hash-memlimit=8192\n"
                            "fake-salt-secret=test-secret\n%s\n",
                            server->conninfo, extra_config ? extra_config : "");
  fd = g_file_open_tmp ("tf-server-XXXXXX.conf", &server->config_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (server->config_path, config, -1, &error));
  g_close (fd, NULL);

  /* The server logs warnings (a database outage, say) as any deployment
   * would; the tests' fatal-warnings setting is for the test process only. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  server->process = g_subprocess_launcher_spawn (launcher, &error, binary, "serve",
                                                 "--config", server->config_path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "therapy-field-server listening on "))
    g_error ("the server did not start: %s", line ? line : "(no output)");
  server->base_url = g_strdup (line + strlen ("therapy-field-server listening on "));
  server->session = soup_session_new_with_options ("timeout", 60, NULL);
  return server;
}

void
tf_test_server_stop (TfTestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_assert_true (g_subprocess_wait (server->process, NULL, &error));
  g_assert_no_error (error);
  /* A clean stop, not a crash. */
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_unlink (server->config_path);
  g_object_unref (server->process);
  g_object_unref (server->session);
  g_free (server->conninfo);
  g_free (server->base_url);
  g_free (server->config_path);
  g_free (server);
}

void
tf_test_response_free (TfTestResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, json_node_unref);
  g_free (response->text);
  g_free (response->retry_after);
  g_free (response);
}

TfTestResponse *
tf_test_request (TfTestServer *server, const char *method, const char *path, const char *token,
                 const char *body)
{
  g_autofree char *url = g_strconcat (server->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;
  TfTestResponse *response = g_new0 (TfTestResponse, 1);
  const char *retry;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "User-Agent",
                                "tf-test/1");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  response->retry_after = g_strdup (retry);
  if (*response->text != '\0')
    response->body = json_from_string (response->text, NULL);
  return response;
}

JsonObject *
tf_test_response_object (TfTestResponse *response)
{
  if (response->body == NULL || !JSON_NODE_HOLDS_OBJECT (response->body))
    g_error ("expected a JSON object, got %u: %s", response->status, response->text);
  return json_node_get_object (response->body);
}

const char *
tf_test_response_error_code (TfTestResponse *response)
{
  JsonObject *object, *error;

  if (response->body == NULL || !JSON_NODE_HOLDS_OBJECT (response->body))
    return NULL;
  object = json_node_get_object (response->body);
  if (!json_object_has_member (object, "error"))
    return NULL;
  error = json_object_get_object_member (object, "error");
  return json_object_get_string_member_with_default (error, "code", NULL);
}
