/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-appointments.c: booking and prices in a real window under Xvfb, on
 * profiles made on this computer only.
 *
 * A client whose device holds (as a sync would have brought them) their
 * therapist's profile in Europe/Athens, hours for tomorrow's weekday and an
 * individual session at 60 euros, and (written through the vault) an active
 * care relationship: the page offers tomorrow's free times in this
 * computer's zone; booking one puts it under Upcoming at that time and
 * takes it off the free times; cancelling without a reason is refused with
 * a message and changes nothing; with one the appointment is cancelled and
 * shows the reason.  A client without a therapist is asked to link first,
 * and told plainly that a profile on this computer only cannot.
 *
 * A therapist's services and prices: a negative price, a malformed one and
 * lengths outside 1 … 1440 minutes are refused with a message and nothing
 * is saved; a valid price is saved and shown again by a new page.  Without
 * a catalogue the editor says so.  GTK warnings are fatal
 * (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-appointments-page.h"
#include "tf-booking.h"
#include "tf-schedule-page.h"
#include "tf-time.h"
#include "tf-ui-test.h"

#define PASSWORD   "σωστός κωδικός"
#define THERAPIST  "7a1b2c3d-4e5f-4a6b-8c7d-0123456789ab"
#define INDIVIDUAL "5e7a1c00-0000-4000-8000-000000000001"

typedef TfUiPage Fixture;

/* --- records as a sync brings them ---------------------------------------- */

static void
add_change (JsonArray *changes, const char *table, const char *id, JsonObject *fields)
{
  JsonObject *record = json_object_new ();

  json_object_set_string_member (record, "table", table);
  json_object_set_string_member (record, "id", id);
  json_object_set_int_member (record, "version", json_array_get_length (changes) + 1);
  json_object_set_boolean_member (record, "deleted", FALSE);
  json_object_set_object_member (record, "fields", fields);
  json_array_add_object_element (changes, record);
}

/* As one pulled page, each record signed by the therapist it names. */
static void
apply (TfSession *session, JsonArray *changes)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 tf_record_free);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      g_autoptr(GError) error = NULL;
      TfRecord *record = tf_record_from_json (json_array_get_element (changes, i), &error);

      g_assert_no_error (error);
      g_ptr_array_add (records, record);
    }
  tf_ui_pull_records (session, records);
}

static JsonObject *
service_fields (const char *id, const char *name, int duration, const char *type)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "id", id);
  json_object_set_string_member (fields, "name", name);
  json_object_set_int_member (fields, "default_duration", duration);
  json_object_set_string_member (fields, "service_type", type);
  return fields;
}

/* The five services of sql/postgres/0005-services.sql. */
static void
add_catalogue (JsonArray *changes)
{
  add_change (changes, "services", INDIVIDUAL,
              service_fields (INDIVIDUAL, "Individual session", 50, "individual"));
  add_change (changes, "services", "5e7a1c00-0000-4000-8000-000000000002",
              service_fields ("5e7a1c00-0000-4000-8000-000000000002", "Couples session", 80,
                              "couples"));
  add_change (changes, "services", "5e7a1c00-0000-4000-8000-000000000003",
              service_fields ("5e7a1c00-0000-4000-8000-000000000003", "Group session", 90,
                              "group"));
  add_change (changes, "services", "5e7a1c00-0000-4000-8000-000000000004",
              service_fields ("5e7a1c00-0000-4000-8000-000000000004", "Evaluation", 90,
                              "evaluation"));
  add_change (changes, "services", "5e7a1c00-0000-4000-8000-000000000005",
              service_fields ("5e7a1c00-0000-4000-8000-000000000005", "Consultation", 30,
                              "consultation"));
}

/* Tomorrow in this computer's zone (UTC in the suite), at midnight. */
static GDateTime *
tomorrow (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);

  return g_date_time_add_days (midnight, 1);
}

/* @hour:@minute in Athens on tomorrow's date plus @days, as this computer
 * shows it ("HH:MM"); @out_tomorrow tells whether it is tomorrow here. */
static char *
athens_time_shown (int days, int hour, int minute, gboolean *out_tomorrow)
{
  g_autoptr(GDateTime) day = tomorrow ();
  g_autoptr(GDateTime) date = g_date_time_add_days (day, days);
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  g_autoptr(GDateTime) at = NULL, local = NULL;

  g_assert_nonnull (athens);
  at = g_date_time_new (athens, g_date_time_get_year (date), g_date_time_get_month (date),
                        g_date_time_get_day_of_month (date), hour, minute, 0);
  local = g_date_time_to_local (at);
  if (out_tomorrow != NULL)
    *out_tomorrow = g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (day);
  return g_date_time_format (local, "%H:%M");
}

