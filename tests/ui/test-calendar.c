/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-calendar.c: the therapist's calendar in a real window under Xvfb,
 * in English and (with --greek) in Greek, on a profile made on this
 * computer only.  The computer runs in UTC (the suite's TZ) and the
 * therapist works in Europe/Athens (their profile's default zone): every
 * time the tests check is Athens's, so a calendar on the computer's clock
 * would fail them.
 *
 * Appointments from the store are blocks in their day's column at their
 * hour, two that overlap side by side, with their time, client and status;
 * one opened shows the client's note and confirms; the keys move the
 * selected day, the period, and T comes back to today; the week of the
 * last Sunday of October (25 hours) keeps 10:00 at 10:00 on both sides of
 * the change and its Sunday night in it; a block dropped at another time
 * moves its appointment (not over another one), with a real pointer's
 * click and drag too; the month counts each day's
 * appointments and a day pressed opens its day view; at 360 px the week
 * fits the window.  GTK warnings are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <dlfcn.h>
#include <gdk/x11/gdkx.h>

#include <glib/gi18n.h>

#include "tf-calendar-grid.h"
#include "tf-ui-test.h"
#include "tf-schedule-page.h"
#include "tf-time.h"

#define PASSWORD "σωστός κωδικός"
#define ZONE "Europe/Athens"

static gboolean greek;

typedef TfUiPage Fixture;

static const char *
says (const char *english, const char *greek_words)
{
  return greek ? greek_words : english;
}

static void
fixture_set_up (Fixture *f, int width, int height)
{
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };

  tf_ui_page_open (f, &reg, tf_schedule_page_new, width, height);
  tf_ui_wait_shown (f->window, "calendar-week");
}

/* @hour:@minute on @year-@month-@day in Athens, as an instant. */
static GDateTime *
athens (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GError) error = NULL;
  GDateTime *at = tf_time_local_to_utc (ZONE, year, month, day, hour * 3600 + minute * 60,
                                        TF_TIME_LOCAL_STRICT, &error);

  g_assert_no_error (error);
  return at;
}

/* Today in Athens. */
static GDateTime *
athens_today (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (ZONE);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  return g_date_time_new (zone, g_date_time_get_year (now), g_date_time_get_month (now),
                          g_date_time_get_day_of_month (now), 0, 0, 0);
}

static char *
date_of (GDateTime *day)
{
  return g_date_time_format (day, "%Y-%m-%d");
}

static char *
page_date (Fixture *f)
{
  char *date = NULL;

  g_object_get (f->page, "date", &date, NULL);
  return date;
}

/* An appointment of @client at @at, with @note for the therapist. */
static char *
put_with_note (Fixture *f, const char *client, GDateTime *at, const char *note)
{
  char *id = tf_ui_put_appointment (f->session, client, at, "pending");
  g_autoptr(JsonObject) plain = tf_ui_get (f->session, "appointments", id);
  g_autoptr(GError) error = NULL;

  if (note == NULL)
    return id;
  json_object_set_string_member (plain, "notes_for_therapist", note);
  g_assert_true (tf_vault_put (tf_ui_page_vault (f), tf_registry_lookup ("appointments"), id,
                               plain, &error));
  g_assert_no_error (error);
  return id;
}

/* An appointment of @client at @at, one of series @series, as a weekly
 * booking makes them. */
static char *
put_in_series (Fixture *f, const char *client, GDateTime *at, const char *series)
{
  TfVault *vault = tf_ui_page_vault (f);
  g_autofree char *at_text = tf_time_format_timestamp (at);
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id = g_uuid_string_random ();

  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "therapist_id", tf_vault_get_user_id (vault));
  json_object_set_string_member (plain, "client_id", client);
  json_object_set_string_member (plain, "series_id", series);
  json_object_set_string_member (plain, "appointment_datetime", at_text);
  json_object_set_int_member (plain, "duration", 50);
  json_object_set_string_member (plain, "status", "confirmed");
  json_object_set_string_member (plain, "price", "60.00");
  json_object_set_string_member (plain, "created_at", "2026-09-01T08:00:00Z");
  json_object_set_string_member (plain, "updated_at", "2026-09-01T08:00:00Z");
  g_assert_true (tf_vault_put (vault, tf_registry_lookup ("appointments"), id, plain, &error));
  g_assert_no_error (error);
  return id;
}

/* Whether the view @view_name has widget @prefix-@id. */
static gboolean
has (Fixture *f, const char *view_name, const char *prefix, const char *id)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", prefix, id);

  return tf_ui_find (tf_ui_find (f->window, view_name), name) != NULL;
}

/* The widget @name under the view @view_name. */
static GtkWidget *
in_view (Fixture *f, const char *view_name, const char *name)
{
  GtkWidget *view = tf_ui_find (f->window, view_name);

  g_assert_nonnull (view);
  return tf_ui_find (view, name);
}

typedef struct
{
  Fixture    *f;
  const char *view;
  const char *name;
  GtkWidget  *against;
  double      y;
} Placed;

/* Whether the block @name of @view is laid out with its top at @y of
 * @against (the hour's label's top). */
static gboolean
is_placed (gpointer data)
{
  Placed *p = data;
  GtkWidget *block = in_view (p->f, p->view, p->name);
  graphene_rect_t bounds;

  return block != NULL && gtk_widget_get_mapped (block) &&
         gtk_widget_compute_bounds (block, p->against, &bounds) &&
         bounds.size.width > 0 && G_APPROX_VALUE (bounds.origin.y, p->y, 0.5);
}

