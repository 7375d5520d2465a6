/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-page.c: a therapist's calendar, the week's list, and the
 * changes of an appointment.
 *
 * The calendar's day, week and month views and what moves them are
 * tf-schedule-calendar.c.  The list view lists a week (Monday to Sunday,
 * in the therapist's zone): the session's live list of its days
 * (tf_session_dup_week,
 * tf-schedule-week.h, each day with its appointments and the clients'
 * names), bound to the box of days (tf_box_bind_model).  An appointment or
 * a name that arrives with a sync, or that the CLI writes, changes its own
 * day and the others stay; the page wires no refresh of its own.  A status change
 * writes the appointment's whole plain record again, as the registry wants
 * it: a cancellation carries its reason, who cancelled and when
 * (appointment_rule refuses it otherwise), and every change its updated_at.
 *
 * Which changes are offered follows the appointment's life:
 *   pending   → confirmed | cancelled
 *   confirmed → completed | no_show (once it has started) | cancelled
 * and the page checks the stored status again before writing, since a sync
 * may have changed it since the row was drawn.
 *
 * Beside the calendar, one click away each, are the weekly hours and blocked
 * dates (TfAvailabilityEditor) and the services and prices
 * (TfServicesEditor).  The three views are the template
 * tf-schedule-page.ui; the days are built here, a heading and list each.
 */
#define G_LOG_DOMAIN "tf-schedule"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-info.h"
#include "tf-booking-series.h"
#include "tf-cancel-dialog.h"
#include "tf-availability-editor.h"
#include "tf-box-model.h"
#include "tf-form.h"
#include "tf-move-dialog.h"
#include "tf-new-appointment-dialog.h"
#include "tf-schedule-page-private.h"
#include "tf-schedule-day.h"
#include "tf-schedule-row.h"
#include "tf-page.h"
#include "tf-services-editor.h"
#include "tf-time.h"

static void tf_schedule_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfSchedulePage, tf_schedule_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_schedule_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static void
tf_schedule_page_page_init (TfPageInterface *iface)
{
  iface->name = "schedule";
  iface->title = N_("Schedule");
  iface->icon_name = "x-office-calendar-symbolic";
}

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- the agenda ----------------------------------------------------------- */

/* "10:00 · Name", "Pending · 50 min", and what can be done next. */
static GtkWidget *
create_row (TfSchedulePage *self, JsonObject *appointment)
{
  const char *status = tf_json_get_string (appointment, "status");
  const char *reason = tf_json_get_string (appointment, "cancellation_reason");
  const char *name = tf_json_get_string (appointment, "client_name");
  const char *at = tf_json_get_string (appointment, "appointment_datetime");
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (at, NULL);
  g_autoptr(GDateTime) when = g_date_time_to_timezone (utc, self->zone);
  g_autofree char *time = g_date_time_format (when, "%H:%M");
  g_autofree char *title = g_strdup_printf ("%s · %s", time,
                                            name != NULL ? name : _("Unknown client"));
  g_autofree char *subtitle = g_strdup_printf (_("%s · %d min"),
                                               tf_appointment_status_label (status),
                                               (int) json_object_get_int_member_with_default (
                                                 appointment, "duration", 0));

  if (reason != NULL && *reason != '\0')
    {
      char *full = g_strdup_printf ("%s\n%s", subtitle, reason);

      g_free (subtitle);
      subtitle = full;
    }
  {
    g_autofree char *place = tf_appointment_dup_place (appointment, NULL);
    GtkWidget *row, *join;

    if (place != NULL)
      {
        char *full = g_strdup_printf ("%s · %s", subtitle, place);

        g_free (subtitle);
        subtitle = full;
      }
    row = tf_schedule_row_new (tf_json_get_string (appointment, "id"), title, subtitle,
                               tf_schedule_row_offers_for (appointment));
    if (tf_booking_may_become (tf_json_get_string (appointment, "status"), "cancelled") &&
        (join = tf_appointment_join_button_new (appointment)) != NULL)
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), join);
    return row;
  }
}

