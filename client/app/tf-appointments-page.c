/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointments-page.c: "My appointments" for a client — the list, and
 * booking, in a stack.
 *
 * The lists are the session's live list of the client's appointments
 * (tf_session_dup_my_appointments, tf-booking-lists.h: with the
 * therapist's name and the service), upcoming and past each bound to its
 * list box through a filter: an appointment, a cancellation by the
 * therapist or a name that comes with a sync changes its own row and the
 * others stay; the page wires no refresh of them.  An appointment is
 * upcoming until it has ended; times are shown in this computer's zone.
 *
 * What may be cancelled is client/core/tf-booking's, shared with the CLI;
 * a cancellation's reason stays in its dialog when the cancelling fails.
 * Booking, and linking with a therapist before it, are the second page of
 * the stack, in tf-appointments-booking.c; tf-appointments-page-private.h
 * has what the two files share.  Both pages are the template
 * tf-appointments-page.ui; the rows and the free times are made in C.
 */
#define G_LOG_DOMAIN "tf-appointments"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-info.h"
#include "tf-clients.h"
#include "tf-appointment-row.h"
#include "tf-cancel-dialog.h"
#include "tf-appointments-page-private.h"
#include "tf-page.h"
#include "tf-booking.h"
#include "tf-end-care.h"
#include "tf-form.h"
#include "tf-safety-dialog.h"
#include "tf-therapist-row.h"
#include "tf-time.h"

static void tf_appointments_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfAppointmentsPage, tf_appointments_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_appointments_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static void
tf_appointments_page_page_init (TfPageInterface *iface)
{
  iface->name = "appointments";
  iface->title = N_("Appointments");
  iface->icon_name = "x-office-calendar-symbolic";
}

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];


static TfVault *
get_vault (TfAppointmentsPage *self)
{
  return tf_session_get_vault (self->session);
}

void
tf_appointments_page_emit_saved (TfAppointmentsPage *self, const char *message)
{
  g_signal_emit (self, signals[SAVED], 0, message);
}

static gboolean
may_cancel (const char *status)
{
  return g_strcmp0 (status, "pending") == 0 || g_strcmp0 (status, "confirmed") == 0;
}

char *
tf_appointments_page_dup_therapist_name (TfVault *vault, const char *user_id)
{
  char *name = tf_clients_dup_name (vault, user_id);

  return name != NULL ? name : g_strdup (_("Your therapist"));
}

static void
clear_list (GtkWidget *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), GTK_WIDGET (row));
}

/* --- the list ------------------------------------------------------------- */

