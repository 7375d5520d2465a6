/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-chart.c: the history's drawings and streaks under Xvfb — the chart
 * and the calendar with no data, one check-in and a year of them (drawn in
 * a real window, and their snapshot rendered to pixels to see that a line
 * or a dot is really there), check-ins outside the range ignored, days
 * taken in the local time zone, and the history page's streak following
 * the store as check-ins are saved.  GTK warnings are fatal.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-heat-map.h"
#include "tf-history-page.h"
#include "tf-mood-chart.h"
#include "tf-mood-days.h"
#include "tf-time.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

/* --- helpers -------------------------------------------------------------- */

/* A plain mood entry made at @when. */
static JsonObject *
make_entry (GDateTime *when, int mood, int energy, int anxiety)
{
  JsonObject *entry = json_object_new ();
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
  g_autofree char *stamp = tf_time_format_timestamp (utc);
  g_autofree char *id = g_uuid_string_random ();

  json_object_set_string_member (entry, "id", id);
  json_object_set_int_member (entry, "mood_value", mood);
  json_object_set_int_member (entry, "energy_level", energy);
  json_object_set_int_member (entry, "anxiety_level", anxiety);
  json_object_set_array_member (entry, "emotions", json_array_new ());
  json_object_set_array_member (entry, "categories", json_array_new ());
  json_object_set_string_member (entry, "created_at", stamp);
  return entry;
}

static GPtrArray *
new_entries (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

/* @days_ago days before @today, at the same time of day. */
static void
add_entry (GPtrArray *entries, GDateTime *today, int days_ago, int mood, int energy,
           int anxiety)
{
  g_autoptr(GDateTime) when = g_date_time_add_days (today, -days_ago);

  g_ptr_array_add (entries, make_entry (when, mood, energy, anxiety));
}

/* A fixed evening, so the tests do not depend on the day they run. */
static GDateTime *
fixed_today (void)
{
  return g_date_time_new_utc (2025, 3, 15, 20, 0, 0);
}

static gboolean
is_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

typedef struct
{
  GdkFrameClock *clock;
  gint64         after;
} FrameWait;

static gboolean
frame_passed (gpointer data)
{
  FrameWait *w = data;

  return gdk_frame_clock_get_frame_counter (w->clock) > w->after;
}

/* Shows @widget in a window of its own, waits until it is on screen and
 * has been drawn once more after a queued redraw. */
static GtkWidget *
show_in_window (GtkWidget *widget)
{
  GtkWidget *window = gtk_window_new ();
  GdkFrameClock *clock;
  FrameWait frame;

  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tf_ui_wait_for (is_drawn, widget));
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  frame.clock = clock;
  frame.after = gdk_frame_clock_get_frame_counter (clock);
  gtk_widget_queue_draw (widget);
  g_assert_true (tf_ui_wait_for (frame_passed, &frame));
  return window;
}

static void
close_window (GtkWidget *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs @widget's own snapshot and paints the result; the caller frees it. */
static cairo_surface_t *
render (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  if (node != NULL)
    gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  g_clear_pointer (&node, gsk_render_node_unref);
  cairo_surface_flush (surface);
  return surface;
}

/* Opaque pixels of colour 0xRRGGBB in the rows from @from_row down. */
static guint
count_pixels (cairo_surface_t *surface, guint32 rgb, int from_row)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *data = cairo_image_surface_get_data (surface);
  guint n = 0;

  for (int y = from_row; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel = *(const guint32 *) (data + y * stride + x * 4);

        if ((pixel >> 24) == 0xff && (pixel & 0xffffff) == rgb)
          n++;
      }
  return n;
}

#define MOOD_BLUE 0x3584e4

/* Blue pixels of the plot, below the legend. */
static guint
mood_pixels (GtkWidget *chart)
{
  cairo_surface_t *surface = render (chart);
  guint n = count_pixels (surface, MOOD_BLUE, gtk_widget_get_height (chart) / 4);

  cairo_surface_destroy (surface);
  return n;
}