/* Whether the hour's label @data has its place (the first hour's at 0). */
static gboolean
is_laid_out (gpointer data)
{
  GtkWidget *label = data;
  graphene_rect_t bounds;

  return gtk_widget_get_mapped (label) && gtk_widget_get_height (label) > 0 &&
         gtk_widget_compute_bounds (label, gtk_widget_get_parent (label), &bounds) &&
         (bounds.origin.y > 0 || g_str_equal (gtk_widget_get_name (label), "hour-00"));
}

/* Waits until block @id of @view sits at @hour's row, and returns it. */
static GtkWidget *
wait_block_at_hour (Fixture *f, const char *view, const char *id, int hour, int minute)
{
  g_autofree char *name = g_strdup_printf ("block-%s", id);
  g_autofree char *hour_name = g_strdup_printf ("hour-%02d", hour);
  GtkWidget *grid = in_view (f, view, "calendar-grid");
  GtkWidget *label = tf_ui_find (grid, hour_name);
  graphene_rect_t bounds;
  Placed p = { f, view, name, grid, 0 };

  g_assert_nonnull (label);
  tf_ui_wait_present (f->window, name, TRUE);
  g_assert_true (tf_ui_wait_for (is_laid_out, label));
  g_assert_true (gtk_widget_compute_bounds (label, grid, &bounds));
  p.y = bounds.origin.y + minute * bounds.size.height / 60.0;
  g_assert_true (tf_ui_wait_for (is_placed, &p));
  return in_view (f, view, name);
}

/* Whether @block is in the column of @date's heading. */
static gboolean
in_column_of (Fixture *f, const char *view, GtkWidget *block, GDateTime *date)
{
  g_autofree char *day = date_of (date);
  g_autofree char *heading_name = g_strdup_printf ("heading-%s", day);
  GtkWidget *week = tf_ui_find (f->window, view);
  GtkWidget *heading = tf_ui_find (week, heading_name);
  graphene_rect_t b, h;
  double middle;

  g_assert_nonnull (heading);
  g_assert_true (gtk_widget_compute_bounds (block, week, &b));
  g_assert_true (gtk_widget_compute_bounds (heading, week, &h));
  middle = b.origin.x + b.size.width / 2;
  return middle >= h.origin.x && middle <= h.origin.x + h.size.width;
}

/* The text of line @line (0: the time, 1: the client, 2: the status) of
 * @block. */
static const char *
block_line (GtkWidget *block, guint line)
{
  const char *names[] = { "block-time", "block-client", "block-status" };
  GtkWidget *label = tf_ui_find (block, names[line]);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static const char *
title_text (Fixture *f)
{
  return gtk_label_get_text (GTK_LABEL (tf_ui_find (f->window, "schedule-week")));
}

/* --- blocks --------------------------------------------------------------- */

/* Two appointments of this week's Wednesday (Athens), 10:00 and 10:30,
 * overlap: both in Wednesday's column, at their hours, side by side; a
 * third, the next day at 15:00, alone across its column. */
static void
test_week_blocks (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) today = athens_today ();
  g_autoptr(GDateTime) monday = g_date_time_add_days (today,
                                                      1 - g_date_time_get_day_of_week (today));
  g_autoptr(GDateTime) wednesday = g_date_time_add_days (monday, 2);
  g_autoptr(GDateTime) thursday = g_date_time_add_days (monday, 3);
  g_autoptr(GDateTime) at10 = NULL, at1030 = NULL, at15 = NULL;
  g_autofree char *maria = NULL, *first = NULL, *second = NULL, *third = NULL;
  GtkWidget *a, *b, *c;
  graphene_rect_t ra, rb, rc;

  fixture_set_up (&f, 1000, 800);
  maria = tf_ui_pull_client (f.session, "Μαρία", "Παπαδοπούλου");
  at10 = athens (g_date_time_get_year (wednesday), g_date_time_get_month (wednesday),
                 g_date_time_get_day_of_month (wednesday), 10, 0);
  at1030 = g_date_time_add_minutes (at10, 30);
  at15 = athens (g_date_time_get_year (thursday), g_date_time_get_month (thursday),
                 g_date_time_get_day_of_month (thursday), 15, 0);
  first = put_with_note (&f, maria, at10, NULL);
  second = put_with_note (&f, maria, at1030, NULL);
  {
    g_autofree char *series = g_uuid_string_random ();

    third = put_in_series (&f, maria, at15, series);
  }

  a = wait_block_at_hour (&f, "calendar-week", first, 10, 0);
  b = wait_block_at_hour (&f, "calendar-week", second, 10, 30);
  c = wait_block_at_hour (&f, "calendar-week", third, 15, 0);
  g_assert_true (in_column_of (&f, "calendar-week", a, wednesday));
  g_assert_true (in_column_of (&f, "calendar-week", b, wednesday));
  g_assert_true (in_column_of (&f, "calendar-week", c, thursday));
  g_assert_cmpstr (block_line (a, 0), ==, "10:00–10:50");
  g_assert_cmpstr (block_line (a, 1), ==, "Μαρία Παπαδοπούλου");
  g_assert_cmpstr (block_line (a, 2), ==, says ("Pending", "Σε αναμονή"));
  g_assert_cmpstr (block_line (b, 0), ==, "10:30–11:20");
  /* The third is one of a series, and shows it; the first is not. */
  g_assert_nonnull (tf_ui_find_shown (c, "block-repeats"));
  g_assert_null (tf_ui_find_shown (a, "block-repeats"));
  g_assert_true (g_str_has_suffix (gtk_widget_get_tooltip_text (gtk_widget_get_first_child (c)),
                                   says (", part of a repeating series",
                                         ", μέρος σειράς επαναλαμβανόμενων ραντεβού")));

  /* Side by side: neither covers the other, each half as wide as the
   * one alone. */
  g_assert_true (gtk_widget_compute_bounds (a, f.window, &ra));
  g_assert_true (gtk_widget_compute_bounds (b, f.window, &rb));
  g_assert_true (gtk_widget_compute_bounds (c, f.window, &rc));
  g_assert_true (ra.origin.x + ra.size.width <= rb.origin.x ||
                 rb.origin.x + rb.size.width <= ra.origin.x);
  g_assert_cmpfloat (ra.size.width, <, rc.size.width * 0.6);
  g_assert_cmpfloat (rb.size.width, <, rc.size.width * 0.6);
  /* As long as it lasts: 50 minutes is 5/6 of an hour's row. */
  g_assert_cmpfloat (rc.size.height, >=,
                     5.0 / 6 * gtk_widget_get_height (in_view (&f, "calendar-week", "hour-15")) - 2);
  tf_ui_shot (greek ? "calendar-week-el" : "calendar-week");

  /* The title says the week, in the language's month names. */
  {
    g_autoptr(GDateTime) sunday = g_date_time_add_days (monday, 6);
    g_autofree char *from = g_date_time_format (monday, "%-d %B");
    g_autofree char *to = g_date_time_format (sunday, "%-d %B %Y");
    g_autofree char *expected = g_strdup_printf ("%s – %s", from, to);

    g_assert_cmpstr (title_text (&f), ==, expected);
  }

  /* The day view of Wednesday: both there, the third not. */
  {
    g_autofree char *date = date_of (wednesday);

    g_object_set (f.page, "date", date, NULL);
  }
  gtk_widget_activate_action (f.page, "calendar.view", "s", "day");
  tf_ui_wait_shown (f.window, "calendar-day");
  wait_block_at_hour (&f, "calendar-day", first, 10, 0);
  wait_block_at_hour (&f, "calendar-day", second, 10, 30);
  g_assert_false (has (&f, "calendar-day", "block", third));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (tf_ui_find (f.window,
                                                                  "calendar-view-day"))));
  tf_ui_page_close (&f);
}

