/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-account.c: the account in the app, through the real sync server and
 * PostgreSQL (started by build-aux/tf-pg), in real windows under Xvfb.  A
 * profile made "this computer only" is put on the server from Preferences
 * and what was written offline reaches a second device; a device whose
 * password was changed on another one shows "Sign In Again", refuses the
 * old password, takes the new one and syncs again; a forgotten password is
 * recovered with the recovery key from the unlock page, on a device that
 * syncs and, offline, on one that does not; a device whose session lapsed
 * signs in again by itself and keeps syncing, asking only once the session
 * is revoked; on a new device, first run recovers an account the CLI made
 * with its recovery key and shows its data.  GTK warnings are fatal.
 * With TF_UI_SHOTS set to a folder, each new view is saved there as a
 * screenshot (ImageMagick's import) to look at.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-account-manage.h"
#include "tf-care-requests.h"
#include "tf-client-detail.h"
#include "tf-crypto.h"
#include "tf-preferences.h"
#include "tf-preferences-window.h"
#include "tf-qr-code.h"
#include "tf-safety-dialog.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"
#include "tf-time.h"
#include "tf-ui-test.h"
#include "tf-verify.h"
#include "tf-window.h"

#define PASSWORD "σωστός κωδικός"
#define NEW_PASSWORD "νέος κωδικός 2026"
#define CONTENT "Έγραψα αυτό πριν έχω διακομιστή."

static TfTestServer *server;


typedef struct
{
  gboolean done;
  GError  *error;
  char    *recovery;
} Wait;

static void
on_logged_in (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  tf_session_login_finish (TF_SESSION (source), result, &wait->error);
  wait->done = TRUE;
}

/* A second device signed in to @email's account on @on, unlocked. */
static TfSession *
second_device_on (TfTestServer *on, const char *email, const char *password, char **out_dir)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  TfSession *session;

  *out_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  session = tf_session_new (*out_dir, &error);
  g_assert_no_error (error);
  tf_session_login_async (session, on->base_url, email, password, NULL, NULL, on_logged_in,
                          &wait);
  g_assert_true (tf_ui_wait_for (tf_ui_is_true, &wait.done));
  g_assert_no_error (wait.error);
  return session;
}

static TfSession *
second_device (const char *email, const char *password, char **out_dir)
{
  return second_device_on (server, email, password, out_dir);
}

/* Synced: up to date, nothing waiting, no error. */
static gboolean
synced (gpointer data)
{
  TfSession *session = data;

  return tf_session_get_sync_state (session) == TF_SYNC_STATE_IDLE &&
         tf_session_get_pending (session) == 0 && tf_session_get_sync_error (session) == NULL;
}

static void
set_true (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
signed_out (gpointer data)
{
  return tf_session_get_sync_state (data) == TF_SYNC_STATE_SIGNED_OUT;
}

static char *
put_journal (TfSession *session)
{
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autoptr(GError) error = NULL;
  TfVault *vault = tf_session_get_vault (session);
  char *id = g_uuid_string_random ();
  gboolean ok;

  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "user_id", tf_vault_get_user_id (vault));
  json_object_set_string_member (plain, "content", CONTENT);
  json_object_set_boolean_member (plain, "therapist_shared", FALSE);
  json_object_set_string_member (plain, "created_at", stamp);
  json_object_set_string_member (plain, "updated_at", stamp);
  ok = tf_vault_put (vault, tf_registry_lookup ("journal_entries"), id, plain, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return id;
}

/* @session reads entry @id as written. */
static void
assert_reads (TfSession *session, const char *id)
{
  g_autoptr(JsonObject) entry = tf_ui_get (session, "journal_entries", id);

  g_assert_cmpstr (json_object_get_string_member (entry, "content"), ==, CONTENT);
}

static gboolean
not_syncing (gpointer data)
{
  return tf_session_get_sync_state (data) != TF_SYNC_STATE_SYNCING;
}

/* Live updates stopped, and a sync they woke ended (it holds its session). */
static void
close_session (TfSession *session)
{
  tf_session_lock (session);
  g_assert_true (tf_ui_wait_for (not_syncing, session));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (session);
}

/* Both locked before either is waited for: the two may sync with each
 * other's changes until both have stopped. */
static void
close_sessions (TfSession *a, TfSession *b)
{
  tf_session_lock (a);
  tf_session_lock (b);
  g_assert_true (tf_ui_wait_for (not_syncing, a));
  g_assert_true (tf_ui_wait_for (not_syncing, b));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

typedef struct
{
  GtkWidget  *window;
  const char *name;
} Sensitive;

static gboolean
is_sensitive (gpointer data)
{
  Sensitive *s = data;

  return gtk_widget_get_sensitive (tf_ui_find (s->window, s->name));
}

static void
test_publish_from_preferences (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Ελένη", .last_name = "Δήμου",
  };
  const char *email = "eleni.dimou@example.org";
  g_autofree char *dir = NULL, *other_dir = NULL, *entry_id = NULL;
  TfSession *session = tf_ui_new_profile (&reg, &dir);
  TfSession *other;
  GtkWidget *window, *status;
  Sensitive button;

  /* Written while the profile was on this computer only. */
  entry_id = put_journal (session);
  g_assert_cmpint (tf_session_get_sync_state (session), ==, TF_SYNC_STATE_LOCAL_ONLY);

  window = tf_preferences_window_new (NULL, NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  tf_ui_wait_shown (window, "preferences-server-url");
  tf_ui_wait_subtitle (window, "preferences-server", _("None — this computer only"));
  tf_ui_type (window, "preferences-server-url", server->base_url);
  tf_ui_type (window, "preferences-email", email);

  /* A wrong password opens nothing and registers nothing; it says so. */
  tf_ui_type (window, "preferences-publish-password", "λάθος κωδικός");
  tf_ui_click (window, "preferences-publish-button");
  button = (Sensitive) { window, "preferences-publish-button" };
  g_assert_true (tf_ui_wait_for (is_sensitive, &button));
  status = tf_ui_find (window, "preferences-publish-status");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), !=, "");
  g_assert_cmpint (tf_session_get_sync_state (session), ==, TF_SYNC_STATE_LOCAL_ONLY);
  tf_ui_shot ("publish-error");

  tf_ui_type (window, "preferences-publish-password", PASSWORD);
  tf_ui_click (window, "preferences-publish-button");
  g_assert_true (tf_ui_wait_for (synced, session));
  tf_ui_wait_subtitle (window, "preferences-server", server->base_url);
  tf_ui_wait_mapped (window, "preferences-publish", FALSE);
  tf_ui_shot ("published");
  gtk_window_destroy (GTK_WINDOW (window));

  /* The offline entry is on the server: a new device reads it. */
  other = second_device (email, PASSWORD, &other_dir);
  tf_session_sync (other);
  g_assert_true (tf_ui_wait_for (synced, other));
  assert_reads (other, entry_id);

  close_sessions (session, other);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (other_dir);
}

static void
on_created (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  tf_session_create_finish (TF_SESSION (source), result, &wait->recovery, &wait->error);
  wait->done = TRUE;
}

/* Answers @dialog with @response and closes it, as its button does; a
 * dialog asking again may follow at once (tf_ui_answer_dialog would see
 * it as this one not gone). */
static void
answer (GtkWidget *dialog, const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_close (GTK_WINDOW (dialog));
}

/* A new account of @reg registered on @on as @email (NULL: on this
 * computer only), unlocked; its recovery key in @out_recovery. */
static TfSession *
registered_on (TfTestServer *on, const TfRegistration *reg, const char *email, char **out_dir,
               char **out_recovery)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  TfSession *session;

  *out_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  session = tf_session_new (*out_dir, &error);
  g_assert_no_error (error);
  tf_session_create_async (session, reg, email != NULL ? on->base_url : NULL, email, NULL,
                           on_created, &wait);
  g_assert_true (tf_ui_wait_for (tf_ui_is_true, &wait.done));
  g_assert_no_error (wait.error);
  *out_recovery = wait.recovery;
  return session;
}

static TfSession *
registered (const TfRegistration *reg, const char *email, char **out_dir, char **out_recovery)
{
  return registered_on (server, reg, email, out_dir, out_recovery);
}

/* The app's window on @session, locked: its unlock page. */
static GtkWidget *
locked_window (TfSession *session)
{
  GtkWidget *window;

  tf_session_lock (session);
  window = GTK_WIDGET (tf_window_new (NULL, session));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_wait_shown (window, "unlock-password");
  return window;
}

/* The password answered in the "Sign In Again" dialog. */
static void
answer_sign_in (const char *password, const char *shot_name)
{
  g_autoptr(GtkWidget) dialog = tf_ui_wait_dialog (NULL);

  g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "sign-in-again");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   _("Sign In Again"));
  tf_ui_type (dialog, "sign-in-again-password", password);
  tf_ui_shot (shot_name);
  answer (dialog, "sign-in");
}