/* Weekly hours of the therapist: @day_of_week (0 = Sunday) from @start to
 * @end, in their zone. */
static void
add_hours (JsonArray *changes, const char *id, int day_of_week, const char *start,
           const char *end)
{
  JsonObject *hours = json_object_new ();

  json_object_set_string_member (hours, "id", id);
  json_object_set_string_member (hours, "therapist_id", THERAPIST);
  json_object_set_int_member (hours, "day_of_week", day_of_week);
  json_object_set_string_member (hours, "start_time", start);
  json_object_set_string_member (hours, "end_time", end);
  json_object_set_boolean_member (hours, "is_available", TRUE);
  add_change (changes, "therapist_availability", id, hours);
}

/* What a client's device has after a sync: the therapist, their profile,
 * their hours on tomorrow's weekday (09:00–12:00 in Athens: three slots of
 * 50 minutes) and on the next weekday 00:00–00:50 (tomorrow still, here in
 * UTC) and 10:30–11:20 (not tomorrow anywhere west of Athens), and their
 * individual session at 60 euros. */
static void
add_therapist_hours (JsonArray *changes)
{
  g_autoptr(GDateTime) day = tomorrow ();
  const char *hours_id = "7a1b2c3d-4e5f-4a6b-8c7d-00000000a001";
  const char *late_id = "7a1b2c3d-4e5f-4a6b-8c7d-00000000a002";
  const char *next_id = "7a1b2c3d-4e5f-4a6b-8c7d-00000000a003";

  add_hours (changes, hours_id, g_date_time_get_day_of_week (day) % 7, "09:00:00", "12:00:00");
  add_hours (changes, late_id, (g_date_time_get_day_of_week (day) + 1) % 7, "00:00:00",
             "00:50:00");
  add_hours (changes, next_id, (g_date_time_get_day_of_week (day) + 1) % 7, "10:30:00",
             "11:20:00");
}

/* The therapist as in add_therapist, their hours not yet synced. */
static void
add_therapist_without_hours (JsonArray *changes)
{
  JsonObject *therapist = json_object_new ();
  JsonObject *profile = json_object_new ();
  JsonObject *offer = json_object_new ();
  const char *offer_id = "7a1b2c3d-4e5f-4a6b-8c7d-00000000b001";

  json_object_set_string_member (therapist, "user_id", THERAPIST);
  json_object_set_string_member (therapist, "license_number", "ΑΜ-4242");
  add_change (changes, "therapists", THERAPIST, therapist);
  json_object_set_string_member (profile, "user_id", THERAPIST);
  json_object_set_string_member (profile, "first_name", "Μαρία");
  json_object_set_string_member (profile, "last_name", "Οικονόμου");
  json_object_set_string_member (profile, "timezone", "Europe/Athens");
  add_change (changes, "profiles", THERAPIST, profile);
  add_catalogue (changes);
  json_object_set_string_member (offer, "id", offer_id);
  json_object_set_string_member (offer, "therapist_id", THERAPIST);
  json_object_set_string_member (offer, "service_id", INDIVIDUAL);
  json_object_set_string_member (offer, "price", "60.00");
  json_object_set_int_member (offer, "duration", 50);
  json_object_set_boolean_member (offer, "is_available", TRUE);
  add_change (changes, "therapist_services", offer_id, offer);
}

static void
add_therapist (JsonArray *changes)
{
  add_therapist_without_hours (changes);
  add_therapist_hours (changes);
}