/* --- the chart ------------------------------------------------------------ */

static void
test_chart_empty (void)
{
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = fixed_today ();
  GtkWidget *chart = tf_mood_chart_new ();
  GtkWidget *window;

  /* Before any data, and with none. */
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (TF_MOOD_CHART (chart)), ==, 0);
  g_assert_true (isnan (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "mood")));
  window = show_in_window (chart);
  tf_mood_chart_set_entries (TF_MOOD_CHART (chart), entries, today, 30);
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (TF_MOOD_CHART (chart)), ==, 0);
  g_assert_true (isnan (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "mood")));
  g_assert_true (isnan (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "energy")));
  g_assert_true (isnan (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "anxiety")));
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No check-ins in the last 30 days.");
  gtk_test_accessible_assert_role (chart, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_queue_draw (chart);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* The empty state is words, not lines. */
  g_assert_cmpuint (mood_pixels (chart), ==, 0);
  close_window (window);
}

static void
test_chart_one_point (void)
{
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = fixed_today ();
  GtkWidget *chart = tf_mood_chart_new ();
  GtkWidget *window = show_in_window (chart);
  guint pixels;

  add_entry (entries, today, 10, 3, 6, 8);
  tf_mood_chart_set_entries (TF_MOOD_CHART (chart), entries, today, 30);
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (TF_MOOD_CHART (chart)), ==, 1);
  g_assert_cmpfloat (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "mood"), ==, 3);
  g_assert_cmpfloat (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "energy"), ==, 6);
  g_assert_cmpfloat (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "anxiety"), ==, 8);
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Check-ins on 1 of the last 30 days. "
                                       "Average mood 3.0, energy 6.0, anxiety 8.0, out of 10.");
  /* A dot: some pixels of the mood colour, far fewer than a line's. */
  pixels = mood_pixels (chart);
  g_assert_cmpuint (pixels, >=, 15);
  g_assert_cmpuint (pixels, <, 80);
  gtk_widget_queue_draw (chart);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  close_window (window);
}

static void
test_chart_year (void)
{
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = fixed_today ();
  GtkWidget *chart = tf_mood_chart_new ();
  GtkWidget *window = show_in_window (chart);
  double mood_sum = 0, anxiety_sum = 0;
  gint64 start, elapsed;
  guint pixels;

  for (int k = 0; k < 365; k++)
    {
      add_entry (entries, today, k, 1 + k % 10, 5, 10 - k % 7);
      mood_sum += 1 + k % 10;
      anxiety_sum += 10 - k % 7;
    }
  start = g_get_monotonic_time ();
  tf_mood_chart_set_entries (TF_MOOD_CHART (chart), entries, today, 365);
  pixels = mood_pixels (chart);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("a year of check-ins: grouped, drawn and painted in %" G_GINT64_FORMAT " µs",
                  elapsed);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC / 2);
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (TF_MOOD_CHART (chart)), ==, 365);
  g_assert_cmpfloat_with_epsilon (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "mood"),
                                  mood_sum / 365, 1e-9);
  g_assert_cmpfloat (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "energy"), ==, 5);
  g_assert_cmpfloat_with_epsilon (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "anxiety"),
                                  anxiety_sum / 365, 1e-9);
  /* One line across the whole width. */
  g_assert_cmpuint (pixels, >, (guint) gtk_widget_get_width (chart));
  gtk_widget_queue_draw (chart);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  close_window (window);
}

