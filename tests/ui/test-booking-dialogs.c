/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-booking-dialogs.c: the therapist's New Appointment and Move
 * Appointment dialogs in a real window under Xvfb, in English and (with
 * --greek) in Greek: the schedule's New Appointment opens the dialog with
 * the clients in care; a day past is refused in words and nothing is
 * written; an online session with its link is booked, confirmed, and
 * shows a Join button in the list; the same time again is refused as
 * taken; Move… takes it to another hour and the appointment keeps the time
 * it had; the server's refusal of the move is said in words, once.  GTK warnings are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-availability.h"
#include "tf-booking.h"
#include "tf-schedule-page.h"
#include "tf-time.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

static gboolean greek;

typedef TfUiPage Fixture;

static const char *
says (const char *english, const char *greek_words)
{
  return greek ? greek_words : english;
}

/* The toplevel window named @name, or NULL. */
static GtkWidget *
find_window (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (w), name) == 0 && gtk_widget_get_visible (w))
        return w;
    }
  return NULL;
}

static gboolean
window_there (gpointer data)
{
  return find_window (data) != NULL;
}

static gboolean
window_gone (gpointer data)
{
  return find_window (data) == NULL;
}

static GtkWidget *
wait_window (const char *name)
{
  g_assert_true (tf_ui_wait_for (window_there, (gpointer) name));
  return find_window (name);
}

static const char *
error_of (GtkWidget *dialog, const char *name)
{
  GtkWidget *label = tf_ui_find (dialog, name);

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* @days from today in the therapist's zone, as YYYY-MM-DD. */
static char *
day_in (Fixture *f, int days)
{
  g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (f->session);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

  return g_date_time_format (day, "%Y-%m-%d");
}

/* The appointments of this therapist with @client. */
static GPtrArray *
appointments_of (Fixture *f, const char *client)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = tf_vault_list (tf_ui_page_vault (f), tf_registry_lookup ("appointments"),
                                   "client_id", client, &error);

  g_assert_no_error (error);
  return rows;
}

