/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-goals.c: the goals page in a real window under Xvfb, at 360 and
 * 1280 px, in English and (with --greek) in Greek: a weekly goal says how
 * far this week got ("1 of 3 this week"), it is edited in the form (one
 * goal, not two) and deleted with the days it was done; a goal and a day
 * done written elsewhere (the CLI, a sync) show by themselves, and the
 * other rows stay.  GTK warnings are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tf-goals-page.h"
#include "tf-goals.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

typedef TfUiPage Fixture;

static gboolean greek;

/* The screen, named for the view, the width and the language. */
static void
shot (const char *name, int width)
{
  g_autofree char *file = g_strdup_printf ("%s-%d%s", name, width, greek ? "-el" : "");

  tf_ui_shot (file);
}

static AdwActionRow *
first_row (Fixture *f)
{
  GtkWidget *list = tf_ui_find (f->window, "goals-list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      return ADW_ACTION_ROW (row);
  return NULL;
}

typedef struct
{
  Fixture    *f;
  const char *text;  /* NULL: no row */
} Wanted;

static gboolean
row_says (gpointer data)
{
  Wanted *w = data;
  AdwActionRow *row = first_row (w->f);

  if (w->text == NULL)
    return row == NULL;
  return row != NULL && (strstr (adw_action_row_get_subtitle (row), w->text) != NULL ||
                         strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                 w->text) != NULL);
}

static void
wait_row_says (Fixture *f, const char *text)
{
  Wanted w = { f, text };

  g_assert_true (tf_ui_wait_for (row_says, &w));
}

static guint
live (Fixture *f, const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tf_vault_list (tf_ui_page_vault (f), tf_registry_lookup (table),
                                            NULL, NULL, &error);

  g_assert_no_error (error);
  return all->len;
}

/* The goal's title has the line it needs: not squeezed by the buttons
 * beside it (in Greek, "Ολοκληρώθηκε σήμερα" left it a word a line at
 * 360 px). */
static gboolean
title_fits (gpointer data)
{
  Fixture *f = data;
  GtkWidget *title = tf_ui_find_label (f->window, "Walk 20 minutes");
  int natural = 0;

  if (title == NULL || !gtk_widget_get_mapped (title))
    return FALSE;
  gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return gtk_widget_get_width (title) >= natural;
}

static void
test_goal_edit_delete (gconstpointer data)
{
  int width = GPOINTER_TO_INT (data);
  Fixture fixture = { 0 }, *f = &fixture;
  TfRegistration reg = { PASSWORD, "client", "Ελένη", "Π.", NULL };
  GtkWidget *window_child;

  tf_ui_page_open (f, &reg, tf_goals_page_new, width, 800);
  tf_ui_wait_shown (f->window, "goals-add");

  /* A weekly goal, three times a week, done once: 1 of 3 this week. */
  tf_ui_type (f->window, "goals-title", "Walk 20 minutes");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tf_ui_find (f->window, "goals-frequency")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tf_ui_find (f->window, "goals-target")), 3);
  tf_ui_click (f->window, "goals-add");
  g_assert_null (f->failed);
  wait_row_says (f, greek ? "0 από 3 αυτή την εβδομάδα" : "0 of 3 this week");
  tf_ui_click (f->window, "goals-done");
  g_assert_null (f->failed);
  wait_row_says (f, greek ? "1 από 3 αυτή την εβδομάδα" : "1 of 3 this week");
  g_assert_true (tf_ui_wait_for (title_fits, f));
  shot ("goals-progress", width);

  /* Edited in the form: the same goal changed, not a second one. */
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f->window, "goals-delete")));
  tf_ui_click (f->window, "goals-edit");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f->window, "goals-title"))),
                   ==, "Walk 20 minutes");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (
                     tf_ui_find (f->window, "goals-target"))), ==, 3);
  g_assert_true (gtk_widget_get_visible (tf_ui_find (f->window, "goals-delete")));
  shot ("goals-editing", width);
  tf_ui_type (f->window, "goals-title", "Walk 30 minutes");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tf_ui_find (f->window, "goals-frequency")), 2);
  /* Saved with Ctrl+S from the title, as a keyboard user saves. */
  g_assert_true (tf_ui_press (tf_ui_find (f->window, "goals-title"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_null (f->failed);
  if (!greek)
    g_assert_cmpstr (f->saved, ==, "Goal changed");
  wait_row_says (f, "Walk 30 minutes");
  wait_row_says (f, greek ? "1 από 3 αυτόν τον μήνα" : "1 of 3 this month");
  g_assert_cmpuint (live (f, "goals"), ==, 1);
  g_assert_cmpuint (live (f, "goal_progress"), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f->window, "goals-title"))),
                   ==, "");

  /* Nothing is wider than the window. */
  window_child = gtk_window_get_child (GTK_WINDOW (f->window));
  g_assert_cmpint (gtk_widget_get_width (f->window), <=, width);
  g_assert_cmpint (gtk_widget_get_width (window_child), <=, width);

  /* Deleted with the day it was done. */
  tf_ui_click (f->window, "goals-edit");
  /* Asked first: Cancel keeps it, Delete deletes it. */
  tf_ui_click (f->window, "goals-delete");
  g_assert_cmpuint (live (f, "goals"), ==, 1);
  g_free (tf_ui_answer_dialog ("goals-delete-dialog", "cancel"));
  g_assert_cmpuint (live (f, "goals"), ==, 1);
  tf_ui_click (f->window, "goals-delete");
  g_free (tf_ui_answer_dialog ("goals-delete-dialog", "delete"));
  g_assert_null (f->failed);
  wait_row_says (f, NULL);
  g_assert_cmpuint (live (f, "goals"), ==, 0);
  g_assert_cmpuint (live (f, "goal_progress"), ==, 0);
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f->window, "goals-delete")));
  tf_ui_page_close (f);
}

