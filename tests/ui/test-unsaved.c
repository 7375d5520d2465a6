/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-unsaved.c: what a therapist typed into a session note, a client's
 * intake, history or treatment plan and did not save is back after the
 * app locked — by win.lock and by the idle lock — and the password
 * unlocked it: the same client, the same record, with "Restored your
 * unsaved changes" and Discard; a client's check-in, journal entry and
 * goal likewise.  Saving or discarding the changes leaves no draft.  A real window
 * under Xvfb at 360 px, in English and (with --greek) in Greek, on a
 * therapist profile made on this computer only, whose client arrives as a
 * sync would bring them.  GTK warnings are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-clients-page.h"
#include "tf-drafts.h"
#include "tf-ui-test.h"
#include "tf-window.h"

#define PASSWORD "σωστός κωδικός"

typedef struct
{
  char      *dir;
  TfSession *session;
  GtkWidget *window;
  char      *client_id;
  char      *appointment_id;
} Fixture;

static gboolean
is_locked (gpointer session)
{
  return !tf_session_is_unlocked (session);
}

static void
unlock (Fixture *f)
{
  tf_ui_unlock (f->window, f->session, PASSWORD);
}

/* A window at 360 px on @f's profile, unlocked with the password. */
static void
open_window (Fixture *f)
{
  f->window = tf_ui_open_unlocked (f->session, PASSWORD, 360, 760);
}

/* A therapist in care of one client with a session held two days ago, in
 * a window. */
static void
fixture_open (Fixture *f)
{
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -2);

  f->session = tf_ui_new_profile (&reg, &f->dir);
  f->client_id = tf_ui_pull_client (f->session, "Νίκος", "Παππάς");
  f->appointment_id = tf_ui_put_appointment (f->session, f->client_id, then, "completed");
  open_window (f);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The window closed, nothing of it holds the session any longer: dropped
 * by the fixture, it is finalized (a worker ending may hold it a moment). */
static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_add_weak_pointer (G_OBJECT (f->session), (gpointer *) &f->session);
  g_object_unref (f->session);
  g_assert_true (tf_ui_wait_for (is_null, &f->session));
  tf_ui_remove_profile (f->dir);
  g_free (f->dir);
  g_free (f->client_id);
  g_free (f->appointment_id);
}

static void
show_view (Fixture *f, const char *name)
{
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (tf_ui_wait_shown (f->window,
                                                                           "main-views")),
                                         name);
}

/* Section @name of the client's page shown. */
static void
show_section (Fixture *f, const char *name)
{
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (tf_ui_wait_shown (
                                           f->window, "client-detail-stack")), name);
}

/* The client's section @name (intake, history, plan, sessions) in their
 * page, opened from the list as the therapist does. */
static void
open_client (Fixture *f, const char *name)
{
  g_autofree char *row = g_strdup_printf ("client-%s", f->client_id);

  show_view (f, "clients");
  g_signal_emit_by_name (tf_ui_find (f->window, "clients-list"), "row-activated",
                         tf_ui_wait_shown (f->window, row));
  show_section (f, name);
}

/* The window, and in it a new note of the client's session, as the
 * therapist opens it. */
static void
open_new_note (Fixture *f)
{
  g_autofree char *new_button = NULL;

  fixture_open (f);
  new_button = g_strdup_printf ("notes-new-%s", f->appointment_id);
  open_client (f, "sessions");
  tf_ui_click (f->window, new_button);
}

static GtkTextBuffer *
buffer_of (Fixture *f, const char *name)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (tf_ui_wait_shown (f->window, name)));
}

static void
write_text (Fixture *f, const char *name, const char *text)
{
  gtk_text_buffer_set_text (buffer_of (f, name), text, -1);
}

static char *
read_text (Fixture *f, const char *name)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer_of (f, name), &start, &end);
  return gtk_text_buffer_get_text (buffer_of (f, name), &start, &end, FALSE);
}

static guint
n_drafts (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = tf_drafts_list (tf_session_get_vault (f->session), &error);

  g_assert_no_error (error);
  return drafts->len;
}

/* After an unlock: the note editor again, the text in @section, and the
 * notice saying so. */
static void
assert_restored (Fixture *f, const char *section, const char *text)
{
  g_autofree char *back = NULL;
  GtkWidget *notice;

  tf_ui_wait_shown (f->window, section);
  back = read_text (f, section);
  g_assert_cmpstr (back, ==, text);
  notice = tf_ui_wait_shown (f->window, "notes-draft-notice");
  g_assert_nonnull (tf_ui_find_label (notice, _("Restored your unsaved changes")));
  g_assert_true (gtk_widget_get_mapped (tf_ui_find (notice, "draft-discard")));
  g_assert_cmpuint (n_drafts (f), ==, 1);
}

