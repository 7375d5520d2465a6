/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-addenda.c: a signed note's addenda and Add Addendum
 * (tf-note-addenda.h); its widgets are the template tf-note-addenda.ui.
 *
 * The list is the session's repository of the note's addenda
 * (tf_session_dup_addenda), so one added here, or arriving from another
 * device, shows without a refresh.  Adding goes through client/core
 * (tf_addendum_add) under an id chosen at the first try and kept through
 * failures, so trying again never adds a second one.
 */
#define G_LOG_DOMAIN "tf-note-addenda"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-addenda.h"
#include "tf-addendum-row.h"
#include "tf-form.h"
#include "tf-note-addenda.h"

struct _TfNoteAddenda
{
  GtkWidget     parent_instance;

  TfSession    *session;
  char         *note_id;
  char         *new_id;       /* the id the typed addendum is added under; NULL: none yet */
  TfRepository *addenda;

  /* template (tf-note-addenda.ui) */
  GtkWidget    *list;
  GtkWidget    *text;         /* GtkTextView */
  GtkWidget    *error;
};

G_DEFINE_FINAL_TYPE (TfNoteAddenda, tf_note_addenda, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
dup_text (TfNoteAddenda *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

gboolean
tf_note_addenda_has_text (TfNoteAddenda *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (TF_IS_NOTE_ADDENDA (self), FALSE);

  text = dup_text (self);
  return *text != '\0';
}

static void
update_add (TfNoteAddenda *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "addenda.add",
                                 self->note_id != NULL && tf_note_addenda_has_text (self));
}

static void
on_text_changed_cb (TfNoteAddenda *self)
{
  gtk_widget_set_visible (self->error, FALSE);
  update_add (self);
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  return tf_addendum_row_new (TF_ITEM (item));
}

static void
on_n_items_cb (TfNoteAddenda *self)
{
  gtk_widget_set_visible (self->list, self->addenda != NULL &&
                                      tf_repository_get_n_items (self->addenda) > 0);
}

static void
add_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TfNoteAddenda *self = TF_NOTE_ADDENDA (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = dup_text (self);

  if (self->session == NULL || self->note_id == NULL || *text == '\0')
    return;
  if (self->new_id == NULL)
    self->new_id = g_uuid_string_random ();
  if (!tf_addendum_add (tf_session_get_vault (self->session), self->new_id, self->note_id, text,
                        &error))
    {
      g_autofree char *message = g_strdup_printf (_("The addendum was not added: %s"),
                                                  error->message);

      gtk_label_set_text (GTK_LABEL (self->error), message);
      gtk_widget_set_visible (self->error, TRUE);
      g_signal_emit (self, signals[FAILED], 0, message);
      return;
    }
  g_clear_pointer (&self->new_id, g_free);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text)), "", -1);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Addendum added and signed"));
}

void
tf_note_addenda_set_note (TfNoteAddenda *self, TfSession *session, const char *note_id)
{
  g_return_if_fail (TF_IS_NOTE_ADDENDA (self));
  g_return_if_fail (session == NULL || TF_IS_SESSION (session));

  if (self->addenda != NULL)
    g_signal_handlers_disconnect_by_data (self->addenda, self);
  g_clear_object (&self->addenda);
  g_set_object (&self->session, session);
  if (g_strcmp0 (self->note_id, note_id) != 0)
    {
      g_clear_pointer (&self->new_id, g_free);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text)), "", -1);
    }
  g_free (self->note_id);
  self->note_id = g_strdup (note_id);
  if (session != NULL && note_id != NULL)
    self->addenda = tf_session_dup_addenda (session, note_id);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list),
                           self->addenda ? G_LIST_MODEL (self->addenda) : NULL,
                           create_row, NULL, NULL);
  if (self->addenda != NULL)
    g_signal_connect_swapped (self->addenda, "notify::n-items", G_CALLBACK (on_n_items_cb), self);
  gtk_widget_set_visible (self->error, FALSE);
  on_n_items_cb (self);
  update_add (self);
}

static void
tf_note_addenda_dispose (GObject *object)
{
  TfNoteAddenda *self = TF_NOTE_ADDENDA (object);

  if (self->addenda != NULL)
    g_signal_handlers_disconnect_by_data (self->addenda, self);
  if (self->list != NULL)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list), NULL, NULL, NULL, NULL);
  g_clear_object (&self->addenda);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_NOTE_ADDENDA);
  tf_form_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->session);
  g_clear_pointer (&self->note_id, g_free);
  g_clear_pointer (&self->new_id, g_free);
  G_OBJECT_CLASS (tf_note_addenda_parent_class)->dispose (object);
}

static void
tf_note_addenda_class_init (TfNoteAddendaClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_note_addenda_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-note-addenda.ui");
  gtk_widget_class_bind_template_child (widget_class, TfNoteAddenda, list);
  gtk_widget_class_bind_template_child (widget_class, TfNoteAddenda, text);
  gtk_widget_class_bind_template_child (widget_class, TfNoteAddenda, error);
  gtk_widget_class_install_action (widget_class, "addenda.add", NULL, add_activated);
}

static void
tf_note_addenda_init (TfNoteAddenda *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text)), "changed",
                            G_CALLBACK (on_text_changed_cb), self);
  update_add (self);
}
