/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-removable-row.c: a row of a list the user adds to and takes from
 * (tf-removable-row.h); its widgets are the template tf-removable-row.ui.
 * The row knows nothing of what it shows: its list's owner says what it
 * shows and what "remove" takes out.
 */
#define G_LOG_DOMAIN "tf-app"

#include "config.h"

#include "tf-form.h"
#include "tf-removable-row.h"

struct _TfRemovableRow
{
  AdwActionRow parent_instance;

  /* template (tf-removable-row.ui) */
  GtkWidget   *remove;
  GtkWidget   *add;
};

G_DEFINE_FINAL_TYPE (TfRemovableRow, tf_removable_row, ADW_TYPE_ACTION_ROW)

enum { SIGNAL_REMOVE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_remove_clicked_cb (TfRemovableRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

static void
tf_removable_row_class_init (TfRemovableRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* The row's remove button was clicked. */
  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-removable-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfRemovableRow, remove);
  gtk_widget_class_bind_template_child (widget_class, TfRemovableRow, add);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
}

static void
tf_removable_row_init (TfRemovableRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static TfRemovableRow *
removable_row_new (const char *name, const char *title, const char *subtitle)
{
  TfRemovableRow *self = g_object_new (TF_TYPE_REMOVABLE_ROW, "name", name, "title", title,
                                      NULL);

  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  return self;
}

GtkWidget *
tf_removable_row_new (const char *name, const char *title, const char *subtitle,
                      const char *remove_name, const char *remove_label)
{
  TfRemovableRow *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (remove_name != NULL, NULL);
  g_return_val_if_fail (remove_label != NULL, NULL);

  self = removable_row_new (name, title, subtitle);
  gtk_widget_set_name (self->remove, remove_name);
  gtk_widget_set_tooltip_text (self->remove, remove_label);
  tf_form_label_accessibly (self->remove, remove_label);
  return GTK_WIDGET (self);
}

GtkWidget *
tf_removable_row_new_suggestion (const char *name, const char *title, const char *subtitle)
{
  TfRemovableRow *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = removable_row_new (name, title, subtitle);
  gtk_widget_set_visible (self->remove, FALSE);
  gtk_widget_set_visible (self->add, TRUE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
  return GTK_WIDGET (self);
}
