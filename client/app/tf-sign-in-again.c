/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sign-in-again.c: the dialog a device shows when the server no longer
 * accepts its session and it cannot sign in again by itself — it was
 * signed out from another device, the password was changed on another
 * device (which ends the other sessions) or the account was suspended (a
 * session that merely lapsed is renewed without asking, in the sync).  The current password signs this device
 * in again on its own account and server, in a worker thread; the data
 * here stays open meanwhile and sync resumes after.  A wrong password or
 * a refusal asks again, saying why.
 */
#define G_LOG_DOMAIN "tf-sign-in-again"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-sign-in-again.h"

static const TfFormAskWords words = {
  "sign-in-again",
  N_("Sign In Again"),
  N_("The server no longer accepts this device: it was signed out from another device, your "
     "password was changed on another device, or your account was suspended. Your data here "
     "stays open; enter your current password to sync again."),
  "later", N_("_Not Now"),
  "sign-in", N_("_Sign In"),
};

static GtkWidget *present (TfFormAsk *ask, const char *problem);

static void
signed_in (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfFormAsk) ask = data;
  g_autoptr(GError) error = NULL;

  if (!tf_session_sign_in_again_finish (TF_SESSION (source), result, &error))
    {
      /* The password was right; the account asks for its second step. */
      if (g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED))
        {
          ask->with_code = TRUE;
          present (ask, _("Your account asks for the 6-digit code your authenticator app "
                          "shows: enter your password and the code"));
        }
      else
        {
          ask->with_code |= g_error_matches (error, TF_ACCOUNT_ERROR,
                                             TF_ACCOUNT_ERROR_TOTP_WRONG);
          present (ask, error->message);
        }
    }
}

static void
on_answer (TfFormAsk *ask, GtkWidget *dialog)
{
  const char *password = tf_form_ask_get_text (dialog, "sign-in-again-password");
  const char *code = ask->with_code ? tf_form_ask_get_text (dialog, "sign-in-again-totp") : NULL;

  if (*password == '\0')
    present (ask, _("Enter your password"));
  else if (code != NULL && *code == '\0')
    present (ask, _("Enter the 6-digit code your authenticator app shows"));
  else
    tf_session_sign_in_again_async (ask->session, password, code, NULL, signed_in,
                                    tf_form_ask_ref (ask));
}

static GtkWidget *
present (TfFormAsk *ask, const char *problem)
{
  GtkWidget *dialog = tf_form_ask_dialog_new (ask, &words, problem);

  tf_form_ask_add_row (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, _("Current password"),
                       "sign-in-again-password");
  if (ask->with_code)
    {
      GtkWidget *code = tf_form_ask_add_row (dialog, ADW_TYPE_ENTRY_ROW,
                                             _("Code from the app (6 digits)"),
                                             "sign-in-again-totp");

      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (code), GTK_INPUT_PURPOSE_DIGITS);
    }
  tf_form_ask_present (dialog, on_answer);
  return dialog;
}

GtkWidget *
tf_sign_in_again_present (GtkWindow *parent, TfSession *session)
{
  g_autoptr(TfFormAsk) ask = tf_form_ask_new (parent, session, NULL);

  return present (ask, NULL);
}