/* --- opening an appointment ----------------------------------------------- */

static void
test_open_with_note (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) today = athens_today ();
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *maria = NULL, *id = NULL;
  g_autoptr(JsonObject) plain = NULL;
  GtkWidget *popover;

  fixture_set_up (&f, 1000, 800);
  maria = tf_ui_pull_client (f.session, "Μαρία", "Παπαδοπούλου");
  at = athens (g_date_time_get_year (today), g_date_time_get_month (today),
               g_date_time_get_day_of_month (today), 9, 0);
  id = put_with_note (&f, maria, at, "Θα αργήσω πέντε λεπτά");
  wait_block_at_hour (&f, "calendar-week", id, 9, 0);

  /* Enter opens the selected day's (today's) first appointment. */
  g_assert_true (tf_ui_press (tf_ui_find (f.window, "calendar-week"), GDK_KEY_Return, 0));
  popover = tf_ui_wait_shown (f.window, "appointment-popover");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (popover, "popover-note"))), ==,
                   "Θα αργήσω πέντε λεπτά");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (popover, "popover-client"))), ==,
                   "Μαρία Παπαδοπούλου");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (popover, "popover-status"))), ==,
                   says ("Pending", "Σε αναμονή"));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (tf_ui_find (popover,
                                                                              "popover-when"))),
                                   "09:00–09:50"));
  /* Pending: it can be confirmed or cancelled, not completed yet. */
  g_assert_nonnull (tf_ui_find_shown (popover, "popover-confirm"));
  g_assert_nonnull (tf_ui_find_shown (popover, "popover-cancel"));
  g_assert_null (tf_ui_find_shown (popover, "popover-complete"));
  tf_ui_shot (greek ? "calendar-popover-el" : "calendar-popover");

  tf_ui_click (popover, "popover-confirm");
  g_assert_cmpstr (f.saved, ==, says ("Appointment confirmed", "Το ραντεβού επιβεβαιώθηκε"));
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "status"), ==, "confirmed");
  /* Its block is made again, and says so. */
  {
    g_autofree char *name = g_strdup_printf ("block-%s", id);
    GtkWidget *block = NULL;

    for (int i = 0; i < 300; i++)
      {
        block = in_view (&f, "calendar-week", name);
        if (block != NULL && g_str_equal (block_line (block, 2),
                                          says ("Confirmed", "Επιβεβαιωμένο")))
          break;
        g_main_context_iteration (NULL, TRUE);
      }
    g_assert_cmpstr (block_line (block, 2), ==, says ("Confirmed", "Επιβεβαιωμένο"));
  }

  /* A click opens the block's own appointment too. */
  {
    g_autofree char *name = g_strdup_printf ("block-%s", id);
    GtkWidget *block = in_view (&f, "calendar-week", name);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    gboolean begun = g_date_time_compare (at, now) <= 0;

    gtk_widget_activate (gtk_widget_get_first_child (gtk_widget_get_first_child (block)));
    popover = tf_ui_wait_shown (block, "appointment-popover");
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (popover, "popover-status"))),
                     ==, says ("Confirmed", "Επιβεβαιωμένο"));
    /* Confirmed: completed or missed once begun (today's 09:00), and
     * cancelled. */
    g_assert_null (tf_ui_find_shown (popover, "popover-confirm"));
    g_assert_true ((tf_ui_find_shown (popover, "popover-complete") != NULL) == begun);
    g_assert_true ((tf_ui_find_shown (popover, "popover-no-show") != NULL) == begun);
    g_assert_nonnull (tf_ui_find_shown (popover, "popover-cancel"));
    /* Closed as a person would, before the window: an open popover holds
     * the pointer. */
    gtk_popover_popdown (GTK_POPOVER (popover));
  }
  tf_ui_page_close (&f);
}