static void
test_new_and_move (void)
{
  Fixture f = { 0 };
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };
  g_autofree char *client = NULL, *yesterday = NULL, *ahead = NULL, *row_name = NULL;
  g_autofree char *join_name = NULL, *expected = NULL;
  g_autoptr(GPtrArray) booked = NULL;
  g_autoptr(JsonObject) moved = NULL;
  g_autofree char *id = NULL, *before = NULL;
  GtkWidget *dialog;
  AdwComboRow *clients;
  const char *problem;

  tf_ui_page_open (&f, &reg, tf_schedule_page_new, 600, 800);
  client = tf_ui_pull_client (f.session, "Ελένη", "Παπαδοπούλου");

  /* The dialog, in the app's language, with the client in care. */
  tf_ui_click (f.window, "schedule-new-appointment");
  dialog = wait_window ("new-appointment");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==,
                   says ("New Appointment", "Νέο ραντεβού"));
  clients = ADW_COMBO_ROW (tf_ui_find (dialog, "new-appointment-client"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (clients)), ==, 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (clients)),
                                               0), ==, "Ελένη Παπαδοπούλου");

  /* A day past: said in words, nothing written, the dialog stays. */
  yesterday = day_in (&f, -1);
  tf_ui_type (dialog, "new-appointment-date", yesterday);
  tf_ui_type (dialog, "new-appointment-time", "10:00");
  tf_ui_click (dialog, "new-appointment-book");
  problem = error_of (dialog, "new-appointment-error");
  g_assert_cmpstr (problem, ==, says ("An appointment must be in the future",
                                      "Ένα ραντεβού πρέπει να είναι στο μέλλον"));
  g_assert_true (find_window ("new-appointment") != NULL);
  booked = appointments_of (&f, client);
  g_assert_cmpuint (booked->len, ==, 0);
  g_clear_pointer (&booked, g_ptr_array_unref);
  /* Not a date at all. */
  tf_ui_type (dialog, "new-appointment-date", "3/12");
  tf_ui_click (dialog, "new-appointment-book");
  g_assert_nonnull (strstr (error_of (dialog, "new-appointment-error"),
                            says ("YYYY-MM-DD", "ΕΕΕΕ-ΜΜ-ΗΗ")));

  /* Online, with its link: booked, confirmed, the dialog gone. */
  ahead = day_in (&f, 3);
  tf_ui_type (dialog, "new-appointment-date", ahead);
  gtk_switch_set_active (GTK_SWITCH (tf_ui_find (dialog, "new-appointment-online")), TRUE);
  tf_ui_wait_mapped (dialog, "new-appointment-link", TRUE);
  tf_ui_type (dialog, "new-appointment-link", "https://meet.example.org/room-1");
  tf_ui_shot (greek ? "new-appointment-el" : "new-appointment");
  tf_ui_click (dialog, "new-appointment-book");
  g_assert_true (tf_ui_wait_for (window_gone, (gpointer) "new-appointment"));
  g_assert_cmpstr (f.saved, ==, says ("Appointment booked", "Το ραντεβού κλείστηκε"));
  booked = appointments_of (&f, client);
  g_assert_cmpuint (booked->len, ==, 1);
  id = g_strdup (json_object_get_string_member (g_ptr_array_index (booked, 0), "id"));
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (booked, 0), "status"), ==,
                   "confirmed");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (booked, 0),
                                                  "meeting_url"), ==,
                   "https://meet.example.org/room-1");
  before = g_strdup (json_object_get_string_member (g_ptr_array_index (booked, 0),
                                                    "appointment_datetime"));

  /* The same time again: taken, in words. */
  tf_ui_click (f.window, "schedule-new-appointment");
  dialog = wait_window ("new-appointment");
  tf_ui_type (dialog, "new-appointment-date", ahead);
  tf_ui_type (dialog, "new-appointment-time", "10:00");
  tf_ui_click (dialog, "new-appointment-book");
  problem = error_of (dialog, "new-appointment-error");
  g_assert_nonnull (problem);
  g_assert_true (g_str_has_prefix (problem, says ("You already have an appointment at",
                                                  "Έχετε ήδη ραντεβού στις")));
  /* At the time the calendar shows (the therapist's zone), not this
   * computer's (the tests run in UTC). */
  {
    g_autofree char *shown = g_strdup_printf ("%s 10:00", ahead);

    g_assert_nonnull (strstr (problem, shown));
  }
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (tf_ui_wait_for (window_gone, (gpointer) "new-appointment"));

  /* A day off: booking on it and moving onto it are refused before
   * anything is written (the server would refuse them as blocked_date). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (f.session);
    g_autoptr(GDateTime) now = g_date_time_new_now (zone);
    g_autoptr(GDateTime) day = g_date_time_add_days (now, 5);
    g_autoptr(GDateTime) at = g_date_time_new (zone, g_date_time_get_year (day),
                                               g_date_time_get_month (day),
                                               g_date_time_get_day_of_month (day), 10, 0, 0);
    g_autofree char *off = day_in (&f, 5);
    g_autofree char *blocked = tf_availability_block (tf_ui_page_vault (&f), off, NULL, NULL,
                                                      &error);
    g_autofree char *refused = NULL;
    g_autoptr(JsonObject) kept = NULL;

    g_assert_no_error (error);
    refused = tf_booking_book_for_client (tf_ui_page_vault (&f), client, at, NULL, "in_person",
                                          NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_DAY_OFF);
    g_assert_nonnull (strstr (error->message, off));
    g_clear_error (&error);
    g_assert_false (tf_booking_move (tf_ui_page_vault (&f), id, at, &error));
    g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_DAY_OFF);
    g_clear_error (&error);
    kept = tf_ui_get (f.session, "appointments", id);
    g_assert_cmpstr (json_object_get_string_member (kept, "appointment_datetime"), ==, before);
    g_clear_pointer (&booked, g_ptr_array_unref);
    booked = appointments_of (&f, client);
    g_assert_cmpuint (booked->len, ==, 1);
    g_assert_true (tf_availability_unblock (tf_ui_page_vault (&f), blocked, &error));
    g_assert_no_error (error);
  }

  /* The list shows it with Join. */
  g_assert_true (gtk_widget_activate_action (f.page, "calendar.view", "s", "list"));
  row_name = g_strdup_printf ("appointment-%s", id);
  join_name = g_strdup_printf ("appointment-join-%s", id);
  /* Three days on may be next week's: one week on, then. */
  {
    g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (f.session);
    g_autoptr(GDateTime) at = tf_time_parse_timestamp (before, NULL);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (at, zone);
    g_autoptr(GDateTime) now = g_date_time_new_now (zone);
    int weeks = (g_date_time_get_week_of_year (local) != g_date_time_get_week_of_year (now));

    for (int i = 0; i < weeks; i++)
      g_assert_true (gtk_widget_activate_action (f.page, "calendar.next", NULL));
  }
  tf_ui_wait_shown (f.window, row_name);
  tf_ui_wait_shown (f.window, join_name);

  /* Move… two hours later: the appointment keeps the time it had. */
  g_assert_true (gtk_widget_activate_action (f.page, "appointment.move", "s", id));
  dialog = wait_window ("move-appointment");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==,
                   says ("Move Appointment", "Μετακίνηση ραντεβού"));
  tf_ui_type (dialog, "move-appointment-time", "12:00");
  tf_ui_click (dialog, "move-appointment-move");
  g_assert_true (tf_ui_wait_for (window_gone, (gpointer) "move-appointment"));
  g_assert_cmpstr (f.saved, ==, says ("Appointment moved", "Το ραντεβού μετακινήθηκε"));
  moved = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (moved, "previous_datetime"), ==, before);
  expected = g_strdup (json_object_get_string_member (moved, "appointment_datetime"));
  {
    g_autoptr(GDateTime) a = tf_time_parse_timestamp (before, NULL);
    g_autoptr(GDateTime) b = tf_time_parse_timestamp (expected, NULL);

    g_assert_cmpint (g_date_time_difference (b, a), ==, 2 * G_TIME_SPAN_HOUR);
  }

  /* The server refuses the move at the next sync (taken meanwhile by
   * another device): the page says so, in words, once. */
  {
    g_autoptr(GError) error = NULL;
    TfStore *store = tf_session_get_store (f.session);
    g_autoptr(JsonArray) queued = tf_store_outbox_peek (store, 100, &error);
    g_autoptr(JsonArray) results = json_array_new ();
    g_autofree char *refused = NULL;
    JsonObject *result = json_object_new ();
    gint64 last = 0;
    guint conflicts = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (queued); i++)
      {
        JsonObject *m = json_array_get_object_element (queued, i);

        if (g_strcmp0 (json_object_get_string_member (m, "id"), id) == 0)
          last = json_object_get_int_member (m, "mutation_id");
      }
    g_assert_cmpint (last, >, 0);
    json_object_set_int_member (result, "mutation_id", last);
    json_object_set_string_member (result, "status", "rejected");
    json_object_set_string_member (result, "code", "slot_taken");
    json_object_set_string_member (result, "message",
                                   "the therapist already has an appointment at that time");
    json_array_add_object_element (results, result);
    g_assert_true (tf_store_apply_push_results (store, results, &conflicts, &error));
    g_assert_no_error (error);
    g_clear_pointer (&f.failed, g_free);
    g_signal_emit_by_name (f.session, "synced");
    g_assert_nonnull (f.failed);
    g_assert_true (g_str_has_suffix (f.failed, says ("That time is already booked",
                                                     "Αυτή η ώρα είναι ήδη κλεισμένη")));
    refused = g_steal_pointer (&f.failed);
    g_signal_emit_by_name (f.session, "synced");
    g_assert_null (f.failed);
  }

  /* A refusal the booking words do not name (forbidden, from a server's
   * access rule): said in the app's language, never the server's English. */
  {
    g_autoptr(GError) error = NULL;
    TfStore *store = tf_session_get_store (f.session);
    g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (f.session);
    g_autoptr(GDateTime) now = g_date_time_new_now (zone);
    g_autoptr(GDateTime) day = g_date_time_add_days (now, 6);
    g_autoptr(GDateTime) at = g_date_time_new (zone, g_date_time_get_year (day),
                                               g_date_time_get_month (day),
                                               g_date_time_get_day_of_month (day), 9, 0, 0);
    g_autofree char *other = tf_booking_book_for_client (tf_ui_page_vault (&f), client, at,
                                                         NULL, "in_person", NULL, &error);
    g_autoptr(JsonArray) queued = NULL;
    g_autoptr(JsonArray) results = json_array_new ();
    JsonObject *result = json_object_new ();
    gint64 last = 0;
    guint conflicts = 0;

    g_assert_no_error (error);
    queued = tf_store_outbox_peek (store, 100, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (queued); i++)
      {
        JsonObject *m = json_array_get_object_element (queued, i);

        if (g_strcmp0 (json_object_get_string_member (m, "id"), other) == 0)
          last = json_object_get_int_member (m, "mutation_id");
      }
    g_assert_cmpint (last, >, 0);
    json_object_set_int_member (result, "mutation_id", last);
    json_object_set_string_member (result, "status", "rejected");
    json_object_set_string_member (result, "code", "forbidden");
    json_object_set_string_member (result, "message", "this record belongs to someone else");
    json_array_add_object_element (results, result);
    g_assert_true (tf_store_apply_push_results (store, results, &conflicts, &error));
    g_assert_no_error (error);
    g_clear_pointer (&f.failed, g_free);
    g_signal_emit_by_name (f.session, "synced");
    g_assert_nonnull (f.failed);
    g_assert_null (strstr (f.failed, "someone else"));
    g_assert_true (g_str_has_suffix (f.failed, says ("You may not make this change",
                                                     "Δεν έχετε δικαίωμα για αυτή την αλλαγή")));
  }
  tf_ui_page_close (&f);
}

