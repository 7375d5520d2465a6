/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sign-in-again.c: the dialog a device shows when the server no longer
 * accepts its session and it cannot sign in again by itself — the
 * password was changed on another device (which ends the other sessions)
 * or the account was suspended.  The current password signs this device
 * in again on its own account and server, in a worker thread; the data
 * here stays open meanwhile and sync resumes after.  A wrong password or
 * a refusal asks again, saying why.
 */
#define G_LOG_DOMAIN "tf-sign-in-again"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-sign-in-again.h"

typedef struct
{
  GtkWindow *parent;
  TfSession *session;
} Ask;

/* Shared by the dialog showing and the sign-in running (g_rc_box). */
static void
ask_clear (Ask *ask)
{
  g_clear_object (&ask->parent);
  g_clear_object (&ask->session);
}

static void
ask_release (Ask *ask)
{
  g_rc_box_release_full (ask, (GDestroyNotify) ask_clear);
}

static GtkWidget *present (Ask *ask, const char *problem);

static void
signed_in (GObject *source, GAsyncResult *result, gpointer data)
{
  Ask *ask = data;
  g_autoptr(GError) error = NULL;

  if (!tf_session_sign_in_again_finish (TF_SESSION (source), result, &error))
    present (ask, error->message);
  ask_release (ask);
}

static void
on_response (AdwMessageDialog *dialog, const char *response, Ask *ask)
{
  GtkWidget *entry = g_object_get_data (G_OBJECT (dialog), "tf-password");
  g_autofree char *password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  /* The dialog closes after this; its entry goes with it. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  if (!g_str_equal (response, "sign-in"))
    return;
  if (*password == '\0')
    {
      present (ask, _("Enter your password"));
      return;
    }
  tf_session_sign_in_again_async (ask->session, password, NULL, signed_in,
                                  g_rc_box_acquire (ask));
}

/* Enter in the password answers "Sign In", as the button would. */
static void
on_activate (GtkWidget *entry, AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "sign-in");
  gtk_window_close (GTK_WINDOW (dialog));
}

static GtkWidget *
present (Ask *ask, const char *problem)
{
  GtkWidget *dialog = adw_message_dialog_new (ask->parent, _("Sign In Again"), NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *entry = adw_password_entry_row_new ();

  gtk_widget_set_name (dialog, "sign-in-again");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The server no longer accepts this device: your password was "
                                 "changed on another device, or your account was suspended. "
                                 "Your data here stays open; enter your current password to "
                                 "sync again."));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Current password"));
  gtk_widget_set_name (entry, "sign-in-again-password");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), entry);
  gtk_box_append (GTK_BOX (box), list);
  if (problem != NULL)
    {
      GtkWidget *label = gtk_label_new (problem);

      gtk_widget_set_name (label, "sign-in-again-error");
      gtk_widget_add_css_class (label, "error");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Not Now"),
                                    "sign-in", _("_Sign In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-in",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_object_set_data (G_OBJECT (dialog), "tf-password", entry);
  g_object_set_data_full (G_OBJECT (dialog), "tf-ask", g_rc_box_acquire (ask),
                          (GDestroyNotify) ask_release);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), ask);
  g_signal_connect (entry, "entry-activated", G_CALLBACK (on_activate), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
  return dialog;
}

GtkWidget *
tf_sign_in_again_present (GtkWindow *parent, TfSession *session)
{
  Ask *ask = g_rc_box_new0 (Ask);
  GtkWidget *dialog;

  ask->parent = parent != NULL ? g_object_ref (parent) : NULL;
  ask->session = g_object_ref (session);
  dialog = present (ask, NULL);
  ask_release (ask);
  return dialog;
}
