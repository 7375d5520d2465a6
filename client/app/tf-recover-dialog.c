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

#include "tf-form.h"
#include "tf-recover-dialog.h"

#define MIN_PASSWORD 8  /* as at first run */

static const TfFormAskWords words = {
  "recover",
  N_("Recover With Your Recovery Key"),
  N_("Enter the recovery key you wrote down when you made your account, and choose a new "
     "password. Your data stays as it is; the recovery key stays the same."),
  "cancel", N_("_Cancel"),
  "recover", N_("_Set New Password"),
};

static GtkWidget *present (TfFormAsk *ask, const char *problem);

static void
recovered (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfFormAsk) ask = data;
  g_autoptr(GError) error = NULL;

  if (tf_session_recover_finish (TF_SESSION (source), result, &error))
    ask->done (ask->parent);
  else
    present (ask, error->message);
}

static void
on_answer (TfFormAsk *ask, GtkWidget *dialog)
{
  g_autofree char *key = g_strstrip (g_strdup (tf_form_ask_get_text (dialog, "recover-key")));
  const char *password = tf_form_ask_get_text (dialog, "recover-password");
  const char *again = tf_form_ask_get_text (dialog, "recover-password-again");

  if (*key == '\0')
    present (ask, _("Enter your recovery key"));
  else if (g_utf8_strlen (password, -1) < MIN_PASSWORD)
    present (ask, _("Choose a password of at least 8 characters"));
  else if (!g_str_equal (password, again))
    present (ask, _("The two passwords differ"));
  else
    tf_session_recover_async (ask->session, key, password, NULL, recovered,
                              tf_form_ask_ref (ask));
}

static GtkWidget *
present (TfFormAsk *ask, const char *problem)
{
  GtkWidget *dialog = tf_form_ask_dialog_new (ask, &words, problem);

  tf_form_ask_add_row (dialog, ADW_TYPE_ENTRY_ROW, _("Recovery key"), "recover-key");
  tf_form_ask_add_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, _("New password"),
                       "recover-password");
  tf_form_ask_add_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, _("Password again"),
                       "recover-password-again");
  tf_form_ask_present (dialog, on_answer);
  return dialog;
}

GtkWidget *
tf_recover_dialog_present (GtkWindow *parent, TfSession *session,
                           void (*unlocked) (GtkWindow *parent))
{
  g_autoptr(TfFormAsk) ask = tf_form_ask_new (parent, session, unlocked);

  return present (ask, NULL);
}
