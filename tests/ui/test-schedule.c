/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-schedule.c: a therapist's schedule in a real window under Xvfb, on a
 * profile made on this computer only (tf_account_create_local, through the
 * session): the availability editor refuses a reversed range and
 * overlapping windows, saying why next to the days and writing nothing,
 * then stores 09:00–17:00; a date blocked and unblocked; the week agenda
 * shows an appointment of this week, confirming it changes the stored
 * status, cancelling it asks for a reason and stores who and when; an
 * appointment and a client's name arriving (the CLI, a sync) show by
 * themselves, and the other days stay as they were.  GTK warnings are
 * fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tf-availability-editor.h"
#include "tf-crypto.h"
#include "tf-schedule-page.h"
#include "tf-time.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

typedef TfUiPage Fixture;

/* A therapist profile on this computer only, unlocked, and @make's widget
 * in a window. */
static void
fixture_set_up (Fixture *f, GtkWidget *(*make) (TfSession *))
{
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };

  tf_ui_page_open (f, &reg, make, 600, 800);
  g_assert_cmpstr (tf_session_get_role (f->session), ==, "therapist");
}

static void
fixture_tear_down (Fixture *f)
{
  tf_ui_page_close (f);
}

static guint
count (Fixture *f, const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = tf_vault_list (tf_ui_page_vault (f), tf_registry_lookup (table),
                                             "therapist_id",
                                             tf_vault_get_user_id (tf_ui_page_vault (f)), &error);

  g_assert_no_error (error);
  return rows->len;
}

static const char *
error_text (Fixture *f)
{
  GtkWidget *label = tf_ui_find (f->window, "availability-error");

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* --- the availability editor ---------------------------------------------- */

static void
test_availability (void)
{
  Fixture f = { 0 };
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  JsonObject *row;

  fixture_set_up (&f, tf_availability_editor_new);
  tf_ui_wait_shown (f.window, "availability-save");
  g_assert_null (error_text (&f));

  /* Monday (stored as 1), 17:00–09:00: refused, said, nothing written. */
  tf_ui_click (f.window, "availability-add-1");
  tf_ui_type (f.window, "availability-start-1-0", "17:00");
  tf_ui_type (f.window, "availability-end-1-0", "09:00");
  tf_ui_click (f.window, "availability-save");
  g_assert_cmpstr (error_text (&f), ==, "Monday: the end must be after the start (17:00–09:00)");
  g_assert_cmpstr (f.failed, ==, "Monday: the end must be after the start (17:00–09:00)");
  g_assert_true (gtk_widget_get_mapped (tf_ui_find (f.window, "availability-error")));
  g_assert_true (gtk_widget_has_css_class (tf_ui_find (f.window, "availability-end-1-0"),
                                           "error"));
  g_assert_null (f.saved);
  g_assert_cmpuint (count (&f, "therapist_availability"), ==, 0);

  /* Not a time at all. */
  tf_ui_type (f.window, "availability-start-1-0", "25:00");
  tf_ui_click (f.window, "availability-save");
  g_assert_cmpstr (error_text (&f), ==,
                   "Monday: “25:00” is not a time between 00:00 and 24:00");
  g_assert_cmpuint (count (&f, "therapist_availability"), ==, 0);

  /* Two windows that overlap: refused too. */
  tf_ui_type (f.window, "availability-start-1-0", "09:00");
  tf_ui_type (f.window, "availability-end-1-0", "12:00");
  tf_ui_click (f.window, "availability-add-1");
  tf_ui_type (f.window, "availability-start-1-1", "11:00");
  tf_ui_type (f.window, "availability-end-1-1", "13:00");
  tf_ui_click (f.window, "availability-save");
  g_assert_cmpstr (error_text (&f), ==, "Monday: 11:00–13:00 overlaps 09:00–12:00");
  g_assert_cmpstr (f.failed, ==, "Monday: 11:00–13:00 overlaps 09:00–12:00");
  g_assert_null (f.saved);
  g_assert_cmpuint (count (&f, "therapist_availability"), ==, 0);

  /* One window, 09:00–17:00: stored, and the message gone. */
  tf_ui_click (f.window, "availability-remove-1-1");
  g_assert_null (tf_ui_find (f.window, "availability-start-1-1"));
  tf_ui_type (f.window, "availability-end-1-0", "17:00");
  tf_ui_click (f.window, "availability-save");
  g_assert_null (error_text (&f));
  g_assert_cmpstr (f.saved, ==, "Availability saved");
  stored = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("therapist_availability"),
                          "therapist_id", tf_vault_get_user_id (tf_ui_page_vault (&f)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  row = g_ptr_array_index (stored, 0);
  g_assert_cmpint (json_object_get_int_member (row, "day_of_week"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "start_time"), ==, "09:00:00");
  g_assert_cmpstr (json_object_get_string_member (row, "end_time"), ==, "17:00:00");
  g_assert_true (json_object_get_boolean_member (row, "is_available"));
  first_id = g_strdup (json_object_get_string_member (row, "id"));

  /* Read back as it was typed; saving again unchanged writes nothing new. */
  tf_availability_editor_reload (TF_AVAILABILITY_EDITOR (f.page));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window,
                                                                    "availability-start-1-0"))),
                   ==, "09:00");
  tf_ui_click (f.window, "availability-save");
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = tf_vault_list (tf_ui_page_vault (&f), tf_registry_lookup ("therapist_availability"),
                          "therapist_id", tf_vault_get_user_id (tf_ui_page_vault (&f)), &error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (stored, 0), "id"), ==,
                   first_id);

  /* The end of the day, 24:00, is accepted (stored as the last second). */
  tf_ui_click (f.window, "availability-add-5");
  tf_ui_type (f.window, "availability-start-5-0", "18:00");
  tf_ui_type (f.window, "availability-end-5-0", "24:00");
  tf_ui_click (f.window, "availability-save");
  g_assert_null (error_text (&f));
  g_assert_cmpuint (count (&f, "therapist_availability"), ==, 2);
  fixture_tear_down (&f);
}