static GtkWidget *
make_client_page_linked (TfSession *session, gboolean with_hours)
{
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *care = NULL;

  if (with_hours)
    add_therapist (changes);
  else
    add_therapist_without_hours (changes);
  apply (session, changes);
  care = tf_booking_link_therapist (tf_session_get_vault (session), THERAPIST, FALSE, FALSE,
                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (care);
  /* The request as the therapist's acceptance leaves it, signed active by
   * this client's device (tf_care_settle): no server here. */
  {
    const TfTable *table = tf_registry_lookup ("care_relationships");
    g_autoptr(JsonObject) plain = tf_vault_get (tf_session_get_vault (session), table, care,
                                                &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "pending");
    json_object_set_string_member (plain, "status", "active");
    g_assert_true (tf_vault_put (tf_session_get_vault (session), table, care, plain, &error));
    g_assert_no_error (error);
  }
  return tf_appointments_page_new (session);
}

static GtkWidget *
make_linked_client_page (TfSession *session)
{
  return make_client_page_linked (session, TRUE);
}

static GtkWidget *
make_client_page_before_hours (TfSession *session)
{
  return make_client_page_linked (session, FALSE);
}

static void
client_set_up (Fixture *f, GtkWidget *(*make) (TfSession *))
{
  TfRegistration reg = { PASSWORD, "client", "Ελένη", "Π.", NULL };

  /* The narrowest the app must work at. */
  tf_ui_page_open (f, &reg, make, 360, 800);
}

/* --- waiting for what a person sees --------------------------------------- */

static guint
n_slots (Fixture *f)
{
  GtkWidget *slots = tf_ui_find (f->window, "book-slots");
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (slots); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static const char *
slots_heading (Fixture *f)
{
  return gtk_label_get_text (GTK_LABEL (tf_ui_find (f->window, "book-slots-heading")));
}

/* The heading of the free times of @date, as the page writes it. */
static const char *
expected_heading (GDateTime *date)
{
  static char *text;
  g_autofree char *name = g_date_time_format (date, "%A %-d %B");

  g_free (text);
  text = g_strdup_printf ("Free Times on %s", name);
  return text;
}

/* A turn of the mouse wheel over the booking calendar, as GTK delivers it
 * to the calendar's own scroll controller. */
static void
scroll_calendar (Fixture *f, double dy)
{
  GtkWidget *calendar = tf_ui_find (f->window, "book-calendar");
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (calendar);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        g_signal_emit_by_name (controller, "scroll", 0.0, dy, &handled);
    }
  g_assert_true (handled);
}

static gboolean
not_mapped (gpointer data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* What the combo row @name shows as chosen. */
static const char *
combo_text (Fixture *f, const char *name)
{
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (tf_ui_find (f->window, name)));

  g_assert_nonnull (item);
  return gtk_string_object_get_string (GTK_STRING_OBJECT (item));
}

/* --- the client ----------------------------------------------------------- */

static void
test_book_and_cancel (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) day = tomorrow ();
  gboolean late_is_tomorrow, next_is_tomorrow;
  g_autofree char *first = athens_time_shown (0, 9, 0, NULL);
  g_autofree char *second = athens_time_shown (0, 9, 50, NULL);
  g_autofree char *late = athens_time_shown (1, 0, 0, &late_is_tomorrow);
  g_autofree char *next = athens_time_shown (1, 10, 30, &next_is_tomorrow);
  g_autofree char *first_slot = g_strdup_printf ("slot-%s", first);
  g_autofree char *second_slot = g_strdup_printf ("slot-%s", second);
  g_autofree char *late_slot = g_strdup_printf ("slot-%s", late);
  g_autofree char *next_slot = g_strdup_printf ("slot-%s", next);
  g_autofree char *row_name = NULL, *cancel_name = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  GtkWidget *first_dialog = NULL, *second_dialog = NULL;  /* references */
  GtkWidget *row, *label;
  const char *id;

  client_set_up (&f, make_linked_client_page);
  tf_ui_wait_shown (f.window, "appointments-book");
  g_assert_null (gtk_list_box_get_row_at_index (
    GTK_LIST_BOX (tf_ui_find (f.window, "appointments-upcoming")), 0));
  /* The therapist in care, with the state of the safety number with them
   * and a button to verify it (tf-safety-dialog). */
  row = tf_ui_find (f.window, "appointments-therapist");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Μαρία Οικονόμου");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, "");
  g_assert_nonnull (tf_ui_find (row, "appointments-therapist-verify"));

  /* In the suite's zone (UTC) the therapist's next day starts tomorrow
   * evening here, and its morning is not tomorrow. */
  g_assert_true (late_is_tomorrow);
  g_assert_false (next_is_tomorrow);

  /* Tomorrow's free times, in this computer's zone. */
  tf_ui_click (f.window, "appointments-book");
  tf_ui_wait_shown (f.window, "book-calendar");
  g_assert_cmpstr (combo_text (&f, "book-therapist"), ==, "Μαρία Οικονόμου");
  gtk_calendar_select_day (GTK_CALENDAR (tf_ui_find (f.window, "book-calendar")), day);
  tf_ui_wait_mapped (f.window, first_slot, TRUE);
  g_assert_nonnull (tf_ui_find (f.window, late_slot));
  g_assert_null (tf_ui_find (f.window, next_slot));
  g_assert_cmpuint (n_slots (&f), ==, 4);
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "book-no-slots")));

  /* Scrolling over the calendar turns its month and moves the date: the
   * free times follow it there and back. */
  {
    g_autofree char *heading = g_strdup (slots_heading (&f));
    g_autoptr(GDateTime) shown = NULL;

    scroll_calendar (&f, 1.0);
    shown = gtk_calendar_get_date (GTK_CALENDAR (tf_ui_find (f.window, "book-calendar")));
    g_assert_cmpint (g_date_time_get_month (shown), ==, g_date_time_get_month (day) % 12 + 1);
    g_assert_cmpstr (slots_heading (&f), ==, expected_heading (shown));
    g_assert_cmpstr (slots_heading (&f), !=, heading);
    scroll_calendar (&f, -1.0);
    g_assert_cmpstr (slots_heading (&f), ==, heading);
    tf_ui_wait_mapped (f.window, first_slot, TRUE);
    g_assert_cmpuint (n_slots (&f), ==, 4);
  }

  /* The individual session, with its price; the same three times. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (tf_ui_find (f.window, "book-service")), 1);
  g_assert_cmpstr (combo_text (&f, "book-service"), ==, "Individual session · €60.00 · 50 min");
  tf_ui_wait_mapped (f.window, second_slot, TRUE);
  g_assert_cmpuint (n_slots (&f), ==, 4);

  /* Nothing chosen: Book waits. */
  g_assert_false (gtk_widget_is_sensitive (tf_ui_find (f.window, "book-confirm")));
  tf_ui_click (f.window, first_slot);
  tf_ui_type (f.window, "book-note", "Πρώτη συνάντηση");
  tf_ui_click (f.window, "book-confirm");
  g_assert_nonnull (f.saved);
  g_assert_true (g_str_has_prefix (f.saved, "Appointment booked: "));
  g_assert_nonnull (strstr (f.saved, first));

  /* Stored as asked: the slot's instant, the service's price, the note. */
  stored = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("appointments"), "client_id",
                          tf_vault_get_user_id (tf_ui_page_vault (&f)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  {
    JsonObject *o = g_ptr_array_index (stored, 0);
    g_autoptr(GDateTime) at = g_date_time_new (athens, g_date_time_get_year (day),
                                               g_date_time_get_month (day),
                                               g_date_time_get_day_of_month (day), 9, 0, 0);
    g_autoptr(GDateTime) start = tf_time_parse_timestamp (
      json_object_get_string_member (o, "appointment_datetime"), NULL);

    g_assert_true (g_date_time_equal (start, at));
    g_assert_cmpstr (json_object_get_string_member (o, "therapist_id"), ==, THERAPIST);
    g_assert_cmpstr (json_object_get_string_member (o, "service_id"), ==, INDIVIDUAL);
    g_assert_cmpstr (json_object_get_string_member (o, "price"), ==, "60.00");
    g_assert_cmpint (json_object_get_int_member (o, "duration"), ==, 50);
    g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "pending");
    g_assert_cmpstr (json_object_get_string_member (o, "notes_for_therapist"), ==,
                     "Πρώτη συνάντηση");
    id = json_object_get_string_member (o, "id");
  }

  /* Under Upcoming, at that time, with the therapist and the service. */
  row_name = g_strdup_printf ("appointment-%s", id);
  cancel_name = g_strdup_printf ("appointment-cancel-%s", id);
  tf_ui_wait_subtitle (f.window, row_name, "Μαρία Οικονόμου · Individual session");
  row = tf_ui_find (f.window, row_name);
  g_assert_true (gtk_widget_get_ancestor (row, GTK_TYPE_LIST_BOX) ==
                 tf_ui_find (f.window, "appointments-upcoming"));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), first));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "Awaiting confirmation"));

  /* And its time is no longer free. */
  tf_ui_click (f.window, "appointments-book");
  tf_ui_wait_mapped (f.window, second_slot, TRUE);
  g_assert_null (tf_ui_find (f.window, first_slot));
  g_assert_cmpuint (n_slots (&f), ==, 3);
  tf_ui_click (f.window, "book-back");

  /* Cancelling without a reason: refused, said, nothing changes. */
  tf_ui_click (f.window, cancel_name);
  first_dialog = tf_ui_wait_dialog (NULL);
  g_clear_pointer (&f.failed, g_free);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (first_dialog), "cancel-appointment");
  g_assert_cmpstr (f.failed, ==, "Say why you cancel: your therapist will read the reason.");
  label = tf_ui_find (first_dialog, "appointment-cancel-error");
  g_assert_true (tf_ui_wait_for ((gboolean (*) (gpointer)) gtk_widget_get_visible, label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "Say why you cancel: your therapist will read the reason.");
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "pending");
  g_assert_false (json_object_has_member (plain, "cancellation_reason") &&
                  !json_object_get_null_member (plain, "cancellation_reason"));
  g_assert_nonnull (tf_ui_find (f.window, cancel_name));

  /* Only spaces are no reason either. */
  tf_ui_type (first_dialog, "appointment-cancel-reason", "   ");
  g_clear_pointer (&f.failed, g_free);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (first_dialog), "cancel-appointment");
  g_assert_nonnull (f.failed);
  g_clear_pointer (&plain, json_object_unref);
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "pending");

  /* With a reason: cancelled, by this client, now; the reason shown. */
  g_clear_pointer (&f.saved, g_free);
  tf_ui_type (first_dialog, "appointment-cancel-reason", "Είμαι άρρωστη");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (first_dialog), "cancel-appointment");
  g_assert_cmpstr (f.saved, ==, "Appointment cancelled");
  g_assert_true (tf_ui_wait_for (not_mapped, first_dialog));
  g_clear_pointer (&plain, json_object_unref);
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "cancelled");
  g_assert_cmpstr (json_object_get_string_member (plain, "cancellation_reason"), ==,
                   "Είμαι άρρωστη");
  g_assert_cmpstr (json_object_get_string_member (plain, "cancelled_by"), ==,
                   tf_vault_get_user_id (tf_ui_page_vault (&f)));
  g_assert_nonnull (json_object_get_string_member (plain, "cancelled_at"));
  tf_ui_wait_subtitle (f.window, row_name, "Cancelled by you: Είμαι άρρωστη");
  g_assert_null (tf_ui_find (f.window, cancel_name));

  /* A cancelled appointment cannot be cancelled again. */
  g_clear_pointer (&f.failed, g_free);
  g_assert_true (gtk_widget_activate_action (f.page, "appointments.cancel", "s", id));
  second_dialog = tf_ui_wait_dialog (first_dialog);
  tf_ui_type (second_dialog, "appointment-cancel-reason", "ξανά");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (second_dialog), "cancel-appointment");
  g_assert_nonnull (f.failed);
  g_assert_nonnull (strstr (f.failed, "cannot be cancelled"));
  g_assert_true (tf_ui_wait_for (not_mapped, second_dialog));
  g_clear_pointer (&plain, json_object_unref);
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "cancellation_reason"), ==,
                   "Είμαι άρρωστη");

  /* The time is free again. */
  tf_ui_click (f.window, "appointments-book");
  tf_ui_wait_mapped (f.window, first_slot, TRUE);
  g_assert_cmpuint (n_slots (&f), ==, 4);
  g_object_unref (first_dialog);
  g_object_unref (second_dialog);
  tf_ui_page_close (&f);
}

