/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-slot-button.c: a free time of the booking form (tf-slot-button.h);
 * the template is tf-slot-button.ui.  The booking page groups the day's
 * buttons and follows which is active.
 */
#define G_LOG_DOMAIN "tf-appointments"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-slot-button.h"
#include "tf-time.h"

struct _TfSlotButton
{
  GtkToggleButton parent_instance;
  char           *start;  /* the stored timestamp */
};

G_DEFINE_FINAL_TYPE (TfSlotButton, tf_slot_button, GTK_TYPE_TOGGLE_BUTTON)

static void
tf_slot_button_finalize (GObject *object)
{
  TfSlotButton *self = TF_SLOT_BUTTON (object);

  g_free (self->start);
  G_OBJECT_CLASS (tf_slot_button_parent_class)->finalize (object);
}

static void
tf_slot_button_class_init (TfSlotButtonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_slot_button_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-slot-button.ui");
}

static void
tf_slot_button_init (TfSlotButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_slot_button_new (GDateTime *start)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *label = NULL, *name = NULL, *description = NULL;
  TfSlotButton *self;

  g_return_val_if_fail (start != NULL, NULL);

  local = g_date_time_to_local (start);
  label = g_date_time_format (local, "%H:%M");
  name = g_strdup_printf ("slot-%s", label);
  description = g_strdup_printf (_("Free time at %s"), label);
  self = g_object_new (TF_TYPE_SLOT_BUTTON, "label", label, "name", name, "tooltip-text",
                       description, NULL);
  self->start = tf_time_format_timestamp (start);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
  return GTK_WIDGET (self);
}

const char *
tf_slot_button_get_start (TfSlotButton *self)
{
  g_return_val_if_fail (TF_IS_SLOT_BUTTON (self), NULL);
  return self->start;
}