/* --- keys ----------------------------------------------------------------- */

static void
test_keys (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) today = athens_today ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  g_autoptr(GDateTime) next_week = g_date_time_add_days (today, 7);
  g_autoptr(GDateTime) last_week = g_date_time_add_days (today, -7);
  g_autofree char *today_text = date_of (today), *date = NULL, *title = NULL;
  g_autofree char *tomorrow_text = date_of (tomorrow), *next_text = date_of (next_week);
  g_autofree char *last_text = date_of (last_week);
  GtkWidget *week;

  fixture_set_up (&f, 1000, 800);
  week = tf_ui_find (f.window, "calendar-week");
  date = page_date (&f);
  g_assert_cmpstr (date, ==, today_text);
  title = g_strdup (title_text (&f));
  /* This week has the line of the current time; others do not. */
  tf_ui_wait_shown (week, "calendar-now");

  /* → a day on. */
  g_assert_true (tf_ui_press (week, GDK_KEY_Right, 0));
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, tomorrow_text);

  /* ↓ a week on, ↑ back, ← back to today. */
  g_assert_true (tf_ui_press (week, GDK_KEY_Down, 0));
  g_assert_true (tf_ui_press (week, GDK_KEY_Up, 0));
  g_assert_true (tf_ui_press (week, GDK_KEY_Left, 0));
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, today_text);
  g_assert_cmpstr (title_text (&f), ==, title);

  /* Page Down: the next week, its headings and title. */
  g_assert_true (tf_ui_press (week, GDK_KEY_Page_Down, 0));
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, next_text);
  g_assert_cmpstr (title_text (&f), !=, title);
  g_assert_true (has (&f, "calendar-week", "heading", date));
  g_assert_false (has (&f, "calendar-week", "heading", today_text));
  g_assert_null (tf_ui_find_shown (week, "calendar-now"));

  /* Page Up twice: the week before this one. */
  g_assert_true (tf_ui_press (week, GDK_KEY_Page_Up, 0));
  g_assert_true (tf_ui_press (week, GDK_KEY_Page_Up, 0));
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, last_text);

  /* T: today, this week — from the calendar's buttons too. */
  g_assert_true (tf_ui_press (tf_ui_find (f.window, "schedule-next"), GDK_KEY_t, 0));
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, today_text);
  g_assert_cmpstr (title_text (&f), ==, title);
  g_assert_true (has (&f, "calendar-week", "heading", today_text));

  /* With a Greek keyboard layout the key says τ. */
  g_assert_true (tf_ui_press (week, GDK_KEY_Page_Down, 0));
  g_assert_true (tf_ui_press (week, GDK_KEY_Greek_tau, 0));
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, today_text);

  /* The buttons do what the keys do. */
  tf_ui_click (f.window, "schedule-next");
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, next_text);
  tf_ui_click (f.window, "schedule-today");
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, today_text);

  /* In the month view, Page Down is a month. */
  gtk_widget_activate_action (f.page, "calendar.view", "s", "month");
  g_object_set (f.page, "date", "2027-01-31", NULL);
  g_assert_true (tf_ui_press (tf_ui_find (f.window, "calendar-month"), GDK_KEY_Page_Down, 0));
  g_free (date);
  date = page_date (&f);
  g_assert_cmpstr (date, ==, "2027-02-28");
  g_assert_cmpstr (title_text (&f), ==, says ("February 2027", "Φεβρουάριος 2027"));
  tf_ui_page_close (&f);
}

/* --- daylight saving time ------------------------------------------------- */

/* The week of Sunday 25 October 2026, when Athens goes from UTC+3 to
 * UTC+2: 10:00 on Saturday (07:00 UTC) and on Sunday (08:00 UTC) are both
 * on the 10:00 row, and Sunday 23:30 (21:30 UTC, more than 168 hours after
 * Monday's midnight) is still Sunday's. */