static GtkWidget *
make_unlinked_client_page (TfSession *session)
{
  return tf_appointments_page_new (session);
}

static void
test_link_first (void)
{
  Fixture f = { 0 };
  g_autoptr(GPtrArray) care = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *label;

  client_set_up (&f, make_unlinked_client_page);
  tf_ui_click (f.window, "appointments-book");
  tf_ui_wait_shown (f.window, "book-no-therapist");
  g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "book-calendar")));

  /* Not an address. */
  tf_ui_type (f.window, "link-email", "maria");
  tf_ui_click (f.window, "link-therapist");
  label = tf_ui_wait_shown (f.window, "link-error");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "Enter the e-mail address your therapist uses in Therapy Field");

  /* This computer only: said plainly, the address kept, nothing written. */
  tf_ui_type (f.window, "link-email", "maria@example.gr");
  tf_ui_click (f.window, "link-therapist");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)),
                            "This profile is on this computer only"));
  g_assert_cmpstr (f.failed, ==, gtk_label_get_text (GTK_LABEL (label)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window, "link-email"))),
                   ==, "maria@example.gr");
  care = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("care_relationships"), NULL,
                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (care->len, ==, 0);
  tf_ui_page_close (&f);
}

/* --- the therapist's services and prices ---------------------------------- */

