/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-add-client-dialog.c: the form a therapist fills in for a client who
 * has no app account yet: names, contact details, birth date, gender,
 * AMKA, emergency contact, referral source and notes.  It only gathers
 * them: the clients page hands them to the session (tf-session-managed.h),
 * which checks them (the problem comes back here, the dialog stays open
 * with what was typed) and adds the client.
 */
#define G_LOG_DOMAIN "tf-clients"

#include "config.h"

#include "tf-add-client-dialog.h"

struct _TfAddClientDialog
{
  AdwWindow  parent_instance;

  /* template (tf-add-client-dialog.ui) */
  GtkWidget *problem;
  GtkWidget *fields;
  GtkWidget *first_name;
  GtkWidget *last_name;
  GtkWidget *email;
  GtkWidget *phone;
  GtkWidget *address;
  GtkWidget *birth_date;
  GtkWidget *gender;
  GtkWidget *amka;
  GtkWidget *emergency_name;
  GtkWidget *emergency_phone;
  GtkWidget *emergency_relationship;
  GtkWidget *referral_source;
  GtkWidget *notes;
};

enum { SIGNAL_ADD, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TfAddClientDialog, tf_add_client_dialog, ADW_TYPE_WINDOW)

/* The names are required: until both are typed, Add waits. */
static void
update_add (TfAddClientDialog *self)
{
  g_autofree char *first = g_strstrip (g_strdup (gtk_editable_get_text (
                                                   GTK_EDITABLE (self->first_name))));
  g_autofree char *last = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (self->last_name))));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-client.add",
                                 gtk_widget_get_sensitive (self->fields) && *first != '\0' &&
                                 *last != '\0');
}

static void
on_name_changed_cb (TfAddClientDialog *self)
{
  update_add (self);
}

static void
add_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_ADD], 0);
}

static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
tf_add_client_dialog_class_init (TfAddClientDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-add-client-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, problem);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, fields);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, first_name);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, last_name);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, email);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, phone);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, address);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, birth_date);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, gender);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, amka);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, emergency_name);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, emergency_phone);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog,
                                        emergency_relationship);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, referral_source);
  gtk_widget_class_bind_template_child (widget_class, TfAddClientDialog, notes);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed_cb);

  /**
   * TfAddClientDialog::add:
   *
   * The therapist asked to add the client typed (add-client.add); the
   * handler reads them with tf_add_client_dialog_get_client().
   */
  signals[SIGNAL_ADD] = g_signal_new ("add", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "add-client.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "add-client.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "add-client.cancel",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "add-client.add", NULL);
}

static void
tf_add_client_dialog_init (TfAddClientDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "add-client-dialog");
  update_add (self);
}

GtkWidget *
tf_add_client_dialog_new (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  return g_object_new (TF_TYPE_ADD_CLIENT_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       NULL);
}

static const char *
text_of (GtkWidget *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isspace (*c))
      return text;
  return NULL;
}

void
tf_add_client_dialog_get_client (TfAddClientDialog *self, TfManagedClient *out)
{
  g_return_if_fail (TF_IS_ADD_CLIENT_DIALOG (self));
  g_return_if_fail (out != NULL);

  *out = (TfManagedClient) {
    .first_name = text_of (self->first_name),
    .last_name = text_of (self->last_name),
    .email = text_of (self->email),
    .phone = text_of (self->phone),
    .address = text_of (self->address),
    .birth_date = text_of (self->birth_date),
    .gender = text_of (self->gender),
    .amka = text_of (self->amka),
    .emergency_name = text_of (self->emergency_name),
    .emergency_phone = text_of (self->emergency_phone),
    .emergency_relationship = text_of (self->emergency_relationship),
    .referral_source = text_of (self->referral_source),
    .notes = text_of (self->notes),
  };
}

void
tf_add_client_dialog_set_busy (TfAddClientDialog *self, gboolean busy)
{
  g_return_if_fail (TF_IS_ADD_CLIENT_DIALOG (self));

  gtk_widget_set_sensitive (self->fields, !busy);
  update_add (self);
}

void
tf_add_client_dialog_set_problem (TfAddClientDialog *self, const char *problem)
{
  g_return_if_fail (TF_IS_ADD_CLIENT_DIALOG (self));

  gtk_label_set_text (GTK_LABEL (self->problem), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->problem, problem != NULL);
}