/* The first GtkCalendar under @widget: the one in a date button's popover. */
static GtkWidget *
find_calendar (GtkWidget *widget)
{
  if (GTK_IS_CALENDAR (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_calendar (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_blocked_dates (void)
{
  Fixture f = { 0 };
  GtkWidget *label;

  fixture_set_up (&f, tf_availability_editor_new);

  /* Not a date: refused with a message. */
  tf_ui_type (f.window, "blocked-date", "2030-02-30");
  tf_ui_click (f.window, "blocked-add");
  label = tf_ui_find (f.window, "availability-blocked-error");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "“2030-02-30” is not a date; write it as YYYY-MM-DD");
  g_assert_cmpuint (count (&f, "therapist_blocked_dates"), ==, 0);

  /* A day picked in the calendar beside the entry is written into it. */
  {
    GtkWidget *calendar = find_calendar (tf_ui_find (f.window, "blocked-date"));
    g_autoptr(GDateTime) day = g_date_time_new_local (2030, 6, 2, 0, 0, 0);

    g_assert_nonnull (calendar);
    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window,
                                                                      "blocked-date"))),
                     ==, "2030-06-02");
  }

  /* Added, listed, refused twice, removed. */
  tf_ui_type (f.window, "blocked-date", "2030-05-01");
  tf_ui_type (f.window, "blocked-reason", "Πρωτομαγιά");
  tf_ui_click (f.window, "blocked-add");
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_cmpstr (f.saved, ==, "Date blocked");
  g_assert_cmpuint (count (&f, "therapist_blocked_dates"), ==, 1);
  tf_ui_wait_present (f.window, "blocked-2030-05-01", TRUE);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (tf_ui_find (f.window,
                                                                "blocked-2030-05-01"))), ==,
                   "Πρωτομαγιά");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window, "blocked-date"))),
                   ==, "");

  tf_ui_type (f.window, "blocked-date", "2030-05-01");
  tf_ui_click (f.window, "blocked-add");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "2030-05-01 is already blocked");
  g_assert_cmpuint (count (&f, "therapist_blocked_dates"), ==, 1);

  tf_ui_click (f.window, "blocked-remove-2030-05-01");
  g_assert_cmpstr (f.saved, ==, "Date unblocked");
  g_assert_cmpuint (count (&f, "therapist_blocked_dates"), ==, 0);
  tf_ui_wait_present (f.window, "blocked-2030-05-01", FALSE);
  fixture_tear_down (&f);
}