static GtkWidget *
create_day (gpointer item, gpointer data)
{
  TfSchedulePage *self = data;
  g_autoptr(GDate) date = g_date_new ();
  g_autoptr(GDateTime) start = NULL;
  JsonArray *appointments = json_object_get_array_member (tf_item_get_plain (item),
                                                          "appointments");
  GtkWidget *day;

  g_date_set_parse (date, tf_item_get_id (item));
  /* The day's id is its local date in the week shown: Monday is 1. */
  start = g_date_time_add_days (self->first, (int) g_date_get_weekday (date) - 1);
  day = tf_schedule_day_new (start);
  for (guint i = 0; i < json_array_get_length (appointments); i++)
    tf_schedule_day_append (TF_SCHEDULE_DAY (day),
                            create_row (self, json_array_get_object_element (appointments, i)));
  return day;
}

/* The days, or "nothing this week". */
static void
update_state (TfSchedulePage *self)
{
  gboolean any = tf_repository_get_n_items (self->week) > 0;

  gtk_widget_set_visible (self->days_box, any);
  gtk_widget_set_visible (self->empty, !any);
}

void
tf_schedule_page_show_week (TfSchedulePage *self, GDateTime *monday)
{
  if (self->week != NULL)
    g_signal_handlers_disconnect_by_data (self->week, self);
  g_clear_object (&self->week);
  if (monday == NULL)
    {
      g_autoptr(GListStore) none = g_list_store_new (TF_TYPE_ITEM);

      tf_box_bind_model (GTK_BOX (self->days_box), G_LIST_MODEL (none), create_day, self, NULL);
      return;
    }
  self->week = tf_session_dup_week (self->session, monday);
  tf_box_bind_model (GTK_BOX (self->days_box), G_LIST_MODEL (self->week), create_day, self,
                     NULL);
  g_signal_connect_swapped (self->week, "notify::n-items", G_CALLBACK (update_state), self);
  update_state (self);
}

/* --- changing an appointment ---------------------------------------------- */

static void
fail (TfSchedulePage *self, const char *message)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

/* Sets @id's status to @to (with @reason for a cancellation), by the rules
 * the CLI follows too (tf_booking_set_status). */
static void
change_status (TfSchedulePage *self, const char *id, const char *to, const char *reason,
               const char *done)
{
  g_autoptr(GError) error = NULL;

  if (!tf_booking_set_status (tf_session_get_vault (self->session), id, to, reason, &error))
    {
      g_autofree char *message = NULL;

      if (error->domain == TF_BOOKING_ERROR)
        message = g_strdup (error->message);
      else
        message = g_strdup_printf (_("The appointment was not changed: %s"), error->message);
      fail (self, message);
      return;
    }
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, done);
}

void
tf_schedule_page_move (TfSchedulePage *self, const char *id, GDateTime *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL, *done = NULL;

  g_return_if_fail (TF_IS_SCHEDULE_PAGE (self));
  g_return_if_fail (id != NULL && to != NULL);

  /* The same rules as the CLI's "appointment move" and the Move… dialog. */
  if (!tf_booking_move (tf_session_get_vault (self->session), id, to, &error))
    {
      g_autofree char *message = NULL;

      if (error->domain == TF_BOOKING_ERROR)
        message = g_strdup (error->message);
      else
        message = g_strdup_printf (_("The appointment was not moved: %s"), error->message);
      fail (self, message);
      return;
    }
  tf_session_sync (self->session);
  local = g_date_time_to_timezone (to, self->zone);
  when = tf_appointment_format_when (local);
  done = g_strdup_printf (_("Appointment moved to %s"), when);
  g_signal_emit (self, signals[SAVED], 0, done);
}

static void
confirm_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  change_status (TF_SCHEDULE_PAGE (widget), g_variant_get_string (param, NULL), "confirmed",
                 NULL, _("Appointment confirmed"));
}

static void
complete_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  change_status (TF_SCHEDULE_PAGE (widget), g_variant_get_string (param, NULL), "completed",
                 NULL, _("Appointment completed"));
}

static void
no_show_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  change_status (TF_SCHEDULE_PAGE (widget), g_variant_get_string (param, NULL), "no_show",
                 NULL, _("Marked as no-show"));
}