static GtkWidget *
make_therapist_page (TfSession *session)
{
  g_autoptr(JsonArray) changes = json_array_new ();

  add_catalogue (changes);
  apply (session, changes);
  return tf_schedule_page_new (session);
}

static void
therapist_set_up (Fixture *f, GtkWidget *(*make) (TfSession *))
{
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };

  tf_ui_page_open (f, &reg, make, 360, 800);
}

static guint
n_offers (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = tf_vault_list (tf_ui_page_vault (f), tf_registry_lookup (
                                               "therapist_services"),
                                             "therapist_id",
                                             tf_vault_get_user_id (tf_ui_page_vault (f)), &error);

  g_assert_no_error (error);
  return rows->len;
}

static const char *
row_error (Fixture *f)
{
  GtkWidget *label = tf_ui_find (f->window, "service-error-individual");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* Types @price and @minutes and saves; the message of a refusal, or NULL. */
static const char *
save_offer (Fixture *f, const char *price, const char *minutes)
{
  g_clear_pointer (&f->failed, g_free);
  g_clear_pointer (&f->saved, g_free);
  tf_ui_type (f->window, "service-price-individual", price);
  tf_ui_type (f->window, "service-duration-individual", minutes);
  tf_ui_click (f->window, "service-save-individual");
  return row_error (f);
}

static void
on_saved (GtkWidget *page, const char *message, Fixture *f)
{
  g_free (f->saved);
  f->saved = g_strdup (message);
}

static void
test_services (void)
{
  Fixture f = { 0 };
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *row;
  GtkWidget *expander;

  therapist_set_up (&f, make_therapist_page);
  tf_ui_click (f.window, "schedule-services");
  expander = tf_ui_wait_shown (f.window, "service-individual");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (expander)), ==,
                   "Individual session");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==,
                   "Not offered");
  /* The catalogue in its order. */
  g_assert_true (gtk_widget_get_first_child (tf_ui_find (f.window, "services-list")) == expander);
  tf_ui_wait_shown (f.window, "service-consultation");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  /* A new offer starts from the service's own length. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_wait_shown (
                     f.window, "service-duration-individual"))), ==, "50");

  /* Refused, said next to the service and by ::failed; nothing saved; what
   * was typed stays. */
  g_assert_cmpstr (save_offer (&f, "-5", "50"), ==, "A price cannot be negative");
  g_assert_cmpstr (f.failed, ==, "Individual session: A price cannot be negative");
  g_assert_null (f.saved);
  g_assert_cmpuint (n_offers (&f), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (
                     f.window, "service-price-individual"))), ==, "-5");
  g_assert_cmpstr (save_offer (&f, "εξήντα", "50"), ==,
                   "“εξήντα” is not a price in euros; write it as 60 or 45.50");
  g_assert_cmpstr (save_offer (&f, "60.555", "50"), ==,
                   "“60.555” has more than two decimals; a price is in euros and cents");
  g_assert_cmpstr (save_offer (&f, "65,5", "0"), ==,
                   "A session lasts between 1 and 1440 minutes (got 0)");
  g_assert_cmpstr (save_offer (&f, "65,5", "1441"), ==,
                   "A session lasts between 1 and 1440 minutes (got 1441)");
  g_assert_cmpstr (save_offer (&f, "65,5", "μία ώρα"), ==,
                   "“μία ώρα” is not a number of minutes");
  g_assert_null (f.saved);
  g_assert_cmpuint (n_offers (&f), ==, 0);

  /* A price with a decimal comma: saved as 65.50, offered, 45 minutes. */
  g_assert_null (save_offer (&f, "65,5", "45"));
  g_assert_cmpstr (f.saved, ==, "Individual session saved");
  stored = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("therapist_services"),
                          "therapist_id", tf_vault_get_user_id (tf_ui_page_vault (&f)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  row = g_ptr_array_index (stored, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "service_id"), ==, INDIVIDUAL);
  g_assert_cmpstr (json_object_get_string_member (row, "price"), ==, "65.50");
  g_assert_cmpint (json_object_get_int_member (row, "duration"), ==, 45);
  g_assert_true (json_object_get_boolean_member (row, "is_available"));

  /* A new page shows it again. */
  f.page = tf_schedule_page_new (f.session);
  g_signal_connect (f.page, "saved", G_CALLBACK (on_saved), &f);
  gtk_window_set_child (GTK_WINDOW (f.window), f.page);
  tf_ui_click (f.window, "schedule-services");
  expander = tf_ui_wait_shown (f.window, "service-individual");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==,
                   "€65.50 · 45 min");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_wait_shown (
                     f.window, "service-price-individual"))), ==, "65.50");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (tf_ui_find (f.window,
                                                                "service-offered-individual"))));

  /* Offered no more: the same row, not offered. */
  gtk_switch_set_active (GTK_SWITCH (tf_ui_find (f.window, "service-offered-individual")), FALSE);
  tf_ui_click (f.window, "service-save-individual");
  g_assert_cmpuint (n_offers (&f), ==, 1);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("therapist_services"),
                          "therapist_id", tf_vault_get_user_id (tf_ui_page_vault (&f)), &error);
  g_assert_false (json_object_get_boolean_member (g_ptr_array_index (stored, 0),
                                                  "is_available"));

  /* The switch alone, no Save: stored at once, so going back loses
   * nothing, and a new page shows it offered. */
  g_clear_pointer (&f.saved, g_free);
  gtk_switch_set_active (GTK_SWITCH (tf_ui_find (f.window, "service-offered-individual")), TRUE);
  g_assert_cmpstr (f.saved, ==, "Individual session saved");
  tf_ui_click (f.window, "schedule-services-back");
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("therapist_services"),
                          "therapist_id", tf_vault_get_user_id (tf_ui_page_vault (&f)), &error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (stored, 0),
                                                 "is_available"));
  f.page = tf_schedule_page_new (f.session);
  g_signal_connect (f.page, "saved", G_CALLBACK (on_saved), &f);
  gtk_window_set_child (GTK_WINDOW (f.window), f.page);
  tf_ui_click (f.window, "schedule-services");
  expander = tf_ui_wait_shown (f.window, "service-individual");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==,
                   "€65.50 · 45 min");

  /* A price typed and not saved is saved on the way back (it was lost,
   * unsaid); one refused keeps the list, saying why. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  tf_ui_type (f.window, "service-price-individual", "-1");
  tf_ui_click (f.window, "schedule-services-back");
  g_assert_cmpstr (row_error (&f), ==, "A price cannot be negative");
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("therapist_services"),
                          "therapist_id", tf_vault_get_user_id (tf_ui_page_vault (&f)), &error);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (stored, 0), "price"), ==,
                   "65.50");
  tf_ui_type (f.window, "service-price-individual", "70");
  tf_ui_click (f.window, "schedule-services-back");
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("therapist_services"),
                          "therapist_id", tf_vault_get_user_id (tf_ui_page_vault (&f)), &error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (stored, 0), "price"), ==,
                   "70.00");
  tf_ui_page_close (&f);
}

static void
test_services_unknown (void)
{
  Fixture f = { 0 };
  GtkWidget *empty;

  therapist_set_up (&f, tf_schedule_page_new);
  tf_ui_click (f.window, "schedule-services");
  empty = tf_ui_wait_shown (f.window, "services-empty");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty)),
                            "This profile is on this computer only"));
  g_assert_null (tf_ui_find (f.window, "service-individual"));
  tf_ui_click (f.window, "schedule-services-back");
  tf_ui_wait_shown (f.window, "schedule-week");
  tf_ui_page_close (&f);
}

/* The booking form is open on tomorrow before the therapist's hours
 * reached this device: it says so.  When they arrive (a sync's pulled
 * page, with nobody asking the page), tomorrow's free times are in the
 * open form; a time booked meanwhile elsewhere (the CLI, on this
 * profile) leaves it, by itself too. */
