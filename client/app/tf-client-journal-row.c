/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-client-journal-row.c: a journal entry a client shares
 * (tf-client-journal-row.h); the widgets are the template
 * tf-client-journal-row.ui.  An entry whose key has not come says so
 * instead of its text, and its title, encrypted like its text, is
 * "Untitled".
 */
#define G_LOG_DOMAIN "tf-client-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-client-journal-row.h"
#include "tf-form.h"

struct _TfClientJournalRow
{
  GtkListBoxRow parent_instance;

  /* template (tf-client-journal-row.ui) */
  GtkLabel     *heading;
  GtkLabel     *meta;
  GtkWidget    *unreadable;
  GtkLabel     *content;
};

G_DEFINE_FINAL_TYPE (TfClientJournalRow, tf_client_journal_row, GTK_TYPE_LIST_BOX_ROW)

static void
tf_client_journal_row_class_init (TfClientJournalRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-client-journal-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfClientJournalRow, heading);
  gtk_widget_class_bind_template_child (widget_class, TfClientJournalRow, meta);
  gtk_widget_class_bind_template_child (widget_class, TfClientJournalRow, unreadable);
  gtk_widget_class_bind_template_child (widget_class, TfClientJournalRow, content);
}

static void
tf_client_journal_row_init (TfClientJournalRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* When; the category; the mood then: those there are, between dots. */
static char *
describe (TfItem *entry, const char *when)
{
  const char *category = tf_item_get_string (entry, "category");
  gint64 mood = tf_item_get_int (entry, "mood_at_time", 0);
  GString *meta = g_string_new (when != NULL ? when : "");

  if (category != NULL && *category != '\0')
    g_string_append_printf (meta, "%s%s", meta->len > 0 ? " · " : "", category);
  if (mood > 0)
    {
      g_autofree char *mood_text = g_strdup_printf (_("Mood at the time: %d/10"), (int) mood);

      g_string_append_printf (meta, "%s%s", meta->len > 0 ? " · " : "", mood_text);
    }
  return g_string_free (meta, FALSE);
}

GtkWidget *
tf_client_journal_row_new (TfItem *entry, const char *when)
{
  const char *title, *content;
  g_autofree char *name = NULL, *meta = NULL;
  TfClientJournalRow *self;

  g_return_val_if_fail (entry != NULL, NULL);

  title = tf_item_get_string (entry, "title");
  if (title == NULL || *title == '\0')
    title = _("Untitled");
  content = tf_item_get_string (entry, "content");
  name = g_strdup_printf ("client-journal-%s", tf_item_get_id (entry));
  meta = describe (entry, when);
  self = g_object_new (TF_TYPE_CLIENT_JOURNAL_ROW, "name", name, NULL);
  gtk_label_set_label (self->heading, title);
  gtk_label_set_label (self->meta, meta);
  gtk_widget_set_visible (GTK_WIDGET (self->meta), *meta != '\0');
  if (tf_item_get_boolean (entry, "unreadable", FALSE))
    {
      gtk_widget_set_visible (self->unreadable, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->content), FALSE);
    }
  else
    gtk_label_set_label (self->content, content != NULL ? content : "");
  tf_form_label_accessibly (self, title);
  return GTK_WIDGET (self);
}