static void
test_sign_in_again_after_password_change (void)
{
  TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Νίκος", .last_name = "Ρήγας",
  };
  const char *email = "nikos.rigas@example.org";
  g_autofree char *dir = NULL, *other_dir = NULL, *entry_id = NULL, *recovery = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWidget) dialog = NULL;
  TfSession *session, *other;
  GtkWidget *window;

  session = registered (&reg, email, &dir, &recovery);
  window = locked_window (session);
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for (synced, session));
  tf_ui_wait_mapped (window, "sign-in-again-button", FALSE);

  /* On another device the password is set anew with the recovery key,
   * which ends every other session: this one was not lapsed but ended. */
  other = second_device (email, PASSWORD, &other_dir);
  g_assert_true (tf_account_recover (tf_session_get_store (other), recovery, NEW_PASSWORD,
                                     &error));
  g_assert_no_error (error);

  /* The next sync is refused: the app asks, the data stays open. */
  entry_id = put_journal (session);
  tf_session_sync (session);
  g_assert_true (tf_ui_wait_for (signed_out, session));
  dialog = tf_ui_wait_dialog (NULL);
  g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "sign-in-again");
  g_assert_true (tf_session_is_unlocked (session));
  tf_ui_shot ("sign-in-again");

  /* "Not Now": later syncs the server refuses do not ask again; the
   * header's button does. */
  g_free (tf_ui_answer_dialog ("sign-in-again", "later"));
  tf_ui_wait_mapped (window, "sign-in-again-button", TRUE);
  for (guint i = 0; i < 2; i++)
    {
      gboolean done = FALSE;
      gulong id = g_signal_connect_swapped (session, "synced", G_CALLBACK (set_true), &done);

      tf_session_sync (session);
      g_assert_true (tf_ui_wait_for (tf_ui_is_true, &done));
      g_signal_handler_disconnect (session, id);
      g_assert_cmpint (tf_session_get_sync_state (session), ==, TF_SYNC_STATE_SIGNED_OUT);
      g_assert_null (tf_ui_find_dialog ("sign-in-again"));
    }
  tf_ui_click (window, "sign-in-again-button");

  /* The old password no longer signs in: asked again, saying why. */
  answer_sign_in (PASSWORD, "sign-in-again-typed");
  g_clear_object (&dialog);
  dialog = tf_ui_wait_dialog (NULL);
  tf_ui_wait_shown (dialog, "sign-in-again-error");
  tf_ui_shot ("sign-in-again-refused");
  g_assert_cmpint (tf_session_get_sync_state (session), ==, TF_SYNC_STATE_SIGNED_OUT);

  g_clear_object (&dialog);
  answer_sign_in (NEW_PASSWORD, "sign-in-again-new");
  g_assert_true (tf_ui_wait_for (synced, session));
  tf_ui_wait_mapped (window, "sign-in-again-button", FALSE);

  /* What was written while signed out arrived. */
  tf_ui_sync_now (other);
  assert_reads (other, entry_id);

  gtk_window_destroy (GTK_WINDOW (window));
  close_sessions (session, other);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (other_dir);
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms: what the app does by itself meanwhile. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* On a server whose sessions last 1 s unused and 2 s at most, a change
 * made after the session lapsed reaches the server, sync after sync, and
 * nobody is asked for anything; a session someone revoked does ask. */
static void
test_lapsed_session_keeps_syncing (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Λήδα", .last_name = "Κόντου",
  };
  const char *email = "lida.kontou@example.org";
  TfTestServer *brief = tf_test_server_start ("tf_ui_lapse",
                                              "token-lifetime=1\ntoken-max-lifetime=2");
  g_autofree char *dir = NULL, *other_dir = NULL, *recovery = NULL, *device = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GtkWidget) dialog = NULL;
  TfSession *session, *other;
  GtkWidget *window;
  PGconn *conn;

  session = registered_on (brief, &reg, email, &dir, &recovery);
  window = locked_window (session);
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for (synced, session));
  for (int i = 0; i < 2; i++)
    {
      run_for (2500);  /* past both lifetimes */
      g_ptr_array_add (entries, put_journal (session));
      tf_session_sync (session);
      g_assert_true (tf_ui_wait_for (synced, session));
      g_assert_null (tf_ui_find_dialog ("sign-in-again"));
      g_assert_false (gtk_widget_get_visible (tf_ui_find (window, "sign-in-again-button")));
    }

  /* The changes are on the server: another device reads them. */
  other = second_device_on (brief, email, PASSWORD, &other_dir);
  tf_ui_sync_now (other);
  for (guint i = 0; i < entries->len; i++)
    assert_reads (other, entries->pdata[i]);

  /* Revoked, not lapsed: not renewed; the app asks, the data stays open. */
  device = tf_account_get (tf_session_get_store (session), "device_id");
  sql = g_strdup_printf ("UPDATE auth_sessions SET revoked_at = now () WHERE device_id = '%s'",
                         device);
  conn = tf_test_pg_connect (brief->conninfo);
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
  g_free (put_journal (session));
  tf_session_sync (session);
  g_assert_true (tf_ui_wait_for (signed_out, session));
  dialog = tf_ui_wait_dialog (NULL);
  g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "sign-in-again");
  g_assert_true (tf_session_is_unlocked (session));
  g_assert_cmpint (tf_session_get_pending (session), ==, 1);
  g_clear_object (&dialog);
  g_free (tf_ui_answer_dialog ("sign-in-again", "later"));

  gtk_window_destroy (GTK_WINDOW (window));
  close_sessions (session, other);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (other_dir);
  tf_test_server_stop (brief);
}

/* The recovery dialog answered: @key, @password twice. */
static void
answer_recover (const char *key, const char *password, const char *shot_name)
{
  g_autoptr(GtkWidget) dialog = tf_ui_wait_dialog (NULL);

  g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "recover");
  tf_ui_type (dialog, "recover-key", key);
  tf_ui_type (dialog, "recover-password", password);
  tf_ui_type (dialog, "recover-password-again", password);
  tf_ui_shot (shot_name);
  answer (dialog, "recover");
}

/* Forgot the password: from the unlock page, the recovery key sets a new
 * one and opens the data; a mistyped key is asked again.  Then the new
 * password unlocks, and (@on_server) signs in on another device. */
static void
check_recovery (TfSession *session, const char *recovery, const char *email,
                gboolean on_server)
{
  g_autofree char *typo = g_strdup (recovery), *other_dir = NULL;
  g_autoptr(GtkWidget) dialog = NULL;
  GtkWidget *window = locked_window (session);
  TfSession *other = NULL;

  tf_ui_shot ("unlock-forgot");
  tf_ui_click (window, "unlock-forgot");
  /* One letter changed: the key's checksum says it is mistyped. */
  typo[0] = typo[0] == 'A' ? 'B' : 'A';
  answer_recover (typo, NEW_PASSWORD, "recover");
  dialog = tf_ui_wait_dialog (NULL);
  tf_ui_wait_shown (dialog, "recover-error");
  tf_ui_shot ("recover-refused");
  g_assert_false (tf_session_is_unlocked (session));
  g_clear_object (&dialog);
  answer_recover (recovery, NEW_PASSWORD, "recover-typed");
  g_assert_true (tf_ui_wait_for ((gboolean (*) (gpointer)) tf_session_is_unlocked, session));
  tf_ui_wait_shown (window, "main-views");
  if (on_server)
    g_assert_true (tf_ui_wait_for (synced, session));

  /* Locked again, the new password opens it. */
  gtk_widget_activate_action (window, "win.lock", NULL);
  tf_ui_wait_shown (window, "unlock-password");
  tf_ui_type (window, "unlock-password", NEW_PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for ((gboolean (*) (gpointer)) tf_session_is_unlocked, session));

  if (on_server)
    other = second_device (email, NEW_PASSWORD, &other_dir);
  gtk_window_destroy (GTK_WINDOW (window));
  if (other != NULL)
    {
      close_sessions (session, other);
      tf_ui_remove_profile (other_dir);
    }
  else
    {
      tf_session_lock (session);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_finalize_object (session);
    }
}

static void
test_recover_signed_in (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Άρης", .last_name = "Λάμπρου",
  };
  const char *email = "aris.lambrou@example.org";
  g_autofree char *dir = NULL, *recovery = NULL;
  TfSession *session = registered (&reg, email, &dir, &recovery);

  check_recovery (session, recovery, email, TRUE);
  tf_ui_remove_profile (dir);
}

