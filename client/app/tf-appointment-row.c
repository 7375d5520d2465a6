/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointment-row.c: one of the client's appointments
 * (tf-appointment-row.h); the widgets are the template
 * tf-appointment-row.ui.  tf-appointments-page.c says what it shows and
 * whether it may be cancelled.
 */
#define G_LOG_DOMAIN "tf-appointments"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-row.h"

struct _TfAppointmentRow
{
  AdwActionRow parent_instance;

  /* template (tf-appointment-row.ui) */
  GtkWidget   *cancel;
};

G_DEFINE_FINAL_TYPE (TfAppointmentRow, tf_appointment_row, ADW_TYPE_ACTION_ROW)

static void
tf_appointment_row_class_init (TfAppointmentRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-appointment-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfAppointmentRow, cancel);
}

static void
tf_appointment_row_init (TfAppointmentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_appointment_row_new (const char *id, const char *title, const char *subtitle,
                        gboolean upcoming, gboolean cancellable)
{
  g_autofree char *name = NULL;
  TfAppointmentRow *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  name = g_strdup_printf ("appointment-%s", id);
  self = g_object_new (TF_TYPE_APPOINTMENT_ROW, "name", name, "title", title, "subtitle",
                       subtitle, NULL);
  /* A cancellation ahead stays legible: the client must notice it. */
  if (!upcoming)
    gtk_widget_add_css_class (GTK_WIDGET (self), "dim-label");
  if (cancellable)
    {
      g_autofree char *cancel_name = g_strdup_printf ("appointment-cancel-%s", id);
      g_autofree char *label = g_strdup_printf (_("Cancel the appointment of %s"), title);

      /* Named and aimed only when offered: a hidden Cancel is not there. */
      gtk_widget_set_name (self->cancel, cancel_name);
      gtk_widget_set_tooltip_text (self->cancel, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->cancel),
                                              g_variant_new_string (id));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->cancel), "appointments.cancel");
      gtk_widget_set_visible (self->cancel, TRUE);
    }
  return GTK_WIDGET (self);
}
