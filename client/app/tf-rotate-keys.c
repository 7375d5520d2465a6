/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-rotate-keys.c: new identity keys from the app (issue 19;
 * docs/encryption.md, "Rotation").
 *
 * The question says what happens in plain words — new keys, what this
 * account shares signed again with them, the people it shares with warned
 * and asked to compare the new safety number, every other device signed
 * out — and when to do it (after a lost device).  The work is the core's (tf_account_rotate_keys, as the
 * CLI's `keys rotate`), in the session's worker: the window waits for
 * nothing.  A rotation whose answer was lost (the app closed or the
 * network cut after the server was asked) is finished by the next one,
 * which finds the server holding the keys it waited for.
 */
#define G_LOG_DOMAIN "tf-rotate-keys"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-rotate-keys.h"
#include "tf-session-account.h"
#include "tf-sync-client.h"

typedef struct
{
  GtkWidget        *from;
  TfSession        *session;
  TfRotateKeysDone  done;
} Ask;

static void
ask_free (Ask *ask)
{
  g_clear_object (&ask->from);
  g_clear_object (&ask->session);
  g_free (ask);
}

static void
ask_free_notify (gpointer data, GClosure *closure)
{
  ask_free (data);
}

char *
tf_rotate_keys_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE))
    return g_strdup (_("Your identity keys were not replaced: the server cannot be reached. "
                       "Nothing changed; try again when this device is online."));
  /* TRANSLATORS: %s says why, e.g. "The server no longer accepts this device’s sign-in" */
  return g_strdup_printf (_("Your identity keys were not replaced: %s"), error->message);
}

/* Why it failed, in a dialog of its own: a toast would cut the words. */
static void
show_failure (GtkWidget *from, const GError *error)
{
  g_autofree char *text = tf_rotate_keys_describe_error (error);
  GtkRoot *root = gtk_widget_get_root (from);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Identity Keys Not Replaced"), text);

  gtk_widget_set_name (dialog, "rotate-keys-failed");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rotated_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Ask *ask = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  guint resealed = 0;

  fingerprint = tf_session_rotate_keys_finish (TF_SESSION (source), result, &resealed, &error);
  if (fingerprint == NULL)
    {
      show_failure (ask->from, error);
      ask->done (ask->from, NULL);
    }
  else
    {
      g_message ("identity keys replaced: %s; %u shares signed again", fingerprint, resealed);
      ask->done (ask->from, _("Identity keys replaced"));
    }
  ask_free (ask);
}

static void
on_response_cb (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  Ask *ask = data, *running;

  if (g_strcmp0 (response, "rotate") != 0)
    {
      ask->done (ask->from, NULL);
      return;
    }
  /* The dialog's goes with the dialog; the rotation holds its own. */
  running = g_new0 (Ask, 1);
  running->from = g_object_ref (ask->from);
  running->session = g_object_ref (ask->session);
  running->done = ask->done;
  tf_session_rotate_keys_async (ask->session, NULL, rotated_cb, running);
}

void
tf_rotate_keys_ask (GtkWidget *from, TfSession *session, TfRotateKeysDone done)
{
  GtkWidget *dialog;
  Ask *ask;

  g_return_if_fail (GTK_IS_WIDGET (from));
  g_return_if_fail (TF_IS_SESSION (session));
  g_return_if_fail (done != NULL);

  dialog = tf_form_confirm_new (from, "rotate-keys-dialog", _("Replace Identity Keys?"),
                                _("Your account gets new identity keys, and everything you "
                                  "share is signed again with them. The people you share "
                                  "with are warned that your keys changed and are asked to "
                                  "compare the new safety number with you before they share "
                                  "with you again.\n\nDo this after losing a device, or if "
                                  "someone else may have used your keys. Every other device "
                                  "signed in to your account is signed out, so a lost one can "
                                  "no longer sync; sign in again on yours and they get the new "
                                  "keys. Your data and password stay as they are."),
                                "cancel", _("_Cancel"), "rotate", _("_Replace Keys"));
  ask = g_new0 (Ask, 1);
  ask->from = g_object_ref (from);
  ask->session = g_object_ref (session);
  ask->done = done;
  /* One response ("close" too, Escape's, is one); @ask is freed with the
   * dialog. */
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response_cb), ask,
                         (GClosureNotify) ask_free_notify, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
