/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-add-client.c: a therapist adds a client who has no app account from
 * the Clients page's Add Client dialog, through the real server (issue
 * 12): Add waits for both names, a wrong AMKA is said in the dialog (in
 * the person's language) with everything typed kept, and the client, once
 * added, is in the list and open, their AMKA there decrypted.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tf-add-client-dialog.h"
#include "tf-clients-page.h"
#include "tf-managed.h"
#include "tf-test-server.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"
#define AMKA     "12048512342"

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

static TfSession *
new_therapist (const char *email, char **out_dir)
{
  TfRegistration reg = {
    .password = PASSWORD, .role = "therapist", .first_name = "Άννα", .last_name = "Παππά",
    .license_number = email,
  };
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  TfSession *session;

  *out_dir = g_dir_make_tmp ("tf-ui-add-client-XXXXXX", &error);
  g_assert_no_error (error);
  session = tf_session_new (*out_dir, &error);
  g_assert_no_error (error);
  tf_session_create_async (session, &reg, server->base_url, email, NULL, on_created, &wait);
  g_assert_true (tf_ui_wait_for (is_done, &wait));
  g_assert_no_error (wait.error);
  return session;
}

static GtkWidget *
find_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *w = windows; w != NULL; w = w->next)
    if (TF_IS_ADD_CLIENT_DIALOG (w->data) && gtk_widget_get_mapped (w->data))
      return w->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

static gboolean
action_enabled (gpointer data)
{
  GtkWidget *dialog = find_dialog ();
  GtkWidget *add = dialog != NULL ? tf_ui_find (dialog, "add-client-add") : NULL;

  return add != NULL && gtk_widget_is_sensitive (add);
}

static void
test_add_client (gconstpointer data)
{
  gboolean greek = GPOINTER_TO_INT (data);
  g_autofree char *dir = NULL, *email = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GError) error = NULL;
  TfSession *therapist;
  GtkWidget *window, *page, *dialog, *problem;
  JsonObject *added;

  email = g_strdup_printf ("anna-%s@example.org", greek ? "el" : "en");
  therapist = new_therapist (email, &dir);
  page = tf_clients_page_new (therapist);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  /* The + beside the search opens the dialog, titled in the language. */
  tf_ui_click (window, "clients-add");
  g_assert_true (tf_ui_wait_for (dialog_shown, NULL));
  dialog = find_dialog ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==,
                   greek ? "Προσθήκη θεραπευόμενου" : "Add Client");
  /* Add waits for both names. */
  g_assert_false (action_enabled (NULL));
  tf_ui_type (dialog, "add-client-first-name", "Μαρία");
  g_assert_false (action_enabled (NULL));
  tf_ui_type (dialog, "add-client-last-name", "Νικολάου");
  g_assert_true (tf_ui_wait_for (action_enabled, NULL));

  /* A wrong AMKA: said in the dialog, which stays with what was typed. */
  tf_ui_type (dialog, "add-client-phone", "2107654321");
  tf_ui_type (dialog, "add-client-amka", "12048512343");
  tf_ui_click (dialog, "add-client-add");
  problem = tf_ui_wait_shown (dialog, "add-client-problem");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (problem)), greek ? "ΑΜΚΑ" : "AMKA"));
  g_assert_true (find_dialog () == dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (dialog,
                                                                    "add-client-phone"))),
                   ==, "2107654321");
  clients = tf_managed_list (tf_session_get_vault (therapist), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 0);
  g_clear_pointer (&clients, g_ptr_array_unref);

  /* Right: added, the dialog gone, the client listed and open. */
  tf_ui_type (dialog, "add-client-amka", AMKA);
  g_assert_true (tf_ui_wait_for (action_enabled, NULL));
  tf_ui_click (dialog, "add-client-add");
  g_assert_true (tf_ui_wait_for (dialog_gone, NULL));
  tf_ui_wait_label (window, "Μαρία Νικολάου");
  clients = tf_managed_list (tf_session_get_vault (therapist), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 1);
  added = g_ptr_array_index (clients, 0);
  g_assert_true (json_object_get_boolean_member (added, "managed"));
  {
    g_autoptr(JsonObject) shown = tf_managed_show (tf_session_get_vault (therapist),
                                                   json_object_get_string_member (added, "id"),
                                                   &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (shown, "amka"), ==, AMKA);
  }
  tf_ui_wait_shown (window, "client-detail-stack");

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (therapist);
  tf_ui_remove_profile (dir);
}

int
main (int argc, char **argv)
{
  gboolean greek;
  int status;

  greek = tf_ui_init_language (&argc, &argv);
  server = tf_test_server_start (greek ? "tf_ui_add_client_el" : "tf_ui_add_client", NULL);
  g_test_add_data_func ("/tf/clients/add-client", GINT_TO_POINTER (greek), test_add_client);
  status = g_test_run ();
  tf_test_server_stop (server);
  return status;
}