static void
test_chart_range (void)
{
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = fixed_today ();
  GtkWidget *chart = g_object_ref_sink (tf_mood_chart_new ());

  /* In: today and the range's first day.  Out: the day before it and
   * tomorrow. */
  add_entry (entries, today, 0, 8, 5, 5);
  add_entry (entries, today, 29, 4, 5, 5);
  add_entry (entries, today, 30, 1, 1, 1);
  add_entry (entries, today, -1, 1, 1, 1);
  /* Two on one day count as that day's average, once. */
  add_entry (entries, today, 5, 2, 5, 5);
  add_entry (entries, today, 5, 10, 5, 5);
  tf_mood_chart_set_entries (TF_MOOD_CHART (chart), entries, today, 30);
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (TF_MOOD_CHART (chart)), ==, 3);
  g_assert_cmpfloat (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "mood"), ==,
                     (8 + 4 + 6) / 3.0);
  g_assert_cmpfloat (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "energy"), ==, 5);

  /* A shorter range drops the older ones. */
  tf_mood_chart_set_entries (TF_MOOD_CHART (chart), entries, today, 1);
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (TF_MOOD_CHART (chart)), ==, 1);
  g_assert_cmpfloat (tf_mood_chart_get_average (TF_MOOD_CHART (chart), "mood"), ==, 8);
  g_assert_finalize_object (chart);
}

/* A check-in's day is its local date, not its UTC one. */
static void
test_chart_local_day (void)
{
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) late = g_date_time_new_utc (2025, 3, 14, 23, 30, 0);
  g_autoptr(TfMoodDays) days = NULL;

  g_assert_nonnull (athens);
  today = g_date_time_new (athens, 2025, 3, 15, 20, 0, 0);
  /* 23:30 UTC on the 14th is 01:30 on the 15th in Athens: today. */
  g_ptr_array_add (entries, make_entry (late, 7, 5, 5));
  days = tf_mood_days_new (entries, today, 2);
  g_assert_false (tf_mood_days_has_data (days, 0));
  g_assert_true (tf_mood_days_has_data (days, 1));
  g_assert_cmpfloat (tf_mood_days_get_value (days, TF_MOOD_SERIES_MOOD, 1), ==, 7);
}

/* --- the calendar --------------------------------------------------------- */

static void
test_heat_map (void)
{
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = fixed_today ();
  GtkWidget *map = tf_heat_map_new ();
  GtkWidget *window = show_in_window (map);
  cairo_surface_t *surface;
  guint empty_pixels;

  /* Empty: drawn, every day a faint square, none shaded by mood. */
  tf_heat_map_set_entries (TF_HEAT_MAP (map), entries, today, 30);
  g_assert_cmpuint (tf_heat_map_get_n_days_with_data (TF_HEAT_MAP (map)), ==, 0);
  g_assert_true (isnan (tf_heat_map_get_average (TF_HEAT_MAP (map))));
  gtk_test_accessible_assert_property (map, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No check-ins in the last 30 days.");
  surface = render (map);
  /* Only the legend's full-blue square has the full colour. */
  empty_pixels = count_pixels (surface, MOOD_BLUE, 0);
  cairo_surface_destroy (surface);

  /* One day at 10: one more full-blue square. */
  add_entry (entries, today, 3, 10, 5, 5);
  tf_heat_map_set_entries (TF_HEAT_MAP (map), entries, today, 30);
  g_assert_cmpuint (tf_heat_map_get_n_days_with_data (TF_HEAT_MAP (map)), ==, 1);
  g_assert_cmpfloat (tf_heat_map_get_average (TF_HEAT_MAP (map)), ==, 10);
  surface = render (map);
  g_assert_cmpuint (count_pixels (surface, MOOD_BLUE, 0), >, empty_pixels + 8);
  cairo_surface_destroy (surface);

  /* A year. */
  for (int k = 0; k < 400; k++)
    add_entry (entries, today, k, 1 + k % 10, 5, 5);
  tf_heat_map_set_entries (TF_HEAT_MAP (map), entries, today, 365);
  g_assert_cmpuint (tf_heat_map_get_n_days_with_data (TF_HEAT_MAP (map)), ==, 365);
  gtk_widget_queue_resize (map);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  surface = render (map);
  cairo_surface_destroy (surface);
  close_window (window);
}

/* --- streaks -------------------------------------------------------------- */

static void
test_streak (void)
{
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = fixed_today ();
  guint best = 99;

  g_assert_cmpuint (tf_mood_streak (entries, today, &best), ==, 0);
  g_assert_cmpuint (best, ==, 0);

  /* Yesterday and the day before, none yet today: still 2. */
  add_entry (entries, today, 1, 5, 5, 5);
  add_entry (entries, today, 2, 5, 5, 5);
  add_entry (entries, today, 2, 6, 5, 5);
  g_assert_cmpuint (tf_mood_streak (entries, today, &best), ==, 2);
  g_assert_cmpuint (best, ==, 2);

  /* Today extends it; tomorrow's (a wrong clock) does not. */
  add_entry (entries, today, 0, 5, 5, 5);
  add_entry (entries, today, -1, 5, 5, 5);
  g_assert_cmpuint (tf_mood_streak (entries, today, &best), ==, 3);

  /* An older, longer run is the best; a gap ends the current one. */
  for (int k = 10; k < 15; k++)
    add_entry (entries, today, k, 5, 5, 5);
  g_assert_cmpuint (tf_mood_streak (entries, today, &best), ==, 3);
  g_assert_cmpuint (best, ==, 5);

  /* Two days ago at the latest is no current streak. */
  g_ptr_array_set_size (entries, 0);
  add_entry (entries, today, 2, 5, 5, 5);
  add_entry (entries, today, 3, 5, 5, 5);
  g_assert_cmpuint (tf_mood_streak (entries, today, &best), ==, 0);
  g_assert_cmpuint (best, ==, 2);
}

/* --- the history page ----------------------------------------------------- */

static void
put_check_in (TfSession *session, int days_ago, int mood)
{
  TfVault *vault = tf_session_get_vault (session);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) noon = g_date_time_new_local (g_date_time_get_year (now),
                                                     g_date_time_get_month (now),
                                                     g_date_time_get_day_of_month (now),
                                                     12, 0, 0);
  g_autoptr(GDateTime) when = g_date_time_add_days (noon, -days_ago);
  g_autoptr(JsonObject) entry = make_entry (when, mood, 5, 5);
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (entry, "user_id", tf_vault_get_user_id (vault));
  g_assert_true (tf_vault_put (vault, tf_registry_lookup ("mood_entries"),
                               json_object_get_string_member (entry, "id"), entry, &error));
  g_assert_no_error (error);
}