static void
test_dst_week (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) saturday = athens (2026, 10, 24, 10, 0);
  g_autoptr(GDateTime) sunday = athens (2026, 10, 25, 10, 0);
  g_autoptr(GDateTime) late = athens (2026, 10, 25, 23, 30);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (ZONE);
  g_autoptr(GDateTime) sat_day = g_date_time_new (zone, 2026, 10, 24, 0, 0, 0);
  g_autoptr(GDateTime) sun_day = g_date_time_new (zone, 2026, 10, 25, 0, 0, 0);
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *stamp = NULL;
  GtkWidget *block;

  stamp = tf_time_format_timestamp (sunday);
  g_assert_cmpstr (stamp, ==, "2026-10-25T08:00:00Z");
  fixture_set_up (&f, 1000, 800);
  g_object_set (f.page, "date", "2026-10-21", NULL);
  g_assert_cmpstr (title_text (&f), ==,
                   says ("19 October – 25 October 2026", "19 Οκτωβρίου – 25 Οκτωβρίου 2026"));
  a = tf_ui_put_appointment (f.session, client, saturday, "pending");
  b = tf_ui_put_appointment (f.session, client, sunday, "pending");
  c = tf_ui_put_appointment (f.session, client, late, "pending");

  block = wait_block_at_hour (&f, "calendar-week", a, 10, 0);
  g_assert_true (in_column_of (&f, "calendar-week", block, sat_day));
  g_assert_cmpstr (block_line (block, 0), ==, "10:00–10:50");
  block = wait_block_at_hour (&f, "calendar-week", b, 10, 0);
  g_assert_true (in_column_of (&f, "calendar-week", block, sun_day));
  g_assert_cmpstr (block_line (block, 0), ==, "10:00–10:50");
  block = wait_block_at_hour (&f, "calendar-week", c, 23, 30);
  g_assert_true (in_column_of (&f, "calendar-week", block, sun_day));
  tf_ui_shot (greek ? "calendar-dst-el" : "calendar-dst");

  /* A click on Sunday's 10:00 row means 10:00 there, UTC+2 by then; on
   * Saturday's, UTC+3. */
  {
    GtkWidget *grid = in_view (&f, "calendar-week", "calendar-grid");
    GtkWidget *hour = tf_ui_find (grid, "hour-10");
    GtkWidget *sat = in_view (&f, "calendar-week", "heading-2026-10-24");
    GtkWidget *sun = in_view (&f, "calendar-week", "heading-2026-10-25");
    graphene_rect_t h, d;
    g_autoptr(GDateTime) at = NULL;
    g_autofree char *text = NULL;

    g_assert_true (gtk_widget_compute_bounds (hour, grid, &h));
    g_assert_true (gtk_widget_compute_bounds (sun, grid, &d));
    at = tf_calendar_grid_time_at (TF_CALENDAR_GRID (grid), d.origin.x + d.size.width / 2,
                                   h.origin.y + 1, 30);
    text = tf_time_format_timestamp (at);
    g_assert_cmpstr (text, ==, "2026-10-25T08:00:00Z");
    g_clear_pointer (&at, g_date_time_unref);
    g_clear_pointer (&text, g_free);
    g_assert_true (gtk_widget_compute_bounds (sat, grid, &d));
    at = tf_calendar_grid_time_at (TF_CALENDAR_GRID (grid), d.origin.x + d.size.width / 2,
                                   h.origin.y + h.size.height * 0.75, 30);
    text = tf_time_format_timestamp (at);
    g_assert_cmpstr (text, ==, "2026-10-24T07:30:00Z");
  }

  /* The week's list says the same times, Athens's, not this computer's. */
  gtk_widget_activate_action (f.page, "calendar.view", "s", "list");
  {
    g_autofree char *row = g_strdup_printf ("appointment-%s", b);
    g_autofree char *title = g_strdup_printf ("10:00 · %s", says ("Unknown client",
                                                                  "Άγνωστος θεραπευόμενος"));

    tf_ui_wait_title (f.window, row, title);
  }
  gtk_widget_activate_action (f.page, "calendar.view", "s", "week");

  /* The next week does not show Sunday night's. */
  tf_ui_click (f.window, "schedule-next");
  {
    g_autofree char *name = g_strdup_printf ("block-%s", c);

    tf_ui_wait_present (f.window, name, FALSE);
  }
  tf_ui_page_close (&f);
}

/* --- dragging a block ----------------------------------------------------- */

/* A block dropped at another time moves its appointment there (the time it
 * had kept), and its block follows; dropped over another appointment, it
 * stays, and the page says why. */
