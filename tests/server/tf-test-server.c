/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-server.c: start the real server, speak HTTP to it.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sodium.h>
#include <string.h>

#include "tf-auth.h"
#include "tf-crypto.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

/* A server outlives no test: if the test dies (a failed assertion aborts
 * it), the kernel stops the server too instead of leaving it holding the
 * test's output open. */
static void
die_with_parent (gpointer data)
{
  guint fd_limit = GPOINTER_TO_UINT (data);

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (fd_limit > 0)
    {
      struct rlimit limit = { fd_limit, fd_limit };
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

TfTestServer *
tf_test_server_start (const char *db_name, const char *extra_config)
{
  return tf_test_server_start_with_fd_limit (db_name, extra_config, 0);
}

char *
tf_test_write_mfa_key (void)
{
  g_autoptr(GError) error = NULL;
  guint8 key[32];
  char hex[2 * sizeof key + 2];
  char *path = NULL;
  int fd;

  randombytes_buf (key, sizeof key);
  sodium_bin2hex (hex, sizeof hex - 1, key, sizeof key);
  strcat (hex, "\n");
  /* 0600: the server refuses a key everyone may read. */
  fd = g_file_open_tmp ("tf-mfa-XXXXXX.key", &path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents_full (path, hex, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                           &error));
  g_assert_no_error (error);
  g_close (fd, NULL);
  sodium_memzero (key, sizeof key);
  return path;
}

static TfTestServer *
launch (const char *conninfo, const char *extra_config, guint fd_limit)
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

  server->conninfo = g_strdup (conninfo);
  server->mfa_key_path = tf_test_write_mfa_key ();
  /* A fast slow-hash for tests; production keeps libsodium's interactive cost.
   * @extra_config comes last: a key named twice takes its last value. */
  config = g_strdup_printf ("[database]\nurl=%s\npool-size=4\n\n[server]\n"
                            "listen=127.0.0.1:0\nauth-hash-opslimit=1\nauth-hash-memlimit=8192\n"
                            "fake-salt-secret=test-secret\nmfa-key-file=%s\n"
                            /* Suites register dozens of users from one address;
                             * the throttle's own test sets its limit below. */
                            "register-attempts-per-address=100000\n%s\n",
                            server->conninfo, server->mfa_key_path,
                            extra_config ? extra_config : "");
  fd = g_file_open_tmp ("tf-server-XXXXXX.conf", &server->config_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (server->config_path, config, -1, &error));
  g_close (fd, NULL);

  /* The server logs warnings (a database outage, say) as any deployment
   * would; the tests' fatal-warnings setting is for the test process only.
   * A critical is a programming error, though: it kills the server, and
   * the test that caused it fails. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GUINT_TO_POINTER (fd_limit),
                                         NULL);
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

TfTestServer *
tf_test_server_start_tls (const char *db_name, const char *extra_config)
{
  g_autofree char *dir = g_dir_make_tmp ("tf-tls-XXXXXX", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  /* P-256: made and shaken hands with faster than RSA, which the tests
   * that open many connections notice. */
  g_autofree char *command = g_strdup_printf (
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1"
      " -subj /CN=127.0.0.1 -keyout %s -out %s", key, cert);
  g_autofree char *extra = g_strdup_printf ("tls-certificate=%s\ntls-key=%s\n%s", cert, key,
                                            extra_config ? extra_config : "");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  TfTestServer *server;
  int status;

  g_assert_nonnull (dir);
  if (!g_spawn_command_line_sync (command, &out, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("openssl made no certificate: %s\n%s", error->message, err ? err : "");
  server = tf_test_server_start (db_name, extra);
  g_assert_true (g_str_has_prefix (server->base_url, "https://"));
  server->tls_dir = g_steal_pointer (&dir);
  return server;
}

TfTestServer *
tf_test_server_start_with_fd_limit (const char *db_name, const char *extra_config,
                                    guint fd_limit)
{
  g_autofree char *conninfo = tf_test_pg_create_migrated_db (db_name);

  return launch (conninfo, extra_config, fd_limit);
}

TfTestServer *
tf_test_server_start_on (const char *conninfo, const char *extra_config)
{
  return launch (conninfo, extra_config, 0);
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
  if (server->tls_dir != NULL)
    {
      g_autofree char *cert = g_build_filename (server->tls_dir, "cert.pem", NULL);
      g_autofree char *key = g_build_filename (server->tls_dir, "key.pem", NULL);

      g_unlink (cert);
      g_unlink (key);
      g_rmdir (server->tls_dir);
      g_free (server->tls_dir);
    }
  g_unlink (server->mfa_key_path);
  g_object_unref (server->process);
  g_object_unref (server->session);
  g_free (server->conninfo);
  g_free (server->base_url);
  g_free (server->config_path);
  g_free (server->mfa_key_path);
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

/* The tests' server has a self-signed certificate made for the test. */
static gboolean
on_accept_certificate_cb (SoupMessage *msg, GTlsCertificate *certificate,
                          GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

TfTestResponse *
tf_test_request (TfTestServer *server, const char *method, const char *path, const char *token,
                 const char *body)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return tf_test_request_bytes (server, method, path, token, bytes);
}

TfTestResponse *
tf_test_request_bytes (TfTestServer *server, const char *method, const char *path,
                       const char *token, GBytes *body)
{
  g_autofree char *url = g_strconcat (server->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;
  TfTestResponse *response = g_new0 (TfTestResponse, 1);
  const char *retry;

  g_assert_nonnull (msg);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), NULL);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (server->user_agent == NULL || *server->user_agent != '\0')
    soup_message_headers_replace (soup_message_get_request_headers (msg), "User-Agent",
                                  server->user_agent ? server->user_agent : "tf-test/1");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  /* An empty body (204) has no data pointer at all. */
  response->text = g_bytes_get_size (reply) > 0
    ? g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply)) : g_strdup ("");
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

void
tf_test_user_free (TfTestUser *user)
{
  if (user == NULL)
    return;
  g_free (user->user_id);
  g_free (user->token);
  g_free (user->device_id);
  g_free (user->email);
  g_free (user->role);
  g_free (user->auth_key);
  g_free (user->identity_public);
  tf_secret_free (user->identity_secret);
  tf_secret_free (user->master_key);
  g_free (user);
}

TfTestUser *
tf_test_register (TfTestServer *server, const char *email, const char *role)
{
  g_autofree char *license = g_str_equal (role, "therapist") ? g_strdup_printf ("GR-%s", email)
                                                             : NULL;
  g_autoptr(TfTestResponse) response = NULL;
  TfTestUser *user = tf_test_register_full (server, email, role, license, &response);

  if (response->status != 201)
    g_error ("register %s: %u %s", email, response->status, response->text);
  return user;
}

char *
tf_test_register_body (const char *email, const char *role, const char *license,
                       TfTestUser **out_user)
{
  TfTestUser *user = g_new0 (TfTestUser, 1);
  g_autoptr(TfSecret) auth_key = tf_secret_new_random (32);
  g_autoptr(TfSecret) kek = tf_secret_new_random (32);
  g_autoptr(TfSecret) recovery = tf_secret_new_random (32);
  g_autoptr(TfSecret) signing_secret = NULL;
  g_autofree char *auth_b64 = NULL, *salt_b64 = NULL, *wrapped_master = NULL;
  g_autofree char *wrapped_recovery = NULL, *wrapped_identity = NULL, *wrapped_signing = NULL;
  g_autofree char *signing_public = NULL;
  g_autoptr(GError) error = NULL;
  guint8 salt[TF_CRYPTO_SALT_BYTES];
  char *body;

  g_assert_true (tf_crypto_init (NULL));
  user->email = g_strdup (email);
  user->role = g_strdup (role);
  user->device_id = g_uuid_string_random ();
  user->master_key = tf_secret_new_random (32);
  g_assert_true (tf_crypto_box_keypair (&user->identity_public,
                                        (TfSecret **) &user->identity_secret, &error));
  g_assert_true (tf_crypto_sign_keypair (&signing_public, &signing_secret, &error));
  tf_crypto_random_salt (salt);
  salt_b64 = g_base64_encode (salt, sizeof salt);
  auth_b64 = g_base64_encode (tf_secret_get_data (auth_key), 32);
  wrapped_master = tf_crypto_wrap_key (kek, "master", user->master_key, &error);
  wrapped_recovery = tf_crypto_wrap_key (recovery, "master-recovery", user->master_key, &error);
  wrapped_identity = tf_crypto_wrap_key (user->master_key, "identity", user->identity_secret,
                                         &error);
  wrapped_signing = tf_crypto_wrap_key (user->master_key, "signing", signing_secret, &error);
  g_assert_no_error (error);

  body = g_strdup_printf (
      "{\"email\": \"%s\", \"role\": \"%s\", \"auth_key\": \"%s\","
      " \"kdf\": {\"salt\": \"%s\", \"opslimit\": 3, \"memlimit\": 268435456},"
      " \"wrapped_master_key\": \"%s\", \"wrapped_recovery_key\": \"%s\","
      " \"identity_public_key\": \"%s\", \"wrapped_identity_key\": \"%s\","
      " \"signing_public_key\": \"%s\", \"wrapped_signing_key\": \"%s\","
      " \"device_id\": \"%s\", \"device_name\": \"test\", \"first_name\": \"Δοκιμή\","
      " \"last_name\": \"Χρήστης\"%s%s%s}",
      email, role, auth_b64, salt_b64, wrapped_master, wrapped_recovery, user->identity_public,
      wrapped_identity, signing_public, wrapped_signing, user->device_id,
      license ? ", \"license_number\": \"" : "", license ? license : "", license ? "\"" : "");
  user->auth_key = g_strdup (auth_b64);
  *out_user = user;
  return body;
}

TfTestUser *
tf_test_register_full (TfTestServer *server, const char *email, const char *role,
                       const char *license, TfTestResponse **out_response)
{
  TfTestUser *user = NULL;
  g_autofree char *body = tf_test_register_body (email, role, license, &user);
  TfTestResponse *response = tf_test_request (server, "POST", "/v1/auth/register", NULL, body);
  JsonObject *object;

  *out_response = response;
  if (response->status != 201)
    {
      tf_test_user_free (user);
      return NULL;
    }
  object = tf_test_response_object (response);
  user->user_id = g_strdup (json_object_get_string_member (object, "user_id"));
  user->token = g_strdup (json_object_get_string_member (object, "token"));
  return user;
}

TfTestUser *
tf_test_new_device (TfTestServer *server, TfTestUser *user)
{
  TfTestUser *other = g_new0 (TfTestUser, 1);
  const char *auth_b64 = user->auth_key;
  g_autofree char *body = NULL;
  g_autoptr(TfTestResponse) response = NULL;

  other->device_id = g_uuid_string_random ();
  body = g_strdup_printf ("{\"email\": \"%s\", \"auth_key\": \"%s\", \"device_id\": \"%s\"}",
                          user->email, auth_b64, other->device_id);
  response = tf_test_request (server, "POST", "/v1/auth/login", NULL, body);
  if (response->status != 200)
    g_error ("login %s: %u %s", user->email, response->status, response->text);
  other->user_id = g_strdup (user->user_id);
  other->token = g_strdup (json_object_get_string_member (tf_test_response_object (response),
                                                          "token"));
  other->email = g_strdup (user->email);
  other->role = g_strdup (user->role);
  other->auth_key = g_strdup (user->auth_key);
  other->identity_public = g_strdup (user->identity_public);
  other->identity_secret = tf_secret_copy (user->identity_secret);
  other->master_key = tf_secret_copy (user->master_key);
  return other;
}

char *
tf_test_envelope (const char *table, const char *id, const char *column, const char *text)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GError) error = NULL;
  char *envelope = tf_crypto_encrypt_field (key, table, id, column, text, &error);

  g_assert_no_error (error);
  return envelope;
}