typedef struct
{
  GtkWidget *window;
  guint      streak;
} StreakWait;

static gboolean
chart_has_12_days (gpointer data)
{
  return tf_mood_chart_get_n_days_with_data (data) == 12;
}

static gboolean
streak_shown (gpointer data)
{
  StreakWait *w = data;
  GtkWidget *label = tf_ui_find (w->window, "history-streak");
  g_autofree char *expected = g_strdup_printf ("%u days", w->streak);

  return label != NULL && strcmp (gtk_label_get_text (GTK_LABEL (label)), expected) == 0;
}

static void
test_history_page (void)
{
  g_autofree char *dir = NULL;
  TfRegistration reg = { PASSWORD, "client", "Ελένη", "Π.", NULL };
  TfSession *session = tf_ui_new_profile (&reg, &dir);
  GtkWidget *page, *window;
  TfMoodChart *chart;
  StreakWait wait;
  guint best = 0;
  int min_width;


  /* Today and the two days before; an older run of five days. */
  for (int k = 0; k < 3; k++)
    put_check_in (session, k, 6);
  for (int k = 6; k < 11; k++)
    put_check_in (session, k, 4);
  /* A second check-in today counts once. */
  put_check_in (session, 0, 8);

  page = tf_history_page_new (session);
  window = show_in_window (page);
  wait.window = window;
  wait.streak = 3;
  g_assert_true (tf_ui_wait_for (streak_shown, &wait));
  g_assert_cmpuint (tf_history_page_get_streak (TF_HISTORY_PAGE (page), &best), ==, 3);
  g_assert_cmpuint (best, ==, 5);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (window, "history-best-streak"))),
                   ==, "5 days");
  chart = TF_MOOD_CHART (tf_ui_wait_shown (window, "history-chart"));
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (chart), ==, 8);
  g_assert_cmpfloat (tf_mood_chart_get_average (chart, "mood"), ==, (7 + 6 + 6 + 5 * 4) / 8.0);
  g_assert_cmpuint (tf_heat_map_get_n_days_with_data (
                      TF_HEAT_MAP (tf_ui_find (window, "history-heat-map"))), ==, 8);

  /* A check-in saved elsewhere in the app shows here without a reload. */
  put_check_in (session, 3, 6);
  wait.streak = 4;
  g_assert_true (tf_ui_wait_for (streak_shown, &wait));
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (chart), ==, 9);

  /* Filling the gap joins the runs. */
  put_check_in (session, 4, 6);
  put_check_in (session, 5, 6);
  wait.streak = 11;
  g_assert_true (tf_ui_wait_for (streak_shown, &wait));
  g_assert_cmpuint (tf_history_page_get_streak (TF_HISTORY_PAGE (page), &best), ==, 11);
  g_assert_cmpuint (best, ==, 11);

  /* The range: a check-in 200 days ago is in the year, not in 30 or 90
   * days. */
  put_check_in (session, 200, 9);
  tf_ui_click (window, "history-range-365");
  g_assert_true (tf_ui_wait_for (chart_has_12_days, chart));
  /* Even a year fits a phone-sized window. */
  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);
  g_assert_true (gtk_toggle_button_get_active (
                   GTK_TOGGLE_BUTTON (tf_ui_find (window, "history-range-365"))));
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Check-ins on 12 of the last 365 days. "
                                       "Average mood 5.5, energy 5.0, anxiety 5.0, out of 10.");
  tf_ui_click (window, "history-range-90");
  g_assert_false (gtk_toggle_button_get_active (
                    GTK_TOGGLE_BUTTON (tf_ui_find (window, "history-range-365"))));
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (chart), ==, 11);
  tf_ui_click (window, "history-range-30");
  g_assert_cmpuint (tf_mood_chart_get_n_days_with_data (chart), ==, 11);

  close_window (window);
  g_assert_finalize_object (session);
  tf_ui_remove_profile (dir);
}

