/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-new-appointment-dialog.c: the therapist's New Appointment dialog
 * (tf-new-appointment-dialog.h); the widgets are the template
 * tf-new-appointment-dialog.ui.
 *
 * The clients and services are the session's lists, read once when the
 * dialog opens (a client who arrives meanwhile is there the next time).
 * The day and time are typed in the therapist's zone.  What the booking
 * rules refuse on this device (not in care, another appointment then, a
 * time past) is said under the fields in the words of client/core; what
 * the server alone can refuse comes back with the next sync.
 *
 * Repeating (weekly, every two weeks, monthly on the same weekday, a
 * number of times or until a day): the first Book shows each appointment
 * of the series that clashes, and why, and books nothing; Book again with
 * nothing changed books the others (tf_booking_book_series).  Nothing is
 * ever left out without having been shown.
 */
#define G_LOG_DOMAIN "tf-schedule"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-info.h"
#include "tf-booking.h"
#include "tf-booking-series.h"
#include "tf-date-button.h"
#include "tf-error.h"
#include "tf-new-appointment-dialog.h"
#include "tf-time.h"

struct _TfNewAppointmentDialog
{
  AdwWindow   parent_instance;
  TfSession  *session;
  GPtrArray  *client_ids;   /* char*, in the order of client_row */
  GPtrArray  *service_ids;  /* char* (NULL first: no service), in the order of service_row */
  char       *shown_clashes; /* the series whose clashes were shown: Book again books the rest */

  /* template (tf-new-appointment-dialog.ui) */
  GtkWidget  *client_row;
  GtkWidget  *date_row;
  GtkWidget  *time_row;
  GtkWidget  *service_row;
  GtkWidget  *online_switch;
  GtkWidget  *link_row;
  GtkWidget  *repeat_row;
  GtkWidget  *count_row;
  GtkWidget  *until_row;
  GtkWidget  *address_label;
  GtkWidget  *error;
  GtkWidget  *book_button;
};

G_DEFINE_FINAL_TYPE (TfNewAppointmentDialog, tf_new_appointment_dialog, ADW_TYPE_WINDOW)

enum { BOOKED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_problem (TfNewAppointmentDialog *self, const char *problem)
{
  gtk_label_set_text (GTK_LABEL (self->error), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->error, problem != NULL);
}

/* The start typed, in the therapist's zone, or NULL with why. */
static GDateTime *
typed_start (TfNewAppointmentDialog *self, char **out_problem)
{
  g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (self->session);

  return tf_appointment_parse_start (gtk_editable_get_text (GTK_EDITABLE (self->date_row)),
                                     gtk_editable_get_text (GTK_EDITABLE (self->time_row)),
                                     zone, out_problem);
}

static void
set_booking_error (TfNewAppointmentDialog *self, GError *error)
{
  if (error->domain == TF_BOOKING_ERROR || error->domain == TF_VALIDATION_ERROR)
    set_problem (self, error->message);
  else
    {
      g_autofree char *message = g_strdup_printf (_("The appointment was not booked: %s"),
                                                  error->message);
      set_problem (self, message);
    }
}

/* "Tuesday 12 January 10:00 — another appointment then", one a line. */
static char *
describe_clashes (TfNewAppointmentDialog *self, GPtrArray *occurrences, guint clashes)
{
  g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (self->session);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u of the %u appointments clashes:",
                                       "%u of the %u appointments clash:", clashes),
                          clashes, occurrences->len);
  for (guint i = 0; i < occurrences->len; i++)
    {
      TfSeriesOccurrence *o = g_ptr_array_index (occurrences, i);
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *when = NULL;

      if (o->clash == TF_SERIES_CLASH_NONE)
        continue;
      local = g_date_time_to_timezone (o->start, zone);
      when = g_date_time_format (local, "%A %-d %B %Y %H:%M");
      /* Translators: a day and time, then why that appointment of the series cannot be. */
      g_string_append_printf (text, _("\n%s — %s"), when, tf_series_clash_label (o->clash));
    }
  if (clashes < occurrences->len)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "\nBook again to book the other one.",
                                         "\nBook again to book the other %u.",
                                         occurrences->len - clashes),
                            occurrences->len - clashes);
  return g_string_free (text, FALSE);
}