/* --- goals written elsewhere while the page is open ----------------------- */

/* The row of the goal called @title, or NULL. */
static GtkWidget *
row_titled (Fixture *f, const char *title)
{
  GtkWidget *list = tf_ui_find (f->window, "goals-list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return row;
  return NULL;
}

/* A goal saved and a day marked done by another path into the same store
 * (the CLI's, as a sync's pulled page would) show in the open page by
 * themselves, and the other goal's row stays the same row, focused: the
 * page does not rebuild its list. */
static void
test_arrival_keeps_focus (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  TfRegistration reg = { PASSWORD, "client", "Ελένη", "Π.", NULL };
  g_autofree char *read_id = g_uuid_string_random (), *mark_id = g_uuid_string_random ();
  g_autofree char *today = NULL, *read_row = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  GtkWidget *walk;

  tf_ui_page_open (f, &reg, tf_goals_page_new, 1280, 800);
  tf_ui_type (f->window, "goals-title", "Walk 20 minutes");
  tf_ui_click (f->window, "goals-add");
  g_assert_null (f->failed);
  wait_row_says (f, "Walk 20 minutes");
  walk = row_titled (f, "Walk 20 minutes");
  g_assert_true (gtk_widget_grab_focus (walk));
  g_assert_true (gtk_widget_has_focus (walk));

  g_assert_true (tf_goal_save (tf_ui_page_vault (f), read_id, "Read 10 pages", "daily", 1, NULL,
                               &error));
  g_assert_no_error (error);
  read_row = g_strdup_printf ("goal-%s", read_id);
  tf_ui_wait_subtitle (f->window, read_row, greek ? "0 από 1 σήμερα" : "0 of 1 today");
  g_assert_true (row_titled (f, "Walk 20 minutes") == walk);
  g_assert_true (gtk_widget_has_focus (walk));

  today = g_date_time_format (now, "%Y-%m-%d");
  g_assert_true (tf_goal_mark_done (tf_ui_page_vault (f), mark_id, read_id, today, NULL, NULL,
                                    &error));
  g_assert_no_error (error);
  tf_ui_wait_subtitle (f->window, read_row, greek ? "1 από 1 σήμερα" : "1 of 1 today");
  g_assert_true (row_titled (f, "Walk 20 minutes") == walk);
  g_assert_true (gtk_widget_has_focus (walk));
  tf_ui_page_close (f);
}

int
main (int argc, char **argv)
{
  greek = tf_ui_init_language (&argc, &argv);

  g_test_add_data_func ("/ui/goals/edit-delete-progress/360", GINT_TO_POINTER (360),
                        test_goal_edit_delete);
  g_test_add_data_func ("/ui/goals/edit-delete-progress/1280", GINT_TO_POINTER (1280),
                        test_goal_edit_delete);
  g_test_add_func ("/ui/goals/arrival-keeps-focus", test_arrival_keeps_focus);
  return g_test_run ();
}
