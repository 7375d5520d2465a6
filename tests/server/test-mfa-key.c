/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-mfa-key.c: the TOTP secret at rest, against the real server and
 * PostgreSQL — users.mfa_secret holds no secret a copy of the database
 * would give away (read here with libpq), codes still verify, a plaintext
 * secret from an older server is sealed at start and on use, a sealed
 * secret moved to another account and a wrong key fail cleanly, and the
 * server does not start without a usable key.
 */
#define G_LOG_DOMAIN "test-mfa-key"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "tf-auth.h"
#include "tf-crypto.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

/* What users.mfa_secret of @user holds now (g_free). */
static char *
stored_secret (PGconn *conn, TfTestUser *user)
{
  g_autofree char *sql = g_strdup_printf ("SELECT mfa_secret FROM users WHERE id = '%s'",
                                          user->user_id);

  return tf_test_pg_value (conn, sql);
}

static char *
code_now (const char *base32, gint64 offset)
{
  gsize len = 0;
  g_autofree guint8 *secret = tf_totp_base32_decode (base32, &len);
  char code[TF_TOTP_DIGITS + 1];

  g_assert_nonnull (secret);
  tf_totp_code (secret, len, g_get_real_time () / G_USEC_PER_SEC / TF_TOTP_PERIOD + offset, code);
  return g_strdup (code);
}

static TfTestResponse *
login (TfTestServer *srv, TfTestUser *user, const char *code)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"auth_key\": \"%s\","
                                           " \"device_id\": \"%s\", \"totp\": \"%s\"}",
                                           user->email, user->auth_key, user->device_id, code);

  return tf_test_request (srv, "POST", "/v1/auth/login", NULL, body);
}

/* The current step, with at least 10 s of it left (a restart fits). */
static gint64
fresh_step (void)
{
  if (g_get_real_time () / G_USEC_PER_SEC % TF_TOTP_PERIOD > TF_TOTP_PERIOD - 10)
    g_usleep (11 * G_USEC_PER_SEC);
  return g_get_real_time () / G_USEC_PER_SEC / TF_TOTP_PERIOD;
}

/* A copy of the key file at @path (the caller unlinks it). */
static char *
copy_key (const char *path)
{
  g_autofree char *contents = NULL;
  char *copy = tf_test_write_mfa_key ();

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents_full (copy, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                           0600, NULL));
  return copy;
}

/* Sets up and enables TOTP for @user; returns the base32 secret.  Waits
 * out the end of a step so that the codes a test sends next are fresh. */
static char *
enable_mfa (TfTestServer *srv, TfTestUser *user)
{
  g_autoptr(TfTestResponse) setup = NULL, enable = NULL;
  g_autofree char *body = NULL, *code = NULL;
  char *base32;

  if (g_get_real_time () / G_USEC_PER_SEC % TF_TOTP_PERIOD > TF_TOTP_PERIOD - 8)
    g_usleep (9 * G_USEC_PER_SEC);
  setup = tf_test_request (srv, "POST", "/v1/auth/mfa/setup", user->token, NULL);
  g_assert_cmpuint (setup->status, ==, 200);
  base32 = g_strdup (json_object_get_string_member (tf_test_response_object (setup), "secret"));
  /* One step back: the current step stays for the login that follows. */
  code = code_now (base32, -1);
  body = g_strdup_printf ("{\"code\": \"%s\"}", code);
  enable = tf_test_request (srv, "POST", "/v1/auth/mfa/enable", user->token, body);
  g_assert_cmpuint (enable->status, ==, 204);
  return base32;
}

/* Nothing of the secret in the column: neither its base32 (either case)
 * nor a prefix long enough to matter. */
static void
assert_sealed (const char *stored, const char *base32)
{
  g_autofree char *lower = g_ascii_strdown (base32, -1);
  g_autofree char *head = g_strndup (base32, 8);

  g_assert_nonnull (stored);
  g_assert_true (g_str_has_prefix (stored, "tfmfa1:"));
  g_assert_null (strstr (stored, base32));
  g_assert_null (strstr (stored, lower));
  g_assert_null (strstr (stored, head));
}

/* After setup and after enable the column holds the sealed secret only;
 * codes verify, a replay is still refused. */
static void
test_sealed_at_rest (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_mfa_key_sealed", NULL);
  g_autoptr(PGconn) conn = tf_test_pg_connect (srv->conninfo);
  g_autoptr(TfTestUser) user = tf_test_register (srv, "sealed@example.org", "client");
  g_autoptr(TfTestResponse) ok = NULL, replay = NULL;
  g_autofree char *base32 = enable_mfa (srv, user);
  g_autofree char *after_enable = stored_secret (conn, user);
  g_autofree char *code = code_now (base32, 0);
  g_autofree char *after_login = NULL;

  assert_sealed (after_enable, base32);
  ok = login (srv, user, code);
  g_assert_cmpuint (ok->status, ==, 200);
  replay = login (srv, user, code);
  g_assert_cmpuint (replay->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (replay), ==, "invalid_credentials");
  after_login = stored_secret (conn, user);
  assert_sealed (after_login, base32);
  /* The step advanced beside the same sealed value. */
  *strrchr (after_enable, ':') = '\0';
  g_assert_true (g_str_has_prefix (after_login, after_enable));
  g_assert_cmpstr (after_login, !=, after_enable);

  tf_test_server_stop (srv);
}