char *
tf_test_mood_mutation (gint64 mutation_id, const char *id, const char *user, gint64 base,
                       int mood)
{
  g_autofree char *notes = tf_test_envelope ("mood_entries", id, "notes", "κουρασμένη");

  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"mood_entries\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"user_id\": \"%s\", \"mood_value\": %d,"
                          " \"created_at\": \"2026-11-20T08:00:00Z\", \"notes\": \"%s\"}}",
                          mutation_id, id, base, user, mood, notes);
}

TfTestResponse *
tf_test_push (TfTestServer *server, TfTestUser *user, const char *mutations)
{
  g_autofree char *body = g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [%s]}",
                                           mutations);

  return tf_test_request (server, "POST", "/v1/sync/push", user->token, body);
}

/* Fails the test unless every mutation of @response was applied. */
static void
assert_all_applied (TfTestResponse *response)
{
  JsonArray *results;

  if (response->status != 200)
    g_error ("push failed: %u %s", response->status, response->text);
  results = json_object_get_array_member (tf_test_response_object (response), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (results, i),
                                                  "status"), "applied") != 0)
      g_error ("push refused: %s", response->text);
}

void
tf_test_link_care (TfTestServer *server, TfTestUser *client, TfTestUser *therapist)
{
  g_autoptr(TfTestUser) phone = tf_test_new_device (server, client);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *m = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"care_relationships\","
                                        " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                                        " \"fields\": {\"therapist_id\": \"%s\","
                                        " \"client_id\": \"%s\", \"status\": \"active\"}}",
                                        id, therapist->user_id, client->user_id);
  g_autoptr(TfTestResponse) r = tf_test_push (server, phone, m);

  assert_all_applied (r);
}