/* A profile on this computer only recovers offline: no server is asked. */
static void
test_recover_local_only (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Ζωή", .last_name = "Μαύρου",
  };
  g_autofree char *dir = NULL, *recovery = NULL;
  TfSession *session = registered (&reg, NULL, &dir, &recovery);

  g_assert_cmpint (tf_session_get_sync_state (session), ==, TF_SYNC_STATE_LOCAL_ONLY);
  check_recovery (session, recovery, NULL, FALSE);
  tf_ui_remove_profile (dir);
}

/* therapy-field-cli-test (the CLI with the test hooks: keys at the cheap
 * Argon2id cost tf_ui_init asks for) on the profile in @dir (the password
 * in TF_PASSWORD, as a script gives it); its output, and it must succeed. */
static char *
cli (const char *dir, const char * const *args)
{
  g_autofree char *path = g_build_filename (g_getenv ("TF_BUILD_DIR"), "client",
                                            "therapy-field-cli-test", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL, err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "TF_PASSWORD", PASSWORD, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("therapy-field-cli %s: %.*s", args[0], (int) g_bytes_get_size (err),
             (const char *) g_bytes_get_data (err, NULL));
  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}
#define CLI(dir, ...) cli (dir, (const char * const[]) { __VA_ARGS__, NULL })

/* The onboarding's recovery form filled and sent; it asks again, saying
 * @problem, unless @problem is NULL. */
static void
recover_on_onboarding (GtkWidget *window, const char *server_url, const char *email,
                       const char *key, const char *problem)
{
  tf_ui_type (window, "onboarding-server-url", server_url);
  tf_ui_type (window, "onboarding-email", email);
  tf_ui_type (window, "onboarding-key", key);
  tf_ui_type (window, "onboarding-password", NEW_PASSWORD);
  tf_ui_type (window, "onboarding-confirm", NEW_PASSWORD);
  tf_ui_click (window, "onboarding-continue");
  if (problem != NULL)
    g_assert_nonnull (tf_ui_wait_label (window, problem));
}

/* First run on a new device, the password forgotten: an account made and
 * written to from the CLI is recovered in the app with the recovery key,
 * which opens the profile and brings its data; an unknown e-mail and a
 * server that cannot be reached are told apart. */
static void
test_recover_on_new_device (void)
{
  const char *email = "stella.manou@example.org";
  g_autofree char *cli_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", NULL);
  g_autofree char *dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", NULL);
  g_autofree char *out = NULL, *recovery = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *session;
  GtkWidget *window;

  out = CLI (cli_dir, "--json", "account", "register", "--server", server->base_url, "--email",
             email, "--role", "client", "--first-name", "Στέλλα", "--last-name", "Μάνου");
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  recovery = g_strdup (json_object_get_string_member (json_node_get_object (node),
                                                      "recovery_key"));
  g_free (CLI (cli_dir, "journal", "add", "--title", "Από το τερματικό", "--content", CONTENT));
  g_free (CLI (cli_dir, "sync"));

  session = tf_session_new (dir, &error);
  g_assert_no_error (error);
  window = GTK_WIDGET (tf_window_new (NULL, session));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_click (window, "onboarding-recover");
  tf_ui_wait_shown (window, "onboarding-key");
  tf_ui_shot ("onboarding-recover");

  /* Nothing listens there. */
  recover_on_onboarding (window, "http://127.0.0.1:9", email, recovery,
                         _("The server cannot be reached. Check its address and your "
                           "connection, then try again."));
  g_assert_false (tf_session_has_account (session));
  /* The server says the same for an unknown e-mail as for a wrong key. */
  recover_on_onboarding (window, server->base_url, "nobody@example.org", recovery,
                         _("Wrong e-mail address or recovery key"));
  tf_ui_shot ("onboarding-recover-refused");
  g_assert_false (tf_session_has_account (session));

  recover_on_onboarding (window, server->base_url, email, recovery, NULL);
  g_assert_true (tf_ui_wait_for (synced, session));
  tf_ui_wait_shown (window, "main-views");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (tf_ui_find (window, "main-views")),
                                         "journal");
  g_assert_nonnull (tf_ui_wait_label (window, "Από το τερματικό"));
  tf_ui_shot ("onboarding-recovered");

  /* The new password is the account's now: the CLI's old one is refused. */
  gtk_widget_activate_action (window, "win.lock", NULL);
  tf_ui_type (window, "unlock-password", NEW_PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for ((gboolean (*) (gpointer)) tf_session_is_unlocked, session));

  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (cli_dir);
}

/* --- the Account page ----------------------------------------------------- */

typedef struct
{
  int   status;
  char *err;
} CliRun;

/* therapy-field-cli-test on the profile in @dir, with the password, and @args;
 * waits for it (the server is a process of its own). */
static void
run_cli (CliRun *run, const char *dir, const char *password, const char * const *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("TF_BUILD_DIR"), "client",
                                           "therapy-field-cli-test", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "TF_PASSWORD", password, TRUE);
  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  /* Empty bytes may have no data at all. */
  run->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                        g_bytes_get_size (err));
}

#define CLI_RUN(run, dir, ...) run_cli (run, dir, PASSWORD, (const char * const[]) { __VA_ARGS__, NULL })

/* Preferences on @session's Account page, 360 px wide. */
static GtkWidget *
account_page (TfSession *session)
{
  GtkWidget *window = tf_preferences_window_new (NULL, NULL, session);
  GtkWidget *page = tf_ui_find (window, "account-page");

  g_assert_nonnull (page);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window),
                                           ADW_PREFERENCES_PAGE (page));
  return window;
}

static guint
count_named (GtkWidget *root, const char *name)
{
  guint n = g_strcmp0 (gtk_widget_get_name (root), name) == 0 && gtk_widget_get_mapped (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_named (child, name);
  return n;
}

typedef struct
{
  GtkWidget  *window;
  guint       current;  /* rows of this device */
  guint       others;   /* rows of other devices */
} Rows;

static gboolean
rows_are (gpointer data)
{
  Rows *r = data;

  return count_named (r->window, "account-session-current") == r->current &&
         count_named (r->window, "account-session") == r->others &&
         !gtk_widget_get_mapped (tf_ui_find (r->window, "account-sessions-status"));
}

/* A CLI device signs in: the page lists it beside this one; signed out
 * from here, the CLI's next sync is refused and asks for a sign-in. */
static void
test_sessions_and_revoke (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Μάρθα", .last_name = "Κόκκαλη",
  };
  const char *email = "martha.kokkali@example.org";
  g_autofree char *dir = NULL, *recovery = NULL, *cli_dir = NULL, *heading = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *session = registered (&reg, email, &dir, &recovery);
  CliRun run = { 0 };
  GtkWidget *window;
  Rows rows;

  cli_dir = g_dir_make_tmp ("tf-ui-account-cli-XXXXXX", &error);
  g_assert_no_error (error);
  CLI_RUN (&run, cli_dir, "account", "login", "--server", server->base_url, "--email", email);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_clear_pointer (&run.err, g_free);

  window = account_page (session);
  gtk_window_present (GTK_WINDOW (window));
  rows = (Rows) { window, 1, 1 };
  g_assert_true (tf_ui_wait_for (rows_are, &rows));
  tf_ui_wait_subtitle (window, "account-session-current", _("This device"));
  tf_ui_shot ("account-sessions");

  /* Ctrl+R asks again; Refresh waits for the answer, which lists the same. */
  g_assert_true (tf_ui_press (tf_ui_find (window, "account-password-current"), GDK_KEY_r,
                              GDK_CONTROL_MASK));
  g_assert_false (gtk_widget_get_sensitive (tf_ui_find (window, "account-sessions-refresh")));
  g_assert_true (tf_ui_wait_for (rows_are, &rows));
  g_assert_true (gtk_widget_get_sensitive (tf_ui_find (window, "account-sessions-refresh")));

  /* Sign the other one out, after a confirmation. */
  tf_ui_click (window, "account-session-revoke");
  heading = tf_ui_answer_dialog ("account-revoke", "sign-out");
  g_assert_nonnull (strstr (heading, g_get_host_name ()));
  rows = (Rows) { window, 1, 0 };
  g_assert_true (tf_ui_wait_for (rows_are, &rows));

  CLI_RUN (&run, cli_dir, "sync");
  g_test_message ("the CLI after its sign-out: %s", run.err);
  g_assert_cmpint (run.status, ==, 4);  /* "sign in again" (docs/cli.md) */
  g_assert_nonnull (strstr (run.err, "token revoked"));
  g_clear_pointer (&run.err, g_free);

  /* This device still syncs. */
  tf_ui_sync_now (session);
  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (cli_dir);
}