static void
test_hours_arrive (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) day = tomorrow ();
  g_autoptr(JsonArray) hours = json_array_new ();
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *first = athens_time_shown (0, 9, 0, NULL);
  g_autofree char *first_slot = g_strdup_printf ("slot-%s", first);
  g_autofree char *taken = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *message;

  client_set_up (&f, make_client_page_before_hours);
  tf_ui_click (f.window, "appointments-book");
  tf_ui_wait_shown (f.window, "book-calendar");
  gtk_calendar_select_day (GTK_CALENDAR (tf_ui_find (f.window, "book-calendar")), day);
  message = tf_ui_wait_shown (f.window, "book-no-slots");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)),
                            "does not know your therapist’s working hours"));
  g_assert_cmpuint (n_slots (&f), ==, 0);

  add_therapist_hours (hours);
  apply (f.session, hours);
  tf_ui_wait_mapped (f.window, first_slot, TRUE);
  g_assert_cmpuint (n_slots (&f), ==, 4);
  g_assert_false (gtk_widget_get_visible (message));

  at = g_date_time_new (athens, g_date_time_get_year (day), g_date_time_get_month (day),
                        g_date_time_get_day_of_month (day), 9, 0, 0);
  taken = tf_booking_book (tf_ui_page_vault (&f), THERAPIST, at, NULL, NULL, &error);
  g_assert_no_error (error);
  tf_ui_wait_present (f.window, first_slot, FALSE);
  g_assert_cmpuint (n_slots (&f), ==, 3);
  tf_ui_page_close (&f);
}