/* A repeating appointment: the clashes shown first, then the rest booked. */
static char *
book_series (TfNewAppointmentDialog *self, TfVault *vault, TfSeriesRequest *request)
{
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *until = NULL, *count = NULL, *key = NULL, *start = NULL, *series = NULL;
  guint clashes;
  gint64 n = 0;

  until = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->until_row))));
  count = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->count_row))));
  if (*until != '\0')
    request->until = until;
  else if (!g_ascii_string_to_signed (count, 10, 1, TF_RECURRENCE_MAX_COUNT, &n, NULL))
    {
      g_autofree char *message = g_strdup_printf (_("Give the number of appointments (1 to %d) "
                                                    "or the last day"),
                                                  TF_RECURRENCE_MAX_COUNT);
      set_problem (self, message);
      return NULL;
    }
  request->count = (guint) n;
  occurrences = tf_booking_series_preview (vault, request, &error);
  if (occurrences == NULL)
    {
      set_booking_error (self, error);
      return NULL;
    }
  clashes = tf_series_count_clashes (occurrences);
  start = tf_time_format_timestamp (request->first);
  key = g_strdup_printf ("%s|%s|%s|%s|%d|%s|%u|%s", request->client_id, start,
                         request->service_id ? request->service_id : "",
                         request->location_type, request->repeat,
                         request->until ? request->until : "", request->count,
                         request->meeting_url ? request->meeting_url : "");
  if (clashes > 0 && (clashes == occurrences->len || g_strcmp0 (key, self->shown_clashes) != 0))
    {
      g_autofree char *told = describe_clashes (self, occurrences, clashes);

      set_problem (self, told);
      g_free (self->shown_clashes);
      self->shown_clashes = g_steal_pointer (&key);
      return NULL;
    }
  series = tf_booking_book_series (vault, request, clashes > 0, &ids, &error);
  if (series == NULL)
    {
      set_booking_error (self, error);
      return NULL;
    }
  return g_strdup (ids[0]);
}

static void
on_book_clicked_cb (TfNewAppointmentDialog *self)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL, *id = NULL, *link = NULL;
  guint client = adw_combo_row_get_selected (ADW_COMBO_ROW (self->client_row));
  guint service = adw_combo_row_get_selected (ADW_COMBO_ROW (self->service_row));
  gboolean online = gtk_switch_get_active (GTK_SWITCH (self->online_switch));
  TfVault *vault = tf_session_get_vault (self->session);

  if (vault == NULL)
    return;
  if (client == GTK_INVALID_LIST_POSITION || client >= self->client_ids->len)
    {
      set_problem (self, _("Choose a client in your care"));
      return;
    }
  start = typed_start (self, &problem);
  if (start == NULL)
    {
      set_problem (self, problem);
      return;
    }
  link = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_row))));
  if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->repeat_row)) > 0)
    {
      static const TfRepeat repeats[] = { TF_REPEAT_WEEKLY, TF_REPEAT_BIWEEKLY,
                                          TF_REPEAT_MONTHLY };
      guint chosen = MIN (adw_combo_row_get_selected (ADW_COMBO_ROW (self->repeat_row)), 3);
      TfSeriesRequest request = {
        g_ptr_array_index (self->client_ids, client), start,
        service < self->service_ids->len ? g_ptr_array_index (self->service_ids, service) : NULL,
        online ? "online" : "in_person", online && *link != '\0' ? link : NULL,
        repeats[chosen - 1], NULL, 0,
      };

      id = book_series (self, vault, &request);
      if (id == NULL)
        return;
      set_problem (self, NULL);
      g_signal_emit (self, signals[BOOKED], 0, id);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  id = tf_booking_book_for_client (vault, g_ptr_array_index (self->client_ids, client), start,
                                   service < self->service_ids->len
                                     ? g_ptr_array_index (self->service_ids, service) : NULL,
                                   online ? "online" : "in_person",
                                   online && *link != '\0' ? link : NULL, &error);
  if (id == NULL)
    {
      if (error->domain == TF_BOOKING_ERROR)
        set_problem (self, error->message);
      else
        {
          g_autofree char *message = g_strdup_printf (_("The appointment was not booked: %s"),
                                                      error->message);
          set_problem (self, message);
        }
      return;
    }
  set_problem (self, NULL);
  g_signal_emit (self, signals[BOOKED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_repeat_changed_cb (TfNewAppointmentDialog *self)
{
  gboolean repeats = adw_combo_row_get_selected (ADW_COMBO_ROW (self->repeat_row)) > 0;

  gtk_widget_set_visible (self->count_row, repeats);
  gtk_widget_set_visible (self->until_row, repeats);
}

static void
on_online_changed_cb (TfNewAppointmentDialog *self)
{
  gboolean online = gtk_switch_get_active (GTK_SWITCH (self->online_switch));

  gtk_widget_set_visible (self->link_row, online);
  gtk_widget_set_visible (self->address_label,
                          !online && *gtk_label_get_text (GTK_LABEL (self->address_label)) != '\0');
}

static void
tf_new_appointment_dialog_dispose (GObject *object)
{
  TfNewAppointmentDialog *self = TF_NEW_APPOINTMENT_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->client_ids, g_ptr_array_unref);
  g_clear_pointer (&self->service_ids, g_ptr_array_unref);
  g_clear_pointer (&self->shown_clashes, g_free);
  G_OBJECT_CLASS (tf_new_appointment_dialog_parent_class)->dispose (object);
}

static void
tf_new_appointment_dialog_class_init (TfNewAppointmentDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_new_appointment_dialog_dispose;
  signals[BOOKED] = g_signal_new ("booked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-new-appointment-dialog.ui");
#define BIND(child) \
  gtk_widget_class_bind_template_child (widget_class, TfNewAppointmentDialog, child)
  BIND (client_row);
  BIND (date_row);
  BIND (time_row);
  BIND (service_row);
  BIND (online_switch);
  BIND (link_row);
  BIND (repeat_row);
  BIND (count_row);
  BIND (until_row);
  BIND (address_label);
  BIND (error);
  BIND (book_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_book_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_online_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_repeat_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tf_new_appointment_dialog_init (TfNewAppointmentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->client_ids = g_ptr_array_new_with_free_func (g_free);
  self->service_ids = g_ptr_array_new_with_free_func (g_free);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->date_row), tf_date_button_new (self->date_row));
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->until_row),
                            tf_date_button_new (self->until_row));
}