/* --- fitting its space, in both languages --------------------------------- */

/* Writes what @widget draws, over white, to $TF_UI_SHOTS/@name.png when
 * that directory is set: the pictures a person checks by eye. */
static void
maybe_save_shot (cairo_surface_t *surface, const char *name)
{
  const char *dir = g_getenv ("TF_UI_SHOTS");
  g_autofree char *file = NULL;
  cairo_surface_t *page;
  cairo_t *cr;

  if (dir == NULL)
    return;
  page = cairo_image_surface_create (CAIRO_FORMAT_RGB24, cairo_image_surface_get_width (surface),
                                     cairo_image_surface_get_height (surface));
  cr = cairo_create (page);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  file = g_strdup_printf ("%s/%s-%s.png", dir, name,
                          g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en");
  g_assert_cmpint (cairo_surface_write_to_png (page, file), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (page);
}

/* Everything @widget draws lies inside its allocation: no word of its
 * legend or axes is cut by the window.  (GTK's text nodes reach a pixel
 * past their glyphs' ink on every side.) */
static void
assert_drawn_inside (GtkWidget *widget, const char *name)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  graphene_rect_t bounds;
  cairo_surface_t *surface;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  g_test_message ("%s: %d × %d, drawn %.1f, %.1f – %.1f, %.1f", name, width, height,
                  bounds.origin.x, bounds.origin.y, bounds.origin.x + bounds.size.width,
                  bounds.origin.y + bounds.size.height);
  g_assert_cmpfloat (bounds.origin.x, >=, -1.5);
  g_assert_cmpfloat (bounds.origin.y, >=, -1.5);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width + 1.5);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height + 1.5);
  gsk_render_node_unref (node);
  surface = render (widget);
  maybe_save_shot (surface, name);
  cairo_surface_destroy (surface);
}