/* A client ends care with their therapist from the therapist's row (its
 * menu, at 360 px): asked first, naming them; the row goes, the page says
 * so, and the core holds no active care with them. */
static void
test_end_care (void)
{
  Fixture f = { 0 };
  g_autofree char *heading = NULL;
  g_auto(GStrv) left = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *row, *menu, *item;

  client_set_up (&f, make_linked_client_page);
  row = tf_ui_wait_shown (f.window, "appointments-therapist");
  menu = tf_ui_find (row, "appointments-therapist-menu");
  g_assert_nonnull (menu);
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
  item = gtk_widget_get_parent (tf_ui_wait_label (menu, "End Care…"));
  g_signal_emit_by_name (item, "clicked");
  while ((dialog = tf_ui_find_dialog ("end-care-dialog")) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Μαρία Οικονόμου"));
  tf_ui_shot ("appointments-end-care");
  heading = tf_ui_answer_dialog ("end-care-dialog", "end-care");
  g_assert_cmpstr (heading, ==, "End Care?");
  tf_ui_wait_present (f.window, "appointments-therapist", FALSE);
  g_assert_cmpstr (f.saved, ==, "Care ended");
  left = tf_booking_list_therapists (tf_ui_page_vault (&f), NULL);
  g_assert_cmpuint (g_strv_length (left), ==, 0);
  tf_ui_page_close (&f);
}

/* --- appointments arriving while the list is open ------------------------- */

/* An appointment of this client with THERAPIST in @days days at 10:00 UTC,
 * stored by another path (as the CLI or a sync would); its id. */
static char *
put_mine (Fixture *f, int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) day = g_date_time_new_utc (g_date_time_get_year (now),
                                                  g_date_time_get_month (now),
                                                  g_date_time_get_day_of_month (now), 10, 0, 0);
  g_autoptr(GDateTime) at = g_date_time_add_days (day, days);

  return tf_ui_put_appointment_with (f->session, THERAPIST,
                                     tf_vault_get_user_id (tf_ui_page_vault (f)), at, "pending");
}

