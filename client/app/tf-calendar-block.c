/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-calendar-block.c: an appointment in the calendar
 * (tf-calendar-block.h); the widgets are the template tf-calendar-block.ui.
 * The popover is made when the block is opened, from the appointment as
 * the block last had it, so a block that is never opened costs no more
 * than its labels.
 */
#define G_LOG_DOMAIN "tf-schedule-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-popover.h"
#include "tf-booking.h"
#include "tf-calendar-block.h"
#include "tf-time.h"

struct _TfCalendarBlock
{
  GtkWidget  parent_instance;
  TfItem    *item;
  GTimeZone *zone;
  GDateTime *start;     /* in zone */
  int        duration;  /* minutes */

  /* template (tf-calendar-block.ui) */
  GtkWidget *button;
  GtkWidget *box;
  GtkLabel  *time;
  GtkWidget *repeats;
  GtkLabel  *client;
  GtkLabel  *status;
};

G_DEFINE_FINAL_TYPE (TfCalendarBlock, tf_calendar_block, GTK_TYPE_WIDGET)

static void
tf_calendar_block_dispose (GObject *object)
{
  TfCalendarBlock *self = TF_CALENDAR_BLOCK (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CALENDAR_BLOCK);
  g_clear_object (&self->item);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->start, g_date_time_unref);
  G_OBJECT_CLASS (tf_calendar_block_parent_class)->dispose (object);
}

/* A block is as tall as its appointment is long, however many lines its
 * words take: it asks for no least size and cuts off what does not fit
 * (the tooltip and the accessible label say it all). */
static void
tf_calendar_block_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline,
                           int *natural_baseline)
{
  TfCalendarBlock *self = TF_CALENDAR_BLOCK (widget);

  gtk_widget_measure (self->button, orientation, -1, NULL, natural, NULL, NULL);
  *minimum = 0;
}

static void
tf_calendar_block_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TfCalendarBlock *self = TF_CALENDAR_BLOCK (widget);
  int min_width, min_height;

  gtk_widget_measure (self->button, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (self->button, GTK_ORIENTATION_VERTICAL, MAX (width, min_width), &min_height,
                      NULL, NULL, NULL);
  gtk_widget_allocate (self->button, MAX (width, min_width), MAX (height, min_height), -1, NULL);
}

static void
tf_calendar_block_class_init (TfCalendarBlockClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_calendar_block_dispose;
  widget_class->measure = tf_calendar_block_measure;
  widget_class->size_allocate = tf_calendar_block_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "calendar-block");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-calendar-block.ui");
  gtk_widget_class_bind_template_child (widget_class, TfCalendarBlock, button);
  gtk_widget_class_bind_template_child (widget_class, TfCalendarBlock, box);
  gtk_widget_class_bind_template_child (widget_class, TfCalendarBlock, time);
  gtk_widget_class_bind_template_child (widget_class, TfCalendarBlock, repeats);
  gtk_widget_class_bind_template_child (widget_class, TfCalendarBlock, client);
  gtk_widget_class_bind_template_child (widget_class, TfCalendarBlock, status);
}

static void
tf_calendar_block_init (TfCalendarBlock *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

static void
create_popover (GtkMenuButton *button, gpointer data)
{
  TfCalendarBlock *self = data;

  gtk_menu_button_set_popover (button,
                               tf_appointment_popover_new (tf_item_get_plain (self->item),
                                                           self->zone));
}

GtkWidget *
tf_calendar_block_new (TfItem *item, GTimeZone *zone, const char *prefix, gboolean compact)
{
  g_autoptr(GDateTime) utc = NULL, end = NULL;
  g_autofree char *name = NULL, *from = NULL, *to = NULL, *time = NULL, *label = NULL;
  const char *status, *client, *series;
  TfCalendarBlock *self;

  g_return_val_if_fail (TF_IS_ITEM (item), NULL);
  g_return_val_if_fail (zone != NULL, NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  utc = tf_time_parse_timestamp (tf_item_get_string (item, "appointment_datetime"), NULL);
  g_return_val_if_fail (utc != NULL, NULL);

  name = g_strdup_printf ("%s-%s", prefix, tf_item_get_id (item));
  self = g_object_new (TF_TYPE_CALENDAR_BLOCK, "name", name, NULL);
  self->item = g_object_ref (item);
  self->zone = g_time_zone_ref (zone);
  self->start = g_date_time_to_timezone (utc, zone);
  self->duration = (int) tf_item_get_int (item, "duration", TF_BOOKING_DEFAULT_DURATION);
  if (self->duration <= 0)
    self->duration = TF_BOOKING_DEFAULT_DURATION;
  end = g_date_time_add_minutes (self->start, self->duration);
  from = g_date_time_format (self->start, "%H:%M");
  to = g_date_time_format (end, "%H:%M");
  status = tf_item_get_string (item, "status");
  client = tf_item_get_string (item, "client_name");
  if (client == NULL)
    client = _("Unknown client");

  time = compact ? g_strdup_printf ("%s %s", from, client) : g_strdup_printf ("%s–%s", from, to);
  gtk_label_set_text (self->time, time);
  gtk_label_set_text (self->client, client);
  gtk_label_set_text (self->status, tf_appointment_status_label (status));
  gtk_widget_set_visible (GTK_WIDGET (self->client), !compact);
  gtk_widget_set_visible (GTK_WIDGET (self->status), !compact);
  if (status != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), status);
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");

  series = tf_item_get_string (item, "series_id");
  gtk_widget_set_visible (self->repeats, series != NULL && *series != '\0');

  /* What a screen reader says, and what a cut-off block still tells. */
  /* TRANSLATORS: an appointment in the calendar: its times, the client, the status. */
  label = g_strdup_printf (_("%s–%s, %s, %s"), from, to, client,
                           tf_appointment_status_label (status));
  if (series != NULL && *series != '\0')
    {
      /* TRANSLATORS: an appointment in the calendar, and that it repeats. */
      char *full = g_strdup_printf (_("%s, part of a repeating series"), label);

      g_free (label);
      label = full;
    }
  gtk_widget_set_tooltip_text (self->button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->button), create_popover, self,
                                         NULL);
  return GTK_WIDGET (self);
}

TfItem *
tf_calendar_block_get_item (TfCalendarBlock *self)
{
  g_return_val_if_fail (TF_IS_CALENDAR_BLOCK (self), NULL);

  return self->item;
}

GDateTime *
tf_calendar_block_get_start (TfCalendarBlock *self)
{
  g_return_val_if_fail (TF_IS_CALENDAR_BLOCK (self), NULL);

  return self->start;
}

int
tf_calendar_block_get_duration (TfCalendarBlock *self)
{
  g_return_val_if_fail (TF_IS_CALENDAR_BLOCK (self), 0);

  return self->duration;
}

void
tf_calendar_block_open (TfCalendarBlock *self)
{
  g_return_if_fail (TF_IS_CALENDAR_BLOCK (self));

  gtk_menu_button_popup (GTK_MENU_BUTTON (self->button));
}