/* A vacation: a first and a last day, one row that shows both; a day
 * inside it is refused; a last day before the first is refused. */
static void
test_blocked_period (void)
{
  Fixture f = { 0 };
  GtkWidget *label, *row;

  fixture_set_up (&f, tf_availability_editor_new);
  label = tf_ui_find (f.window, "availability-blocked-error");

  tf_ui_type (f.window, "blocked-date", "2030-08-05");
  tf_ui_type (f.window, "blocked-until", "2030-08-01");
  tf_ui_click (f.window, "blocked-add");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "The days off cannot end on 2030-08-01, before they start on 2030-08-05");
  g_assert_cmpuint (count (&f, "therapist_blocked_dates"), ==, 0);

  tf_ui_type (f.window, "blocked-until", "2030-08-23");
  tf_ui_type (f.window, "blocked-reason", "Διακοπές");
  tf_ui_click (f.window, "blocked-add");
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_cmpstr (f.saved, ==, "Date blocked");
  g_assert_cmpuint (count (&f, "therapist_blocked_dates"), ==, 1);
  tf_ui_wait_present (f.window, "blocked-2030-08-05", TRUE);
  row = tf_ui_find (f.window, "blocked-2030-08-05");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Monday 5 August 2030 – Friday 23 August 2030");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Διακοπές");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window, "blocked-until"))),
                   ==, "");

  /* A day of the vacation is blocked already. */
  tf_ui_type (f.window, "blocked-date", "2030-08-12");
  tf_ui_click (f.window, "blocked-add");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "The days off 2030-08-12 to 2030-08-12 meet those already blocked, "
                   "2030-08-05 to 2030-08-23");
  g_assert_cmpuint (count (&f, "therapist_blocked_dates"), ==, 1);
  fixture_tear_down (&f);
}

/* --- the week agenda ------------------------------------------------------ */

/* The Schedule page in its week's list, for a therapist whose profile
 * says they work in UTC, the suite's zone: the times the tests write are
 * the ones the list shows (the calendar's own tests, test-calendar.c, take
 * the default zone, Europe/Athens, apart from this computer's). */
static GtkWidget *
list_page_new (TfSession *session)
{
  TfVault *vault = tf_session_get_vault (session);
  g_autoptr(JsonObject) profile = json_object_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *page;

  json_object_set_string_member (profile, "user_id", tf_vault_get_user_id (vault));
  json_object_set_string_member (profile, "first_name", "Άννα");
  json_object_set_string_member (profile, "last_name", "Κ.");
  json_object_set_string_member (profile, "timezone", "UTC");
  g_assert_true (tf_vault_put (vault, tf_registry_lookup ("profiles"),
                               tf_vault_get_user_id (vault), profile, &error));
  g_assert_no_error (error);
  page = tf_schedule_page_new (session);
  g_object_set (page, "view", "list", NULL);
  return page;
}

/* Monday 00:00 of this week in this computer's zone (TZ=UTC in the suite). */
static GDateTime *
this_monday (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);

  return g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (now));
}

/* An appointment at this_monday(): begun whatever day the suite runs, so
 * Complete and No-Show are offered. */
static char *
put_appointment (Fixture *f)
{
  g_autoptr(GDateTime) monday = this_monday ();
  g_autofree char *client = g_uuid_string_random ();

  return tf_ui_put_appointment (f->session, client, monday, "pending");
}