static void
lock_by_idle (Fixture *f)
{
  tf_window_set_idle_lock (TF_WINDOW (f->window), 1);
  g_assert_true (tf_ui_wait_for (is_locked, f->session));
  tf_window_set_idle_lock (TF_WINDOW (f->window), 0);
}

/* A new note typed and locked away twice (win.lock, then the idle lock),
 * back each time; saved, its draft goes. */
static void
test_new_note (void)
{
  Fixture f = { 0 };
  const char *first = "Ο θεραπευόμενος περιγράφει άγχος πριν από τις εξετάσεις.";
  const char *second = "Αναπνοές και έκθεση σε βήματα.";

  open_new_note (&f);
  write_text (&f, "note-section-subjective", first);

  /* Locked by hand: nothing decrypted shows; unlocked: the note is back. */
  g_assert_true (gtk_widget_activate_action (f.window, "win.lock", NULL));
  g_assert_true (is_locked (f.session));
  g_assert_null (tf_ui_find (f.window, "note-section-subjective"));
  unlock (&f);
  assert_restored (&f, "note-section-subjective", first);
  tf_ui_shot (g_strcmp0 (g_getenv ("LANGUAGE"), "el") == 0 ? "drafts-restored-360-el"
                                                            : "drafts-restored-360");

  /* Left alone, it locks itself; what was added meanwhile is back too. */
  write_text (&f, "note-section-plan", second);
  lock_by_idle (&f);
  g_assert_null (tf_ui_find (f.window, "note-section-plan"));
  unlock (&f);
  assert_restored (&f, "note-section-subjective", first);
  {
    g_autofree char *plan = read_text (&f, "note-section-plan");

    g_assert_cmpstr (plan, ==, second);
  }

  /* Saved: the draft goes with the notice. */
  tf_ui_click (f.window, "notes-save");
  tf_ui_wait_mapped (f.window, "notes-draft-notice", FALSE);
  g_assert_cmpuint (n_drafts (&f), ==, 0);
  fixture_close (&f);
}

/* A saved note changed and locked away comes back on the same note;
 * Discard shows it as saved and leaves no draft; locked again with
 * nothing changed, nothing is kept. */
static void
test_discard (void)
{
  Fixture f = { 0 };
  g_autofree char *shown = NULL;
  const char *saved = "Συνεδρία χωρίς απρόοπτα.";
  const char *changed = "Αλλαγή που δεν αποθηκεύτηκε.";

  open_new_note (&f);
  write_text (&f, "note-section-subjective", saved);
  tf_ui_click (f.window, "notes-save");
  write_text (&f, "note-section-subjective", changed);

  g_assert_true (gtk_widget_activate_action (f.window, "win.lock", NULL));
  unlock (&f);
  assert_restored (&f, "note-section-subjective", changed);
  tf_ui_click (tf_ui_find (f.window, "notes-draft-notice"), "draft-discard");
  tf_ui_wait_mapped (f.window, "notes-draft-notice", FALSE);
  shown = read_text (&f, "note-section-subjective");
  g_assert_cmpstr (shown, ==, saved);
  g_assert_cmpuint (n_drafts (&f), ==, 0);

  g_assert_true (gtk_widget_activate_action (f.window, "win.lock", NULL));
  unlock (&f);
  g_assert_cmpuint (n_drafts (&f), ==, 0);
  g_assert_null (tf_ui_find (f.window, "note-section-subjective"));
  fixture_close (&f);
}

/* A client's check-in, journal entry and goal, each typed and not saved,
 * through one lock: each is back on its page, and goes when saved. */
