/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-account-manage.c: the device core's account management (tf-account-manage.h)
 * against the real server and PostgreSQL, with real profiles (SQLite files,
 * keys made and opened by the core): an account's devices list their
 * sessions with their own marked, one ends another's (whose next sync is
 * refused) or its own (and is signed out here), and the two-step sign-in is
 * set up, turned on with a code computed as an authenticator app does,
 * asked for at sign-in (a wrong code told from a wrong password), and
 * turned off; a throttled or unavailable second factor is told as a wait.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tf-account-manage.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

#define PASSWORD "σωστός κωδικός 1"

static TfTestServer *server;

typedef struct
{
  char    *dir;
  TfStore *store;
  TfVault *vault;
} Device;

static Device *
device_new (void)
{
  Device *d = g_new0 (Device, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  d->dir = g_dir_make_tmp ("tf-account-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (d->dir, "profile.sqlite", NULL);
  d->store = tf_store_open (path, &error);
  g_assert_no_error (error);
  return d;
}

static void
device_free (Device *d)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&d->vault);
  g_assert_finalize_object (d->store);
  dir = g_dir_open (d->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (d->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (d->dir);
  g_free (d->dir);
  g_free (d);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Device, device_free)

/* A client's account, made on @d and registered on the server. */
static void
register_on (Device *d, const char *email)
{
  TfRegistration reg = { PASSWORD, "client", "Ελένη", "Παπαδοπούλου", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;

  d->vault = tf_account_create_local (d->store, &reg, &recovery, &error);
  g_assert_no_error (error);
  g_assert_true (tf_account_publish (d->store, server->base_url, email, PASSWORD, NULL, &error));
  g_assert_no_error (error);
}

static void
login_on (Device *d, const char *email)
{
  g_autoptr(GError) error = NULL;

  d->vault = tf_account_login (d->store, server->base_url, email, PASSWORD, NULL, &error);
  g_assert_no_error (error);
}

static TfAccountSession *
find_device (GPtrArray *sessions, Device *d)
{
  g_autofree char *device_id = tf_account_get (d->store, "device_id");

  for (guint i = 0; i < sessions->len; i++)
    if (g_strcmp0 (tf_account_session_get_device_id (g_ptr_array_index (sessions, i)),
                   device_id) == 0)
      return g_ptr_array_index (sessions, i);
  return NULL;
}

static void
test_sessions (void)
{
  g_autoptr(Device) phone = device_new ();
  g_autoptr(Device) laptop = device_new ();
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *laptop_session = NULL, *phone_session = NULL, *upper = NULL;
  TfAccountSession *mine, *other;
  gboolean this_device = TRUE, current = FALSE;

  register_on (phone, "sessions@example.gr");
  login_on (laptop, "sessions@example.gr");

  /* Both devices, each told which one it is. */
  sessions = tf_account_list_sessions (phone->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 2);
  mine = find_device (sessions, phone);
  other = find_device (sessions, laptop);
  g_assert_nonnull (mine);
  g_assert_nonnull (other);
  g_assert_true (tf_account_session_is_current (mine));
  g_assert_false (tf_account_session_is_current (other));
  g_object_get (mine, "current", &current, NULL);
  g_assert_true (current);
  g_assert_cmpstr (tf_account_session_get_label (other), ==, g_get_host_name ());
  g_assert_cmpint (g_date_time_compare (tf_account_session_get_expires (other),
                                        tf_account_session_get_last_seen (other)), >, 0);
  g_assert_cmpint (g_date_time_compare (tf_account_session_get_ends_at_latest (other),
                                        tf_account_session_get_created (other)), >, 0);
  laptop_session = g_strdup (tf_account_session_get_id (other));
  phone_session = g_strdup (tf_account_session_get_id (mine));
  g_clear_pointer (&sessions, g_ptr_array_unref);
  /* The laptop sees the same two, its own marked. */
  sessions = tf_account_list_sessions (laptop->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 2);
  g_assert_true (tf_account_session_is_current (find_device (sessions, laptop)));
  g_clear_pointer (&sessions, g_ptr_array_unref);

  /* The phone ends the laptop's session: the laptop's next sync is refused. */
  g_assert_true (tf_account_revoke_session (phone->vault, laptop_session, &this_device, &error));
  g_assert_no_error (error);
  g_assert_false (this_device);
  {
    g_autoptr(TfSyncClient) client = tf_account_new_sync_client (laptop->vault, &error);

    g_assert_no_error (error);
    g_assert_false (tf_sync_client_sync (client, laptop->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED);
    g_clear_error (&error);
  }
  g_assert_null (tf_account_list_sessions (laptop->vault, &error));
  g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Ended already, unknown, or not an id at all: the same typed answer. */
  g_assert_false (tf_account_revoke_session (phone->vault, laptop_session, NULL, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_SUCH_SESSION);
  g_clear_error (&error);
  g_assert_false (tf_account_revoke_session (phone->vault, "not-a-session", NULL, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_SUCH_SESSION);
  g_clear_error (&error);

  sessions = tf_account_list_sessions (phone->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 1);

  /* Its own session (pasted in capitals): this device is signed out. */
  upper = g_ascii_strup (phone_session, -1);
  g_assert_true (tf_account_revoke_session (phone->vault, upper, &this_device, &error));
  g_assert_no_error (error);
  g_assert_true (this_device);
  {
    g_autoptr(TfSyncClient) client = tf_account_new_sync_client (phone->vault, &error);

    g_assert_null (client);
    g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT);
    g_clear_error (&error);
  }
}

static void
test_mfa (void)
{
  g_autoptr(Device) phone = device_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL, *secret = NULL, *wrong = NULL, *code = NULL;
  gint64 last_step = -1;

  register_on (phone, "mfa@example.gr");

  uri = tf_account_mfa_setup (phone->vault, &secret, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (uri, "otpauth://totp/"));
  g_assert_nonnull (strstr (uri, secret));

  /* Not a code at all: refused before anything is sent. */
  g_assert_false (tf_account_mfa_enable (phone->vault, "12345", &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_WRONG);
  g_clear_error (&error);
  wrong = tf_test_totp_wrong_code (secret);
  g_assert_false (tf_account_mfa_enable (phone->vault, wrong, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_WRONG);
  g_clear_error (&error);

  /* As an authenticator app shows it, with a space in the middle. */
  code = tf_test_totp_next_code (secret, &last_step);
  {
    g_autofree char *spaced = g_strdup_printf ("%.3s %s", code, code + 3);

    g_assert_true (tf_account_mfa_enable (phone->vault, spaced, &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&code, g_free);

  /* On: it cannot be set up or turned on again. */
  g_assert_null (tf_account_mfa_setup (phone->vault, NULL, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_MFA_STATE);
  g_clear_error (&error);
  /* (The state is checked before the code: any code shows it.) */
  g_assert_false (tf_account_mfa_enable (phone->vault, wrong, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_MFA_STATE);
  g_clear_error (&error);

  /* Signing in on another device asks for a code, and tells a wrong code
   * from a wrong password, which the server answers alike. */
  {
    g_autoptr(Device) laptop = device_new ();
    g_autoptr(TfVault) vault = NULL;

    vault = tf_account_login (laptop->store, server->base_url, "mfa@example.gr", PASSWORD, NULL,
                              &error);
    g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED);
    g_clear_error (&error);
    vault = tf_account_login (laptop->store, server->base_url, "mfa@example.gr", PASSWORD, wrong,
                              &error);
    g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_WRONG);
    g_clear_error (&error);
    vault = tf_account_login (laptop->store, server->base_url, "mfa@example.gr", "λάθος", wrong,
                              &error);
    g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD);
    g_clear_error (&error);
    code = tf_test_totp_next_code (secret, &last_step);
    laptop->vault = tf_account_login (laptop->store, server->base_url, "mfa@example.gr", PASSWORD,
                                      code, &error);
    g_assert_no_error (error);
    g_assert_nonnull (laptop->vault);
    g_clear_pointer (&code, g_free);
  }

  /* A wrong code does not turn it off; a good one does. */
  g_assert_false (tf_account_mfa_disable (phone->vault, wrong, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_WRONG);
  g_clear_error (&error);
  code = tf_test_totp_next_code (secret, &last_step);
  g_assert_true (tf_account_mfa_disable (phone->vault, code, &error));
  g_assert_no_error (error);
  g_assert_false (tf_account_mfa_disable (phone->vault, wrong, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_MFA_STATE);
  g_clear_error (&error);
}

/* Too many wrong codes: the server answers rate_limited, even to the right
 * code, and the device says to wait (TF_ACCOUNT_ERROR_THROTTLED, as a
 * throttled login is), not that the server refused. */
static void
test_mfa_throttled (void)
{
  g_autoptr(Device) phone = device_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL, *secret = NULL, *wrong = NULL, *code = NULL;
  gint64 last_step = -1;

  register_on (phone, "throttled@example.gr");
  uri = tf_account_mfa_setup (phone->vault, &secret, &error);
  g_assert_no_error (error);
  wrong = tf_test_totp_wrong_code (secret);
  /* login-attempts: 5 failures per account in the window */
  for (int i = 0; i < 5; i++)
    {
      g_assert_false (tf_account_mfa_enable (phone->vault, wrong, &error));
      g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_WRONG);
      g_clear_error (&error);
    }
  code = tf_test_totp_next_code (secret, &last_step);
  g_assert_false (tf_account_mfa_enable (phone->vault, code, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_THROTTLED);
  g_assert_cmpstr (error->message, ==, "Too many failed attempts; wait a few minutes and try again");
}

/* A server whose TOTP key does not open an account's second factor (a
 * sealed secret moved onto it in PostgreSQL) answers mfa_unavailable: the
 * device says to wait and that nothing changed, at sign-in and when turning
 * it off, instead of "not available, your changes will sync later". */
static void
test_mfa_unavailable (void)
{
  g_autoptr(Device) owner = device_new ();
  g_autoptr(Device) other = device_new ();
  g_autoptr(Device) laptop = device_new ();
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autofree char *uri = NULL, *secret = NULL, *code = NULL, *sql = NULL;
  g_autofree char *owner_id = NULL, *other_id = NULL;
  const char *message = "The server cannot check two-step sign-in codes right now; nothing was "
                        "changed. Try again later, and tell the server’s operator if it lasts";
  gint64 last_step = -1;

  register_on (owner, "sealed@example.gr");
  register_on (other, "moved@example.gr");
  uri = tf_account_mfa_setup (owner->vault, &secret, &error);
  g_assert_no_error (error);
  code = tf_test_totp_next_code (secret, &last_step);
  g_assert_true (tf_account_mfa_enable (owner->vault, code, &error));
  g_assert_no_error (error);
  g_clear_pointer (&code, g_free);
  owner_id = tf_account_get (owner->store, "user_id");
  other_id = tf_account_get (other->store, "user_id");
  sql = g_strdup_printf ("UPDATE users SET mfa_enabled = true, mfa_secret ="
                         " (SELECT mfa_secret FROM users WHERE id = '%s') WHERE id = '%s'",
                         owner_id, other_id);
  tf_test_pg_exec (conn, sql);

  code = tf_test_totp_next_code (secret, &last_step);
  g_assert_false (tf_account_mfa_disable (other->vault, code, &error));
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_THROTTLED);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);
  vault = tf_account_login (laptop->store, server->base_url, "moved@example.gr", PASSWORD, code,
                            &error);
  g_assert_null (vault);
  g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_THROTTLED);
  g_assert_cmpstr (error->message, ==, message);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Argon2id at libsodium's interactive floor: the cost is not what is tested. */
  g_setenv ("TF_KDF_OPSLIMIT", "2", TRUE);
  g_setenv ("TF_KDF_MEMLIMIT_MIB", "64", TRUE);
  g_assert_true (tf_crypto_init (NULL));
  server = tf_test_server_start ("tf_account", NULL);

  g_test_add_func ("/tf/e2e/account/sessions", test_sessions);
  g_test_add_func ("/tf/e2e/account/mfa", test_mfa);
  g_test_add_func ("/tf/e2e/account/mfa-throttled", test_mfa_throttled);
  g_test_add_func ("/tf/e2e/account/mfa-unavailable", test_mfa_unavailable);
  status = g_test_run ();

  tf_test_server_stop (server);
  return status;
}
