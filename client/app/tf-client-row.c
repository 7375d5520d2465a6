/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-client-row.c: a client of the therapist's Clients list
 * (tf-client-row.h); its widgets are the template tf-client-row.ui.  The
 * row keeps the client's id, for the page to open (the search filters the
 * page's list, not the rows).
 */
#define G_LOG_DOMAIN "tf-clients-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-client-row.h"
#include "tf-form.h"
#include "tf-text.h"

struct _TfClientRow
{
  AdwActionRow parent_instance;

  char        *client_id;

  /* template (tf-client-row.ui) */
  GtkWidget   *ended;  /* NULL on an active client's row */
};

G_DEFINE_FINAL_TYPE (TfClientRow, tf_client_row, ADW_TYPE_ACTION_ROW)

static void
tf_client_row_finalize (GObject *object)
{
  TfClientRow *self = TF_CLIENT_ROW (object);

  g_free (self->client_id);
  G_OBJECT_CLASS (tf_client_row_parent_class)->finalize (object);
}

static void
tf_client_row_class_init (TfClientRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_client_row_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-client-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfClientRow, ended);
}

static void
tf_client_row_init (TfClientRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_client_row_new (const char *client_id, const char *name, gboolean active, const char *stamp)
{
  g_autofree char *row_name = NULL, *date = NULL, *subtitle = NULL;
  TfClientRow *self;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  row_name = g_strdup_printf ("client-%s", client_id);
  date = tf_form_format_local (stamp, "%x");
  if (active)
    subtitle = date ? g_strdup_printf (_("In care since %s"), date) : NULL;
  else
    subtitle = date ? g_strdup_printf (_("Care ended on %s"), date) : g_strdup (_("Care ended"));
  self = g_object_new (TF_TYPE_CLIENT_ROW, "name", row_name, "title", name, NULL);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  /* Gone, not hidden: an active client's row has no "Ended" to find. */
  if (active)
    {
      adw_action_row_remove (ADW_ACTION_ROW (self), self->ended);
      self->ended = NULL;
    }
  self->client_id = g_strdup (client_id);
  return GTK_WIDGET (self);
}

const char *
tf_client_row_get_client_id (TfClientRow *self)
{
  g_return_val_if_fail (TF_IS_CLIENT_ROW (self), NULL);

  return self->client_id;
}