static void
test_drop_moves (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) today = athens_today ();
  /* Next week's Monday: its Tuesday is in the future whatever today is. */
  g_autoptr(GDateTime) later = g_date_time_add_days (today,
                                                     8 - g_date_time_get_day_of_week (today));
  g_autoptr(GDateTime) tuesday = g_date_time_add_days (later, 1);
  g_autoptr(GDateTime) wednesday = g_date_time_add_days (later, 2);
  g_autoptr(GDateTime) at = NULL, other_at = NULL, to = NULL, over = NULL;
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *id = NULL, *other = NULL, *date = NULL, *was = NULL;
  g_autoptr(JsonObject) plain = NULL;
  GtkWidget *grid, *block;

  fixture_set_up (&f, 1000, 800);
  date = date_of (tuesday);
  g_object_set (f.page, "date", date, NULL);
  at = athens (g_date_time_get_year (tuesday), g_date_time_get_month (tuesday),
               g_date_time_get_day_of_month (tuesday), 10, 0);
  other_at = athens (g_date_time_get_year (wednesday), g_date_time_get_month (wednesday),
                     g_date_time_get_day_of_month (wednesday), 10, 0);
  id = tf_ui_put_appointment (f.session, client, at, "confirmed");
  other = tf_ui_put_appointment (f.session, client, other_at, "confirmed");
  was = tf_time_format_timestamp (at);
  block = wait_block_at_hour (&f, "calendar-week", id, 10, 0);
  wait_block_at_hour (&f, "calendar-week", other, 10, 0);
  grid = in_view (&f, "calendar-week", "calendar-grid");

  /* To Tuesday 14:00. */
  to = athens (g_date_time_get_year (tuesday), g_date_time_get_month (tuesday),
               g_date_time_get_day_of_month (tuesday), 14, 0);
  g_signal_emit_by_name (grid, "block-dropped", block, to);
  g_assert_nonnull (f.saved);
  g_assert_true (g_str_has_prefix (f.saved, says ("Appointment moved to ",
                                                  "Το ραντεβού μετακινήθηκε: ")));
  g_assert_true (g_str_has_suffix (f.saved, "14:00"));
  plain = tf_ui_get (f.session, "appointments", id);
  {
    g_autofree char *expected = tf_time_format_timestamp (to);

    g_assert_cmpstr (json_object_get_string_member (plain, "appointment_datetime"), ==,
                     expected);
  }
  g_assert_cmpstr (json_object_get_string_member (plain, "previous_datetime"), ==, was);
  block = wait_block_at_hour (&f, "calendar-week", id, 14, 0);
  g_assert_true (in_column_of (&f, "calendar-week", block, tuesday));

  /* Onto Wednesday's 10:20: taken. */
  g_clear_pointer (&f.failed, g_free);
  over = g_date_time_add_minutes (other_at, 20);
  g_signal_emit_by_name (grid, "block-dropped", block, over);
  g_assert_nonnull (f.failed);
  g_clear_pointer (&plain, json_object_unref);
  plain = tf_ui_get (f.session, "appointments", id);
  {
    g_autofree char *expected = tf_time_format_timestamp (to);

    g_assert_cmpstr (json_object_get_string_member (plain, "appointment_datetime"), ==,
                     expected);
  }
  tf_ui_page_close (&f);
}

/* --- booking and moving from the calendar --------------------------------- */

/* The toplevel window named @name, or NULL. */
static GtkWidget *
find_window (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (w), name) == 0 && gtk_widget_get_mapped (w))
        return w;
    }
  return NULL;
}

static gboolean
window_shown (gpointer name)
{
  return find_window (name) != NULL;
}

static gboolean
window_gone (gpointer name)
{
  return find_window (name) == NULL;
}

/* A click on an empty half hour of the grid opens New Appointment on that
 * day at that time; an appointment still to come offers Move…, which opens
 * the Move dialog, and says it is online. */
static void
test_book_and_move_from_grid (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) today = athens_today ();
  g_autoptr(GDateTime) monday = g_date_time_add_days (today,
                                                      8 - g_date_time_get_day_of_week (today));
  g_autoptr(GDateTime) thursday = g_date_time_add_days (monday, 3);
  g_autoptr(GDateTime) at = NULL, slot = NULL;
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *id = NULL, *date = NULL, *name = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *grid, *dialog, *popover, *block;

  fixture_set_up (&f, 1000, 800);
  date = date_of (thursday);
  g_object_set (f.page, "date", date, NULL);
  grid = in_view (&f, "calendar-week", "calendar-grid");

  /* Thursday 15:30, clicked. */
  slot = g_date_time_new (g_date_time_get_timezone (thursday),
                          g_date_time_get_year (thursday), g_date_time_get_month (thursday),
                          g_date_time_get_day_of_month (thursday), 15, 30, 0);
  g_signal_emit_by_name (grid, "slot-activated", slot);
  g_assert_true (tf_ui_wait_for (window_shown, (gpointer) "new-appointment"));
  dialog = find_window ("new-appointment");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (dialog,
                                                                    "new-appointment-date"))),
                   ==, date);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (dialog,
                                                                    "new-appointment-time"))),
                   ==, "15:30");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (tf_ui_wait_for (window_gone, (gpointer) "new-appointment"));

  /* Enter on Thursday, which has nothing yet: New Appointment that day. */
  g_assert_true (tf_ui_press (tf_ui_find (f.window, "calendar-week"), GDK_KEY_Return, 0));
  g_assert_true (tf_ui_wait_for (window_shown, (gpointer) "new-appointment"));
  dialog = find_window ("new-appointment");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (dialog,
                                                                    "new-appointment-date"))),
                   ==, date);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (tf_ui_wait_for (window_gone, (gpointer) "new-appointment"));

  /* An online appointment that Thursday at 09:00. */
  at = athens (g_date_time_get_year (thursday), g_date_time_get_month (thursday),
               g_date_time_get_day_of_month (thursday), 9, 0);
  id = tf_ui_put_appointment (f.session, client, at, "confirmed");
  plain = tf_ui_get (f.session, "appointments", id);
  json_object_set_string_member (plain, "location_type", "online");
  json_object_set_string_member (plain, "meeting_url", "https://meet.example.org/αβγ");
  g_assert_true (tf_vault_put (tf_ui_page_vault (&f), tf_registry_lookup ("appointments"), id,
                               plain, &error));
  g_assert_no_error (error);
  block = wait_block_at_hour (&f, "calendar-week", id, 9, 0);
  /* Enter: Thursday, the selected day, has it first. */
  g_assert_true (tf_ui_press (block, GDK_KEY_Return, 0));
  popover = tf_ui_wait_shown (block, "appointment-popover");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (popover, "popover-place"))), ==,
                   says ("Online", "Διαδικτυακά"));
  name = g_strdup_printf ("appointment-join-%s", id);
  g_assert_nonnull (tf_ui_find_shown (popover, name));
  g_assert_null (tf_ui_find_shown (popover, "popover-late-cancel"));
  tf_ui_click (popover, "popover-move");
  g_assert_true (tf_ui_wait_for (window_shown, (gpointer) "move-appointment"));
  gtk_window_destroy (GTK_WINDOW (find_window ("move-appointment")));
  tf_ui_page_close (&f);
}