static GtkWidget *
create_row (gpointer item, gpointer data)
{
  TfAppointmentsPage *self = data;
  const char *id = tf_item_get_id (item);
  const char *status = tf_item_get_string (item, "status");
  const char *name = tf_item_get_string (item, "therapist_name");
  const char *service = tf_item_get_string (item, "service_name");
  const char *reason = tf_item_get_string (item, "cancellation_reason");
  gboolean upcoming = tf_item_get_boolean (item, "upcoming", FALSE);
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (tf_item_get_string (
                                                        item, "appointment_datetime"), NULL);
  g_autoptr(GDateTime) when = g_date_time_to_local (utc);
  g_autofree char *title = tf_appointment_format_when (when);
  g_autoptr(GString) subtitle = g_string_new (name != NULL ? name : _("Your therapist"));
  GtkWidget *row, *join;
  gboolean shared;

  if (service != NULL)
    g_string_append_printf (subtitle, " · %s", service);
  g_string_append_c (subtitle, '\n');
  if (g_strcmp0 (status, "cancelled") == 0 && reason != NULL && *reason != '\0')
    g_string_append_printf (subtitle,
                            g_strcmp0 (tf_item_get_string (item, "cancelled_by"),
                                       tf_vault_get_user_id (get_vault (self))) == 0
                              ? _("Cancelled by you: %s")
                              : _("Cancelled by your therapist: %s"),
                            reason);
  else
    g_string_append (subtitle, tf_appointment_status_label_for_client (status));
  /* Online, or in person at the practice's address (the therapist's). */
  {
    g_autoptr(JsonObject) practice = tf_booking_dup_practice (
      get_vault (self), tf_item_get_string (item, "therapist_id"), NULL);
    g_autofree char *place = tf_appointment_dup_place (
      tf_item_get_plain (item),
      practice != NULL ? tf_json_get_string (practice, "practice_address") : NULL);

    if (place != NULL)
      g_string_append_printf (subtitle, "\n%s", place);
  }
  /* A held session's summary, homework and plan, once the therapist
   * shares them. */
  {
    const char *summary = tf_item_get_string (item, "session_summary");
    const char *homework = tf_item_get_string (item, "homework_assigned");
    const char *plan = tf_item_get_string (item, "next_session_plan");

    if (summary != NULL)
      g_string_append_printf (subtitle, "\n%s: %s", _("Summary"), summary);
    if (homework != NULL)
      g_string_append_printf (subtitle, "\n%s: %s", _("Homework"), homework);
    if (plan != NULL)
      g_string_append_printf (subtitle, "\n%s: %s", _("Next session"), plan);
    shared = summary != NULL || homework != NULL || plan != NULL;
  }

  row = tf_appointment_row_new (id, title, subtitle->str, upcoming,
                                upcoming && may_cancel (status));
  if (shared)
    adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (upcoming && may_cancel (status) &&
      (join = tf_appointment_join_button_new (tf_item_get_plain (item))) != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), join);
  return row;
}

static gboolean
is_upcoming (gpointer item, gpointer data)
{
  return tf_item_get_boolean (item, "upcoming", FALSE);
}

static gboolean
is_past (gpointer item, gpointer data)
{
  return !tf_item_get_boolean (item, "upcoming", FALSE);
}

/* @list shows those of the client's appointments @keep keeps. */
static GtkFilterListModel *
bind_list (TfAppointmentsPage *self, GtkWidget *list, GtkCustomFilterFunc keep)
{
  GtkFilterListModel *shown = gtk_filter_list_model_new (
    G_LIST_MODEL (g_object_ref (self->appointments)),
    GTK_FILTER (gtk_custom_filter_new (keep, NULL, NULL)));

  gtk_list_box_bind_model (GTK_LIST_BOX (list), G_LIST_MODEL (shown), create_row, self, NULL);
  return shown;
}

/* --- cancelling ----------------------------------------------------------- */

static gboolean
has_appointment (TfAppointmentsPage *self, const char *id)
{
  g_autoptr(TfItem) item = tf_repository_dup_item (self->appointments, id);

  return item != NULL;
}

static void present_cancel_dialog (TfAppointmentsPage *self, const char *id, const char *reason,
                                   const char *problem);

/* What follows a response, once the dialog has finished handling it (a
 * click closes the dialog itself, Enter and a direct response do not). */
typedef struct
{
  TfAppointmentsPage *self;     /* a reference */
  GtkWidget          *dialog;   /* a reference */
  char               *id;
  char               *typed;    /* the reason as typed */
  char               *problem;  /* why it was refused; NULL: done */
} AfterResponse;

static gboolean
after_response (gpointer data)
{
  AfterResponse *after = data;

  if (after->problem == NULL)
    {
      if (gtk_widget_get_visible (after->dialog))
        gtk_window_close (GTK_WINDOW (after->dialog));
    }
  else if (gtk_widget_get_visible (after->dialog))
    {
      /* Still open: say why here, under the reason. */
      tf_cancel_dialog_set_problem (TF_CANCEL_DIALOG (after->dialog), after->problem);
    }
  else if (after->self->session != NULL)
    present_cancel_dialog (after->self, after->id, after->typed, after->problem);
  g_object_unref (after->self);
  g_object_unref (after->dialog);
  g_free (after->id);
  g_free (after->typed);
  g_free (after->problem);
  g_free (after);
  return G_SOURCE_REMOVE;
}