/* The base32 secret the page shows, without its spaces. */
static char *
shown_secret (GtkWidget *window)
{
  const char *shown = gtk_label_get_text (GTK_LABEL (tf_ui_find (window, "account-mfa-secret")));
  GString *secret = g_string_new (NULL);

  for (const char *p = shown; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (secret, *p);
  return g_string_free (secret, FALSE);
}

static gboolean
status_says_something (gpointer data)
{
  GtkWidget *status = tf_ui_find (data, "account-mfa-status");

  return gtk_widget_has_css_class (status, "error") &&
         *gtk_label_get_text (GTK_LABEL (status)) != '\0' &&
         gtk_widget_get_sensitive (tf_ui_find (data, "account-mfa-confirm"));
}

/* Set up shows the secret as a QR code of the right size and as text; a
 * wrong code is refused saying so; the right one turns it on. */
static char *
set_up_totp (GtkWidget *window, gint64 *last_step)
{
  g_autofree char *wrong = NULL, *code = NULL;
  GdkPaintable *qr;
  char *secret;
  guint modules;
  int minimum = 0;

  tf_ui_click (window, "account-mfa-setup");
  tf_ui_wait_shown (window, "account-mfa-qr");
  qr = gtk_picture_get_paintable (GTK_PICTURE (tf_ui_find (window, "account-mfa-qr")));
  g_assert_true (TF_IS_QR_CODE (qr));
  /* A version 1 … 40 symbol (17 + 4 v modules), a four-module quiet zone. */
  modules = tf_qr_code_get_modules (TF_QR_CODE (qr));
  g_assert_cmpuint (modules, >=, 21);
  g_assert_cmpuint ((modules - 17) % 4, ==, 0);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (qr), ==,
                   (modules + 2 * TF_QR_CODE_QUIET_ZONE) * TF_QR_CODE_MODULE_PX);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (qr), ==,
                   gdk_paintable_get_intrinsic_width (qr));
  /* What it encodes must be what the secret says: the finder patterns
   * are where a scanner looks, the rest is libqrencode's. */
  g_assert_true (tf_qr_code_is_dark (TF_QR_CODE (qr), 0, 0));
  g_assert_true (tf_qr_code_is_dark (TF_QR_CODE (qr), modules - 1, 0));
  g_assert_true (tf_qr_code_is_dark (TF_QR_CODE (qr), 0, modules - 1));
  g_assert_false (tf_qr_code_is_dark (TF_QR_CODE (qr), 1, 1));
  secret = shown_secret (window);
  g_assert_cmpuint (strlen (secret), ==, 32);  /* 160 bits in base32 */
  g_assert_nonnull (strstr (gtk_picture_get_alternative_text (
                              GTK_PICTURE (tf_ui_find (window, "account-mfa-qr"))),
                            gtk_label_get_text (GTK_LABEL (tf_ui_find (window,
                                                                       "account-mfa-secret")))));
  /* The widest the page gets: it still fits a phone. */
  gtk_widget_measure (tf_ui_find (window, "account-page"), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360 - 24);
  tf_ui_shot ("account-totp-setup");

  wrong = tf_test_totp_wrong_code (secret);
  tf_ui_type (window, "account-mfa-code", wrong);
  tf_ui_click (window, "account-mfa-confirm");
  /* While the server checks it, the code is not sent again. */
  g_assert_false (gtk_widget_get_sensitive (tf_ui_find (window, "account-mfa-confirm")));
  g_assert_true (tf_ui_wait_for (status_says_something, window));
  tf_ui_wait_mapped (window, "account-mfa-qr", TRUE);
  tf_ui_shot ("account-totp-wrong");

  code = tf_test_totp_next_code (secret, last_step);
  tf_ui_type (window, "account-mfa-code", code);
  tf_ui_click (window, "account-mfa-confirm");
  tf_ui_wait_mapped (window, "account-mfa-qr", FALSE);
  tf_ui_wait_mapped (window, "account-mfa-setup", FALSE);
  tf_ui_wait_shown (window, "account-mfa-off");
  return secret;
}

/* TOTP set up and turned on from the page, then off again with a code. */
static void
test_totp_on_and_off (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Στέλιος", .last_name = "Βέρρας",
  };
  g_autofree char *dir = NULL, *recovery = NULL, *secret = NULL, *code = NULL;
  TfSession *session = registered (&reg, "stelios.verras@example.org", &dir, &recovery);
  GtkWidget *window = account_page (session);
  gint64 last_step = -1;

  gtk_window_present (GTK_WINDOW (window));
  tf_ui_wait_shown (window, "account-mfa-setup");
  secret = set_up_totp (window, &last_step);

  tf_ui_click (window, "account-mfa-off");
  code = tf_test_totp_next_code (secret, &last_step);
  tf_ui_type (window, "account-mfa-code", code);
  tf_ui_click (window, "account-mfa-confirm");
  tf_ui_wait_mapped (window, "account-mfa-code", FALSE);
  tf_ui_wait_shown (window, "account-mfa-setup");
  tf_ui_wait_mapped (window, "account-mfa-off", FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
}

typedef struct
{
  GtkWidget  *window;
  const char *not_this;  /* the error said before */
} Refusal;

/* The sign-in form is back, saying something other than @not_this. */
static gboolean
refused_anew (gpointer data)
{
  Refusal *r = data;
  const char *said = gtk_label_get_text (GTK_LABEL (tf_ui_find (r->window, "onboarding-error")));

  return gtk_widget_get_sensitive (tf_ui_find (r->window, "onboarding-continue")) &&
         gtk_widget_get_mapped (tf_ui_find (r->window, "onboarding-continue")) &&
         *said != '\0' && g_strcmp0 (said, r->not_this) != 0;
}

/* With the two-step sign-in on, signing in on a new device asks for the
 * code after the password, says so when it is wrong, and signs in with the
 * right one. */
static void
test_totp_asked_at_sign_in (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Ηλίας", .last_name = "Σούρλας",
  };
  const char *email = "ilias.sourlas@example.org";
  g_autofree char *dir = NULL, *recovery = NULL, *secret = NULL, *other_dir = NULL;
  g_autofree char *wrong = NULL, *code = NULL, *asked = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *session = registered (&reg, email, &dir, &recovery);
  TfSession *other;
  GtkWidget *prefs = account_page (session), *window;
  gint64 last_step = -1;
  Refusal refusal;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GtkWidget) dialog = NULL;

  gtk_window_present (GTK_WINDOW (prefs));
  tf_ui_wait_shown (prefs, "account-mfa-setup");
  secret = set_up_totp (prefs, &last_step);
  gtk_window_destroy (GTK_WINDOW (prefs));

  other_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  other = tf_session_new (other_dir, &error);
  g_assert_no_error (error);
  window = GTK_WIDGET (tf_window_new (NULL, other));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_click (window, "onboarding-sign-in");
  tf_ui_type (window, "onboarding-server-url", server->base_url);
  tf_ui_type (window, "onboarding-email", email);
  tf_ui_type (window, "onboarding-password", PASSWORD);
  tf_ui_click (window, "onboarding-continue");

  /* Asked for the code, nothing signed in yet. */
  tf_ui_wait_shown (window, "onboarding-totp");
  refusal = (Refusal) { window, NULL };
  g_assert_true (tf_ui_wait_for (refused_anew, &refusal));
  asked = g_strdup (gtk_label_get_text (GTK_LABEL (tf_ui_find (window, "onboarding-error"))));
  g_assert_false (tf_session_has_account (other));
  tf_ui_shot ("sign-in-totp");

  wrong = tf_test_totp_wrong_code (secret);
  tf_ui_type (window, "onboarding-totp", wrong);
  tf_ui_click (window, "onboarding-continue");
  refusal = (Refusal) { window, asked };
  g_assert_true (tf_ui_wait_for (refused_anew, &refusal));
  tf_ui_wait_shown (window, "onboarding-totp");
  g_assert_false (tf_session_has_account (other));
  tf_ui_shot ("sign-in-totp-wrong");

  code = tf_test_totp_next_code (secret, &last_step);
  tf_ui_type (window, "onboarding-totp", code);
  tf_ui_click (window, "onboarding-continue");
  tf_ui_wait_shown (window, "main-views");
  g_assert_true (tf_session_is_unlocked (other));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Signed out from the new device, the first one asks for the password
   * and then for a code too. */
  sessions = tf_account_list_sessions (tf_session_get_vault (other), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 2);
  for (guint i = 0; i < sessions->len; i++)
    if (!tf_account_session_is_current (g_ptr_array_index (sessions, i)))
      g_assert_true (tf_account_revoke_session (tf_session_get_vault (other),
                                                tf_account_session_get_id (
                                                  g_ptr_array_index (sessions, i)),
                                                NULL, &error));
  g_assert_no_error (error);
  window = GTK_WIDGET (tf_window_new (NULL, session));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  tf_session_sync (session);
  g_assert_true (tf_ui_wait_for (signed_out, session));
  answer_sign_in (PASSWORD, "sign-in-again-totp-password");
  dialog = tf_ui_wait_dialog (NULL);
  g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "sign-in-again");
  tf_ui_wait_shown (dialog, "sign-in-again-totp");
  tf_ui_wait_shown (dialog, "sign-in-again-error");
  g_clear_pointer (&code, g_free);
  code = tf_test_totp_next_code (secret, &last_step);
  tf_ui_type (dialog, "sign-in-again-password", PASSWORD);
  tf_ui_type (dialog, "sign-in-again-totp", code);
  tf_ui_shot ("sign-in-again-totp");
  answer (dialog, "sign-in");
  g_clear_object (&dialog);
  g_assert_true (tf_ui_wait_for (synced, session));

  gtk_window_destroy (GTK_WINDOW (window));
  close_sessions (session, other);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (other_dir);
}

