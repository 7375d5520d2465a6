/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-live.c: a therapist and a client, each on a profile of their own,
 * through the real sync server and PostgreSQL (started by build-aux/tf-pg),
 * with the therapist's Clients view in a real window under Xvfb.  Nobody
 * asks the therapist's app to sync: its long poll wakes when the client
 * pushes, so the client appears in the list, an entry the client shares
 * appears in their journal in the open view, and when the client stops
 * sharing it the entry leaves the view again.  GTK warnings are fatal.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tf-clients-page.h"
#include "tf-test-server.h"
#include "tf-time.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"
#define THERAPIST_EMAIL "anna.pappa@example.org"
#define CLIENT_EMAIL "maria.k@example.org"
#define TITLE "Ένα δύσκολο βράδυ"
#define CONTENT "Δεν μπορούσα να κοιμηθώ μετά τη συζήτηση με τη μητέρα μου."

static TfTestServer *server;

typedef struct
{
  gboolean done;
  GError  *error;
} Wait;

static gboolean
is_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
on_created (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;
  g_autofree char *recovery = NULL;

  tf_session_create_finish (TF_SESSION (source), result, &recovery, &wait->error);
  wait->done = TRUE;
}

/* A new account of @role registered on the test server, unlocked. */
static TfSession *
new_account (const char *role, const char *email, const char *first, const char *last,
             char **out_dir)
{
  TfRegistration reg = {
    .password = PASSWORD, .role = role, .first_name = first, .last_name = last,
    .license_number = g_str_equal (role, "therapist") ? "ΑΜ-4821" : NULL,
  };
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  TfSession *session;

  *out_dir = g_dir_make_tmp ("tf-ui-live-XXXXXX", &error);
  g_assert_no_error (error);
  session = tf_session_new (*out_dir, &error);
  g_assert_no_error (error);
  tf_session_create_async (session, &reg, server->base_url, email, NULL, on_created, &wait);
  g_assert_true (tf_ui_wait_for (is_done, &wait));
  g_assert_no_error (wait.error);
  g_assert_true (tf_session_is_unlocked (session));
  return session;
}

typedef struct
{
  GtkWidget  *window;
  const char *list;
  const char *text;
} LabelIn;

static gboolean
label_shown (gpointer data)
{
  LabelIn *l = data;
  GtkWidget *list = tf_ui_find (l->window, l->list);
  GtkWidget *label = list != NULL ? tf_ui_find_label (list, l->text) : NULL;

  return label != NULL && gtk_widget_get_mapped (label);
}

static gboolean
label_gone (gpointer data)
{
  return !label_shown (data);
}

static void
put_journal (TfSession *client, const char *id, gboolean shared)
{
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autoptr(GError) error = NULL;
  TfVault *vault = tf_session_get_vault (client);

  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "user_id", tf_vault_get_user_id (vault));
  json_object_set_string_member (plain, "title", TITLE);
  json_object_set_string_member (plain, "content", CONTENT);
  json_object_set_boolean_member (plain, "therapist_shared", shared);
  json_object_set_string_member (plain, "created_at", stamp);
  json_object_set_string_member (plain, "updated_at", stamp);
  g_assert_true (tf_vault_put (vault, tf_registry_lookup ("journal_entries"), id, plain,
                               &error));
  g_assert_no_error (error);
}

static void
test_shared_entry_appears_live (void)
{
  g_autofree char *therapist_dir = NULL, *client_dir = NULL, *therapist_id = NULL;
  g_autofree char *care_id = g_uuid_string_random (), *entry_id = g_uuid_string_random ();
  g_autofree char *row_name = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autoptr(JsonObject) care = json_object_new ();
  g_autoptr(GError) error = NULL;
  TfSession *therapist, *client;
  GtkWidget *window, *page, *row;
  LabelIn client_name, entry_title, entry_content;

  therapist = new_account ("therapist", THERAPIST_EMAIL, "Άννα", "Παππά", &therapist_dir);
  client = new_account ("client", CLIENT_EMAIL, "Μαρία", "Κωνσταντίνου", &client_dir);

  /* The therapist's Clients view is open, and empty. */
  page = tf_clients_page_new (therapist);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  /* The client chooses the therapist (as `therapist link` does). */
  therapist_id = tf_account_find_therapist (tf_session_get_vault (client), THERAPIST_EMAIL,
                                            &error);
  g_assert_no_error (error);
  json_object_set_string_member (care, "id", care_id);
  json_object_set_string_member (care, "therapist_id", therapist_id);
  json_object_set_string_member (care, "client_id",
                                 tf_vault_get_user_id (tf_session_get_vault (client)));
  json_object_set_string_member (care, "status", "active");
  json_object_set_boolean_member (care, "share_mood", TRUE);
  json_object_set_boolean_member (care, "share_goals", FALSE);
  json_object_set_string_member (care, "started_at", stamp);
  g_assert_true (tf_vault_put (tf_session_get_vault (client),
                               tf_registry_lookup ("care_relationships"), care_id, care, &error));
  g_assert_no_error (error);
  tf_ui_sync_now (client);

  /* The new client shows up in the therapist's open list by itself. */
  client_name = (LabelIn) { window, "clients-list", "Μαρία Κωνσταντίνου" };
  g_assert_true (tf_ui_wait_for (label_shown, &client_name));
  row_name = g_strconcat ("client-",
                          tf_vault_get_user_id (tf_session_get_vault (client)), NULL);
  row = tf_ui_wait_shown (window, row_name);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  g_signal_emit_by_name (tf_ui_find (window, "clients-list"), "row-activated", row);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (tf_ui_wait_shown (window,
                                                                 "client-detail-stack")),
                                         "journal");
  tf_ui_wait_shown (window, "client-journal-empty");

  /* A shared entry appears in the open journal, decrypted. */
  put_journal (client, entry_id, TRUE);
  tf_ui_sync_now (client);
  entry_title = (LabelIn) { window, "client-journal-list", TITLE };
  entry_content = (LabelIn) { window, "client-journal-list", CONTENT };
  g_assert_true (tf_ui_wait_for (label_shown, &entry_title));
  g_assert_true (tf_ui_wait_for (label_shown, &entry_content));

  /* Sharing ends: the entry leaves the therapist's view again. */
  put_journal (client, entry_id, FALSE);
  tf_ui_sync_now (client);
  g_assert_true (tf_ui_wait_for (label_gone, &entry_content));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (therapist);
  g_assert_finalize_object (client);
  tf_ui_remove_profile (therapist_dir);
  tf_ui_remove_profile (client_dir);
}

int
main (int argc, char **argv)
{
  int status;

  tf_ui_init (&argc, &argv, "C.UTF-8");
  server = tf_test_server_start ("tf_ui_live", NULL);
  g_test_add_func ("/live/shared-entry-appears", test_shared_entry_appears_live);
  status = g_test_run ();
  tf_test_server_stop (server);
  return status;
}
