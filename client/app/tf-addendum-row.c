/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-addendum-row.c: an addendum under a signed note (tf-addendum-row.h);
 * its widgets are the template tf-addendum-row.ui.  The whole text is the
 * subtitle: an addendum is read, not opened.
 */
#define G_LOG_DOMAIN "tf-notes-view"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-addendum-row.h"
#include "tf-form.h"

struct _TfAddendumRow
{
  AdwActionRow parent_instance;

  /* template (tf-addendum-row.ui) */
  GtkWidget   *locked;      /* the key is not here */
  GtkWidget   *unverified;  /* the signature does not verify */
};

G_DEFINE_FINAL_TYPE (TfAddendumRow, tf_addendum_row, ADW_TYPE_ACTION_ROW)

static void
tf_addendum_row_class_init (TfAddendumRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-addendum-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfAddendumRow, locked);
  gtk_widget_class_bind_template_child (widget_class, TfAddendumRow, unverified);
}

static void
tf_addendum_row_init (TfAddendumRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_addendum_row_new (TfItem *addendum)
{
  g_autofree char *name = NULL, *title = NULL, *when = NULL;
  const char *locked_at, *content;
  gboolean verifies;
  TfAddendumRow *self;

  g_return_val_if_fail (TF_IS_ITEM (addendum), NULL);

  name = g_strdup_printf ("addendum-%s", tf_item_get_id (addendum));
  self = g_object_new (TF_TYPE_ADDENDUM_ROW, "name", name, NULL);
  locked_at = tf_item_get_string (addendum, "locked_at");
  when = tf_form_format_local (locked_at, "%x %H:%M");
  /* TRANSLATORS: the heading of an addendum: when it was added and signed */
  title = g_strdup_printf (_("Addendum, signed %s"), when ? when : locked_at ? locked_at : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  if (tf_item_get_boolean (addendum, "unreadable", FALSE))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                                   _("This addendum cannot be opened on this device: its key "
                                     "is not here."));
      gtk_widget_set_visible (self->locked, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "dim-label");
      return GTK_WIDGET (self);
    }
  content = tf_item_get_string (addendum, "content");
  verifies = tf_item_get_boolean (addendum, "signature_valid", FALSE);
  if (!verifies)
    {
      g_autofree char *subtitle =
        g_strdup_printf ("%s\n%s", _("The signature does not verify: it may have been changed "
                                     "after it was signed."), content ? content : "");

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), content ? content : "");
  gtk_widget_set_visible (self->unverified, !verifies);
  return GTK_WIDGET (self);
}
