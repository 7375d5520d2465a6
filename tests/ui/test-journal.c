/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-journal.c: the journal and goals pages in a real window under Xvfb,
 * on a profile made on this computer only: entries written, listed newest
 * first, found and hidden by search, edited and shared, deleted only after
 * confirming, a failed save keeping the draft; a daily goal marked done,
 * its streak at one, and a second mark the same day refused.  GTK warnings
 * are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-goals-page.h"
#include "tf-journal-page.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

typedef TfUiPage Fixture;

typedef struct
{
  GtkWidget  *window;
  const char *list;
  guint       n;
} RowCount;

/* A client profile on this computer only, unlocked, and @make's page in a
 * window. */
static void
fixture_set_up (Fixture *f, GtkWidget *(*make) (TfSession *))
{
  TfRegistration reg = { PASSWORD, "client", "Ελένη", "Π.", NULL };

  tf_ui_page_open (f, &reg, make, 600, 700);
}

static void
fixture_tear_down (Fixture *f)
{
  tf_ui_page_close (f);
}

static guint
rows (GtkWidget *window, const char *list_name)
{
  GtkWidget *list = tf_ui_find (window, list_name);
  guint n = 0;

  for (GtkWidget *row = list ? gtk_widget_get_first_child (list) : NULL; row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      n++;
  return n;
}

static gboolean
has_n_rows (gpointer data)
{
  RowCount *c = data;

  return rows (c->window, c->list) == c->n;
}

static void
wait_rows (GtkWidget *window, const char *list, guint n)
{
  RowCount c = { window, list, n };

  g_assert_true (tf_ui_wait_for (has_n_rows, &c));
}

/* The row of @list whose title is @title, or NULL. */
static AdwActionRow *
find_row (GtkWidget *window, const char *list_name, const char *title)
{
  GtkWidget *list = tf_ui_find (window, list_name);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return ADW_ACTION_ROW (row);
  return NULL;
}

typedef struct { GtkWidget *window; const char *title; } TitleLookup;

static gboolean
title_listed (gpointer data)
{
  TitleLookup *l = data;

  return find_row (l->window, "journal-list", l->title) != NULL;
}

static void
wait_title (GtkWidget *window, const char *title)
{
  TitleLookup l = { window, title };

  g_assert_true (tf_ui_wait_for (title_listed, &l));
}

static AdwActionRow *
nth_row (GtkWidget *window, const char *list_name, guint n)
{
  GtkWidget *list = tf_ui_find (window, list_name);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && n-- == 0)
      return ADW_ACTION_ROW (row);
  return NULL;
}

static const char *
stack_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (tf_ui_find (f->window, "journal-stack")));
}