static void
test_client_forms (void)
{
  TfRegistration reg = { PASSWORD, "client", "Νίκος", "Π.", NULL };
  Fixture f = { 0 };
  const char *note = "Κουρασμένος αλλά ήρεμος.";
  const char *entry = "Σήμερα περπάτησα δίπλα στη θάλασσα.";
  const char *goal = "Περπάτημα μισή ώρα";
  GtkWidget *notice;
  g_autofree char *content = NULL;

  f.session = tf_ui_new_profile (&reg, &f.dir);
  open_window (&f);
  gtk_range_set_value (GTK_RANGE (tf_ui_wait_shown (f.window, "checkin-mood")), 8);
  write_text (&f, "checkin-note", note);
  show_view (&f, "journal");
  tf_ui_click (f.window, "journal-new");
  tf_ui_type (f.window, "journal-title", "Θάλασσα");
  write_text (&f, "journal-content", entry);
  show_view (&f, "goals");
  tf_ui_type (f.window, "goals-title", goal);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (tf_ui_find (f.window, "goals-target")), 3);

  g_assert_true (gtk_widget_activate_action (f.window, "win.lock", NULL));
  g_assert_null (tf_ui_find (f.window, "checkin-note"));
  unlock (&f);
  g_assert_cmpuint (n_drafts (&f), ==, 3);

  /* Each on its page, as it was typed, with the notice. */
  show_view (&f, "checkin");
  notice = tf_ui_wait_shown (f.window, "checkin-draft-notice");
  g_assert_nonnull (tf_ui_find_label (notice, _("Restored your unsaved changes")));
  g_assert_cmpint ((int) gtk_range_get_value (GTK_RANGE (tf_ui_find (f.window, "checkin-mood"))),
                   ==, 8);
  content = read_text (&f, "checkin-note");
  g_assert_cmpstr (content, ==, note);
  tf_ui_click (f.window, "checkin-save");
  tf_ui_wait_mapped (f.window, "checkin-draft-notice", FALSE);
  g_assert_cmpuint (n_drafts (&f), ==, 2);

  show_view (&f, "journal");
  tf_ui_wait_shown (f.window, "journal-draft-notice");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window, "journal-title"))),
                   ==, "Θάλασσα");
  g_clear_pointer (&content, g_free);
  content = read_text (&f, "journal-content");
  g_assert_cmpstr (content, ==, entry);
  tf_ui_click (f.window, "journal-save");
  g_assert_cmpuint (n_drafts (&f), ==, 1);

  show_view (&f, "goals");
  tf_ui_wait_shown (f.window, "goals-draft-notice");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window, "goals-title"))),
                   ==, goal);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (
                     tf_ui_find (f.window, "goals-target"))), ==, 3);
  tf_ui_click (f.window, "goals-add");
  tf_ui_wait_mapped (f.window, "goals-draft-notice", FALSE);
  g_assert_cmpuint (n_drafts (&f), ==, 0);

  /* Saved, nothing is kept at the next lock. */
  g_assert_true (gtk_widget_activate_action (f.window, "win.lock", NULL));
  unlock (&f);
  g_assert_cmpuint (n_drafts (&f), ==, 0);
  fixture_close (&f);
}

static const char *
entry_text (Fixture *f, const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (tf_ui_wait_shown (f->window, name)));
}

/* The notice @name shown, saying its words, with Discard. */
static void
assert_notice (Fixture *f, const char *name)
{
  GtkWidget *notice = tf_ui_wait_shown (f->window, name);

  g_assert_nonnull (tf_ui_find_label (notice, _("Restored your unsaved changes")));
  g_assert_true (gtk_widget_get_mapped (tf_ui_find (notice, "draft-discard")));
}

/* A client's intake, history and a new treatment plan, each typed and not
 * saved, through one lock: after the unlock each is back in its section
 * of the same client, and goes when saved. */