/* A plaintext secret an older server left: sealed when `serve` starts
 * (with its last step kept), and one written while the server runs is
 * sealed at its next use.  Both keep verifying. */
static void
test_legacy_plaintext (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_mfa_key_legacy", NULL);
  g_autoptr(PGconn) conn = tf_test_pg_connect (srv->conninfo);
  g_autoptr(TfTestUser) old = tf_test_register (srv, "old@example.org", "client");
  g_autoptr(TfTestUser) late = tf_test_register (srv, "late@example.org", "client");
  g_autofree char *old_secret = enable_mfa (srv, old);
  g_autofree char *late_secret = enable_mfa (srv, late);
  g_autofree char *key_path = copy_key (srv->mfa_key_path);
  g_autofree char *key_option = g_strdup_printf ("mfa-key-file=%s", key_path);
  g_autofree char *conninfo = g_strdup (srv->conninfo);
  g_autofree char *sql = NULL, *stored = NULL, *code = NULL, *step_suffix = NULL;
  g_autoptr(TfTestResponse) old_login = NULL, late_login = NULL, replay = NULL;
  gint64 step;

  /* Stopped, the database is what an older server wrote: the secret in
   * plaintext and the current step used (a code for it is a replay).  The
   * restarted server has the same key. */
  tf_test_server_stop (srv);
  step = fresh_step ();
  sql = g_strdup_printf ("UPDATE users SET mfa_secret = '%s:%" G_GINT64_FORMAT "'"
                         " WHERE id = '%s'", old_secret, step, old->user_id);
  tf_test_pg_exec (conn, sql);

  srv = tf_test_server_start_on (conninfo, key_option);
  stored = stored_secret (conn, old);
  assert_sealed (stored, old_secret);
  step_suffix = g_strdup_printf (":%" G_GINT64_FORMAT, step);
  g_assert_true (g_str_has_suffix (stored, step_suffix));
  code = code_now (old_secret, 0);
  replay = login (srv, old, code);
  g_assert_cmpuint (replay->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (replay), ==, "invalid_credentials");
  g_free (code);
  code = code_now (old_secret, 1);
  old_login = login (srv, old, code);
  g_assert_cmpuint (old_login->status, ==, 200);

  /* Plaintext written behind the running server's back: sealed on use. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE users SET mfa_secret = '%s' WHERE id = '%s'", late_secret,
                         late->user_id);
  tf_test_pg_exec (conn, sql);
  g_free (code);
  code = code_now (late_secret, 0);
  late_login = login (srv, late, code);
  g_assert_cmpuint (late_login->status, ==, 200);
  g_free (stored);
  stored = stored_secret (conn, late);
  assert_sealed (stored, late_secret);

  tf_test_server_stop (srv);
  g_unlink (key_path);
}

/* A sealed secret copied onto another account does not open there: the
 * login is 503 mfa_unavailable with the server's own words, nothing is
 * counted against the account, and the owner's secret still works. */
static void
test_moved_secret (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_mfa_key_moved", NULL);
  g_autoptr(PGconn) conn = tf_test_pg_connect (srv->conninfo);
  g_autoptr(TfTestUser) owner = tf_test_register (srv, "owner@example.org", "client");
  g_autoptr(TfTestUser) thief = tf_test_register (srv, "thief@example.org", "client");
  g_autofree char *secret = enable_mfa (srv, owner);
  g_autofree char *sql = NULL, *code = NULL;
  g_autoptr(TfTestResponse) moved = NULL, own = NULL;
  JsonObject *error;

  sql = g_strdup_printf ("UPDATE users SET mfa_enabled = true, mfa_secret ="
                         " (SELECT mfa_secret FROM users WHERE id = '%s') WHERE id = '%s'",
                         owner->user_id, thief->user_id);
  tf_test_pg_exec (conn, sql);
  code = code_now (secret, 0);
  moved = login (srv, thief, code);
  g_assert_cmpuint (moved->status, ==, 503);
  g_assert_cmpstr (tf_test_response_error_code (moved), ==, "mfa_unavailable");
  error = json_object_get_object_member (tf_test_response_object (moved), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "message"), ==,
                   "two-factor authentication is unavailable on this server for now;"
                   " its operator has to fix its key");
  g_assert_null (strstr (moved->text, "mfa_secret"));
  g_assert_null (strstr (moved->text, "tfmfa1"));
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_failures"), ==, 0);
  own = login (srv, owner, code);
  g_assert_cmpuint (own->status, ==, 200);

  tf_test_server_stop (srv);
}

/* In the server: a server that starts after all (on a tree without the
 * checks) is stopped by SIGALRM instead of hanging the test, and none
 * outlives the test. */
static void
limit_child (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  alarm (30);
}