/* The Verify Safety Number dialog open over the app (it must come). */
static GtkWidget *
wait_safety_dialog (void)
{
  GtkWidget *found = NULL;

  for (int tries = 0; tries < 300 && found == NULL; tries++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; found == NULL && i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

          if (TF_IS_SAFETY_DIALOG (w) && gtk_widget_get_mapped (w))
            found = w;
        }
      g_main_context_iteration (NULL, found == NULL);
    }
  g_assert_nonnull (found);
  return found;
}

/* @label's text on one line, as the CLI prints digits and words. */
static char *
one_line (GtkWidget *dialog, const char *label)
{
  g_autofree char *text = g_strdup (gtk_label_get_text (GTK_LABEL (tf_ui_find (dialog, label))));

  g_strdelimit (text, "\n", ' ');
  return g_steal_pointer (&text);
}

static char *
cli_words (JsonObject *info)
{
  JsonArray *words = json_object_get_array_member (info, "words");
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (words); i++)
    g_ptr_array_add (list, (gpointer) json_array_get_string_element (words, i));
  g_ptr_array_add (list, NULL);
  return g_strjoinv (" ", (char **) list->pdata);
}

/* The therapist of @session accepts every request for care waiting for
 * them, as link accept does, and the client on @client_dir signs it active
 * and shares at its next sync: a client's link is a request since issue 12,
 * and these tests show what care shows. */
static void
accept_requests (TfSession *session, const char *client_dir)
{
  TfVault *vault = tf_session_get_vault (session);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;

  tf_ui_sync_now (session);
  requests = tf_care_requests_list (vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requests->len, >, 0);
  for (guint i = 0; i < requests->len; i++)
    {
      JsonObject *o = g_ptr_array_index (requests, i);

      g_assert_true (tf_care_request_answer (vault, json_object_get_string_member (o, "id"),
                                             TRUE, &error));
      g_assert_no_error (error);
    }
  tf_ui_sync_now (session);
  g_free (CLI (client_dir, "sync"));
}

/* A therapist in the app and a client on the CLI, in care: the app's
 * Verify Safety Number shows the digits and words the client's CLI prints
 * for the pair, marks it verified (the therapist's own CLI then says so);
 * when the server presents other keys for the client, the app's next daily
 * check notices: the client's page warns, the dialog says so and shows a
 * number the client's device does not, and the mark is gone. */
static void
test_safety_number (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "therapist", .first_name = "Ιφιγένεια",
    .last_name = "Σταματοπούλου", .license_number = "ΑΜ-7781",
  };
  const char *therapist_email = "ifigeneia@example.org", *client_email = "nikos.d@example.org";
  g_autofree char *dir = NULL, *recovery = NULL, *client_dir = NULL, *client_id = NULL;
  g_autofree char *out = NULL, *digits = NULL, *words = NULL, *expected_words = NULL;
  g_autofree char *identity = NULL, *signing = NULL, *fingerprint = NULL, *sql = NULL;
  g_autofree char *db_path = NULL, *state = NULL;
  g_autoptr(TfSecret) identity_secret = NULL, signing_secret = NULL;
  g_autoptr(JsonNode) node = NULL, on_client = NULL, on_therapist = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *session = registered (&reg, therapist_email, &dir, &recovery);
  const char *therapist_id = tf_vault_get_user_id (tf_session_get_vault (session));
  GtkWidget *window, *dialog;
  PGconn *conn;
  sqlite3 *db;

  client_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  out = CLI (client_dir, "--json", "account", "register", "--server", server->base_url,
             "--email", client_email, "--role", "client", "--first-name", "Νίκος",
             "--last-name", "Δημητρίου");
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  client_id = g_strdup (json_object_get_string_member (json_node_get_object (node), "user_id"));
  g_free (CLI (client_dir, "therapist", "link", "--email", therapist_email));
  g_free (CLI (client_dir, "sync"));
  accept_requests (session, client_dir);
  tf_ui_sync_now (session);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_set_child (GTK_WINDOW (window), tf_client_detail_new (session, client_id));
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_wait_shown (window, "client-detail-title");
  g_assert_nonnull (tf_ui_wait_label (window, "Νίκος Δημητρίου"));
  tf_ui_wait_mapped (window, "client-detail-key-changed", FALSE);
  tf_ui_click (window, "client-detail-verify");
  dialog = wait_safety_dialog ();
  tf_ui_wait_shown (dialog, "safety-qr");
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (tf_ui_find (dialog, "safety-qr"))));
  tf_ui_shot ("safety-dialog");

  /* What the client's own device prints for the pair. */
  g_clear_pointer (&out, g_free);
  out = CLI (client_dir, "--json", "therapist", "verify", therapist_id, "--language", "en");
  on_client = json_from_string (out, &error);
  g_assert_no_error (error);
  digits = one_line (dialog, "safety-digits");
  words = one_line (dialog, "safety-words");
  expected_words = cli_words (json_node_get_object (on_client));
  g_assert_cmpstr (digits, ==, json_object_get_string_member (json_node_get_object (on_client),
                                                              "digits"));
  g_assert_cmpstr (words, ==, expected_words);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (dialog, "safety-state"))), ==,
                   "Not verified");

  tf_ui_click (dialog, "safety-mark");
  tf_ui_wait_mapped (dialog, "safety-mark", FALSE);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (tf_ui_find (dialog,
                                                                              "safety-state"))),
                                   "Verified on "));
  tf_ui_shot ("safety-verified");
  g_clear_pointer (&out, g_free);
  out = CLI (dir, "--json", "client", "verify", client_id, "--offline");
  on_therapist = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (on_therapist),
                                                 "verified"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The server presents other keys for the client; the therapist's device
   * checked a day ago. */
  g_assert_true (tf_crypto_box_keypair (&identity, &identity_secret, &error));
  g_assert_true (tf_crypto_sign_keypair (&signing, &signing_secret, &error));
  {
    const char *publics[] = { identity, signing, NULL };
    fingerprint = tf_crypto_fingerprint (publics);
  }
  sql = g_strdup_printf ("UPDATE user_keys SET identity_public_key = '%s',"
                         " signing_public_key = '%s', fingerprint = '%s' WHERE user_id = '%s'",
                         identity, signing, fingerprint, client_id);
  conn = tf_test_pg_connect (server->conninfo);
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
  db_path = g_build_filename (dir, "profile.sqlite", NULL);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE known_keys SET fetched_at = '2020-01-01T00:00:00Z'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  tf_ui_sync_now (session);
  tf_ui_wait_mapped (window, "client-detail-key-changed", TRUE);
  tf_ui_shot ("safety-key-changed-banner");
  tf_ui_click (window, "safety-banner-verify");
  dialog = wait_safety_dialog ();
  tf_ui_wait_mapped (dialog, "safety-warning", TRUE);
  state = g_strdup (gtk_label_get_text (GTK_LABEL (tf_ui_find (dialog, "safety-state"))));
  g_assert_cmpstr (state, ==, "Not verified: their keys changed");
  g_clear_pointer (&digits, g_free);
  digits = one_line (dialog, "safety-digits");
  g_assert_cmpstr (digits, !=, json_object_get_string_member (json_node_get_object (on_client),
                                                              "digits"));
  tf_ui_shot ("safety-key-changed");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (client_dir);
}

/* The GtkText inside an entry row, where the keyboard's Enter lands. */
static GtkWidget *
text_of_row (GtkWidget *row)
{
  for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_TEXT (child))
        return child;
      if ((found = text_of_row (child)) != NULL)
        return found;
    }
  return NULL;
}

static const char *
onboarding_error (GtkWidget *window)
{
  return gtk_label_get_text (GTK_LABEL (tf_ui_find (window, "onboarding-error")));
}

static gboolean
form_refused (gpointer data)
{
  GtkWidget *window = data;

  return gtk_widget_get_sensitive (tf_ui_find (window, "onboarding-continue")) &&
         gtk_widget_get_mapped (tf_ui_find (window, "onboarding-continue")) &&
         *onboarding_error (window) != '\0';
}