/* --- the month ------------------------------------------------------------ */

static void
test_month_counts (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) a = athens (2030, 3, 12, 9, 0);
  g_autoptr(GDateTime) b = athens (2030, 3, 12, 17, 0);
  g_autoptr(GDateTime) c = athens (2030, 3, 31, 23, 0);   /* 21:00 UTC, after the change */
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *first = NULL;
  GtkWidget *count, *month;

  fixture_set_up (&f, 1000, 800);
  gtk_widget_activate_action (f.page, "calendar.view", "s", "month");
  g_object_set (f.page, "date", "2030-03-05", NULL);
  month = tf_ui_wait_shown (f.window, "calendar-month");
  g_assert_cmpstr (title_text (&f), ==, says ("March 2030", "Μάρτιος 2030"));
  first = tf_ui_put_appointment (f.session, client, a, "pending");
  tf_ui_put_appointment (f.session, client, b, "confirmed");
  tf_ui_put_appointment (f.session, client, c, "pending");

  tf_ui_wait_shown (f.window, "month-count-2030-03-12");
  count = tf_ui_find (month, "month-count-2030-03-12");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (count)), ==, "2");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (count), ==,
                   says ("2 appointments", "2 ραντεβού"));
  tf_ui_wait_shown (f.window, "month-count-2030-03-31");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (month, "month-count-2030-03-31"))),
                   ==, "1");
  g_assert_null (tf_ui_find_shown (month, "month-count-2030-03-13"));
  /* The grid runs Monday to Sunday: 25 February 2030 is its first day. */
  g_assert_nonnull (tf_ui_find (month, "month-day-2030-02-25"));
  g_assert_null (tf_ui_find (month, "month-day-2030-02-24"));
  /* The day's first appointment is named in it. */
  {
    g_autofree char *name = g_strdup_printf ("month-appointment-%s", first);

    g_assert_nonnull (tf_ui_find_shown (month, name));
  }
  tf_ui_shot (greek ? "calendar-month-el" : "calendar-month");

  /* A day pressed: its day view. */
  {
    GtkWidget *cell = tf_ui_find (month, "month-day-2030-03-12");
    GtkWidget *button = gtk_widget_get_first_child (gtk_widget_get_first_child (cell));

    g_signal_emit_by_name (button, "clicked");
  }
  tf_ui_wait_shown (f.window, "calendar-day");
  wait_block_at_hour (&f, "calendar-day", first, 9, 0);
  g_assert_cmpstr (title_text (&f), ==,
                   says ("Tuesday 12 March 2030", "Τρίτη 12 Μαρτίου 2030"));
  tf_ui_page_close (&f);
}

/* --- a phone's width ------------------------------------------------------ */

static gboolean
window_laid_out (gpointer data)
{
  GtkWidget *window = data;

  return gtk_widget_get_width (window) > 0;
}

static void
test_narrow (void)
{
  Fixture f = { 0 };
  g_autoptr(GDateTime) today = athens_today ();
  g_autoptr(GDateTime) at = athens (g_date_time_get_year (today), g_date_time_get_month (today),
                                    g_date_time_get_day_of_month (today), 11, 0);
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *id = NULL;
  const char *views[] = { "calendar-week", "calendar-day", "calendar-month" };
  const char *names[] = { "week", "day", "month" };

  fixture_set_up (&f, 360, 640);
  id = tf_ui_put_appointment (f.session, client, at, "pending");
  wait_block_at_hour (&f, "calendar-week", id, 11, 0);
  g_assert_true (tf_ui_wait_for (window_laid_out, f.window));
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkWidget *view;
      graphene_rect_t bounds;

      gtk_widget_activate_action (f.page, "calendar.view", "s", names[i]);
      view = tf_ui_wait_shown (f.window, views[i]);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      /* The window kept its width, and the view is inside it. */
      g_assert_cmpint (gtk_widget_get_width (f.window), ==, 360);
      g_assert_true (gtk_widget_compute_bounds (view, f.window, &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, 360);
      /* The buttons of the views too. */
      g_assert_true (gtk_widget_compute_bounds (tf_ui_find (f.window, "calendar-views"),
                                                f.window, &bounds));
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, 360);
    }
  tf_ui_shot (greek ? "calendar-narrow-el" : "calendar-narrow");
  tf_ui_page_close (&f);
}

/* --- a real pointer ------------------------------------------------------- */

/* The X server's test extension, as a person's mouse: found at run time,
 * so that the suite builds without its headers. */