static void
on_cancel_response_cb (TfCancelDialog *dialog, const char *response, TfSchedulePage *self)
{
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "cancel-appointment") != 0 &&
      g_strcmp0 (response, "cancel-following") != 0)
    return;
  reason = tf_cancel_dialog_dup_reason (dialog);
  if (*reason == '\0')
    return;
  if (g_strcmp0 (response, "cancel-following") == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *done = NULL;
      guint cancelled = 0;

      if (!tf_booking_cancel_following (tf_session_get_vault (self->session),
                                        tf_cancel_dialog_get_appointment_id (dialog), reason,
                                        &cancelled, &error))
        {
          g_autofree char *message = error->domain == TF_BOOKING_ERROR
                                       ? g_strdup (error->message)
                                       : g_strdup_printf (_("The appointment was not changed: %s"),
                                                          error->message);
          fail (self, message);
          return;
        }
      tf_session_sync (self->session);
      done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u appointment cancelled",
                                           "%u appointments cancelled", cancelled), cancelled);
      g_signal_emit (self, signals[SAVED], 0, done);
      return;
    }
  change_status (self, tf_cancel_dialog_get_appointment_id (dialog), "cancelled", reason,
                 _("Appointment cancelled"));
}

/* A cancellation needs a reason: the client reads it. */
static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);
  GtkWidget *dialog = tf_cancel_dialog_new (widget, g_variant_get_string (param, NULL),
                                            _("Say why; the client will see the reason."),
                                            "schedule-cancel", TRUE);

  /* One of a series may take the rest of it along. */
  if (tf_session_get_vault (self->session) != NULL)
  {
    g_autoptr(JsonObject) appointment = tf_vault_get (tf_session_get_vault (self->session),
                                                      tf_registry_lookup ("appointments"),
                                                      g_variant_get_string (param, NULL), NULL);

    if (appointment != NULL && tf_json_get_string (appointment, "series_id") != NULL)
      tf_cancel_dialog_add_following (TF_CANCEL_DIALOG (dialog));
  }
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, 0);
  tf_cancel_dialog_present (TF_CANCEL_DIALOG (dialog));
}

static void
late_cancel_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!tf_booking_mark_late_cancellation (tf_session_get_vault (self->session),
                                          g_variant_get_string (param, NULL), NULL, &error))
    {
      fail (self, error->message);
      return;
    }
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Marked as late cancellation"));
}

/* --- booking and moving ------------------------------------------------------ */

static void
on_booked_cb (GtkWidget *dialog, const char *id, TfSchedulePage *self)
{
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Appointment booked"));
}

void
tf_schedule_page_new_appointment (TfSchedulePage *self, GDateTime *at)
{
  GtkWidget *dialog;

  g_return_if_fail (TF_IS_SCHEDULE_PAGE (self));

  if (tf_session_get_vault (self->session) == NULL)
    return;
  dialog = tf_new_appointment_dialog_new (GTK_WIDGET (self), self->session, at);
  g_signal_connect_object (dialog, "booked", G_CALLBACK (on_booked_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* schedule.new-appointment: the New Appointment dialog, on the selected
 * day when it is still to come (tomorrow otherwise). */
static void
new_appointment_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  g_autoptr(GDateTime) day = g_date_time_new (self->zone, g_date_get_year (self->selected),
                                              g_date_get_month (self->selected),
                                              g_date_get_day (self->selected), 0, 0, 0);

  tf_schedule_page_new_appointment (self, g_date_time_compare (day, now) > 0 ? day : NULL);
}

static void
on_moved_cb (GtkWidget *dialog, const char *id, TfSchedulePage *self)
{
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Appointment moved"));
}

/* appointment.move ID: the Move Appointment dialog. */
static void
move_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);
  GtkWidget *dialog;

  if (tf_session_get_vault (self->session) == NULL)
    return;
  dialog = tf_move_dialog_new (widget, self->session, g_variant_get_string (param, NULL));
  if (dialog == NULL)
    {
      fail (self, _("This appointment is no longer on this device"));
      return;
    }
  g_signal_connect_object (dialog, "moved", G_CALLBACK (on_moved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- the server's refusals ---------------------------------------------------- */

static void
tell_refusal (GtkWidget *widget, const char *message)
{
  fail (TF_SCHEDULE_PAGE (widget), message);
}

/* --- the editors ---------------------------------------------------------- */

static void
availability_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);

  tf_availability_editor_reload (TF_AVAILABILITY_EDITOR (self->editor));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "availability");
}

static void
services_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);

  tf_services_editor_reload (TF_SERVICES_EDITOR (self->services));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "services");
}