static void
test_agenda (void)
{
  Fixture f = { 0 };
  g_autofree char *id = NULL, *row_name = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GtkWidget) dialog = NULL;
  GtkWidget *row;

  fixture_set_up (&f, list_page_new);
  /* Nothing yet this week. */
  tf_ui_wait_shown (f.window, "schedule-empty");

  /* An appointment put straight into the store shows up without a reload. */
  id = put_appointment (&f);
  row_name = g_strdup_printf ("appointment-%s", id);
  tf_ui_wait_subtitle (f.window, row_name, "Pending · 50 min");
  row = tf_ui_find (f.window, row_name);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "00:00 · Unknown client");
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "schedule-empty")));

  /* Another week has none; this week has it again. */
  tf_ui_click (f.window, "schedule-next");
  g_assert_null (tf_ui_find (f.window, row_name));
  tf_ui_wait_shown (f.window, "schedule-empty");
  tf_ui_click (f.window, "schedule-today");
  tf_ui_wait_subtitle (f.window, row_name, "Pending");

  /* Confirmed: the stored record says so, and the row too. */
  tf_ui_click (f.window, "appointment-confirm");
  g_assert_cmpstr (f.saved, ==, "Appointment confirmed");
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "confirmed");
  g_assert_true (!json_object_has_member (plain, "cancelled_by") ||
                 json_object_get_null_member (plain, "cancelled_by"));
  tf_ui_wait_subtitle (f.window, row_name, "Confirmed · 50 min");
  g_assert_null (tf_ui_find_shown (f.window, "appointment-confirm"));
  tf_ui_wait_shown (f.window, "appointment-complete");

  /* Cancelled with a reason: who, when and why are stored. */
  g_assert_true (gtk_widget_activate_action (f.page, "schedule.cancel", "s", id));
  dialog = tf_ui_wait_dialog (NULL);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "cancel-appointment"));
  tf_ui_type (dialog, "schedule-cancel-reason", "Ασθένεια");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                          "cancel-appointment"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel-appointment");
  g_clear_object (&dialog);
  g_assert_cmpstr (f.saved, ==, "Appointment cancelled");
  g_clear_pointer (&plain, json_object_unref);
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "cancelled");
  g_assert_cmpstr (json_object_get_string_member (plain, "cancellation_reason"), ==, "Ασθένεια");
  g_assert_cmpstr (json_object_get_string_member (plain, "cancelled_by"), ==,
                   tf_vault_get_user_id (tf_ui_page_vault (&f)));
  g_assert_nonnull (json_object_get_string_member (plain, "cancelled_at"));
  tf_ui_wait_subtitle (f.window, row_name, "Cancelled · 50 min");
  g_assert_null (tf_ui_find_shown (f.window, "appointment-more"));

  /* A cancelled appointment cannot be confirmed any more. */
  g_assert_true (gtk_widget_activate_action (f.page, "schedule.confirm", "s", id));
  g_assert_nonnull (f.failed);
  g_clear_pointer (&plain, json_object_unref);
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "cancelled");

  /* The hours are one click away, and back. */
  tf_ui_click (f.window, "schedule-availability");
  tf_ui_wait_shown (f.window, "availability-save");
  tf_ui_click (f.window, "schedule-back");
  tf_ui_wait_shown (f.window, row_name);
  fixture_tear_down (&f);
}

/* A confirmed appointment that has not begun offers no Complete and no
 * No-Show (only Cancel), and the actions, asked anyway, refuse and store
 * nothing: it cannot have been attended or missed yet. */
static void
test_future_not_held (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
  g_autoptr(GDateTime) at = g_date_time_new_local (g_date_time_get_year (later),
                                                   g_date_time_get_month (later),
                                                   g_date_time_get_day_of_month (later),
                                                   g_date_time_get_hour (later), 0, 0);
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *id = NULL, *row_name = NULL;
  const char *actions[] = { "schedule.complete", "schedule.no-show" };

  fixture_set_up (&f, list_page_new);
  tf_ui_wait_shown (f.window, "schedule-empty");
  id = tf_ui_put_appointment (f.session, client, at, "confirmed");
  row_name = g_strdup_printf ("appointment-%s", id);
  /* Two hours on may be next week (a Sunday night). */
  if (g_date_time_get_day_of_week (at) < g_date_time_get_day_of_week (now))
    tf_ui_click (f.window, "schedule-next");
  tf_ui_wait_subtitle (f.window, row_name, "Confirmed · 50 min");
  g_assert_null (tf_ui_find_shown (f.window, "appointment-complete"));
  tf_ui_wait_shown (f.window, "appointment-more");

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(JsonObject) plain = NULL;

      g_clear_pointer (&f.failed, g_free);
      g_assert_true (gtk_widget_activate_action (f.page, actions[i], "s", id));
      g_assert_cmpstr (f.failed, ==, "This appointment has not started yet: it can be marked "
                       "completed or no-show once its time has come");
      plain = tf_ui_get (f.session, "appointments", id);
      g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "confirmed");
    }
  fixture_tear_down (&f);
}

