/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-text-field.c: a titled field of free text (template tf-text-field.ui).
 * The title and the hint are the field's own words, set once it is made;
 * what the text means and when it is saved is the form's.
 */
#define G_LOG_DOMAIN "tf-form"

#include "config.h"

#include "tf-form.h"
#include "tf-text-field.h"

struct _TfTextField
{
  GtkWidget    parent_instance;

  GtkLabel    *title;
  GtkLabel    *hint;
  GtkTextView *view;
};

G_DEFINE_FINAL_TYPE (TfTextField, tf_text_field, GTK_TYPE_WIDGET)

static void
tf_text_field_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_TEXT_FIELD);
  tf_form_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (tf_text_field_parent_class)->dispose (object);
}

static void
tf_text_field_class_init (TfTextFieldClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_text_field_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-text-field.ui");
  gtk_widget_class_bind_template_child (widget_class, TfTextField, title);
  gtk_widget_class_bind_template_child (widget_class, TfTextField, hint);
  gtk_widget_class_bind_template_child (widget_class, TfTextField, view);
}

static void
tf_text_field_init (TfTextField *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_text_field_new (const char *name, const char *title, const char *hint, int height)
{
  TfTextField *self;

  g_return_val_if_fail (name != NULL && title != NULL, NULL);

  self = g_object_new (TF_TYPE_TEXT_FIELD, NULL);
  gtk_label_set_text (self->title, title);
  gtk_widget_set_name (GTK_WIDGET (self->view), name);
  gtk_widget_set_size_request (GTK_WIDGET (self->view), -1, height);
  tf_form_label_accessibly (self->view, title);
  if (hint != NULL)
    {
      gtk_label_set_text (self->hint, hint);
      gtk_widget_set_visible (GTK_WIDGET (self->hint), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hint, -1);
    }
  return GTK_WIDGET (self);
}

GtkTextView *
tf_text_field_get_view (TfTextField *self)
{
  g_return_val_if_fail (TF_IS_TEXT_FIELD (self), NULL);

  return self->view;
}
