/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-entry-row.c: a row that sums up one of the user's entries
 * (tf-entry-row.h); its widgets are the template tf-entry-row.ui.  What
 * the title and subtitle say is the page's; the row holds the entry, for
 * the page to open when it is activated.
 */
#define G_LOG_DOMAIN "tf-app"

#include "config.h"

#include "tf-entry-row.h"

struct _TfEntryRow
{
  AdwActionRow parent_instance;

  TfItem      *item;

  /* template (tf-entry-row.ui) */
  GtkWidget   *opens;
};

G_DEFINE_FINAL_TYPE (TfEntryRow, tf_entry_row, ADW_TYPE_ACTION_ROW)

static void
tf_entry_row_dispose (GObject *object)
{
  g_clear_object (&TF_ENTRY_ROW (object)->item);
  G_OBJECT_CLASS (tf_entry_row_parent_class)->dispose (object);
}

static void
tf_entry_row_class_init (TfEntryRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_entry_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-entry-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfEntryRow, opens);
}

static void
tf_entry_row_init (TfEntryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_entry_row_new (TfItem *item, const char *title, const char *subtitle, int subtitle_lines,
                  gboolean opens)
{
  TfEntryRow *self;

  g_return_val_if_fail (TF_IS_ITEM (item), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (TF_TYPE_ENTRY_ROW, "title", title, "subtitle", subtitle,
                       "subtitle-lines", subtitle_lines, NULL);
  self->item = g_object_ref (item);
  gtk_widget_set_visible (self->opens, opens);
  return GTK_WIDGET (self);
}

TfItem *
tf_entry_row_get_item (TfEntryRow *self)
{
  g_return_val_if_fail (TF_IS_ENTRY_ROW (self), NULL);

  return self->item;
}
