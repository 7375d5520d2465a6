/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointment-popover.c: an appointment opened from the calendar
 * (tf-appointment-popover.h); the widgets are the template
 * tf-appointment-popover.ui.  The popover is a child of the block it opens
 * from, so its buttons find the Schedule page's actions among their
 * ancestors; a button pressed closes it, and the block it belongs to is
 * made again when the change is stored.
 */
#define G_LOG_DOMAIN "tf-schedule-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-info.h"
#include "tf-appointment-popover.h"
#include "tf-booking.h"
#include "tf-schedule-row.h"
#include "tf-time.h"

struct _TfAppointmentPopover
{
  GtkPopover parent_instance;

  /* template (tf-appointment-popover.ui) */
  GtkLabel  *name;
  GtkLabel  *when;
  GtkLabel  *status;
  GtkLabel  *place;
  GtkWidget *series;
  GtkLabel  *note;
  GtkLabel  *reason;
  GtkWidget *buttons;
  GtkWidget *confirm;
  GtkWidget *complete;
  GtkWidget *move;
  GtkWidget *no_show;
  GtkWidget *late;
  GtkWidget *cancel;
};

G_DEFINE_FINAL_TYPE (TfAppointmentPopover, tf_appointment_popover, GTK_TYPE_POPOVER)

static void
tf_appointment_popover_class_init (TfAppointmentPopoverClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-appointment-popover.ui");
#define BIND(child) \
  gtk_widget_class_bind_template_child (widget_class, TfAppointmentPopover, child)
  BIND (name);
  BIND (when);
  BIND (status);
  BIND (place);
  BIND (series);
  BIND (note);
  BIND (reason);
  BIND (buttons);
  BIND (confirm);
  BIND (complete);
  BIND (move);
  BIND (no_show);
  BIND (late);
  BIND (cancel);
#undef BIND
}

static void
tf_appointment_popover_init (TfAppointmentPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The action runs, then the popover goes (the page's dialog for a
 * cancellation's reason is a window of its own). */
static void
on_button_clicked_cb (GtkButton *button, TfAppointmentPopover *self)
{
  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
offer (TfAppointmentPopover *self, GtkWidget *button, const char *action, const char *id)
{
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_button_clicked_cb), self,
                           G_CONNECT_AFTER);
  gtk_widget_set_visible (button, TRUE);
}

/* "Monday 26 October 2026 · 10:00–10:50", in @zone. */
static char *
format_when (JsonObject *appointment, GTimeZone *zone)
{
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (tf_json_get_string (appointment,
                                                                          "appointment_datetime"),
                                                      NULL);
  g_autoptr(GDateTime) start = NULL, end = NULL;
  g_autofree char *day = NULL, *from = NULL, *to = NULL;
  gint64 minutes = json_object_get_int_member_with_default (appointment, "duration",
                                                           TF_BOOKING_DEFAULT_DURATION);

  if (utc == NULL)
    return g_strdup ("");
  start = g_date_time_to_timezone (utc, zone);
  end = g_date_time_add_minutes (start, (int) minutes);
  day = g_date_time_format (start, "%A %-d %B %Y");
  from = g_date_time_format (start, "%H:%M");
  to = g_date_time_format (end, "%H:%M");
  /* TRANSLATORS: an appointment's day, its start and its end. */
  return g_strdup_printf (_("%s · %s–%s"), day, from, to);
}

GtkWidget *
tf_appointment_popover_new (JsonObject *appointment, GTimeZone *zone)
{
  TfAppointmentPopover *self;
  const char *id, *name, *note, *reason;
  g_autofree char *when = NULL;
  TfScheduleRowOffers offers;
  gboolean any;

  g_return_val_if_fail (appointment != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);

  self = g_object_new (TF_TYPE_APPOINTMENT_POPOVER, NULL);
  id = tf_json_get_string (appointment, "id");
  name = tf_json_get_string (appointment, "client_name");
  note = tf_json_get_string (appointment, "notes_for_therapist");
  reason = tf_json_get_string (appointment, "cancellation_reason");
  when = format_when (appointment, zone);
  gtk_label_set_text (self->name, name != NULL ? name : _("Unknown client"));
  gtk_label_set_text (self->when, when);
  gtk_label_set_text (self->status,
                      tf_appointment_status_label (tf_json_get_string (appointment, "status")));
  {
    g_autofree char *place = tf_appointment_dup_place (appointment, NULL);
    const char *series = tf_json_get_string (appointment, "series_id");

    gtk_widget_set_visible (self->series, series != NULL && *series != '\0');

    if (place != NULL)
      {
        gtk_label_set_text (self->place, place);
        gtk_widget_set_visible (GTK_WIDGET (self->place), TRUE);
      }
  }
  if (note != NULL && *note != '\0')
    gtk_label_set_text (self->note, note);
  else
    {
      gtk_label_set_text (self->note, _("The client left no note."));
      gtk_widget_add_css_class (GTK_WIDGET (self->note), "dim-label");
    }
  if (reason != NULL && *reason != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Reason for cancelling: %s"), reason);

      gtk_label_set_text (self->reason, text);
      gtk_widget_set_visible (GTK_WIDGET (self->reason), TRUE);
    }

  offers = id != NULL ? tf_schedule_row_offers_for (appointment) : 0;
  if (offers & TF_SCHEDULE_ROW_CONFIRM)
    offer (self, self->confirm, "schedule.confirm", id);
  if (offers & TF_SCHEDULE_ROW_COMPLETE)
    offer (self, self->complete, "schedule.complete", id);
  if (offers & TF_SCHEDULE_ROW_MOVE)
    offer (self, self->move, "appointment.move", id);
  if (offers & TF_SCHEDULE_ROW_NO_SHOW)
    offer (self, self->no_show, "schedule.no-show", id);
  if (offers & TF_SCHEDULE_ROW_LATE)
    offer (self, self->late, "schedule.late-cancel", id);
  if (offers & TF_SCHEDULE_ROW_CANCEL)
    offer (self, self->cancel, "schedule.cancel", id);
  any = offers != 0;
  /* Online with its link: Join, first, while it can still be held. */
  if (tf_booking_may_become (tf_json_get_string (appointment, "status"), "cancelled"))
    {
      GtkWidget *join = tf_appointment_join_button_new (appointment);

      if (join != NULL)
        {
          gtk_widget_add_css_class (join, "suggested-action");
          g_signal_connect_object (join, "clicked", G_CALLBACK (on_button_clicked_cb), self,
                                   G_CONNECT_AFTER);
          gtk_box_prepend (GTK_BOX (self->buttons), join);
          any = TRUE;
        }
    }
  gtk_widget_set_visible (self->buttons, any);
  return GTK_WIDGET (self);
}
