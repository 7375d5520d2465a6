/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-checkin.c: the check-in page in a real window under Xvfb, at 360,
 * 800 and 1280 px, in English and (with --greek) in Greek: Save in sight
 * without scrolling, the five faces filling the sliders, a picked emotion
 * shown picked, a save that failed saved again as one check-in (never
 * two), and a check-in edited and deleted afterwards.  GTK warnings are
 * fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-checkin-page.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

typedef TfUiPage Fixture;

typedef struct
{
  int width;
  int height;
} Size;

static gboolean greek;
static int asked_width;  /* the width the window was opened at */

/* The screen, named for the view, the width and the language. */
static void
shot (const char *name, int width)
{
  g_autofree char *file = g_strdup_printf ("%s-%d%s", name, width, greek ? "-el" : "");

  tf_ui_shot (file);
}

static void
exec_sql (Fixture *f, const char *sql)
{
  g_autofree char *path = g_build_filename (f->dir, "profile.sqlite", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static int
count_sql (Fixture *f, const char *sql)
{
  g_autofree char *path = g_build_filename (f->dir, "profile.sqlite", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static int
live_checkins (Fixture *f)
{
  return count_sql (f, "SELECT count(*) FROM mood_entries WHERE deleted_at IS NULL");
}

static guint
rows (Fixture *f)
{
  GtkWidget *list = tf_ui_find (f->window, "checkin-history");
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      n++;
  return n;
}

typedef struct
{
  Fixture *f;
  guint    n;
} RowCount;

static gboolean
has_n_rows (gpointer data)
{
  RowCount *c = data;

  return rows (c->f) == c->n;
}

static void
wait_rows (Fixture *f, guint n)
{
  RowCount c = { f, n };

  g_assert_true (tf_ui_wait_for (has_n_rows, &c));
}

typedef struct
{
  Fixture    *f;
  const char *title;
} Title;

static gboolean
first_row_titled (gpointer data)
{
  Title *t = data;
  GtkWidget *row = gtk_widget_get_first_child (tf_ui_find (t->f->window, "checkin-history"));

  return ADW_IS_ACTION_ROW (row) &&
         strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), t->title) != NULL;
}

/* The list follows the store by itself: wait for the changed row. */
static void
wait_first_title (Fixture *f, const char *title)
{
  Title t = { f, title };

  g_assert_true (tf_ui_wait_for (first_row_titled, &t));
}

static int
scale (Fixture *f, const char *name)
{
  return (int) gtk_range_get_value (GTK_RANGE (tf_ui_find (f->window, name)));
}

static void
fixture_open (Fixture *f, const Size *size)
{
  TfRegistration reg = { PASSWORD, "client", "Ελένη", "Π.", NULL };

  asked_width = size->width;
  tf_ui_page_open (f, &reg, tf_checkin_page_new, size->width, size->height);
  tf_ui_wait_shown (f->window, "checkin-save");
}

/* Save is inside the window as it opens, without scrolling. */
static void
assert_in_sight (Fixture *f, const char *name)
{
  GtkWidget *widget = tf_ui_wait_shown (f->window, name);
  graphene_rect_t bounds;

  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_compute_bounds (widget, f->window, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (f->window));
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (f->window));
  /* ... and the window is as wide as asked: nothing forced it wider. */
  g_assert_cmpint (gtk_widget_get_width (f->window), <=, asked_width);
}

static void
test_save_again (gconstpointer data)
{
  const Size *size = data;
  Fixture fixture = { 0 }, *f = &fixture;
  GtkWidget *calm;

  fixture_open (f, size);
  assert_in_sight (f, "checkin-save");
  assert_in_sight (f, "checkin-face-5");

  /* One tap on a face fills the three sliders. */
  tf_ui_click (f->window, "checkin-face-1");
  g_assert_cmpint (scale (f, "checkin-mood"), ==, 2);
  g_assert_cmpint (scale (f, "checkin-anxiety"), ==, 8);
  tf_ui_click (f->window, "checkin-face-4");
  g_assert_cmpint (scale (f, "checkin-mood"), ==, 8);
  g_assert_cmpint (scale (f, "checkin-energy"), ==, 7);
  g_assert_cmpint (scale (f, "checkin-anxiety"), ==, 3);
  if (greek)
    g_assert_cmpstr (gtk_widget_get_tooltip_text (tf_ui_find (f->window, "checkin-face-4")), ==,
                     "Καλά");

  /* A picked emotion looks picked: the accent colour, not a shade of grey. */
  calm = tf_ui_find (f->window, "emotion-calm");
  g_assert_false (gtk_widget_has_css_class (calm, "suggested-action"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (calm), TRUE);
  g_assert_true (gtk_widget_has_css_class (calm, "suggested-action"));
  shot ("checkin-picked", size->width);

  /* The store refuses the write: not saved, said so, the form kept. */
  exec_sql (f, "CREATE TRIGGER refuse_mood BEFORE INSERT ON mood_entries"
               " BEGIN SELECT RAISE(ABORT, 'disk full'); END");
  tf_ui_click (f->window, "checkin-save");
  g_assert_nonnull (f->failed);
  if (!greek)
    g_assert_true (g_str_has_prefix (f->failed, "The check-in was not saved: "));
  g_assert_null (f->saved);
  g_assert_cmpint (live_checkins (f), ==, 0);
  g_assert_cmpint (scale (f, "checkin-mood"), ==, 8);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (calm)));

  /* Saved again — with Ctrl+S from the note, as a keyboard user saves —
   * and once more from the same form state before it cleared: one
   * check-in. */
  exec_sql (f, "DROP TRIGGER refuse_mood");
  g_clear_pointer (&f->failed, g_free);
  g_assert_true (tf_ui_press (tf_ui_find (f->window, "checkin-note"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_null (f->failed);
  g_assert_nonnull (f->saved);
  wait_rows (f, 1);
  g_assert_cmpint (live_checkins (f), ==, 1);
  g_assert_cmpint (scale (f, "checkin-mood"), ==, 5);
  g_assert_false (gtk_widget_has_css_class (calm, "suggested-action"));
  /* Ctrl+S in the list of check-ins has no form in hand: nothing more. */
  tf_ui_press (gtk_widget_get_first_child (tf_ui_find (f->window, "checkin-history")), GDK_KEY_s,
               GDK_CONTROL_MASK);
  g_assert_cmpint (live_checkins (f), ==, 1);
  tf_ui_page_close (f);
}

static void
test_edit_and_delete (gconstpointer data)
{
  const Size *size = data;
  Fixture fixture = { 0 }, *f = &fixture;
  GtkWidget *row;
  g_autofree char *created = NULL;
  g_autofree char *path = NULL;

  fixture_open (f, size);
  gtk_range_set_value (GTK_RANGE (tf_ui_find (f->window, "checkin-mood")), 3);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (tf_ui_find (f->window, "emotion-tired")),
                                TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                              tf_ui_find (f->window, "checkin-note"))), "κουρασμένη", -1);
  tf_ui_click (f->window, "checkin-save");
  wait_rows (f, 1);
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f->window, "checkin-delete")));
  if (greek)
    {
      /* Its date as a Greek locale writes it (gtk_test_init's en_US.UTF-8
       * had it in the American order, 12/02/2026). */
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%d/%m/%Y");

      row = gtk_widget_get_first_child (tf_ui_find (f->window, "checkin-history"));
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), today));
    }

  /* Picked in the list, it is back in the form, to change. */
  row = gtk_widget_get_first_child (tf_ui_find (f->window, "checkin-history"));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpint (scale (f, "checkin-mood"), ==, 3);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (tf_ui_find (f->window,
                                                                              "emotion-tired"))));
  assert_in_sight (f, "checkin-delete");
  assert_in_sight (f, "checkin-save");
  shot ("checkin-editing", size->width);
  gtk_range_set_value (GTK_RANGE (tf_ui_find (f->window, "checkin-mood")), 6);
  g_clear_pointer (&f->saved, g_free);
  tf_ui_click (f->window, "checkin-save");
  g_assert_null (f->failed);
  g_assert_nonnull (f->saved);
  if (!greek)
    g_assert_cmpstr (f->saved, ==, "Check-in changed");
  g_assert_cmpint (live_checkins (f), ==, 1);
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM mood_entries WHERE mood_value = 6"), ==,
                   1);
  wait_rows (f, 1);
  /* "6" in both languages: the title is "Mood 6 · …" or "Διάθεση 6 · …". */
  wait_first_title (f, " 6 ");
  row = gtk_widget_get_first_child (tf_ui_find (f->window, "checkin-history"));
  if (!greek)
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                     "Mood 6 · Energy 5 · Anxiety 5");
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f->window, "checkin-delete")));

  /* Cancel leaves it as it was; Delete removes it. */
  g_signal_emit_by_name (row, "activate");
  gtk_range_set_value (GTK_RANGE (tf_ui_find (f->window, "checkin-mood")), 9);
  tf_ui_click (f->window, "checkin-cancel");
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM mood_entries WHERE mood_value = 6"), ==,
                   1);
  g_assert_cmpint (scale (f, "checkin-mood"), ==, 5);
  row = gtk_widget_get_first_child (tf_ui_find (f->window, "checkin-history"));
  g_signal_emit_by_name (row, "activate");
  /* Asked first: Cancel keeps it, Delete deletes it. */
  tf_ui_click (f->window, "checkin-delete");
  g_assert_cmpint (live_checkins (f), ==, 1);
  g_free (tf_ui_answer_dialog ("checkin-delete-dialog", "cancel"));
  g_assert_cmpint (live_checkins (f), ==, 1);
  g_assert_true (gtk_widget_get_visible (tf_ui_find (f->window, "checkin-delete")));
  tf_ui_click (f->window, "checkin-delete");
  g_free (tf_ui_answer_dialog ("checkin-delete-dialog", "delete"));
  wait_rows (f, 0);
  g_assert_cmpint (live_checkins (f), ==, 0);
  g_assert_cmpint (scale (f, "checkin-mood"), ==, 5);
  tf_ui_page_close (f);
}

static const Size narrow = { 360, 700 };
static const Size medium = { 800, 700 };
static const Size wide = { 1280, 860 };

int
main (int argc, char **argv)
{
  greek = tf_ui_init_language (&argc, &argv);

  g_test_add_data_func ("/ui/checkin/save-again-one-record/360", &narrow, test_save_again);
  g_test_add_data_func ("/ui/checkin/save-again-one-record/800", &medium, test_save_again);
  g_test_add_data_func ("/ui/checkin/save-again-one-record/1280", &wide, test_save_again);
  g_test_add_data_func ("/ui/checkin/edit-and-delete/360", &narrow, test_edit_and_delete);
  g_test_add_data_func ("/ui/checkin/edit-and-delete/1280", &wide, test_edit_and_delete);
  return g_test_run ();
}