static void
set_content (Fixture *f, const char *text)
{
  GtkWidget *view = tf_ui_find (f->window, "journal-content");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static char *
dup_content (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (tf_ui_find (
                                                      f->window, "journal-content")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
write_entry (Fixture *f, const char *title, const char *content, guint n_after)
{
  tf_ui_click (f->window, "journal-new");
  g_assert_cmpstr (stack_page (f), ==, "editor");
  tf_ui_type (f->window, "journal-title", title);
  set_content (f, content);
  g_clear_pointer (&f->saved, g_free);
  tf_ui_click (f->window, "journal-save");
  g_assert_null (f->failed);
  g_assert_cmpstr (f->saved, ==, "Journal entry saved");
  g_assert_cmpstr (stack_page (f), ==, "list");
  wait_rows (f->window, "journal-list", n_after);
}

static void
search (Fixture *f, const char *text, guint n)
{
  tf_ui_type (f->window, "journal-search", text);
  wait_rows (f->window, "journal-list", n);
}

/* Answers the delete confirmation with @response and closes it. */
static void
confirm (const char *response)
{
  g_autofree char *heading = tf_ui_answer_dialog ("journal-delete-dialog", response);

  g_assert_cmpstr (heading, ==, "Delete This Entry?");
}

static JsonObject *
stored_entry (Fixture *f, const char *title)
{
  TfVault *vault = tf_session_get_vault (f->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tf_vault_list (vault, tf_registry_lookup ("journal_entries"),
                                            "user_id", tf_vault_get_user_id (vault), &error);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (g_ptr_array_index (all, i),
                                                               "title", NULL), title) == 0)
      return json_object_ref (g_ptr_array_index (all, i));
  return NULL;
}

static void
test_journal (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(JsonObject) stored = NULL;
  GtkWidget *placeholder;
  AdwActionRow *row;

  fixture_set_up (f, tf_journal_page_new);
  tf_ui_wait_shown (f->window, "journal-new");
  placeholder = tf_ui_find (f->window, "journal-placeholder");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (placeholder)), ==, "No journal entries yet");

  /* Two entries, listed newest first. */
  write_entry (f, "Sunday", "Ήρεμη ΜΈΡΑ στη θάλασσα with friends", 1);
  write_entry (f, "Work", "A long meeting, then a headache and άγχος.", 2);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_row (
                     f->window, "journal-list", 0))), ==, "Work");
  row = find_row (f->window, "journal-list", "Sunday");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "θάλασσα"));
  g_assert_null (strstr (adw_action_row_get_subtitle (row), "Shared with my therapist"));

  /* Search: by a word of the content, whatever its case and accents'
   * encoding; another word hides it. */
  search (f, "mountains", 0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (placeholder)), ==,
                   "No entries match your search");
  search (f, "ΘΆΛΑΣΣΑ", 1);
  g_assert_nonnull (find_row (f->window, "journal-list", "Sunday"));
  /* Greek as people type it: without the accents. */
  search (f, "θαλασσα", 1);
  g_assert_nonnull (find_row (f->window, "journal-list", "Sunday"));
  search (f, "αγχος", 1);
  g_assert_nonnull (find_row (f->window, "journal-list", "Work"));
  search (f, "headache", 1);
  g_assert_nonnull (find_row (f->window, "journal-list", "Work"));
  g_assert_null (find_row (f->window, "journal-list", "Sunday"));
  search (f, "FRIENDS", 1);
  g_assert_nonnull (find_row (f->window, "journal-list", "Sunday"));
  search (f, "sunday", 1);
  search (f, "", 2);

  /* Edit and share. */
  row = find_row (f->window, "journal-list", "Sunday");
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpstr (stack_page (f), ==, "editor");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (f->window, "journal-heading"))),
                   ==, "Edit Entry");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f->window, "journal-title"))),
                   ==, "Sunday");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (tf_ui_find (f->window, "journal-share"))));
  tf_ui_type (f->window, "journal-title", "Sunday by the sea");
  tf_ui_type (f->window, "journal-category", "Family");
  gtk_switch_set_active (GTK_SWITCH (tf_ui_find (f->window, "journal-share")), TRUE);
  tf_ui_click (f->window, "journal-save");
  g_assert_null (f->failed);
  g_assert_cmpstr (stack_page (f), ==, "list");
  wait_rows (f->window, "journal-list", 2);
  wait_title (f->window, "Sunday by the sea");
  row = find_row (f->window, "journal-list", "Sunday by the sea");
  g_assert_null (find_row (f->window, "journal-list", "Sunday"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Shared with my therapist"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Family"));
  stored = stored_entry (f, "Sunday by the sea");
  g_assert_nonnull (stored);
  g_assert_true (json_object_get_boolean_member (stored, "therapist_shared"));
  g_assert_false (json_object_get_boolean_member (stored, "is_private"));
  g_assert_cmpstr (json_object_get_string_member (stored, "content"), ==,
                   "Ήρεμη ΜΈΡΑ στη θάλασσα with friends");
  g_assert_cmpstr (json_object_get_string_member (stored, "category"), ==, "Family");

  /* Delete: nothing happens without confirming. */
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpstr (stack_page (f), ==, "editor");
  tf_ui_click (f->window, "journal-delete");
  confirm ("cancel");
  g_assert_cmpstr (stack_page (f), ==, "editor");
  g_assert_cmpuint (rows (f->window, "journal-list"), ==, 2);
  g_clear_pointer (&f->saved, g_free);
  tf_ui_click (f->window, "journal-delete");
  confirm ("delete");
  g_assert_cmpstr (f->saved, ==, "Journal entry deleted");
  g_assert_cmpstr (stack_page (f), ==, "list");
  wait_rows (f->window, "journal-list", 1);
  g_assert_nonnull (find_row (f->window, "journal-list", "Work"));
  g_clear_pointer (&stored, json_object_unref);
  stored = stored_entry (f, "Sunday by the sea");
  g_assert_null (stored);

  fixture_tear_down (f);
}

