/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-recover-dialog.c: recovery with the recovery key from the unlock
 * page, for someone who forgot the password.  The key opens the same
 * keys the password did, so nothing is lost: the core sets the new
 * password — offline for a profile on this computer only, on the server
 * too (ending the other sessions) for one that syncs — and the profile
 * unlocks with it.  Argon2id and the network run in a worker thread; a
 * typing mistake in the key or a refusal asks again, saying why.
 */
#define G_LOG_DOMAIN "tf-recover-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-recover-dialog.h"

#define MIN_PASSWORD 8  /* as at first run */

typedef struct
{
  GtkWindow  *parent;
  TfSession  *session;
  void      (*unlocked) (GtkWindow *parent);
} Ask;

/* Shared by the dialog showing and the recovery running (g_rc_box). */
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
recovered (GObject *source, GAsyncResult *result, gpointer data)
{
  Ask *ask = data;
  g_autoptr(GError) error = NULL;

  if (tf_session_recover_finish (TF_SESSION (source), result, &error))
    ask->unlocked (ask->parent);
  else
    present (ask, error->message);
  ask_release (ask);
}

static const char *
text_of (GtkWidget *dialog, const char *key)
{
  return gtk_editable_get_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), key)));
}

static void
on_response (AdwMessageDialog *dialog, const char *response, Ask *ask)
{
  g_autofree char *key = g_strstrip (g_strdup (text_of (GTK_WIDGET (dialog), "tf-key")));
  g_autofree char *password = g_strdup (text_of (GTK_WIDGET (dialog), "tf-password"));
  const char *again = text_of (GTK_WIDGET (dialog), "tf-again");

  if (!g_str_equal (response, "recover"))
    return;
  if (*key == '\0')
    present (ask, _("Enter your recovery key"));
  else if (g_utf8_strlen (password, -1) < MIN_PASSWORD)
    present (ask, _("Choose a password of at least 8 characters"));
  else if (!g_str_equal (password, again))
    present (ask, _("The two passwords differ"));
  else
    tf_session_recover_async (ask->session, key, password, NULL, recovered,
                              g_rc_box_acquire (ask));
}

static GtkWidget *
add_row (GtkWidget *dialog, GtkWidget *list, GType type, const char *title, const char *name,
         const char *key)
{
  GtkWidget *row = g_object_new (type, "title", title, NULL);

  gtk_widget_set_name (row, name);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  g_object_set_data (G_OBJECT (dialog), key, row);
  return row;
}

static GtkWidget *
present (Ask *ask, const char *problem)
{
  GtkWidget *dialog = adw_message_dialog_new (ask->parent, _("Recover With Your Recovery Key"),
                                              NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *key;

  gtk_widget_set_name (dialog, "recover");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("Enter the recovery key you wrote down when you made your "
                                 "account, and choose a new password. Your data stays as it "
                                 "is; the recovery key stays the same."));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  key = add_row (dialog, list, ADW_TYPE_ENTRY_ROW, _("Recovery key"), "recover-key", "tf-key");
  add_row (dialog, list, ADW_TYPE_PASSWORD_ENTRY_ROW, _("New password"), "recover-password",
           "tf-password");
  add_row (dialog, list, ADW_TYPE_PASSWORD_ENTRY_ROW, _("Password again"),
           "recover-password-again", "tf-again");
  gtk_box_append (GTK_BOX (box), list);
  if (problem != NULL)
    {
      GtkWidget *label = gtk_label_new (problem);

      gtk_widget_set_name (label, "recover-error");
      gtk_widget_add_css_class (label, "error");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "recover", _("_Set New Password"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "recover",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "tf-ask", g_rc_box_acquire (ask),
                          (GDestroyNotify) ask_release);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), ask);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (key);
  return dialog;
}

GtkWidget *
tf_recover_dialog_present (GtkWindow *parent, TfSession *session,
                           void (*unlocked) (GtkWindow *parent))
{
  Ask *ask = g_rc_box_new0 (Ask);
  GtkWidget *dialog;

  ask->parent = g_object_ref (parent);
  ask->session = g_object_ref (session);
  ask->unlocked = unlocked;
  dialog = present (ask, NULL);
  ask_release (ask);
  return dialog;
}