/* Signing in from the keyboard: Enter in the password field signs in; what
 * was said about the last try goes once the input changes; a server out of
 * reach is said as such (nothing of a sign-in "will sync later"). */
static void
test_sign_in_form (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *session;
  GtkWidget *window, *password;

  dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  session = tf_session_new (dir, &error);
  g_assert_no_error (error);
  window = GTK_WIDGET (tf_window_new (NULL, session));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_click (window, "onboarding-sign-in");
  /* Port 9 (discard) on loopback: nothing answers. */
  tf_ui_type (window, "onboarding-server-url", "http://127.0.0.1:9");
  password = tf_ui_wait_shown (window, "onboarding-password");

  /* Enter with no e-mail: the form says what is missing ... */
  g_signal_emit_by_name (text_of_row (password), "activate");
  g_assert_true (tf_ui_wait_for (form_refused, window));
  g_assert_cmpstr (onboarding_error (window), ==, "Enter your e-mail address");
  /* ... and stops saying it once the input changes. */
  tf_ui_type (window, "onboarding-email", "nobody@example.org");
  g_assert_cmpstr (onboarding_error (window), ==, "");

  tf_ui_type (window, "onboarding-password", PASSWORD);
  g_signal_emit_by_name (text_of_row (password), "activate");
  /* Sent once: Continue waits for the answer. */
  g_assert_false (gtk_widget_get_sensitive (tf_ui_find (window, "onboarding-continue")));
  g_assert_true (tf_ui_wait_for (form_refused, window));
  g_assert_cmpstr (onboarding_error (window), ==,
                   "The server cannot be reached. Check its address and your connection, "
                   "then try again.");
  g_assert_null (strstr (onboarding_error (window), "sync later"));
  g_assert_false (tf_session_has_account (session));
  tf_ui_type (window, "onboarding-server-url", "http://127.0.0.1:10");
  g_assert_cmpstr (onboarding_error (window), ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
}

/* --- new identity keys ---------------------------------------------------- */

/* @label without its mnemonic's underline. */
static char *
without_underline (const char *label)
{
  g_auto(GStrv) parts = g_strsplit (label, "_", -1);

  return g_strjoinv ("", parts);
}

/* Opens the menu of the menu button @name and picks its item @label (as
 * the .ui has it, translated): the item must be shown and sensitive. */
static void
pick_from (GtkWidget *window, const char *name, const char *label)
{
  GtkWidget *button = tf_ui_wait_shown (window, name);
  g_autofree char *text = without_underline (label);
  GtkWidget *shown, *item;

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  shown = tf_ui_wait_label (button, text);
  item = gtk_widget_get_parent (shown);
  g_assert_true (gtk_widget_is_sensitive (item));
  g_signal_emit_by_name (item, "clicked");
}

/* The fingerprint the CLI prints for the profile in @dir. */
static char *
fingerprint_of (const char *dir)
{
  g_autofree char *out = CLI (dir, "keys", "fingerprint");

  return g_strstrip (g_strdup (out));
}

/* A therapist replaces their identity keys from the window's menu, at
 * @data px wide: the dialog asks, the rotation runs against the real
 * server, a toast says it is done; this device and the server hold the
 * new keys, and the client's device, at its next look at them, sees a
 * signed rotation (a warning to compare the new safety number). */
static void
test_rotate_keys (gconstpointer data)
{
  int width = GPOINTER_TO_INT (data);
  g_autofree char *licence = g_strdup_printf ("ΑΜ-3310-%d", width);
  const TfRegistration reg = {
    .password = PASSWORD, .role = "therapist", .first_name = "Ζωή", .last_name = "Αλεξίου",
    .license_number = licence,
  };
  g_autofree char *therapist_email = g_strdup_printf ("zoi.%d.%s@example.org", width,
                                                      g_getenv ("LANGUAGE") ?: "en");
  g_autofree char *client_email = g_strdup_printf ("petros.%d.%s@example.org", width,
                                                   g_getenv ("LANGUAGE") ?: "en");
  g_autofree char *dir = NULL, *recovery = NULL, *client_dir = NULL;
  g_autofree char *before = NULL, *after = NULL, *heading = NULL, *shot = NULL;
  g_autoptr(GError) error = NULL;
  CliRun run = { 0 };
  TfSession *session = registered (&reg, therapist_email, &dir, &recovery);
  g_autofree char *therapist_id = g_strdup (tf_vault_get_user_id (tf_session_get_vault (session)));
  GtkWidget *window;

  client_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  g_free (CLI (client_dir, "account", "register", "--server", server->base_url, "--email",
               client_email, "--role", "client", "--first-name", "Πέτρος", "--last-name",
               "Ζαχαρίου"));
  g_free (CLI (client_dir, "therapist", "link", "--email", therapist_email));
  g_free (CLI (client_dir, "sync"));
  before = fingerprint_of (dir);

  window = locked_window (session);
  gtk_window_set_default_size (GTK_WINDOW (window), width, width < 600 ? 700 : 860);
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  tf_ui_wait_shown (window, "main-views");
  g_assert_true (tf_ui_wait_for (synced, session));

  pick_from (window, "primary-menu-button", _("Replace _Identity Keys…"));
  while (tf_ui_find_dialog ("rotate-keys-dialog") == NULL)
    g_main_context_iteration (NULL, TRUE);
  shot = g_strdup_printf ("rotate-keys-dialog-%d-%s", width, g_getenv ("LANGUAGE") ?: "en");
  tf_ui_shot (shot);
  heading = tf_ui_answer_dialog ("rotate-keys-dialog", "rotate");
  g_assert_cmpstr (heading, ==, _("Replace Identity Keys?"));
  {
    GtkWidget *told = tf_ui_wait_label (window, _("Identity keys replaced"));
    int natural = 0;

    /* The toast's words are not cut, in either language, at either width. */
    while (gtk_widget_get_width (told) == 0)
      g_main_context_iteration (NULL, TRUE);
    gtk_widget_measure (told, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
    g_assert_cmpint (natural, <=, gtk_widget_get_width (told));
  }
  g_free (shot);
  shot = g_strdup_printf ("rotate-keys-done-%d-%s", width, g_getenv ("LANGUAGE") ?: "en");
  tf_ui_shot (shot);
  g_assert_true (tf_ui_wait_for (synced, session));

  /* This profile signs with the new keys; the server holds them. */
  after = fingerprint_of (dir);
  g_assert_cmpstr (after, !=, before);
  {
    g_autofree char *in_vault = tf_verify_own_fingerprint (tf_session_get_vault (session));

    g_assert_cmpstr (in_vault, ==, after);
  }
  /* The client's device is told it was a rotation their therapist signed. */
  CLI_RUN (&run, client_dir, "therapist", "verify", therapist_id);
  g_test_message ("the client's CLI: %s", run.err);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "rotated their keys"));
  g_free (run.err);

  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (client_dir);
}

/* The client's keys are replaced on their other device (the CLI): this
 * app, signed out by it, says so plainly in "Sign In Again" instead of the
 * usual reasons; the same password signs it in again and it then holds the
 * new keys, which the server holds. */
static void
test_sign_in_again_after_key_rotation (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Άρτεμις", .last_name = "Σπανού",
  };
  g_autofree char *email = g_strdup_printf ("artemis.%s@example.org",
                                            g_getenv ("LANGUAGE") ?: "en");
  g_autofree char *dir = NULL, *recovery = NULL, *other_dir = NULL, *rotated = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWidget) dialog = NULL;
  TfSession *session = registered (&reg, email, &dir, &recovery);
  GtkWidget *window;

  window = locked_window (session);
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for (synced, session));

  other_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  g_free (CLI (other_dir, "account", "login", "--server", server->base_url, "--email", email));
  g_free (CLI (other_dir, "keys", "rotate", "--yes"));
  rotated = fingerprint_of (other_dir);

  tf_session_sync (session);
  g_assert_true (tf_ui_wait_for (signed_out, session));
  g_assert_true (tf_session_get_keys_replaced (session));
  dialog = tf_ui_wait_dialog (NULL);
  g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "sign-in-again");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   _("Your account’s keys were replaced on another device, which signed this "
                     "device out. Your data here stays open; enter your password (it has not "
                     "changed) to sync again, and this device gets the new keys."));
  g_assert_true (tf_session_is_unlocked (session));
  tf_ui_shot ("sign-in-again-keys-replaced");
  g_clear_object (&dialog);

  answer_sign_in (PASSWORD, "sign-in-again-keys-replaced-typed");
  g_assert_true (tf_ui_wait_for (synced, session));
  tf_ui_wait_mapped (window, "sign-in-again-button", FALSE);
  g_assert_false (tf_session_get_keys_replaced (session));
  {
    g_autofree char *in_vault = tf_verify_own_fingerprint (tf_session_get_vault (session));

    g_assert_cmpstr (in_vault, ==, rotated);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (other_dir);
}