static void
test_journal_failed_save (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autofree char *long_title = g_strnfill (300, 'x');
  g_autofree char *content = NULL;

  fixture_set_up (f, tf_journal_page_new);
  tf_ui_click (f->window, "journal-new");
  g_assert_false (gtk_widget_is_sensitive (tf_ui_find (f->window, "journal-delete")));

  /* Nothing to save. */
  tf_ui_click (f->window, "journal-save");
  g_assert_cmpstr (f->failed, ==, "Write a title or some text first");
  g_clear_pointer (&f->failed, g_free);

  /* A title too long for the store: refused, the draft kept. */
  tf_ui_type (f->window, "journal-title", long_title);
  set_content (f, "what I must not lose");
  tf_ui_click (f->window, "journal-save");
  g_assert_nonnull (f->failed);
  g_assert_true (g_str_has_prefix (f->failed, "The journal entry was not saved: "));
  g_assert_null (f->saved);
  g_assert_cmpstr (stack_page (f), ==, "editor");
  content = dup_content (f);
  g_assert_cmpstr (content, ==, "what I must not lose");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f->window, "journal-title"))),
                   ==, long_title);

  /* Back to the list and, with Ctrl+N, to a new entry: the draft is
   * still there; Ctrl+S in the list saves nothing. */
  tf_ui_click (f->window, "journal-back");
  g_assert_cmpstr (stack_page (f), ==, "list");
  g_assert_cmpuint (rows (f->window, "journal-list"), ==, 0);
  g_clear_pointer (&f->failed, g_free);
  g_assert_true (tf_ui_press (tf_ui_find (f->window, "journal-list"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_null (f->failed);
  g_assert_null (f->saved);
  g_assert_true (tf_ui_press (tf_ui_find (f->window, "journal-list"), GDK_KEY_n,
                              GDK_CONTROL_MASK));
  g_assert_cmpstr (stack_page (f), ==, "editor");
  g_clear_pointer (&content, g_free);
  content = dup_content (f);
  g_assert_cmpstr (content, ==, "what I must not lose");
  tf_ui_type (f->window, "journal-title", "Kept");
  g_clear_pointer (&f->failed, g_free);
  g_assert_true (tf_ui_press (tf_ui_find (f->window, "journal-title"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_null (f->failed);
  wait_rows (f->window, "journal-list", 1);
  g_assert_nonnull (find_row (f->window, "journal-list", "Kept"));

  fixture_tear_down (f);
}

static gboolean
subtitle_has (gpointer data)
{
  const char **args = data;
  GtkWidget *window = (GtkWidget *) args[0];
  AdwActionRow *row = nth_row (window, "goals-list", 0);

  return row != NULL && strstr (adw_action_row_get_subtitle (row), args[1]) != NULL;
}

static void
wait_subtitle (GtkWidget *window, const char *text)
{
  const char *args[] = { (const char *) window, text };

  g_assert_true (tf_ui_wait_for (subtitle_has, args));
}

static guint
progress_count (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tf_vault_list (tf_session_get_vault (f->session),
                                            tf_registry_lookup ("goal_progress"), NULL, NULL,
                                            &error);

  g_assert_no_error (error);
  return all->len;
}

static void
test_goals (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) marks = NULL;
  AdwActionRow *row;

  fixture_set_up (f, tf_goals_page_new);
  tf_ui_wait_shown (f->window, "goals-add");
  g_assert_cmpuint (rows (f->window, "goals-list"), ==, 0);

  /* A goal needs a title. */
  tf_ui_click (f->window, "goals-add");
  g_assert_cmpstr (f->failed, ==, "Give the goal a title");
  g_clear_pointer (&f->failed, g_free);

  tf_ui_type (f->window, "goals-title", "Walk 20 minutes");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (tf_ui_find (f->window,
                                                                "goals-frequency"))), ==, 0);
  tf_ui_click (f->window, "goals-add");
  g_assert_null (f->failed);
  g_assert_cmpstr (f->saved, ==, "Goal added");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f->window, "goals-title"))),
                   ==, "");
  wait_rows (f->window, "goals-list", 1);
  row = nth_row (f->window, "goals-list", 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Walk 20 minutes");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Daily"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row),
                            "Current streak: 0 · Best streak: 0"));

  /* Done today: a streak of one. */
  g_clear_pointer (&f->saved, g_free);
  tf_ui_click (f->window, "goals-done");
  g_assert_null (f->failed);
  g_assert_cmpstr (f->saved, ==, "Well done: “Walk 20 minutes” is marked done today");
  wait_subtitle (f->window, "Current streak: 1 · Best streak: 1");
  wait_subtitle (f->window, "Done today");
  g_assert_cmpuint (progress_count (f), ==, 1);
  marks = tf_vault_list (tf_session_get_vault (f->session), tf_registry_lookup ("goal_progress"),
                         NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (marks, 0),
                                                  "completed_date"), ==, today);

  /* Twice the same day: refused with a message, nothing written. */
  tf_ui_click (f->window, "goals-done");
  g_assert_cmpstr (f->failed, ==, "“Walk 20 minutes” is already marked done today");
  g_assert_cmpuint (progress_count (f), ==, 1);
  wait_subtitle (f->window, "Current streak: 1 · Best streak: 1");

  fixture_tear_down (f);
}

int
main (int argc, char **argv)
{
  tf_ui_init (&argc, &argv, "C.UTF-8");

  g_test_add_func ("/ui/journal/write-search-edit-delete", test_journal);
  g_test_add_func ("/ui/journal/failed-save-keeps-draft", test_journal_failed_save);
  g_test_add_func ("/ui/goals/done-and-streak", test_goals);
  return g_test_run ();
}