static void
schedule_after_response (TfAppointmentsPage *self, AdwMessageDialog *dialog, const char *typed,
                         const char *problem)
{
  AfterResponse *after = g_new0 (AfterResponse, 1);

  after->self = g_object_ref (self);
  after->dialog = g_object_ref (GTK_WIDGET (dialog));
  after->id = g_strdup (tf_cancel_dialog_get_appointment_id (TF_CANCEL_DIALOG (dialog)));
  after->typed = g_strdup (typed);
  after->problem = g_strdup (problem);
  g_idle_add (after_response, after);
}

static void
on_cancel_response_cb (AdwMessageDialog *dialog, const char *response, TfAppointmentsPage *self)
{
  const char *id = tf_cancel_dialog_get_appointment_id (TF_CANCEL_DIALOG (dialog));
  g_autofree char *typed = NULL, *reason = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "cancel-appointment") != 0)
    return;
  typed = g_strdup (tf_cancel_dialog_get_typed (TF_CANCEL_DIALOG (dialog)));
  reason = g_strstrip (g_strdup (typed));
  if (*reason == '\0')
    {
      const char *message = _("Say why you cancel: your therapist will read the reason.");

      tf_form_fail (self, "%s", message);
      schedule_after_response (self, dialog, typed, message);
      return;
    }
  if (!tf_booking_cancel (get_vault (self), id, reason, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The appointment was not cancelled: %s"),
                                                  error->message);

      tf_form_fail (self, "%s", message);
      /* Only what can be tried again is asked again, with its reason: not
       * an appointment that is past cancelling or gone. */
      if (error->domain == TF_BOOKING_ERROR || !has_appointment (self, id))
        schedule_after_response (self, dialog, typed, NULL);
      else
        schedule_after_response (self, dialog, typed, message);
      return;
    }
  schedule_after_response (self, dialog, typed, NULL);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Appointment cancelled"));
}

static void
present_cancel_dialog (TfAppointmentsPage *self, const char *id, const char *reason,
                       const char *problem)
{
  GtkWidget *dialog = tf_cancel_dialog_new (GTK_WIDGET (self), id,
                                            _("Your therapist will see the reason. The time "
                                              "becomes free for others."),
                                            "appointment-cancel", FALSE);

  tf_cancel_dialog_set_typed (TF_CANCEL_DIALOG (dialog), reason);
  tf_cancel_dialog_set_problem (TF_CANCEL_DIALOG (dialog), problem);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, 0);
  tf_cancel_dialog_present (TF_CANCEL_DIALOG (dialog));
}

static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  present_cancel_dialog (TF_APPOINTMENTS_PAGE (widget), g_variant_get_string (param, NULL),
                         NULL, NULL);
}
/* --- navigation ----------------------------------------------------------- */

static void
book_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfAppointmentsPage *self = TF_APPOINTMENTS_PAGE (widget);

  tf_appointments_page_fill_therapists (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "book");
}

static void
list_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfAppointmentsPage *self = TF_APPOINTMENTS_PAGE (widget);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

/* --- the client's therapists and their safety numbers --------------------- */

static void
rebuild_therapists (TfAppointmentsPage *self)
{
  TfVault *vault = get_vault (self);
  g_auto(GStrv) ids = tf_booking_list_therapists (vault, NULL);

  clear_list (self->therapists);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autofree char *name = tf_appointments_page_dup_therapist_name (vault, ids[i]);
      g_autofree char *state = tf_safety_state_text (self->session, ids[i]);

      gtk_list_box_append (GTK_LIST_BOX (self->therapists),
                           tf_therapist_row_new (ids[i], name, state));
    }
}