static int
by_start (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (json_object_get_string_member (*(JsonObject **) a, "appointment_datetime"),
                    json_object_get_string_member (*(JsonObject **) b, "appointment_datetime"));
}

/* Every week, four times, the second already taken: the first Book shows
 * that one and why and books nothing; Book again books the other three,
 * one series. */
static void
test_series (void)
{
  Fixture f = { 0 };
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };
  g_autofree char *client = NULL, *ahead = NULL, *taken = NULL, *series = NULL;
  g_autoptr(GPtrArray) booked = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) now = NULL, second = NULL, at = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  const char *problem;
  guint of_series = 0;

  tf_ui_page_open (&f, &reg, tf_schedule_page_new, 600, 800);
  client = tf_ui_pull_client (f.session, "Ελένη", "Παπαδοπούλου");
  for (int day = 0; day <= 6; day++)
    {
      g_autoptr(GPtrArray) times = g_ptr_array_new ();
      g_auto(GStrv) ids = NULL;

      g_ptr_array_add (times, (gpointer) "09:00:00");
      g_ptr_array_add (times, (gpointer) "17:00:00");
      ids = tf_availability_set_day (tf_ui_page_vault (&f), day, times, NULL, &error);
      g_assert_no_error (error);
    }
  zone = tf_session_dup_time_zone (f.session);
  now = g_date_time_new_now (zone);
  second = g_date_time_add_days (now, 3 + 7);
  at = g_date_time_new (zone, g_date_time_get_year (second), g_date_time_get_month (second),
                        g_date_time_get_day_of_month (second), 10, 0, 0);
  taken = tf_booking_book_for_client (tf_ui_page_vault (&f), client, at, NULL, "in_person", NULL,
                                      &error);
  g_assert_no_error (error);

  tf_ui_click (f.window, "schedule-new-appointment");
  dialog = wait_window ("new-appointment");
  ahead = day_in (&f, 3);
  tf_ui_type (dialog, "new-appointment-date", ahead);
  tf_ui_type (dialog, "new-appointment-time", "10:00");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tf_ui_find (dialog, "new-appointment-repeat")), 1);
  tf_ui_wait_mapped (dialog, "new-appointment-count", TRUE);
  tf_ui_type (dialog, "new-appointment-count", "4");
  tf_ui_click (dialog, "new-appointment-book");
  problem = error_of (dialog, "new-appointment-error");
  g_assert_nonnull (problem);
  g_assert_true (g_str_has_prefix (problem, says ("1 of the 4 appointments clashes:",
                                                  "1 από τα 4 ραντεβού συγκρούεται:")));
  g_assert_nonnull (strstr (problem, says ("another appointment then",
                                           "άλλο ραντεβού εκείνη την ώρα")));
  g_assert_nonnull (strstr (problem, says ("Book again to book the other 3.",
                                           "Πατήστε ξανά Κράτηση για τα άλλα 3.")));
  tf_ui_shot (greek ? "new-series-el" : "new-series");
  booked = appointments_of (&f, client);
  g_assert_cmpuint (booked->len, ==, 1);
  g_clear_pointer (&booked, g_ptr_array_unref);

  tf_ui_click (dialog, "new-appointment-book");
  g_assert_true (tf_ui_wait_for (window_gone, (gpointer) "new-appointment"));
  booked = appointments_of (&f, client);
  g_assert_cmpuint (booked->len, ==, 4);
  for (guint i = 0; i < booked->len; i++)
    {
      JsonObject *o = g_ptr_array_index (booked, i);
      const char *id = json_object_get_string_member (o, "series_id");

      if (g_strcmp0 (json_object_get_string_member (o, "id"), taken) == 0)
        {
          g_assert_null (id);
          continue;
        }
      if (series == NULL)
        series = g_strdup (id);
      g_assert_cmpstr (id, ==, series);
      of_series++;
    }
  g_assert_cmpuint (of_series, ==, 3);

  /* A single appointment's Cancel offers no "this and following". */
  g_assert_true (gtk_widget_activate_action (f.page, "schedule.cancel", "s", taken));
  dialog = tf_ui_wait_dialog (NULL);
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog),
                                                   "cancel-following"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");

  /* The series' second (the 3rd week), this and the following: two. */
  {
    g_autoptr(GPtrArray) ids = g_ptr_array_new ();
    const char *second_id;
    g_autofree char *first_id = NULL;

    for (guint i = 0; i < booked->len; i++)
      {
        JsonObject *o = g_ptr_array_index (booked, i);

        if (g_strcmp0 (json_object_get_string_member_with_default (o, "series_id", ""),
                       series) == 0)
          g_ptr_array_add (ids, o);
      }
    g_ptr_array_sort (ids, by_start);
    second_id = json_object_get_string_member (g_ptr_array_index (ids, 1), "id");
    first_id = g_strdup (json_object_get_string_member (g_ptr_array_index (ids, 0), "id"));
    g_assert_true (gtk_widget_activate_action (f.page, "schedule.cancel", "s", second_id));
    {
      GtkWidget *single_dialog = dialog;

      dialog = tf_ui_wait_dialog (single_dialog);
      g_object_unref (single_dialog);
    }
    g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog),
                                                    "cancel-following"));
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                             "cancel-following"));
    tf_ui_type (dialog, "schedule-cancel-reason", "Τέλος θεραπείας");
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                            "cancel-following"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel-following");
    g_clear_object (&dialog);
    g_assert_cmpstr (f.saved, ==, says ("2 appointments cancelled", "2 ραντεβού ακυρώθηκαν"));
    g_clear_pointer (&booked, g_ptr_array_unref);
    booked = appointments_of (&f, client);
    for (guint i = 0; i < booked->len; i++)
      {
        JsonObject *o = g_ptr_array_index (booked, i);
        const char *status = json_object_get_string_member (o, "status");

        if (g_strcmp0 (json_object_get_string_member (o, "id"), first_id) == 0 ||
            g_strcmp0 (json_object_get_string_member (o, "id"), taken) == 0)
          g_assert_cmpstr (status, ==, "confirmed");
        else
          g_assert_cmpstr (status, ==, "cancelled");
      }
  }
  tf_ui_page_close (&f);
}