void
tf_test_open_hours (TfTestServer *server, TfTestUser *therapist)
{
  static const char * const windows[][2] = { { "11:00:00", "12:00:00" },
                                             { "13:00:00", "17:00:00" } };
  g_autoptr(TfTestUser) tablet = tf_test_new_device (server, therapist);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(TfTestResponse) r = NULL;
  int n = 0;

  for (int day = 0; day <= 6; day++)
    for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
      {
        g_autofree char *id = g_uuid_string_random ();

        g_string_append_printf (batch,
                                "%s{\"mutation_id\": %d, \"table\": \"therapist_availability\","
                                " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                                " \"fields\": {\"therapist_id\": \"%s\", \"day_of_week\": %d,"
                                " \"start_time\": \"%s\", \"end_time\": \"%s\"}}",
                                n > 0 ? ", " : "", n + 1, id, therapist->user_id, day,
                                windows[w][0], windows[w][1]);
        n++;
      }
  r = tf_test_push (server, tablet, batch->str);
  assert_all_applied (r);
}

/* --- TOTP ------------------------------------------------------------------- */

static char *
totp_code_at (const char *secret_base32, gint64 step)
{
  gsize len = 0;
  g_autofree guint8 *secret = tf_totp_base32_decode (secret_base32, &len);
  char code[TF_TOTP_DIGITS + 1];

  g_assert_nonnull (secret);
  tf_totp_code (secret, len, step, code);
  return g_strdup (code);
}

static gint64
totp_step_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC / TF_TOTP_PERIOD;
}

char *
tf_test_totp_next_code (const char *secret_base32, gint64 *last_step)
{
  gint64 step = MAX (totp_step_now (), *last_step + 1);

  /* One step ahead is taken; two are not until the clock gets there. */
  while (step > totp_step_now () + 1)
    g_usleep (G_USEC_PER_SEC / 4);
  *last_step = step;
  return totp_code_at (secret_base32, step);
}

char *
tf_test_totp_wrong_code (const char *secret_base32)
{
  gint64 now = totp_step_now ();

  for (int n = g_random_int_range (0, 1000000);; n = (n + 1) % 1000000)
    {
      g_autofree char *wrong = g_strdup_printf ("%06d", n);
      gboolean taken = FALSE;

      for (gint64 step = now - 2; step <= now + 3 && !taken; step++)
        {
          g_autofree char *code = totp_code_at (secret_base32, step);

          taken = g_str_equal (code, wrong);
        }
      if (!taken)
        return g_steal_pointer (&wrong);
    }
}