/* --- arrivals while the week is open -------------------------------------- */

/* An appointment stored by another path (the CLI's, as a sync's pulled
 * page would) joins the open week, and a client's name that comes with a
 * sync names their appointment, both by themselves; the other day stays
 * the same widget, the row the keyboard is on still focused (the old page
 * rebuilt the week at every change, and took names only when a sync of
 * its own ended). */
static void
test_arrival_keeps_focus (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) monday = this_monday ();
  g_autoptr(GDateTime) tuesday = g_date_time_add_hours (monday, 24 + 10);
  g_autofree char *maria = g_uuid_string_random (), *other = g_uuid_string_random ();
  g_autofree char *first = NULL, *second = NULL, *first_row = NULL, *second_row = NULL;
  g_autoptr(JsonObject) profile = json_object_new ();
  GtkWidget *row, *day;

  fixture_set_up (&f, list_page_new);
  tf_ui_wait_shown (f.window, "schedule-empty");
  first = tf_ui_put_appointment (f.session, maria, monday, "pending");
  first_row = g_strdup_printf ("appointment-%s", first);
  tf_ui_wait_subtitle (f.window, first_row, "Pending · 50 min");

  /* Tuesday's: a day of its own below Monday's, which stays. */
  day = gtk_widget_get_first_child (tf_ui_find (f.window, "schedule-days"));
  second = tf_ui_put_appointment (f.session, other, tuesday, "pending");
  second_row = g_strdup_printf ("appointment-%s", second);
  row = tf_ui_wait_shown (f.window, second_row);
  g_assert_true (gtk_widget_get_first_child (tf_ui_find (f.window, "schedule-days")) == day);
  g_assert_true (gtk_widget_is_ancestor (tf_ui_find (f.window, first_row), day));
  g_assert_true (gtk_widget_grab_focus (row));

  /* Maria's name comes with a sync: her appointment says it, and
   * Tuesday's row keeps the focus. */
  json_object_set_string_member (profile, "user_id", maria);
  json_object_set_string_member (profile, "first_name", "Μαρία");
  json_object_set_string_member (profile, "last_name", "Παπαδοπούλου");
  json_object_set_string_member (profile, "language", "el");
  json_object_set_string_member (profile, "created_at", "2026-09-01T08:00:00Z");
  tf_ui_pull (f.session, "profiles", maria, profile);
  tf_ui_wait_title (f.window, first_row, "00:00 · Μαρία Παπαδοπούλου");
  g_assert_true (tf_ui_find (f.window, second_row) == row);
  g_assert_true (gtk_widget_has_focus (row));
  fixture_tear_down (&f);
}

int
main (int argc, char **argv)
{
  tf_ui_init (&argc, &argv, "C.UTF-8");

  g_test_add_func ("/tf/schedule/availability-refuses-and-saves", test_availability);
  g_test_add_func ("/tf/schedule/blocked-dates", test_blocked_dates);
  g_test_add_func ("/tf/schedule/blocked-period", test_blocked_period);
  g_test_add_func ("/tf/schedule/agenda-confirm-cancel", test_agenda);
  g_test_add_func ("/tf/schedule/future-not-held", test_future_not_held);
  g_test_add_func ("/tf/schedule/arrival-keeps-focus", test_arrival_keeps_focus);
  return g_test_run ();
}