/* The Booking Rules of Hours and Days Off: a number that is none is
 * refused under the rows and nothing is stored; the rules saved are the
 * ones stored, and the New Appointment dialog then shows the practice's
 * address for a session in person. */
static void
test_rules (void)
{
  Fixture f = { 0 };
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };
  g_autoptr(JsonObject) practice = NULL;
  TfBookingRules rules;
  GtkWidget *dialog, *address;

  tf_ui_page_open (&f, &reg, tf_schedule_page_new, 600, 900);
  g_free (tf_ui_pull_client (f.session, "Ελένη", "Παπαδοπούλου"));
  g_assert_true (gtk_widget_activate_action (f.page, "schedule.availability", NULL));
  tf_ui_wait_shown (f.window, "booking-rules-save");
  tf_ui_type (f.window, "booking-rules-notice", "δύο ώρες");
  tf_ui_click (f.window, "booking-rules-save");
  tf_ui_wait_shown (f.window, "booking-rules-error");
  g_assert_cmpstr (f.failed, ==, says ("The booking rules were not saved",
                                       "Οι κανόνες κρατήσεων δεν αποθηκεύτηκαν"));
  practice = tf_booking_dup_practice (tf_ui_page_vault (&f),
                                      tf_vault_get_user_id (tf_ui_page_vault (&f)), NULL);
  g_assert_null (practice);

  tf_ui_type (f.window, "booking-rules-notice", "120");
  tf_ui_type (f.window, "booking-rules-buffer", "15");
  tf_ui_type (f.window, "booking-rules-ahead", "60");
  tf_ui_type (f.window, "booking-rules-template", "https://meet.example.org/tf-{id}");
  tf_ui_type (f.window, "booking-rules-address", "Σόλωνος 10, Αθήνα");
  tf_ui_click (f.window, "booking-rules-save");
  g_assert_cmpstr (f.saved, ==, says ("Booking rules saved",
                                      "Οι κανόνες κρατήσεων αποθηκεύτηκαν"));
  tf_ui_wait_mapped (f.window, "booking-rules-error", FALSE);
  practice = tf_booking_dup_practice (tf_ui_page_vault (&f),
                                      tf_vault_get_user_id (tf_ui_page_vault (&f)), &rules);
  g_assert_nonnull (practice);
  g_assert_cmpint (rules.min_notice_minutes, ==, 120);
  g_assert_cmpint (rules.buffer_minutes, ==, 15);
  g_assert_cmpint (rules.max_days_ahead, ==, 60);
  g_assert_cmpstr (tf_json_get_string (practice, "meeting_url_template"), ==,
                   "https://meet.example.org/tf-{id}");

  g_assert_true (gtk_widget_activate_action (f.page, "schedule.new-appointment", NULL));
  dialog = wait_window ("new-appointment");
  address = tf_ui_find (dialog, "new-appointment-address");
  g_assert_true (gtk_widget_get_visible (address));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (address)), ==,
                   says ("At the practice: Σόλωνος 10, Αθήνα", "Στο γραφείο: Σόλωνος 10, Αθήνα"));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (tf_ui_wait_for (window_gone, (gpointer) "new-appointment"));
  tf_ui_page_close (&f);
}

int
main (int argc, char **argv)
{
  greek = tf_ui_init_language (&argc, &argv);

  g_test_add_func ("/tf/booking-dialogs/new-and-move", test_new_and_move);
  g_test_add_func ("/tf/booking-dialogs/series", test_series);
  g_test_add_func ("/tf/booking-dialogs/rules", test_rules);
  return g_test_run ();
}