/* Runs `serve` with @config_text and @env_dir as $CREDENTIALS_DIRECTORY
 * (NULL: unset), expecting it to refuse to start; returns its stderr. */
static char *
serve_refused (const char *config_text, const char *env_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = g_build_filename (g_getenv ("TF_BUILD_DIR"), "server",
                                              "therapy-field-server", NULL);
  g_autofree char *config_path = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  char *err_text = NULL;
  int fd;

  fd = g_file_open_tmp ("tf-mfa-key-XXXXXX.conf", &config_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (config_path, config_text, -1, &error));
  g_close (fd, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (env_dir != NULL)
    g_subprocess_launcher_setenv (launcher, "CREDENTIALS_DIRECTORY", env_dir, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "CREDENTIALS_DIRECTORY");
  g_subprocess_launcher_set_child_setup (launcher, limit_child, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "serve", "--config",
                                         config_path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err_text, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  g_unlink (config_path);
  return err_text;
}

/* Restarted with another key than the one the secrets were sealed with,
 * the server refuses to start and says why, instead of locking everyone
 * with a second factor out. */
static void
test_wrong_key_refused (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_mfa_key_wrong", NULL);
  g_autoptr(TfTestUser) user = tf_test_register (srv, "wrongkey@example.org", "client");
  g_autofree char *secret = enable_mfa (srv, user);
  g_autofree char *other_key = tf_test_write_mfa_key ();
  g_autofree char *config = g_strdup_printf ("[database]\nurl=%s\n[server]\n"
                                             "listen=127.0.0.1:0\nmfa-key-file=%s\n",
                                             srv->conninfo, other_key);
  g_autofree char *err_text = NULL;

  tf_test_server_stop (srv);
  err_text = serve_refused (config, NULL);
  g_assert_nonnull (strstr (err_text, "opens none of the 1 stored TOTP secrets"));
  g_unlink (other_key);
}

/* No key, a key everyone may read, a file that is no key: each refused
 * with what to do.  The systemd credential (CREDENTIALS_DIRECTORY/mfa-key)
 * is found without mfa-key-file. */
static void
test_key_required (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tf-mfa-creds-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (dir, "mfa-key", NULL);
  g_autofree char *config = NULL, *err_text = NULL, *conninfo = NULL;
  g_autofree char *key_option = NULL;
  TfTestServer *srv;

  config = g_strdup ("[database]\nurl=dbname=none\n[server]\nlisten=127.0.0.1:0\n");
  err_text = serve_refused (config, NULL);
  g_assert_nonnull (strstr (err_text, "no key for the TOTP secrets at rest"));
  g_assert_nonnull (strstr (err_text, "mfa-key-file"));

  g_assert_true (g_file_set_contents (bad, "not a key\n", -1, NULL));
  g_assert_cmpint (g_chmod (bad, 0600), ==, 0);
  g_free (err_text);
  err_text = serve_refused (config, dir);
  g_assert_nonnull (strstr (err_text, "is not 32 bytes as 64 hex digits"));

  g_assert_cmpint (g_chmod (bad, 0644), ==, 0);
  g_free (err_text);
  err_text = serve_refused (config, dir);
  g_assert_nonnull (strstr (err_text, "is readable by everyone"));
  g_unlink (bad);

  /* A good credential, and no mfa-key-file: it starts and seals with it. */
  conninfo = tf_test_pg_create_migrated_db ("tf_mfa_key_credential");
  {
    g_autofree char *key = tf_test_write_mfa_key ();
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (key, &contents, NULL, NULL));
    g_assert_true (g_file_set_contents (bad, contents, -1, NULL));
    g_assert_cmpint (g_chmod (bad, 0400), ==, 0);
    g_unlink (key);
  }
  g_setenv ("CREDENTIALS_DIRECTORY", dir, TRUE);
  key_option = g_strdup ("mfa-key-file=");
  srv = tf_test_server_start_on (conninfo, key_option);
  g_unsetenv ("CREDENTIALS_DIRECTORY");
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (conninfo);
    g_autoptr(TfTestUser) user = tf_test_register (srv, "credential@example.org", "client");
    g_autofree char *secret = enable_mfa (srv, user);
    g_autofree char *stored = stored_secret (conn, user);

    assert_sealed (stored, secret);
  }
  tf_test_server_stop (srv);
  g_unlink (bad);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  /* The servers here use their own databases (see test-auth.c). */
  g_unsetenv ("TF_DATABASE_URL");
  g_unsetenv ("CREDENTIALS_DIRECTORY");

  g_test_add_func ("/tf/mfa-key/sealed-at-rest", test_sealed_at_rest);
  g_test_add_func ("/tf/mfa-key/legacy-plaintext", test_legacy_plaintext);
  g_test_add_func ("/tf/mfa-key/moved-secret", test_moved_secret);
  g_test_add_func ("/tf/mfa-key/wrong-key-refused", test_wrong_key_refused);
  g_test_add_func ("/tf/mfa-key/key-required", test_key_required);
  return g_test_run ();
}
