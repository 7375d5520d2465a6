/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-day.c: a day of the Schedule page's week
 * (tf-schedule-day.h); the widgets are the template tf-schedule-day.ui.
 */
#define G_LOG_DOMAIN "tf-schedule-page"

#include "config.h"

#include "tf-schedule-day.h"

struct _TfScheduleDay
{
  GtkBox      parent_instance;

  /* template (tf-schedule-day.ui) */
  GtkLabel   *heading;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TfScheduleDay, tf_schedule_day, GTK_TYPE_BOX)

static void
tf_schedule_day_class_init (TfScheduleDayClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-schedule-day.ui");
  gtk_widget_class_bind_template_child (widget_class, TfScheduleDay, heading);
  gtk_widget_class_bind_template_child (widget_class, TfScheduleDay, list);
}

static void
tf_schedule_day_init (TfScheduleDay *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_schedule_day_new (GDateTime *date)
{
  g_autofree char *heading = NULL;
  TfScheduleDay *self;

  g_return_val_if_fail (date != NULL, NULL);

  heading = g_date_time_format (date, "%A %-d %B");
  self = g_object_new (TF_TYPE_SCHEDULE_DAY, NULL);
  gtk_label_set_label (self->heading, heading);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  heading, -1);
  return GTK_WIDGET (self);
}

void
tf_schedule_day_append (TfScheduleDay *self, GtkWidget *row)
{
  g_return_if_fail (TF_IS_SCHEDULE_DAY (self));
  g_return_if_fail (GTK_IS_WIDGET (row));

  gtk_list_box_append (self->list, row);
}