/* An appointment stored elsewhere (the CLI, a sync) joins the open list
 * by itself, in its place, and the other rows stay: the row the keyboard is on keeps the
 * focus (the old page cleared and rebuilt both lists at every change). */
static void
test_arrival_keeps_focus (void)
{
  Fixture f = { 0 };
  g_autofree char *first = NULL, *second = NULL, *first_row = NULL, *second_row = NULL;
  GtkWidget *row, *list;

  client_set_up (&f, make_linked_client_page);
  first = put_mine (&f, 1);
  first_row = g_strdup_printf ("appointment-%s", first);
  row = tf_ui_wait_shown (f.window, first_row);
  g_assert_true (gtk_widget_grab_focus (row));

  second = put_mine (&f, 3);
  second_row = g_strdup_printf ("appointment-%s", second);
  tf_ui_wait_shown (f.window, second_row);
  list = tf_ui_find (f.window, "appointments-upcoming");
  g_assert_true (gtk_widget_get_first_child (list) == row);
  g_assert_true (tf_ui_find (f.window, first_row) == row);
  g_assert_true (gtk_widget_has_focus (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                              tf_ui_find (f.window, second_row))), "\n"));
  tf_ui_page_close (&f);
}

/* A held session whose record the therapist shared: My appointments shows
 * its summary, homework and plan under the past appointment; one not shared
 * (no key here) shows none of it. */
static void
test_shared_session (void)
{
  Fixture f = { 0 };
  g_autofree char *held = NULL, *row_name = NULL, *session = g_uuid_string_random ();
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *subtitle;

  client_set_up (&f, make_linked_client_page);
  held = put_mine (&f, -2);
  row_name = g_strdup_printf ("appointment-%s", held);
  tf_ui_wait_shown (f.window, row_name);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (tf_ui_find (f.window, row_name)));
  g_assert_null (strstr (subtitle, "Homework"));

  /* The session as this device can read it (its key here, as the
   * therapist's grant gives it). */
  json_object_set_string_member (plain, "id", session);
  json_object_set_string_member (plain, "appointment_id", held);
  json_object_set_string_member (plain, "created_at", "2026-11-01T09:00:00Z");
  json_object_set_string_member (plain, "session_summary", "Μιλήσαμε για το άγχος.");
  json_object_set_string_member (plain, "homework_assigned", "Ημερολόγιο σκέψεων.");
  json_object_set_boolean_member (plain, "shared_with_client", TRUE);
  g_assert_true (tf_vault_put (tf_ui_page_vault (&f), tf_registry_lookup ("sessions"), session,
                               plain, &error));
  g_assert_no_error (error);
  tf_ui_wait_subtitle (f.window, row_name, "Homework: Ημερολόγιο σκέψεων.");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (tf_ui_find (f.window, row_name)));
  g_assert_nonnull (strstr (subtitle, "Summary: Μιλήσαμε για το άγχος."));
  g_assert_null (strstr (subtitle, "Next session"));
  tf_ui_page_close (&f);
}

int
main (int argc, char **argv)
{
  tf_ui_init (&argc, &argv, "C.UTF-8");

  g_test_add_func ("/tf/appointments/book-and-cancel", test_book_and_cancel);
  g_test_add_func ("/tf/appointments/link-first", test_link_first);
  g_test_add_func ("/tf/appointments/hours-arrive", test_hours_arrive);
  g_test_add_func ("/tf/appointments/arrival-keeps-focus", test_arrival_keeps_focus);
  g_test_add_func ("/tf/appointments/shared-session", test_shared_session);
  g_test_add_func ("/tf/appointments/end-care", test_end_care);
  g_test_add_func ("/tf/appointments/services-and-prices", test_services);
  g_test_add_func ("/tf/appointments/services-unknown", test_services_unknown);
  return g_test_run ();
}