typedef struct
{
  Display *display;
  int    (*motion) (Display *, int, int, int, unsigned long);
  int    (*button) (Display *, unsigned int, int, unsigned long);
  int    (*translate) (Display *, Window, Window, int, int, int *, int *, Window *);
  int    (*flush) (Display *);
} Pointer;

static gboolean
pointer_open (Pointer *p)
{
  GdkDisplay *display = gdk_display_get_default ();
  void *xtst, *x11;

  if (!GDK_IS_X11_DISPLAY (display))
    return FALSE;
  xtst = dlopen ("libXtst.so.6", RTLD_NOW);
  x11 = dlopen ("libX11.so.6", RTLD_NOW);
  if (xtst == NULL || x11 == NULL)
    return FALSE;
  p->display = gdk_x11_display_get_xdisplay (display);
  p->motion = dlsym (xtst, "XTestFakeMotionEvent");
  p->button = dlsym (xtst, "XTestFakeButtonEvent");
  p->translate = dlsym (x11, "XTranslateCoordinates");
  p->flush = dlsym (x11, "XFlush");
  return p->motion != NULL && p->button != NULL && p->translate != NULL && p->flush != NULL;
}

/* Lets the events arrive and be handled. */
static void
settle (int rounds)
{
  for (int i = 0; i < rounds; i++)
    {
      g_usleep (20000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static void
pointer_move (Pointer *p, int x, int y)
{
  p->motion (p->display, -1, x, y, 0);
  p->flush (p->display);
  settle (2);
}

static void
pointer_button (Pointer *p, gboolean down)
{
  p->button (p->display, 1, down, 0);
  p->flush (p->display);
  settle (3);
}

/* With the mouse: a click on a block opens it, a press on it moved two
 * hours down (120 px at 60 px an hour) moves it to 12:00. */
static void
test_pointer (void)
{
  Fixture f = { 0 };
  Pointer pointer = { 0 };
  g_autoptr(GDateTime) today = athens_today ();
  g_autoptr(GDateTime) monday = g_date_time_add_days (today,
                                                      8 - g_date_time_get_day_of_week (today));
  g_autoptr(GDateTime) tuesday = g_date_time_add_days (monday, 1);
  g_autoptr(GDateTime) at = NULL, noon = NULL;
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *id = NULL, *date = NULL, *expected = NULL;
  g_autoptr(JsonObject) plain = NULL;
  GtkWidget *block, *popover;
  graphene_rect_t bounds;
  Window child;
  int x, y;

  if (!pointer_open (&pointer))
    {
      g_test_skip ("no X test extension to move the pointer with");
      return;
    }
  fixture_set_up (&f, 1000, 800);
  date = date_of (tuesday);
  g_object_set (f.page, "date", date, NULL);
  at = athens (g_date_time_get_year (tuesday), g_date_time_get_month (tuesday),
               g_date_time_get_day_of_month (tuesday), 10, 0);
  id = tf_ui_put_appointment (f.session, client, at, "confirmed");
  block = wait_block_at_hour (&f, "calendar-week", id, 10, 0);
  settle (10);
  g_assert_true (gtk_widget_compute_bounds (block, f.window, &bounds));
  pointer.translate (pointer.display,
                     gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (f.window))),
                     gdk_x11_display_get_xrootwindow (gdk_display_get_default ()),
                     (int) bounds.origin.x + 10, (int) bounds.origin.y + 10, &x, &y, &child);

  /* A click: the appointment opens. */
  pointer_move (&pointer, x, y);
  pointer_button (&pointer, TRUE);
  pointer_button (&pointer, FALSE);
  settle (10);
  popover = tf_ui_find (block, "appointment-popover");
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_mapped (popover));
  gtk_popover_popdown (GTK_POPOVER (popover));
  settle (10);

  /* A drag two hours down, a little to the right (the same day). */
  pointer_button (&pointer, TRUE);
  for (int k = 1; k <= 10; k++)
    pointer_move (&pointer, x + k * 2, y + k * 12);
  pointer_button (&pointer, FALSE);
  settle (10);
  noon = g_date_time_add_hours (at, 2);
  expected = tf_time_format_timestamp (noon);
  plain = tf_ui_get (f.session, "appointments", id);
  g_assert_cmpstr (json_object_get_string_member (plain, "appointment_datetime"), ==, expected);
  g_assert_true (g_str_has_suffix (f.saved, "12:00"));
  wait_block_at_hour (&f, "calendar-week", id, 12, 0);
  tf_ui_page_close (&f);
}

int
main (int argc, char **argv)
{
  greek = tf_ui_init_language (&argc, &argv);

  g_test_add_func ("/tf/calendar/week-blocks", test_week_blocks);
  g_test_add_func ("/tf/calendar/open-with-note", test_open_with_note);
  g_test_add_func ("/tf/calendar/keys", test_keys);
  g_test_add_func ("/tf/calendar/dst-week", test_dst_week);
  g_test_add_func ("/tf/calendar/drop-moves", test_drop_moves);
  g_test_add_func ("/tf/calendar/pointer-click-and-drag", test_pointer);
  g_test_add_func ("/tf/calendar/book-and-move-from-grid", test_book_and_move_from_grid);
  g_test_add_func ("/tf/calendar/month-counts", test_month_counts);
  g_test_add_func ("/tf/calendar/narrow", test_narrow);
  return g_test_run ();
}
