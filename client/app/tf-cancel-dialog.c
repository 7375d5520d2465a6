/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cancel-dialog.c: the dialog that asks the therapist or the client why
 * they cancel an appointment (the other side reads the reason).  The
 * schedule (therapist) waits for a reason before it lets Cancel Appointment
 * be pressed; the client's page lets it be pressed and says what is
 * missing, keeping what was typed.
 */
#define G_LOG_DOMAIN "tf-appointments"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-cancel-dialog.h"

struct _TfCancelDialog
{
  AdwMessageDialog  parent_instance;
  char             *id;               /* the appointment's */
  gboolean          reason_required;
  gboolean          following;        /* offers "cancel-following" too */

  /* template (tf-cancel-dialog.ui) */
  GtkWidget        *entry;
  GtkWidget        *error;
};

G_DEFINE_FINAL_TYPE (TfCancelDialog, tf_cancel_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
has_reason (TfCancelDialog *self)
{
  g_autofree char *reason = tf_cancel_dialog_dup_reason (self);

  return *reason != '\0';
}

static void
on_reason_changed_cb (TfCancelDialog *self)
{
  if (!self->reason_required)
    return;
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "cancel-appointment",
                                           has_reason (self));
  if (self->following)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "cancel-following",
                                             has_reason (self));
}

static void
on_reason_activate_cb (TfCancelDialog *self)
{
  if (!self->reason_required || has_reason (self))
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "cancel-appointment");
}

static void
tf_cancel_dialog_finalize (GObject *object)
{
  TfCancelDialog *self = TF_CANCEL_DIALOG (object);

  g_free (self->id);
  G_OBJECT_CLASS (tf_cancel_dialog_parent_class)->finalize (object);
}

static void
tf_cancel_dialog_class_init (TfCancelDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_cancel_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-cancel-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TfCancelDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, TfCancelDialog, error);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_activate_cb);
}

static void
tf_cancel_dialog_init (TfCancelDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_cancel_dialog_new (GtkWidget *widget, const char *id, const char *body, const char *name,
                      gboolean reason_required)
{
  TfCancelDialog *self;
  GtkRoot *root;
  g_autofree char *entry_name = NULL, *error_name = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  root = gtk_widget_get_root (widget);
  self = g_object_new (TF_TYPE_CANCEL_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       "body", body,
                       NULL);
  self->id = g_strdup (id);
  self->reason_required = reason_required;
  entry_name = g_strconcat (name, "-reason", NULL);
  error_name = g_strconcat (name, "-error", NULL);
  gtk_widget_set_name (self->entry, entry_name);
  gtk_widget_set_name (self->error, error_name);
  on_reason_changed_cb (self);
  return GTK_WIDGET (self);
}

void
tf_cancel_dialog_add_following (TfCancelDialog *self)
{
  g_return_if_fail (TF_IS_CANCEL_DIALOG (self));

  if (self->following)
    return;
  self->following = TRUE;
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "cancel-following",
                                   _("Cancel This and _Following"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "cancel-following",
                                              ADW_RESPONSE_DESTRUCTIVE);
  on_reason_changed_cb (self);
}

const char *
tf_cancel_dialog_get_appointment_id (TfCancelDialog *self)
{
  g_return_val_if_fail (TF_IS_CANCEL_DIALOG (self), NULL);
  return self->id;
}

const char *
tf_cancel_dialog_get_typed (TfCancelDialog *self)
{
  g_return_val_if_fail (TF_IS_CANCEL_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

char *
tf_cancel_dialog_dup_reason (TfCancelDialog *self)
{
  g_return_val_if_fail (TF_IS_CANCEL_DIALOG (self), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
}

void
tf_cancel_dialog_set_typed (TfCancelDialog *self, const char *typed)
{
  g_return_if_fail (TF_IS_CANCEL_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), typed != NULL ? typed : "");
}

void
tf_cancel_dialog_set_problem (TfCancelDialog *self, const char *problem)
{
  g_return_if_fail (TF_IS_CANCEL_DIALOG (self));
  gtk_label_set_text (GTK_LABEL (self->error), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->error, problem != NULL);
}

void
tf_cancel_dialog_present (TfCancelDialog *self)
{
  g_return_if_fail (TF_IS_CANCEL_DIALOG (self));
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->entry);
}