/* @widget in a window @width px wide, 12 px from its edges as on a page. */
static GtkWidget *
show_at_width (GtkWidget *widget, int width)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GdkFrameClock *clock;
  FrameWait frame;

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 600);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tf_ui_wait_for (is_drawn, widget));
  clock = gtk_widget_get_frame_clock (widget);
  frame.clock = clock;
  frame.after = gdk_frame_clock_get_frame_counter (clock);
  gtk_widget_queue_draw (widget);
  g_assert_true (tf_ui_wait_for (frame_passed, &frame));
  return window;
}

/* The calendar's legend and weekdays fit a phone and a desktop window, for
 * a month and a year, in this run's language (English, or Greek, whose
 * legend words are wider than a month's squares). */
static void
test_heat_map_fits (void)
{
  const int widths[] = { 360, 1280 };
  const guint ranges[] = { 30, 90, 365 };
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = fixed_today ();

  for (int k = 0; k < 400; k++)
    add_entry (entries, today, k, 1 + (k * 7) % 10, 5, 5);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
      {
        GtkWidget *map = tf_heat_map_new ();
        GtkWidget *window;
        g_autofree char *name = g_strdup_printf ("heat-map-%u-at-%d", ranges[r], widths[w]);

        gtk_widget_set_halign (map, GTK_ALIGN_START);
        tf_heat_map_set_entries (TF_HEAT_MAP (map), entries, today, ranges[r]);
        window = show_at_width (map, widths[w]);
        g_assert_cmpint (gtk_widget_get_width (map), <=, widths[w] - 24);
        assert_drawn_inside (map, name);
        close_window (window);
      }
}

/* A year is drawn by week (53 points a line, not 365 in a band), with the
 * months on its time axis, and everything inside the chart at 360 and
 * 1280 px; a month and three months stay by day. */
static void
test_chart_year_readable (void)
{
  const int widths[] = { 360, 1280 };
  const guint ranges[] = { 30, 90, 365 };
  const guint points[] = { 30, 90, 53 };
  g_autoptr(GPtrArray) entries = new_entries ();
  g_autoptr(GDateTime) today = fixed_today ();

  for (int k = 0; k < 400; k++)
    add_entry (entries, today, k, 1 + (k * 7) % 10, 3 + k % 5, 10 - k % 7);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
      {
        GtkWidget *chart = tf_mood_chart_new ();
        GtkWidget *window;
        g_autofree char *name = g_strdup_printf ("chart-%u-at-%d", ranges[r], widths[w]);

        tf_mood_chart_set_entries (TF_MOOD_CHART (chart), entries, today, ranges[r]);
        g_assert_cmpuint (tf_mood_chart_get_n_points (TF_MOOD_CHART (chart)), ==, points[r]);
        window = show_at_width (chart, widths[w]);
        assert_drawn_inside (chart, name);
        close_window (window);
      }
}

int
main (int argc, char **argv)
{
  /* The drawings' words in Greek under a Greek locale. */
  if (tf_ui_init_language (&argc, &argv))
    {
      g_test_add_func ("/tf/heat-map/greek-fits", test_heat_map_fits);
      g_test_add_func ("/tf/chart/greek-year-readable", test_chart_year_readable);
      return g_test_run ();
    }

  g_test_add_func ("/tf/chart/empty", test_chart_empty);
  g_test_add_func ("/tf/chart/one-point", test_chart_one_point);
  g_test_add_func ("/tf/chart/year", test_chart_year);
  g_test_add_func ("/tf/chart/range", test_chart_range);
  g_test_add_func ("/tf/chart/local-day", test_chart_local_day);
  g_test_add_func ("/tf/heat-map/days", test_heat_map);
  g_test_add_func ("/tf/heat-map/fits", test_heat_map_fits);
  g_test_add_func ("/tf/chart/year-readable", test_chart_year_readable);
  g_test_add_func ("/tf/history/streak", test_streak);
  g_test_add_func ("/tf/history/page", test_history_page);
  return g_test_run ();
}
