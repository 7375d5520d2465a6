/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-section-group.c: one section of a session note in the note
 * editor (tf-note-editor.c) — the section's title and hint as the group's,
 * and a text view named for the section's key, which the editor reads back
 * by key when it saves or when the approach changes.
 */
#define G_LOG_DOMAIN "tf-note-editor"

#include "config.h"

#include "tf-form.h"
#include "tf-note-section-group.h"

struct _TfNoteSectionGroup
{
  AdwPreferencesGroup  parent_instance;
  char                *key;

  /* template (tf-note-section-group.ui) */
  GtkWidget           *view;   /* GtkTextView */
};

G_DEFINE_FINAL_TYPE (TfNoteSectionGroup, tf_note_section_group, ADW_TYPE_PREFERENCES_GROUP)

static void
tf_note_section_group_finalize (GObject *object)
{
  TfNoteSectionGroup *self = TF_NOTE_SECTION_GROUP (object);

  g_free (self->key);
  G_OBJECT_CLASS (tf_note_section_group_parent_class)->finalize (object);
}

static void
tf_note_section_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_NOTE_SECTION_GROUP);
  G_OBJECT_CLASS (tf_note_section_group_parent_class)->dispose (object);
}

static void
tf_note_section_group_class_init (TfNoteSectionGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_note_section_group_finalize;
  G_OBJECT_CLASS (klass)->dispose = tf_note_section_group_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-note-section-group.ui");
  gtk_widget_class_bind_template_child (widget_class, TfNoteSectionGroup, view);
}

static void
tf_note_section_group_init (TfNoteSectionGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_note_section_group_new (const char *key, const char *title, const char *hint,
                           const char *text)
{
  TfNoteSectionGroup *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (TF_TYPE_NOTE_SECTION_GROUP, "title", title, "description", hint, NULL);
  self->key = g_strdup (key);
  name = g_strdup_printf ("note-section-%s", key);
  gtk_widget_set_name (self->view, name);
  tf_form_label_accessibly (self->view, title);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view)),
                            text ? text : "", -1);
  return GTK_WIDGET (self);
}

const char *
tf_note_section_group_get_key (TfNoteSectionGroup *self)
{
  g_return_val_if_fail (TF_IS_NOTE_SECTION_GROUP (self), NULL);
  return self->key;
}

GtkTextView *
tf_note_section_group_get_view (TfNoteSectionGroup *self)
{
  g_return_val_if_fail (TF_IS_NOTE_SECTION_GROUP (self), NULL);
  return GTK_TEXT_VIEW (self->view);
}

char *
tf_note_section_group_dup_text (TfNoteSectionGroup *self)
{
  g_return_val_if_fail (TF_IS_NOTE_SECTION_GROUP (self), NULL);
  return tf_form_dup_text (GTK_TEXT_VIEW (self->view));
}

void
tf_note_section_group_set_editable (TfNoteSectionGroup *self, gboolean editable)
{
  g_return_if_fail (TF_IS_NOTE_SECTION_GROUP (self));
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->view), editable);
}