/* The clients in active care, by name. */
static void
fill_clients (TfNewAppointmentDialog *self)
{
  g_autoptr(TfRepository) clients = tf_session_dup_clients (self->session);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; clients != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (clients)); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (G_LIST_MODEL (clients), i);

      if (!tf_item_get_boolean (item, "active", FALSE))
        continue;
      gtk_string_list_append (names, tf_item_get_string (item, "name"));
      g_ptr_array_add (self->client_ids, g_strdup (tf_item_get_id (item)));
    }
  adw_combo_row_set_model (ADW_COMBO_ROW (self->client_row), G_LIST_MODEL (names));
}

/* "No service" and the services this therapist offers. */
static void
fill_services (TfNewAppointmentDialog *self)
{
  g_autoptr(TfRepository) services = tf_session_dup_services (self->session);
  g_autoptr(TfRepository) offers = tf_session_dup_offers (self->session);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, _("No service"));
  g_ptr_array_add (self->service_ids, NULL);
  for (guint i = 0; services != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (services));
       i++)
    {
      g_autoptr(TfItem) service = g_list_model_get_item (G_LIST_MODEL (services), i);
      gboolean offered = FALSE;

      for (guint j = 0; offers != NULL && j < g_list_model_get_n_items (G_LIST_MODEL (offers));
           j++)
        {
          g_autoptr(TfItem) offer = g_list_model_get_item (G_LIST_MODEL (offers), j);

          if (g_strcmp0 (tf_item_get_string (offer, "service_id"), tf_item_get_id (service)) == 0)
            offered = tf_item_get_boolean (offer, "is_available", TRUE);
        }
      if (!offered)
        continue;
      gtk_string_list_append (names, tf_booking_service_name (tf_item_get_plain (service)));
      g_ptr_array_add (self->service_ids, g_strdup (tf_item_get_id (service)));
    }
  adw_combo_row_set_model (ADW_COMBO_ROW (self->service_row), G_LIST_MODEL (names));
  /* A service offered first, when there is one. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->service_row),
                              self->service_ids->len > 1 ? 1 : 0);
}

GtkWidget *
tf_new_appointment_dialog_new (GtkWidget *parent, TfSession *session, GDateTime *day)
{
  TfNewAppointmentDialog *self;
  GtkRoot *root;
  g_autoptr(GDateTime) now = NULL, tomorrow = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(JsonObject) practice = NULL;
  g_autofree char *date = NULL, *time = NULL;
  const char *address = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (TF_IS_SESSION (session), NULL);

  root = gtk_widget_get_root (parent);
  self = g_object_new (TF_TYPE_NEW_APPOINTMENT_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       "modal", TRUE, NULL);
  self->session = g_object_ref (session);
  fill_clients (self);
  fill_services (self);
  zone = tf_session_dup_time_zone (session);
  now = g_date_time_new_now (zone);
  tomorrow = g_date_time_add_days (now, 1);
  if (day != NULL)
    {
      /* A day of the calendar, or the time clicked in its grid. */
      g_autoptr(GDateTime) local = g_date_time_to_timezone (day, zone);

      date = g_date_time_format (local, "%Y-%m-%d");
      time = g_date_time_get_hour (local) != 0 || g_date_time_get_minute (local) != 0
               ? g_date_time_format (local, "%H:%M") : g_strdup ("10:00");
    }
  else
    {
      date = g_date_time_format (tomorrow, "%Y-%m-%d");
      time = g_strdup ("10:00");
    }
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
  if (tf_session_get_vault (session) != NULL)
    practice = tf_booking_dup_practice (tf_session_get_vault (session),
                                        tf_vault_get_user_id (tf_session_get_vault (session)),
                                        NULL);
  if (practice != NULL)
    address = tf_json_get_string (practice, "practice_address");
  if (address != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("At the practice: %s"), address);

      gtk_label_set_text (GTK_LABEL (self->address_label), text);
    }
  on_online_changed_cb (self);
  return GTK_WIDGET (self);
}