/* The Preferences window shown, or NULL. */
static GtkWidget *
shown_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_PREFERENCES_WINDOW (w) && gtk_widget_get_mapped (w))
        return w;
    }
  return NULL;
}

static gboolean
preferences_shown (gpointer data)
{
  return shown_preferences () != NULL;
}

/* Preferences, opened from the window's menu at @focus on the Account
 * page: @focus has the focus; then closed. */
static void
pick_account_item (GtkWidget *window, const char *label, const char *focus, gboolean sessions)
{
  GtkWidget *prefs, *focused;

  pick_from (window, "primary-menu-button", label);
  g_assert_true (tf_ui_wait_for (preferences_shown, NULL));
  prefs = shown_preferences ();
  tf_ui_wait_shown (prefs, focus);
  if (sessions)
    {
      Rows rows = { prefs, 1, 0 };

      g_assert_true (tf_ui_wait_for (rows_are, &rows));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  focused = gtk_root_get_focus (GTK_ROOT (prefs));
  g_assert_nonnull (focused);
  g_assert_true (focused == tf_ui_find (prefs, focus) ||
                 gtk_widget_is_ancestor (focused, tf_ui_find (prefs, focus)));
  gtk_window_destroy (GTK_WINDOW (prefs));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The window's menu offers the account's password and its signed-in
 * devices, on a server account: each opens Preferences at that part of the
 * Account page, the password field or the devices listed (this one). */
static void
test_account_from_menu (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Αργύρης", .last_name = "Νάκος",
  };
  g_autofree char *dir = NULL, *recovery = NULL;
  TfSession *session = registered (&reg, "argyris.nakos@example.org", &dir, &recovery);
  GtkWidget *window = locked_window (session);

  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  tf_ui_wait_shown (window, "main-views");
  pick_account_item (window, _("Change _Password…"), "account-password-current", FALSE);
  pick_account_item (window, _("Signed-In _Devices…"), "account-sessions-refresh", TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
}

/* Signing out from the window's menu, on a server account: the question,
 * then the toast, and no "Sign In Again" — the person chose to sign out,
 * only the header's button offers to sign in again, then and when the app
 * is opened again; the server no longer takes the device's session. */
static void
test_sign_out_from_menu (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Ιφιγένεια", .last_name = "Λάμπρου",
  };
  g_autofree char *dir = NULL, *recovery = NULL, *heading = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *session = registered (&reg, "ifigeneia.lamprou@example.org", &dir, &recovery);
  GtkWidget *window;
  CliRun run = { 0 };

  window = locked_window (session);
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  tf_ui_wait_shown (window, "main-views");
  /* Signed out while the sync after unlocking may still run. */
  pick_from (window, "primary-menu-button", _("Sign _Out…"));
  heading = tf_ui_answer_dialog ("sign-out-dialog", "sign-out");
  g_assert_cmpstr (heading, ==, _("Sign Out?"));
  tf_ui_wait_label (window, _("Signed out. Your data stays on this computer, encrypted."));
  g_assert_true (tf_ui_wait_for (signed_out, session));
  /* Whatever syncs were under way meanwhile have ended: still no ask. */
  {
    gboolean waited = FALSE;
    g_timeout_add_once (2000, (GSourceOnceFunc) set_true, &waited);
    while (!waited)
      g_main_context_iteration (NULL, TRUE);
  }
  tf_ui_shot ("signed-out-from-menu");
  g_assert_null (tf_ui_find_dialog ("sign-in-again"));
  tf_ui_wait_mapped (window, "sign-in-again-button", TRUE);

  /* The server no longer takes this device's session. */
  CLI_RUN (&run, dir, "sync");
  g_test_message ("the CLI after signing out in the app: %s", run.err);
  g_assert_cmpint (run.status, !=, 0);
  g_free (run.err);

  /* The app opened again: unlocked, it finds no session to sync with and
   * still does not ask — the person signed out, the server refused
   * nothing. */
  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  session = tf_session_new (dir, &error);
  g_assert_no_error (error);
  window = locked_window (session);
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for (signed_out, session));
  g_assert_cmpint (tf_session_get_signed_out (session), ==, TF_SIGNED_OUT_BY_PERSON);
  g_assert_null (tf_ui_find_dialog ("sign-in-again"));
  tf_ui_wait_mapped (window, "sign-in-again-button", TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
}

/* Offline, replacing the keys says so in words and changes nothing. */
static void
test_rotate_keys_offline (void)
{
  static const TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Άλκηστις", .last_name = "Ρούσσου",
  };
  TfTestServer *brief = tf_test_server_start ("tf_ui_keys_offline", NULL);
  g_autofree char *dir = NULL, *recovery = NULL, *before = NULL, *after = NULL;
  TfSession *session = registered_on (brief, &reg, "alkistis@example.org", &dir, &recovery);
  GtkWidget *window;

  before = fingerprint_of (dir);
  window = locked_window (session);
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  tf_ui_wait_shown (window, "main-views");
  g_assert_true (tf_ui_wait_for (synced, session));
  tf_test_server_stop (brief);

  pick_from (window, "primary-menu-button", _("Replace _Identity Keys…"));
  g_free (tf_ui_answer_dialog ("rotate-keys-dialog", "rotate"));
  {
    g_autoptr(GtkWidget) failed = tf_ui_wait_dialog (NULL);
    const char *body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (failed));

    g_assert_cmpstr (gtk_widget_get_name (failed), ==, "rotate-keys-failed");
    g_test_message ("offline: %s", body);
    g_assert_true (g_str_has_prefix (body, _("Your identity keys were not replaced: the server "
                                             "cannot be reached.")));
    tf_ui_shot ("rotate-keys-offline");
    g_free (tf_ui_answer_dialog ("rotate-keys-failed", "close"));
  }
  after = fingerprint_of (dir);
  g_assert_cmpstr (after, ==, before);
  /* It can be tried again. */
  pick_from (window, "primary-menu-button", _("Replace _Identity Keys…"));
  g_free (tf_ui_answer_dialog ("rotate-keys-dialog", "cancel"));

  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
}

/* --- ending care ---------------------------------------------------------- */

static void
on_detail_saved (GtkWidget *detail, const char *message, char **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

typedef struct
{
  AdwWindowTitle *title;
  const char     *subtitle;
} Subtitle;

static gboolean
subtitle_is (gpointer data)
{
  Subtitle *s = data;

  return g_strcmp0 (adw_window_title_get_subtitle (s->title), s->subtitle) == 0;
}

/* A therapist ends a client's care from the client's page (its header's
 * menu, at @data px wide): asked first, then the page says the care ended
 * and offers to end it no more; the end reaches the server and the
 * client's device, which is in care with them no longer. */
static void
test_end_care (gconstpointer data)
{
  int width = GPOINTER_TO_INT (data);
  const char *language = g_getenv ("LANGUAGE") ?: "en";
  g_autofree char *licence = g_strdup_printf ("ΑΜ-5120-%d", width);
  const TfRegistration reg = {
    .password = PASSWORD, .role = "therapist", .first_name = "Ηλέκτρα", .last_name = "Μαυρίδου",
    .license_number = licence,
  };
  g_autofree char *therapist_email = g_strdup_printf ("ilektra.%d.%s@example.org", width,
                                                      language);
  g_autofree char *client_email = g_strdup_printf ("stavros.%d.%s@example.org", width, language);
  g_autofree char *dir = NULL, *recovery = NULL, *client_dir = NULL, *out = NULL;
  g_autofree char *client_id = NULL, *heading = NULL, *saved = NULL, *shot = NULL;
  g_autofree char *today = NULL, *ended = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *session = registered (&reg, therapist_email, &dir, &recovery);
  GtkWidget *window, *detail, *item;
  CliRun run = { 0 };
  Subtitle subtitle;

  client_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  out = CLI (client_dir, "--json", "account", "register", "--server", server->base_url,
             "--email", client_email, "--role", "client", "--first-name", "Σταύρος",
             "--last-name", "Κούκος");
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  client_id = g_strdup (json_object_get_string_member (json_node_get_object (node), "user_id"));
  g_free (CLI (client_dir, "therapist", "link", "--email", therapist_email, "--share-mood"));
  g_free (CLI (client_dir, "sync"));
  accept_requests (session, client_dir);
  tf_ui_sync_now (session);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), width, width < 600 ? 640 : 860);
  detail = tf_client_detail_new (session, client_id);
  g_signal_connect (detail, "saved", G_CALLBACK (on_detail_saved), &saved);
  gtk_window_set_child (GTK_WINDOW (window), detail);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_wait_shown (window, "client-detail-title");
  g_assert_nonnull (tf_ui_wait_label (window, "Σταύρος Κούκος"));

  pick_from (window, "client-detail-menu", _("_End Care…"));
  while (tf_ui_find_dialog ("end-care-dialog") == NULL)
    g_main_context_iteration (NULL, TRUE);
  shot = g_strdup_printf ("end-care-dialog-%d-%s", width, language);
  tf_ui_shot (shot);
  heading = tf_ui_answer_dialog ("end-care-dialog", "end-care");
  g_assert_cmpstr (heading, ==, _("End Care?"));

  /* The page says so by itself, and ends it no more. */
  today = g_date_time_format (now, "%x");
  ended = g_strdup_printf (_("Care ended on %s"), today);
  subtitle.title = ADW_WINDOW_TITLE (tf_ui_find (window, "client-detail-title"));
  subtitle.subtitle = ended;
  g_assert_true (tf_ui_wait_for (subtitle_is, &subtitle));
  g_assert_cmpstr (saved, ==, _("Care ended"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (tf_ui_find (window, "client-detail-menu")));
  {
    g_autofree char *label = without_underline (_("_End Care…"));

    gtk_menu_button_popup (GTK_MENU_BUTTON (tf_ui_find (window, "client-detail-menu")));
    item = gtk_widget_get_parent (tf_ui_wait_label (window, label));
    g_assert_false (gtk_widget_is_sensitive (item));
    gtk_menu_button_popdown (GTK_MENU_BUTTON (tf_ui_find (window, "client-detail-menu")));
  }
  g_free (shot);
  shot = g_strdup_printf ("end-care-done-%d-%s", width, language);
  tf_ui_shot (shot);

  /* On the server, and on the client's device. */
  tf_ui_sync_now (session);
  g_assert_null (tf_session_get_sync_error (session));
  g_free (CLI (client_dir, "sync"));
  CLI_RUN (&run, client_dir, "therapist", "end", "--email", therapist_email);
  g_test_message ("the client's CLI: %s", run.err);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "You are not in care with"));
  g_free (run.err);

  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (client_dir);
}