static void
test_client_records (void)
{
  Fixture f = { 0 };
  const char *contact = "Μαρία Παππά";
  const char *allergy = "Πενικιλίνη";
  const char *family = "Ζει με τη μητέρα και τον αδελφό του.";
  const char *goal = "Λιγότερο άγχος στις εξετάσεις";
  const char *intervention = "Γνωστική αναδόμηση";
  g_autofree char *text = NULL;

  fixture_open (&f);
  open_client (&f, "intake");
  tf_ui_type (f.window, "intake-contact-name", contact);
  write_text (&f, "intake-allergies", allergy);
  show_section (&f, "history");
  write_text (&f, "history-family-composition", family);
  show_section (&f, "plan");
  tf_ui_click (f.window, "plan-create");
  tf_ui_type (f.window, "plan-goal", goal);
  tf_ui_click (f.window, "plan-goal-add");
  tf_ui_wait_shown (f.window, "plan-goal-0");
  tf_ui_type (f.window, "plan-intervention", intervention);

  g_assert_true (gtk_widget_activate_action (f.window, "win.lock", NULL));
  g_assert_null (tf_ui_find (f.window, "history-family-composition"));
  unlock (&f);
  g_assert_cmpuint (n_drafts (&f), ==, 3);

  /* The plan: the goal added, the intervention typed; saved, its draft
   * goes. */
  show_section (&f, "plan");
  assert_notice (&f, "plan-draft-notice");
  tf_ui_shot (g_strcmp0 (g_getenv ("LANGUAGE"), "el") == 0 ? "drafts-plan-360-el"
                                                            : "drafts-plan-360");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     tf_ui_wait_shown (f.window, "plan-goal-0"))), ==, goal);
  g_assert_cmpstr (entry_text (&f, "plan-intervention"), ==, intervention);
  tf_ui_click (f.window, "plan-save");
  tf_ui_wait_mapped (f.window, "plan-draft-notice", FALSE);
  g_assert_cmpuint (n_drafts (&f), ==, 2);

  show_section (&f, "history");
  assert_notice (&f, "history-draft-notice");
  text = read_text (&f, "history-family-composition");
  g_assert_cmpstr (text, ==, family);
  tf_ui_click (f.window, "history-save");
  tf_ui_wait_mapped (f.window, "history-draft-notice", FALSE);
  g_assert_cmpuint (n_drafts (&f), ==, 1);

  show_section (&f, "intake");
  assert_notice (&f, "intake-draft-notice");
  tf_ui_shot (g_strcmp0 (g_getenv ("LANGUAGE"), "el") == 0 ? "drafts-intake-360-el"
                                                            : "drafts-intake-360");
  g_assert_cmpstr (entry_text (&f, "intake-contact-name"), ==, contact);
  g_clear_pointer (&text, g_free);
  text = read_text (&f, "intake-allergies");
  g_assert_cmpstr (text, ==, allergy);
  tf_ui_click (f.window, "intake-save");
  tf_ui_wait_mapped (f.window, "intake-draft-notice", FALSE);
  g_assert_cmpuint (n_drafts (&f), ==, 0);
  fixture_close (&f);
}

/* The saved history and plan changed and locked away (by the idle lock)
 * come back on the same records; Discard shows them as saved and leaves
 * no draft. */
static void
test_saved_records_discard (void)
{
  Fixture f = { 0 };
  const char *saved = "Μεγάλωσε στη Θεσσαλονίκη.";
  const char *changed = "Αλλαγή που δεν αποθηκεύτηκε.";
  g_autofree char *text = NULL;

  fixture_open (&f);
  open_client (&f, "history");
  write_text (&f, "history-family-composition", saved);
  tf_ui_click (f.window, "history-save");
  write_text (&f, "history-family-composition", changed);
  show_section (&f, "plan");
  tf_ui_click (f.window, "plan-create");
  tf_ui_type (f.window, "plan-goal", "Ύπνος 7 ωρών");
  tf_ui_click (f.window, "plan-save");
  tf_ui_wait_shown (f.window, "plan-goal-0");
  gtk_editable_set_text (GTK_EDITABLE (tf_ui_find (f.window, "plan-review-date")), "2030-06-30");

  lock_by_idle (&f);
  unlock (&f);
  g_assert_cmpuint (n_drafts (&f), ==, 2);

  show_section (&f, "history");
  assert_notice (&f, "history-draft-notice");
  text = read_text (&f, "history-family-composition");
  g_assert_cmpstr (text, ==, changed);
  tf_ui_click (tf_ui_find (f.window, "history-draft-notice"), "draft-discard");
  tf_ui_wait_mapped (f.window, "history-draft-notice", FALSE);
  g_clear_pointer (&text, g_free);
  text = read_text (&f, "history-family-composition");
  g_assert_cmpstr (text, ==, saved);

  show_section (&f, "plan");
  assert_notice (&f, "plan-draft-notice");
  g_assert_cmpstr (entry_text (&f, "plan-review-date"), ==, "2030-06-30");
  tf_ui_click (tf_ui_find (f.window, "plan-draft-notice"), "draft-discard");
  tf_ui_wait_mapped (f.window, "plan-draft-notice", FALSE);
  g_assert_cmpstr (entry_text (&f, "plan-review-date"), ==, "");
  tf_ui_wait_shown (f.window, "plan-goal-0");
  g_assert_cmpuint (n_drafts (&f), ==, 0);
  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  tf_ui_init_language (&argc, &argv);

  g_test_add_func ("/ui/drafts/new-note-through-locks/360", test_new_note);
  g_test_add_func ("/ui/drafts/discard/360", test_discard);
  g_test_add_func ("/ui/drafts/client-forms/360", test_client_forms);
  g_test_add_func ("/ui/drafts/client-records/360", test_client_records);
  g_test_add_func ("/ui/drafts/saved-records-discard/360", test_saved_records_discard);
  return g_test_run ();
}