static void
verify_keys_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfAppointmentsPage *self = TF_APPOINTMENTS_PAGE (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autofree char *name = tf_appointments_page_dup_therapist_name (get_vault (self), id);
  GtkWidget *dialog = tf_safety_dialog_new (self->session, id, name,
                                            GTK_WINDOW (gtk_widget_get_root (widget)));

  g_signal_connect_object (dialog, "verified", G_CALLBACK (rebuild_therapists), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The list follows the care relationships by itself. */
static void
on_care_ended (GtkWidget *from, gboolean ok, const char *message)
{
  g_signal_emit (from, signals[ok ? SAVED : FAILED], 0, message);
}

static void
end_care_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfAppointmentsPage *self = TF_APPOINTMENTS_PAGE (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autofree char *name = tf_appointments_page_dup_therapist_name (get_vault (self), id);

  tf_end_care_ask (widget, self->session, id, name, FALSE, on_care_ended);
}

static void
on_care_changed_cb (TfAppointmentsPage *self)
{
  rebuild_therapists (self);
  tf_appointments_page_fill_therapists (self);
}

static void
on_synced_cb (TfAppointmentsPage *self)
{
  /* Names and other keys may have come with the sync (the appointments
   * and the free times follow the store by themselves). */
  rebuild_therapists (self);
  tf_appointments_page_fill_therapists (self);
}

/* --- the widget ----------------------------------------------------------- */

static void
tf_appointments_page_dispose (GObject *object)
{
  TfAppointmentsPage *self = TF_APPOINTMENTS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_APPOINTMENTS_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->upcoming_shown);
  g_clear_object (&self->past_shown);
  g_clear_object (&self->appointments);
  g_clear_object (&self->care);
  g_clear_object (&self->slot_list);
  g_clear_pointer (&self->slots_for, g_free);
  g_clear_pointer (&self->therapist_ids, g_strfreev);
  g_clear_pointer (&self->offers, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_free);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_appointments_page_parent_class)->dispose (object);
}

static void
tf_appointments_page_class_init (TfAppointmentsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_appointments_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_install_action (widget_class, "appointments.book", NULL, book_activated);
  gtk_widget_class_install_action (widget_class, "appointments.list", NULL, list_activated);
  gtk_widget_class_install_action (widget_class, "appointments.cancel", "s", cancel_activated);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-appointments-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfAppointmentsPage, name)
  BIND (stack);
  BIND (upcoming);
  BIND (past);
  BIND (therapists);
  BIND (book_stack);
  BIND (link_status);
  BIND (link_email);
  BIND (link_share_mood);
  BIND (link_share_goals);
  BIND (link_button);
  BIND (link_spinner);
  BIND (link_error);
  BIND (therapist_row);
  BIND (therapist_names);
  BIND (service_row);
  BIND (service_names);
  BIND (calendar);
  BIND (slots_heading);
  BIND (slots);
  BIND (slots_message);
  BIND (note);
  BIND (book_button);
  BIND (book_error);
#undef BIND
  tf_appointments_page_class_bind_booking (widget_class);
  gtk_widget_class_install_action (widget_class, "appointments.verify-keys", "s",
                                   verify_keys_activated);
  gtk_widget_class_install_action (widget_class, "appointments.end-care", "s",
                                   end_care_activated);
}

static void
tf_appointments_page_init (TfAppointmentsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->offers = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_offer_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* A booking the server refused (taken meanwhile, say), in words. */
static void
tell_refusal (GtkWidget *widget, const char *message)
{
  g_signal_emit (widget, signals[FAILED], 0, message);
}

GtkWidget *
tf_appointments_page_new (TfSession *session)
{
  TfAppointmentsPage *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);

  self = g_object_new (TF_TYPE_APPOINTMENTS_PAGE, NULL);
  self->session = g_object_ref (session);
  self->appointments = tf_session_dup_my_appointments (session);
  self->upcoming_shown = bind_list (self, self->upcoming, is_upcoming);
  self->past_shown = bind_list (self, self->past, is_past);
  self->care = tf_session_dup_care (session, NULL);
  g_signal_connect_object (self->care, "items-changed", G_CALLBACK (on_care_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  rebuild_therapists (self);
  tf_appointments_page_fill_therapists (self);
  tf_appointment_watch_refusals (GTK_WIDGET (self), session, tell_refusal);
  return GTK_WIDGET (self);
}