/* --- refused records ------------------------------------------------------ */

/* The toplevel window named @name, or NULL. */
static GtkWidget *
find_toplevel (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (w), name) == 0 && gtk_widget_get_mapped (w))
        return w;
    }
  return NULL;
}

/* A client shares their mood with a therapist in the app (@data px wide);
 * an operator changes the score in PostgreSQL.  The therapist's device
 * refuses it, the banner counts it, and its Details list it: a mood
 * check-in, changed after its author signed it, from the client, today. */
static void
test_refused_records (gconstpointer data)
{
  int width = GPOINTER_TO_INT (data);
  const char *language = g_getenv ("LANGUAGE") ?: "en";
  g_autofree char *licence = g_strdup_printf ("ΑΜ-6402-%d", width);
  const TfRegistration reg = {
    .password = PASSWORD, .role = "therapist", .first_name = "Φαίδρα", .last_name = "Λιάπη",
    .license_number = licence,
  };
  g_autofree char *therapist_email = g_strdup_printf ("faidra.%d.%s@example.org", width,
                                                      language);
  g_autofree char *client_email = g_strdup_printf ("orestis.%d.%s@example.org", width, language);
  g_autofree char *dir = NULL, *recovery = NULL, *client_dir = NULL, *out = NULL;
  g_autofree char *mood_id = NULL, *shot = NULL, *from = NULL;
  g_autoptr(JsonNode) moods = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *session = registered (&reg, therapist_email, &dir, &recovery);
  GtkWidget *window, *dialog, *row;
  int minimum = 0;

  client_dir = g_dir_make_tmp ("tf-ui-account-XXXXXX", &error);
  g_assert_no_error (error);
  g_free (CLI (client_dir, "account", "register", "--server", server->base_url, "--email",
               client_email, "--role", "client", "--first-name", "Ορέστης", "--last-name",
               "Βλάχος"));
  g_free (CLI (client_dir, "therapist", "link", "--email", therapist_email, "--share-mood"));
  g_free (CLI (client_dir, "mood", "add", "--mood", "6", "--energy", "5", "--anxiety", "3"));
  g_free (CLI (client_dir, "sync"));
  accept_requests (session, client_dir);
  out = CLI (client_dir, "--json", "mood", "list");
  moods = json_from_string (out, &error);
  g_assert_no_error (error);
  mood_id = g_strdup (json_object_get_string_member (
                        json_array_get_object_element (json_node_get_array (moods), 0), "id"));

  window = locked_window (session);
  gtk_window_set_default_size (GTK_WINDOW (window), width, width < 600 ? 700 : 860);
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  tf_ui_wait_shown (window, "main-views");
  g_assert_true (tf_ui_wait_for (synced, session));
  tf_ui_sync_now (session);
  g_assert_nonnull (tf_ui_get (session, "mood_entries", mood_id));
  tf_ui_wait_mapped (window, "server-lost-details", FALSE);

  tf_test_pg_operator_change (server->conninfo, "mood_entries", mood_id, "mood_value = 2");
  tf_ui_sync_now (session);
  g_test_message ("banner: %s",
                  gtk_label_get_text (GTK_LABEL (tf_ui_find (window, "server-lost-text"))));
  tf_ui_click (window, "server-lost-details");
  while ((dialog = find_toplevel ("refusals-dialog")) == NULL)
    g_main_context_iteration (NULL, TRUE);
  tf_ui_wait_subtitle (dialog, "refusal-row", _("Changed after its author signed it"));
  row = tf_ui_find (dialog, "refusal-row");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   _("Mood check-in"));
  from = g_strdup_printf (_("From %s"), "Ορέστης Βλάχος");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), from));
  /* Nothing cut: the dialog is no wider than the window, the row fits it. */
  while (gtk_widget_get_width (row) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gtk_widget_get_width (dialog), <=, MAX (width, 560));
  gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, gtk_widget_get_width (row));
  shot = g_strdup_printf ("refusals-%d-%s", width, language);
  tf_ui_shot (shot);
  /* The check-in as the client wrote it stays. */
  {
    g_autoptr(JsonObject) held = tf_ui_get (session, "mood_entries", mood_id);

    g_assert_cmpint (json_object_get_int_member (held, "mood_value"), ==, 6);
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  close_session (session);
  tf_ui_remove_profile (dir);
  tf_ui_remove_profile (client_dir);
}

int
main (int argc, char **argv)
{
  gboolean greek;
  int status;

  greek = tf_ui_init_language (&argc, &argv);
  server = tf_test_server_start (greek ? "tf_ui_account_el" : "tf_ui_account", NULL);
  g_test_add_data_func ("/account/rotate-keys-narrow", GINT_TO_POINTER (360), test_rotate_keys);
  g_test_add_data_func ("/account/rotate-keys-wide", GINT_TO_POINTER (1280), test_rotate_keys);
  g_test_add_data_func ("/account/end-care-narrow", GINT_TO_POINTER (360), test_end_care);
  g_test_add_data_func ("/account/end-care-wide", GINT_TO_POINTER (1280), test_end_care);
  g_test_add_data_func ("/account/refused-records-narrow", GINT_TO_POINTER (360),
                        test_refused_records);
  g_test_add_data_func ("/account/refused-records-wide", GINT_TO_POINTER (1280),
                        test_refused_records);
  /* What the dialog says of a rotation elsewhere, in both languages. */
  g_test_add_func ("/account/sign-in-again-after-key-rotation",
                   test_sign_in_again_after_key_rotation);
  if (greek)
    {
      status = g_test_run ();
      tf_test_server_stop (server);
      return status;
    }
  g_test_add_func ("/account/rotate-keys-offline", test_rotate_keys_offline);
  g_test_add_func ("/account/sign-out-from-menu", test_sign_out_from_menu);
  g_test_add_func ("/account/password-and-devices-from-menu", test_account_from_menu);
  g_test_add_func ("/account/publish-from-preferences", test_publish_from_preferences);
  g_test_add_func ("/account/sign-in-again-after-password-change",
                   test_sign_in_again_after_password_change);
  g_test_add_func ("/account/lapsed-session-keeps-syncing", test_lapsed_session_keeps_syncing);
  g_test_add_func ("/account/recover-signed-in", test_recover_signed_in);
  g_test_add_func ("/account/recover-local-only", test_recover_local_only);
  g_test_add_func ("/account/recover-on-new-device", test_recover_on_new_device);
  g_test_add_func ("/account/safety-number", test_safety_number);
  g_test_add_func ("/account/sessions-and-revoke", test_sessions_and_revoke);
  g_test_add_func ("/account/totp-on-and-off", test_totp_on_and_off);
  g_test_add_func ("/account/totp-asked-at-sign-in", test_totp_asked_at_sign_in);
  g_test_add_func ("/account/sign-in-form", test_sign_in_form);
  status = g_test_run ();
  tf_test_server_stop (server);
  return status;
}