static void
agenda_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);

  /* A price typed and not saved is saved on the way back, or kept in view
   * with why it was refused. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "services") == 0 &&
      !tf_services_editor_save_pending (TF_SERVICES_EDITOR (self->services)))
    return;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "agenda");
}

static void
forward_saved_cb (TfSchedulePage *self, const char *message)
{
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
forward_failed_cb (TfSchedulePage *self, const char *message)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

/* --- the widget ----------------------------------------------------------- */

static void
tf_schedule_page_dispose (GObject *object)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_SCHEDULE_PAGE);
  if (self->week != NULL)
    g_signal_handlers_disconnect_by_data (self->week, self);
  g_clear_object (&self->week);
  tf_schedule_calendar_dispose (self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_schedule_page_parent_class)->dispose (object);
}

static void
tf_schedule_page_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  tf_schedule_calendar_get_property (TF_SCHEDULE_PAGE (object), id, value);
}

static void
tf_schedule_page_set_property (GObject *object, guint id, const GValue *value,
                               GParamSpec *pspec)
{
  tf_schedule_calendar_set_property (TF_SCHEDULE_PAGE (object), id, value);
}

static void
tf_schedule_page_class_init (TfSchedulePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_schedule_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  G_OBJECT_CLASS (klass)->get_property = tf_schedule_page_get_property;
  G_OBJECT_CLASS (klass)->set_property = tf_schedule_page_set_property;
  tf_schedule_calendar_class_init (G_OBJECT_CLASS (klass), 1);
  gtk_widget_class_install_action (widget_class, "schedule.availability", NULL,
                                   availability_activated);
  gtk_widget_class_install_action (widget_class, "schedule.services", NULL,
                                   services_activated);
  gtk_widget_class_install_action (widget_class, "schedule.agenda", NULL, agenda_activated);
  gtk_widget_class_install_action (widget_class, "schedule.confirm", "s", confirm_activated);
  gtk_widget_class_install_action (widget_class, "schedule.complete", "s", complete_activated);
  gtk_widget_class_install_action (widget_class, "schedule.no-show", "s", no_show_activated);
  gtk_widget_class_install_action (widget_class, "schedule.cancel", "s", cancel_activated);
  gtk_widget_class_install_action (widget_class, "schedule.late-cancel", "s",
                                   late_cancel_activated);
  gtk_widget_class_install_action (widget_class, "schedule.new-appointment", NULL,
                                   new_appointment_activated);
  gtk_widget_class_install_action (widget_class, "appointment.move", "s", move_activated);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-schedule-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfSchedulePage, name)
  BIND (stack);
  BIND (views);
  BIND (day_view);
  BIND (week_view);
  BIND (month_view);
  BIND (calendar);
  BIND (week_label);
  BIND (days_box);
  BIND (empty);
  BIND (hours_button);
  BIND (prices_button);
  BIND (availability_box);
  BIND (services_box);
#undef BIND
}

/* Labels that wrap, so the two buttons fit side by side at 360 px. */
static void
wrap_button_label (GtkWidget *button)
{
  GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)));

  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
}

static void
tf_schedule_page_init (TfSchedulePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  wrap_button_label (self->hours_button);
  wrap_button_label (self->prices_button);
}

GtkWidget *
tf_schedule_page_new (TfSession *session)
{
  TfSchedulePage *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);

  self = g_object_new (TF_TYPE_SCHEDULE_PAGE, NULL);
  self->session = g_object_ref (session);
  self->editor = tf_availability_editor_new (session);
  gtk_widget_set_vexpand (self->editor, TRUE);
  gtk_box_append (GTK_BOX (self->availability_box), self->editor);
  g_signal_connect_object (self->editor, "saved", G_CALLBACK (forward_saved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "failed", G_CALLBACK (forward_failed_cb), self,
                           G_CONNECT_SWAPPED);
  self->services = tf_services_editor_new (session);
  gtk_widget_set_vexpand (self->services, TRUE);
  gtk_box_append (GTK_BOX (self->services_box), self->services);
  g_signal_connect_object (self->services, "saved", G_CALLBACK (forward_saved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->services, "failed", G_CALLBACK (forward_failed_cb), self,
                           G_CONNECT_SWAPPED);
  tf_schedule_calendar_init (self);
  tf_schedule_calendar_show (self);
  tf_appointment_watch_refusals (GTK_WIDGET (self), session, tell_refusal);
  return GTK_WIDGET (self);
}
