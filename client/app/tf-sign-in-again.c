/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sign-in-again.c: the dialog a device shows when the server no longer
 * accepts its session and it cannot sign in again by itself — it was
 * signed out from another device, the password was changed on another
 * device (which ends the other sessions), the account's keys were replaced
 * on another device (a rotation, which ends them too: the dialog says so,
 * tf_session_get_keys_replaced) or the account was suspended (a
 * session that merely lapsed is renewed without asking, in the sync).  The
 * current password signs this device in again on its own account and
 * server, in a worker thread; the data here stays open meanwhile and sync
 * resumes after.  A wrong password or a refusal asks again with a new
 * dialog, saying why; an account with a second step asks for the code too.
 */
#define G_LOG_DOMAIN "tf-sign-in-again"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-sign-in-again.h"

struct _TfSignInAgain
{
  AdwMessageDialog  parent_instance;
  TfSession        *session;

  /* template (tf-sign-in-again.ui) */
  GtkWidget        *password;   /* AdwPasswordEntryRow */
  GtkWidget        *code;       /* AdwEntryRow, shown when the account asks for it */
  GtkWidget        *error;
};

G_DEFINE_FINAL_TYPE (TfSignInAgain, tf_sign_in_again, ADW_TYPE_MESSAGE_DIALOG)

/* Set on a session when the person answered "Not Now"; cleared when they
 * ask themselves or the session is signed in again. */
#define DECLINED "tf-sign-in-again-declined"

static GtkWidget *present (GtkWindow  *parent,
                           TfSession  *session,
                           gboolean    with_code,
                           const char *problem);

/* What the worker's answer needs once the dialog is gone. */
typedef struct
{
  GtkWindow *parent;
  gboolean   with_code;
} Asked;

static void
asked_free (Asked *asked)
{
  g_clear_object (&asked->parent);
  g_free (asked);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Asked, asked_free)

static void
on_signed_in_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(Asked) asked = data;
  g_autoptr(GError) error = NULL;
  TfSession *session = TF_SESSION (source);

  if (tf_session_sign_in_again_finish (session, result, &error))
    {
      g_object_set_data (G_OBJECT (session), DECLINED, NULL);
      return;
    }
  /* The password was right; the account asks for its second step. */
  if (g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED))
    present (asked->parent, session, TRUE,
             _("Your account asks for the 6-digit code your authenticator app shows: enter "
               "your password and the code"));
  else
    present (asked->parent, session,
             asked->with_code || g_error_matches (error, TF_ACCOUNT_ERROR,
                                                  TF_ACCOUNT_ERROR_TOTP_WRONG),
             error->message);
}

/* Checks what was typed and signs in with it, or asks again saying what is
 * missing.  Runs before the dialog closes. */
static void
sign_in (TfSignInAgain *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  gboolean with_code = gtk_widget_get_visible (self->code);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));
  const char *code = with_code ? gtk_editable_get_text (GTK_EDITABLE (self->code)) : NULL;
  Asked *asked;

  if (*password == '\0')
    {
      present (parent, self->session, with_code, _("Enter your password"));
      return;
    }
  if (code != NULL && *code == '\0')
    {
      present (parent, self->session, with_code,
               _("Enter the 6-digit code your authenticator app shows"));
      return;
    }
  asked = g_new0 (Asked, 1);
  asked->parent = parent != NULL ? g_object_ref (parent) : NULL;
  asked->with_code = with_code;
  tf_session_sign_in_again_async (self->session, password, code, NULL, on_signed_in_cb, asked);
}

static void
on_response_cb (TfSignInAgain *self, const char *response)
{
  if (g_str_equal (response, "sign-in"))
    sign_in (self);
  else if (g_str_equal (response, "later"))
    g_object_set_data (G_OBJECT (self->session), DECLINED, GINT_TO_POINTER (TRUE));
  /* The dialog closes after this; no password stays in its rows. */
  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code), "");
}

/* Enter in the last field answers as Sign In does. */
static void
answer (TfSignInAgain *self)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "sign-in");
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_password_activated_cb (TfSignInAgain *self)
{
  if (gtk_widget_get_visible (self->code))
    gtk_widget_grab_focus (self->code);
  else
    answer (self);
}

static void
tf_sign_in_again_dispose (GObject *object)
{
  TfSignInAgain *self = TF_SIGN_IN_AGAIN (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_sign_in_again_parent_class)->dispose (object);
}

static void
tf_sign_in_again_class_init (TfSignInAgainClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_sign_in_again_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-sign-in-again.ui");
  gtk_widget_class_bind_template_child (widget_class, TfSignInAgain, password);
  gtk_widget_class_bind_template_child (widget_class, TfSignInAgain, code);
  gtk_widget_class_bind_template_child (widget_class, TfSignInAgain, error);
  gtk_widget_class_bind_template_callback (widget_class, on_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, answer);
}

static void
tf_sign_in_again_init (TfSignInAgain *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkWidget *
present (GtkWindow *parent, TfSession *session, gboolean with_code, const char *problem)
{
  TfSignInAgain *self = g_object_new (TF_TYPE_SIGN_IN_AGAIN, "transient-for", parent, NULL);

  self->session = g_object_ref (session);
  /* Not one of the usual reasons: said as it is. */
  if (tf_session_get_keys_replaced (session))
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                                 _("Your account’s keys were replaced on another device, which "
                                   "signed this device out. Your data here stays open; enter "
                                   "your password (it has not changed) to sync again, and this "
                                   "device gets the new keys."));
  gtk_widget_set_visible (self->code, with_code);
  gtk_label_set_text (GTK_LABEL (self->error), problem ? problem : "");
  gtk_widget_set_visible (self->error, problem != NULL);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->password);
  return GTK_WIDGET (self);
}

/* The dialog for @session already showing, if any (a refusal's new one
 * included). */
static GtkWidget *
showing (TfSession *session)
{
  GListModel *windows = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (windows, i);

      if (TF_IS_SIGN_IN_AGAIN (window) && TF_SIGN_IN_AGAIN (window)->session == session &&
          gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

GtkWidget *
tf_sign_in_again_present (GtkWindow *parent, TfSession *session)
{
  GtkWidget *dialog;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TF_IS_SESSION (session), NULL);

  g_object_set_data (G_OBJECT (session), DECLINED, NULL);
  dialog = showing (session);
  if (dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (dialog));
      return dialog;
    }
  return present (parent, session, FALSE, NULL);
}

GtkWidget *
tf_sign_in_again_offer (GtkWindow *parent, TfSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TF_IS_SESSION (session), NULL);

  if (g_object_get_data (G_OBJECT (session), DECLINED) != NULL || showing (session) != NULL)
    return NULL;
  return present (parent, session, FALSE, NULL);
}
