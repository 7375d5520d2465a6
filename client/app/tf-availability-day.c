/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability-day.c: a weekday's row (template tf-availability-day.ui).
 * It holds no hours of its own: the editor (tf-availability-editor.c) adds
 * and removes the windows under it and writes their summary as its
 * subtitle.
 */
#define G_LOG_DOMAIN "tf-availability"

#include "config.h"

#include "tf-availability-day.h"

struct _TfAvailabilityDay
{
  AdwExpanderRow  parent_instance;

  GtkWidget      *add;
};

G_DEFINE_FINAL_TYPE (TfAvailabilityDay, tf_availability_day, ADW_TYPE_EXPANDER_ROW)

enum { ADD, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_add_clicked_cb (TfAvailabilityDay *self)
{
  g_signal_emit (self, signals[ADD], 0);
}

static void
tf_availability_day_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_AVAILABILITY_DAY);
  G_OBJECT_CLASS (tf_availability_day_parent_class)->dispose (object);
}

static void
tf_availability_day_class_init (TfAvailabilityDayClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_availability_day_dispose;
  signals[ADD] = g_signal_new ("add", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                               NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-availability-day.ui");
  gtk_widget_class_bind_template_child (widget_class, TfAvailabilityDay, add);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
}

static void
tf_availability_day_init (TfAvailabilityDay *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_availability_day_new (const char *title, const char *add_label)
{
  TfAvailabilityDay *self;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (add_label != NULL, NULL);

  self = g_object_new (TF_TYPE_AVAILABILITY_DAY, "title", title, NULL);
  gtk_widget_set_tooltip_text (self->add, add_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  add_label, -1);
  return GTK_WIDGET (self);
}

void
tf_availability_day_set_names (TfAvailabilityDay *self, const char *suffix)
{
  g_autofree char *name = NULL, *add = NULL;

  g_return_if_fail (TF_IS_AVAILABILITY_DAY (self));
  g_return_if_fail (suffix != NULL);

  name = g_strconcat ("availability-day-", suffix, NULL);
  add = g_strconcat ("availability-add-", suffix, NULL);
  gtk_widget_set_name (GTK_WIDGET (self), name);
  gtk_widget_set_name (self->add, add);
}
