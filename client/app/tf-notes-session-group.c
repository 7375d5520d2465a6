/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notes-session-group.c: a session and its notes in a client's Notes
 * (tf-notes-session-group.h); its widgets are the template
 * tf-notes-session-group.ui.  The notes view says which notes it holds
 * and what New Note opens.
 */
#define G_LOG_DOMAIN "tf-notes-view"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-notes-session-group.h"

struct _TfNotesSessionGroup
{
  AdwPreferencesGroup parent_instance;

  char               *appointment_id;

  /* template (tf-notes-session-group.ui) */
  GtkWidget          *add;
  GtkWidget          *record;
  GtkListBox         *list;
};

G_DEFINE_FINAL_TYPE (TfNotesSessionGroup, tf_notes_session_group, ADW_TYPE_PREFERENCES_GROUP)

enum { SIGNAL_NEW_NOTE, SIGNAL_RECORD, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_add_clicked_cb (TfNotesSessionGroup *self)
{
  g_signal_emit (self, signals[SIGNAL_NEW_NOTE], 0);
}

static void
record_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_RECORD], 0);
}

static void
tf_notes_session_group_finalize (GObject *object)
{
  g_free (TF_NOTES_SESSION_GROUP (object)->appointment_id);
  G_OBJECT_CLASS (tf_notes_session_group_parent_class)->finalize (object);
}

static void
tf_notes_session_group_class_init (TfNotesSessionGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_notes_session_group_finalize;
  /* New Note was clicked: a note of this session is to be written. */
  signals[SIGNAL_NEW_NOTE] = g_signal_new ("new-note", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /* Session Record: its record is to be kept (tf-session-record-dialog.h). */
  signals[SIGNAL_RECORD] = g_signal_new ("record", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
  gtk_widget_class_install_action (widget_class, "session-group.record", NULL,
                                   record_activated);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-notes-session-group.ui");
  gtk_widget_class_bind_template_child (widget_class, TfNotesSessionGroup, add);
  gtk_widget_class_bind_template_child (widget_class, TfNotesSessionGroup, record);
  gtk_widget_class_bind_template_child (widget_class, TfNotesSessionGroup, list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
}

static void
tf_notes_session_group_init (TfNotesSessionGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_notes_session_group_new (const char *appointment_id, const char *title,
                            const char *description)
{
  g_autofree char *name = NULL, *new_name = NULL, *add_label = NULL;
  g_autofree char *record_name = NULL, *record_label = NULL;
  TfNotesSessionGroup *self;

  g_return_val_if_fail (appointment_id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  name = g_strdup_printf ("notes-session-%s", appointment_id);
  new_name = g_strdup_printf ("notes-new-%s", appointment_id);
  add_label = g_strdup_printf (_("New note for the session of %s"), title);
  self = g_object_new (TF_TYPE_NOTES_SESSION_GROUP, "name", name, "title", title,
                       "description", description, NULL);
  self->appointment_id = g_strdup (appointment_id);
  gtk_widget_set_name (self->add, new_name);
  gtk_widget_set_tooltip_text (self->add, add_label);
  tf_form_label_accessibly (self->add, add_label);
  record_name = g_strdup_printf ("notes-record-%s", appointment_id);
  record_label = g_strdup_printf (_("Session record of %s"), title);
  gtk_widget_set_name (self->record, record_name);
  gtk_widget_set_tooltip_text (self->record, record_label);
  tf_form_label_accessibly (self->record, record_label);
  tf_form_label_accessibly (self->list, title);
  return GTK_WIDGET (self);
}

void
tf_notes_session_group_append (TfNotesSessionGroup *self, GtkWidget *row)
{
  g_return_if_fail (TF_IS_NOTES_SESSION_GROUP (self));
  g_return_if_fail (GTK_IS_LIST_BOX_ROW (row));

  gtk_list_box_append (self->list, row);
}

const char *
tf_notes_session_group_get_appointment_id (TfNotesSessionGroup *self)
{
  g_return_val_if_fail (TF_IS_NOTES_SESSION_GROUP (self), NULL);

  return self->appointment_id;
}
