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

typedef void (*UnlockedFunc) (GtkWindow *parent);

struct _TfRecoverDialog
{
  AdwMessageDialog  parent_instance;
  TfSession        *session;
  UnlockedFunc      unlocked;

  /* template (tf-recover-dialog.ui) */
  GtkWidget        *key;        /* AdwEntryRow */
  GtkWidget        *password;   /* AdwPasswordEntryRow */
  GtkWidget        *again;      /* AdwPasswordEntryRow */
  GtkWidget        *error;
};

G_DEFINE_FINAL_TYPE (TfRecoverDialog, tf_recover_dialog, ADW_TYPE_MESSAGE_DIALOG)

static GtkWidget *present (GtkWindow    *parent,
                           TfSession    *session,
                           UnlockedFunc  unlocked,
                           const char   *problem);

/* What the worker's answer needs once the dialog is gone. */
typedef struct
{
  GtkWindow    *parent;
  UnlockedFunc  unlocked;
} Asked;

static void
asked_free (Asked *asked)
{
  g_clear_object (&asked->parent);
  g_free (asked);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Asked, asked_free)

static void
on_recovered_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(Asked) asked = data;
  g_autoptr(GError) error = NULL;

  if (tf_session_recover_finish (TF_SESSION (source), result, &error))
    asked->unlocked (asked->parent);
  else
    present (asked->parent, TF_SESSION (source), asked->unlocked, error->message);
}

/* Checks what was typed and recovers with it, or asks again saying what is
 * wrong.  Runs before the dialog closes. */
static void
recover (TfRecoverDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->again));
  const char *problem = NULL;
  Asked *asked;

  if (*key == '\0')
    problem = _("Enter your recovery key");
  else if (g_utf8_strlen (password, -1) < MIN_PASSWORD)
    problem = _("Choose a password of at least 8 characters");
  else if (!g_str_equal (password, again))
    problem = _("The two passwords differ");
  if (problem != NULL)
    {
      present (parent, self->session, self->unlocked, problem);
      return;
    }
  asked = g_new0 (Asked, 1);
  asked->parent = parent != NULL ? g_object_ref (parent) : NULL;
  asked->unlocked = self->unlocked;
  tf_session_recover_async (self->session, key, password, NULL, on_recovered_cb, asked);
}

static void
on_response_cb (TfRecoverDialog *self, const char *response)
{
  if (g_str_equal (response, "recover"))
    recover (self);
  /* The dialog closes after this; no key or password stays in its rows. */
  gtk_editable_set_text (GTK_EDITABLE (self->key), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  gtk_editable_set_text (GTK_EDITABLE (self->again), "");
}

/* Enter in the last field answers as Set New Password does; in the others
 * it moves on. */
static void
answer (TfRecoverDialog *self)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "recover");
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_key_activated_cb (TfRecoverDialog *self)
{
  gtk_widget_grab_focus (self->password);
}

static void
on_password_activated_cb (TfRecoverDialog *self)
{
  gtk_widget_grab_focus (self->again);
}

static void
tf_recover_dialog_dispose (GObject *object)
{
  TfRecoverDialog *self = TF_RECOVER_DIALOG (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_recover_dialog_parent_class)->dispose (object);
}

static void
tf_recover_dialog_class_init (TfRecoverDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_recover_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-recover-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TfRecoverDialog, key);
  gtk_widget_class_bind_template_child (widget_class, TfRecoverDialog, password);
  gtk_widget_class_bind_template_child (widget_class, TfRecoverDialog, again);
  gtk_widget_class_bind_template_child (widget_class, TfRecoverDialog, error);
  gtk_widget_class_bind_template_callback (widget_class, on_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, answer);
}

static void
tf_recover_dialog_init (TfRecoverDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkWidget *
present (GtkWindow *parent, TfSession *session, UnlockedFunc unlocked, const char *problem)
{
  TfRecoverDialog *self = g_object_new (TF_TYPE_RECOVER_DIALOG, "transient-for", parent, NULL);

  self->session = g_object_ref (session);
  self->unlocked = unlocked;
  gtk_label_set_text (GTK_LABEL (self->error), problem ? problem : "");
  gtk_widget_set_visible (self->error, problem != NULL);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->key);
  return GTK_WIDGET (self);
}

GtkWidget *
tf_recover_dialog_present (GtkWindow *parent, TfSession *session,
                           void (*unlocked) (GtkWindow *parent))
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (unlocked != NULL, NULL);

  return present (parent, session, unlocked, NULL);
}
