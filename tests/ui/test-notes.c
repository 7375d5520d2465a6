/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-notes.c: a therapist's sessions and notes (TfNotesView) and the
 * treatment plan (TfPlanEditor) of one client, in a real window under Xvfb
 * on a therapist profile made on this computer only.
 *
 * The notes view lists the completed appointment (not the pending one) as
 * a session; a SOAP note shows the SOAP sections (DAP's when DAP is
 * chosen, what was typed kept), an empty note is refused, a saved one is
 * stored in the registry's shape and shown again with its sections by a
 * new view; edited, it stays on the same session; locked after the
 * confirmation (not when cancelled), its text is read-only, it shows as
 * signed and neither Save nor Lock is offered; a note the CLI wrote opens
 * as one text; a note altered after signing shows the warning; a note
 * whose key is not here says it cannot be opened.  A signed note takes
 * addenda (offered only with text typed, shown signed below it, asked about
 * when left unadded, flagged when altered).  The plan editor starts
 * empty, refuses "X99.9x" and "hello" as codes with the validator's
 * message and stores nothing, suggests F32.1 from "F32", refuses a bad
 * review date, saves F32.1 and a goal, and a new editor shows them again.
 * A session and a note written elsewhere (the CLI, a sync) show in the
 * open view by themselves, and the other sessions stay as they were; a
 * plan written elsewhere shows in the open editor, and another plan of the
 * client's leaves the form (and its focus) alone.
 * The window is 360 px wide; GTK warnings are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tf-clinical.h"
#include "tf-notes-view.h"
#include "tf-plan-editor.h"
#include "tf-print.h"
#include "tf-session-record.h"
#include "tf-time.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

typedef TfUiPage Fixture;

/* The client of the widgets under test, and their appointments. */
static char *client_id;
static char *completed_id;
static char *pending_id;

/* An appointment of the client with this therapist, @days_ago at 10:00. */
static char *
put_appointment (TfSession *session, const char *status, int days_ago)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) midnight = g_date_time_new_utc (g_date_time_get_year (now),
                                                       g_date_time_get_month (now),
                                                       g_date_time_get_day_of_month (now),
                                                       0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (midnight, -days_ago);
  g_autoptr(GDateTime) at = g_date_time_add_hours (day, 10);

  return tf_ui_put_appointment (session, client_id, at, status);
}

static GtkWidget *
make_notes_view (TfSession *session)
{
  g_free (client_id);
  g_free (completed_id);
  g_free (pending_id);
  client_id = g_uuid_string_random ();
  completed_id = put_appointment (session, "completed", 2);
  pending_id = put_appointment (session, "pending", -3);
  return tf_notes_view_new (session, client_id);
}

static GtkWidget *
make_plan_editor (TfSession *session)
{
  g_free (client_id);
  client_id = g_uuid_string_random ();
  return tf_plan_editor_new (session, client_id);
}

static void
fixture_set_up (Fixture *f, GtkWidget *(*make) (TfSession *))
{
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };

  tf_ui_page_open (f, &reg, make, 360, 800);
  g_assert_cmpstr (tf_session_get_role (f->session), ==, "therapist");
}

static void
fixture_tear_down (Fixture *f)
{
  tf_ui_page_close (f);
}

static GPtrArray *
list_of (Fixture *f, const char *table, const char *column, const char *value)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = tf_vault_list (tf_ui_page_vault (f), tf_registry_lookup (table), column,
                                   value, &error);

  g_assert_no_error (error);
  return rows;
}

static guint
count (Fixture *f, const char *table, const char *column, const char *value)
{
  g_autoptr(GPtrArray) rows = list_of (f, table, column, value);

  return rows->len;
}

static void
answer_dialog (const char *response)
{
  g_autoptr(GtkWidget) dialog = tf_ui_wait_dialog (NULL);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkTextView *
text_view (Fixture *f, const char *name)
{
  return GTK_TEXT_VIEW (tf_ui_wait_shown (f->window, name));
}

static void
write_text (Fixture *f, const char *name, const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view (f, name)), text, -1);
}

static char *
read_text (Fixture *f, const char *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view (f, name));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
open_row (Fixture *f, const char *name)
{
  GtkWidget *row = tf_ui_wait_shown (f->window, name);

  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_signal_emit_by_name (row, "activated");
}

static const char *
section_of (JsonObject *note, const char *key)
{
  JsonObject *content = json_object_get_object_member (note, "note_content");

  return json_object_get_string_member (json_object_get_object_member (content, "sections"),
                                        key);
}

/* What @doc (taken) prints, exported through GtkPrintOperation as "Print
 * to File" does and read back with pdftotext. */
static char *
printed_text (TfPrintDoc *doc)
{
  g_autofree char *pdf = g_build_filename (g_get_tmp_dir (), "tf-ui-printed.pdf", NULL);
  g_autoptr(GtkPrintOperation) operation = tf_print_operation_new (doc);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", pdf, "-", NULL };
  char *text = NULL;
  int status = 0;

  gtk_print_operation_set_export_filename (operation, pdf);
  g_assert_cmpint (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                            &error), ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &text, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_unlink (pdf);
  return text;
}

/* --- sessions and notes --------------------------------------------------- */

static void
test_notes (void)
{
  Fixture f = { 0 };
  g_autofree char *session_group = NULL, *pending_group = NULL, *new_button = NULL;
  g_autofree char *note_id = NULL, *note_row = NULL, *session_id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  JsonObject *note, *risk;
  GtkWidget *label;

  fixture_set_up (&f, make_notes_view);
  session_group = g_strdup_printf ("notes-session-%s", completed_id);
  pending_group = g_strdup_printf ("notes-session-%s", pending_id);
  new_button = g_strdup_printf ("notes-new-%s", completed_id);

  /* The completed appointment is a session; the pending one is not. */
  tf_ui_wait_shown (f.window, session_group);
  g_assert_null (tf_ui_find (f.window, pending_group));
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "notes-empty")));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (
                              tf_ui_find (f.window, session_group))), "Completed · 50 min"));

  /* A new note: SOAP's sections; DAP's when DAP is chosen, keeping what is
   * typed in a section both have. */
  tf_ui_click (f.window, new_button);
  tf_ui_wait_shown (f.window, "note-section-subjective");
  g_assert_nonnull (tf_ui_find (f.window, "note-section-objective"));
  g_assert_nonnull (tf_ui_find (f.window, "note-section-assessment"));
  g_assert_nonnull (tf_ui_find (f.window, "note-section-plan"));
  g_assert_null (tf_ui_find (f.window, "note-section-data"));
  write_text (&f, "note-section-plan", "Έκθεση σε βήματα, επόμενη συνεδρία σε μία εβδομάδα.");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tf_ui_find (f.window, "notes-approach")), 1);
  tf_ui_wait_shown (f.window, "note-section-data");
  g_assert_null (tf_ui_find (f.window, "note-section-subjective"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (tf_ui_find (f.window, "notes-approach")), 0);
  tf_ui_wait_shown (f.window, "note-section-subjective");
  text = read_text (&f, "note-section-plan");
  g_assert_cmpstr (text, ==, "Έκθεση σε βήματα, επόμενη συνεδρία σε μία εβδομάδα.");

  /* Nothing written in the sections: refused, nothing stored. */
  write_text (&f, "note-section-plan", "  ");
  tf_ui_click (f.window, "notes-save");
  g_assert_cmpstr (f.failed, ==, "Write something in the note first");
  g_assert_true (gtk_widget_get_visible (tf_ui_find (f.window, "notes-error")));
  g_assert_cmpuint (count (&f, "session_notes", NULL, NULL), ==, 0);
  g_assert_cmpuint (count (&f, "sessions", "appointment_id", completed_id), ==, 0);

  /* Written and saved: stored in the registry's shape, on a new session. */
  write_text (&f, "note-section-subjective", "Αναφέρει λιγότερο άγχος στη δουλειά.");
  write_text (&f, "note-section-objective", "Ήρεμη, καλή επαφή.");
  write_text (&f, "note-section-assessment", "Βελτίωση.");
  write_text (&f, "note-section-plan", "Συνέχεια έκθεσης.");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tf_ui_find (f.window, "notes-risk-level")), 2);
  write_text (&f, "notes-risk-notes", "Καμία πρόθεση αυτοτραυματισμού.");
  /* Saved with Ctrl+S from the text being written. */
  g_assert_true (tf_ui_press (tf_ui_find (f.window, "notes-risk-notes"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_cmpstr (f.saved, ==, "Note saved");
  sessions = list_of (&f, "sessions", "appointment_id", completed_id);
  g_assert_cmpuint (sessions->len, ==, 1);
  session_id = g_strdup (json_object_get_string_member (g_ptr_array_index (sessions, 0), "id"));
  notes = list_of (&f, "session_notes", "session_id", session_id);
  g_assert_cmpuint (notes->len, ==, 1);
  note = g_ptr_array_index (notes, 0);
  note_id = g_strdup (json_object_get_string_member (note, "id"));
  note_row = g_strdup_printf ("note-%s", note_id);
  g_assert_cmpstr (json_object_get_string_member (note, "approach_type"), ==, "soap");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     note, "note_content"), "approach"), ==, "soap");
  g_assert_cmpstr (section_of (note, "subjective"), ==, "Αναφέρει λιγότερο άγχος στη δουλειά.");
  g_assert_cmpstr (section_of (note, "plan"), ==, "Συνέχεια έκθεσης.");
  risk = json_object_get_object_member (note, "risk_assessment");
  g_assert_cmpstr (json_object_get_string_member (risk, "level"), ==, "moderate");
  g_assert_cmpstr (json_object_get_string_member (risk, "notes"), ==,
                   "Καμία πρόθεση αυτοτραυματισμού.");
  g_assert_true (gtk_widget_get_mapped (tf_ui_find (f.window, "notes-lock")));
  /* The next note of this appointment goes to the same session. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *again = tf_vault_session_for (tf_ui_page_vault (&f), completed_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, session_id);
  }

  /* A new view on the same profile: the note, with its sections. */
  tf_ui_page_replace (&f, tf_notes_view_new (f.session, client_id));
  tf_ui_wait_subtitle (f.window, note_row, "Not signed yet");
  tf_ui_wait_subtitle (f.window, note_row, "Moderate risk");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (tf_ui_find (f.window,
                                                                                    note_row))),
                   ==, "SOAP Note");
  open_row (&f, note_row);
  g_clear_pointer (&text, g_free);
  text = read_text (&f, "note-section-subjective");
  g_assert_cmpstr (text, ==, "Αναφέρει λιγότερο άγχος στη δουλειά.");
  g_clear_pointer (&text, g_free);
  text = read_text (&f, "note-section-objective");
  g_assert_cmpstr (text, ==, "Ήρεμη, καλή επαφή.");
  g_clear_pointer (&text, g_free);
  text = read_text (&f, "notes-risk-notes");
  g_assert_cmpstr (text, ==, "Καμία πρόθεση αυτοτραυματισμού.");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (tf_ui_find (f.window,
                                                                           "notes-risk-level"))),
                    ==, 2);
  g_assert_true (gtk_text_view_get_editable (text_view (&f, "note-section-subjective")));
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "notes-signed")));

  /* Edited: the same note on the same session. */
  write_text (&f, "note-section-assessment", "Σαφής βελτίωση.");
  tf_ui_click (f.window, "notes-save");
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = list_of (&f, "session_notes", NULL, NULL);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (section_of (g_ptr_array_index (notes, 0), "assessment"), ==,
                   "Σαφής βελτίωση.");
  g_assert_cmpuint (count (&f, "sessions", "appointment_id", completed_id), ==, 1);

  /* Lock: cancelled first, nothing happens; confirmed, signed. */
  tf_ui_click (f.window, "notes-lock");
  answer_dialog ("cancel");
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = list_of (&f, "session_notes", NULL, NULL);
  g_assert_false (json_object_has_member (g_ptr_array_index (notes, 0), "signature_valid"));
  g_assert_true (gtk_text_view_get_editable (text_view (&f, "note-section-subjective")));

  write_text (&f, "note-section-plan", "Συνέχεια έκθεσης· επανεκτίμηση σε 4 εβδομάδες.");
  tf_ui_click (f.window, "notes-lock");
  answer_dialog ("lock");
  g_assert_cmpstr (f.saved, ==, "Note locked and signed");
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = list_of (&f, "session_notes", NULL, NULL);
  note = g_ptr_array_index (notes, 0);
  g_assert_nonnull (json_object_get_string_member (note, "locked_at"));
  g_assert_true (json_object_get_boolean_member (note, "signature_valid"));
  /* What was on screen is what was signed. */
  g_assert_cmpstr (section_of (note, "plan"), ==, "Συνέχεια έκθεσης· επανεκτίμηση σε 4 εβδομάδες.");
  g_assert_false (gtk_text_view_get_editable (text_view (&f, "note-section-subjective")));
  g_assert_false (gtk_text_view_get_editable (text_view (&f, "notes-risk-notes")));
  label = tf_ui_wait_shown (f.window, "notes-signed");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "Signed "));
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "notes-signature-warning")));
  g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "notes-save")));
  g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "notes-lock")));

  /* Seen again by a new view: signed, read-only, no editing offered. */
  tf_ui_page_replace (&f, tf_notes_view_new (f.session, client_id));
  tf_ui_wait_subtitle (f.window, note_row, "Signed ");
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (tf_ui_find (f.window,
                                                                                 note_row))),
                         "does not verify"));
  open_row (&f, note_row);
  tf_ui_wait_shown (f.window, "notes-signed");
  g_assert_false (gtk_text_view_get_editable (text_view (&f, "note-section-plan")));
  g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "notes-save")));
  g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "notes-lock")));
  g_assert_false (gtk_widget_get_sensitive (tf_ui_find (f.window, "notes-risk-level")));
  tf_ui_click (f.window, "notes-back");
  tf_ui_wait_shown (f.window, note_row);

  /* A note the CLI wrote, {"approach", "text"}: one text. */
  {
    g_autoptr(JsonObject) plain = json_object_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *cli_id = g_uuid_string_random ();
    g_autofree char *cli_row = g_strdup_printf ("note-%s", cli_id);
    JsonObject *content = json_object_new ();

    json_object_set_string_member (content, "approach", "dap");
    json_object_set_string_member (content, "text", "D: κοιμάται καλύτερα");
    json_object_set_string_member (plain, "id", cli_id);
    json_object_set_string_member (plain, "session_id", session_id);
    json_object_set_string_member (plain, "therapist_id",
                                   tf_vault_get_user_id (tf_ui_page_vault (&f)));
    json_object_set_string_member (plain, "approach_type", "dap");
    json_object_set_object_member (plain, "note_content", content);
    g_assert_true (tf_vault_put (tf_ui_page_vault (&f), tf_registry_lookup ("session_notes"),
                                 cli_id, plain, &error));
    g_assert_no_error (error);
    tf_ui_wait_subtitle (f.window, cli_row, "D: κοιμάται καλύτερα");
    open_row (&f, cli_row);
    g_clear_pointer (&text, g_free);
    text = read_text (&f, "note-section-text");
    g_assert_cmpstr (text, ==, "D: κοιμάται καλύτερα");
    g_assert_null (tf_ui_find (f.window, "note-section-data"));
    g_assert_true (gtk_widget_get_mapped (tf_ui_find (f.window, "notes-save")));
    tf_ui_click (f.window, "notes-back");

    /* Its key is not on this device (its ciphertext under another id):
     * said, and it does not open. */
    {
      g_autoptr(TfRecord) record = tf_store_get (tf_session_get_store (f.session),
                                                 tf_registry_lookup ("session_notes"), cli_id,
                                                 &error);
      g_autofree char *other_id = g_uuid_string_random ();
      g_autofree char *other_row = g_strdup_printf ("note-%s", other_id);
      g_autoptr(JsonObject) fields = NULL;

      g_assert_no_error (error);
      fields = tf_json_object_dup (record->fields);
      json_object_set_string_member (fields, "id", other_id);
      g_assert_true (tf_store_put (tf_session_get_store (f.session),
                                   tf_registry_lookup ("session_notes"), other_id, fields,
                                   &error));
      g_assert_no_error (error);
      tf_ui_wait_subtitle (f.window, other_row, "cannot be opened on this device");
      g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (
                        tf_ui_find (f.window, other_row))));
    }
  }

  /* A signed note altered afterwards (as a server could): the warning. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TfRecord) record = tf_store_get (tf_session_get_store (f.session),
                                               tf_registry_lookup ("session_notes"), note_id,
                                               &error);
    g_autoptr(JsonObject) fields = NULL;

    g_assert_no_error (error);
    fields = tf_json_object_dup (record->fields);
    json_object_set_string_member (fields, "approach_type", "cbt");
    g_assert_true (tf_store_put (tf_session_get_store (f.session),
                                 tf_registry_lookup ("session_notes"), note_id, fields, &error));
    g_assert_no_error (error);
    tf_ui_wait_subtitle (f.window, note_row, "The signature does not verify");
    open_row (&f, note_row);
    tf_ui_wait_shown (f.window, "notes-signature-warning");
    g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "notes-save")));
  }
  fixture_tear_down (&f);
}

/* --- addenda ------------------------------------------------------------- */

/* A signed note takes addenda below it: Add Addendum is offered only with
 * something typed, adds it signed, shows it in the list with its text and
 * empties the field; an unsigned note shows no addenda; an addendum altered
 * afterwards says its signature does not verify. */
static void
test_addenda (void)
{
  Fixture f = { 0 };
  g_autofree char *signed_id = g_uuid_string_random ();
  g_autofree char *draft_id = g_uuid_string_random ();
  g_autofree char *signed_row = NULL, *draft_row = NULL, *added_row = NULL;
  g_autoptr(JsonNode) content = json_from_string ("{\"approach\": \"soap\","
                                                  " \"text\": \"S: άγχος στη δουλειά\"}", NULL);
  g_autoptr(GPtrArray) addenda = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *addendum;
  GtkWidget *add, *row;
  g_autofree char *left = NULL;

  fixture_set_up (&f, make_notes_view);
  g_assert_true (tf_note_save (tf_ui_page_vault (&f), signed_id, completed_id, "soap", content,
                               NULL, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tf_note_save (tf_ui_page_vault (&f), draft_id, completed_id, "soap", content,
                               NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  signed_row = g_strdup_printf ("note-%s", signed_id);
  draft_row = g_strdup_printf ("note-%s", draft_id);

  /* An unsigned note is edited, not added to. */
  open_row (&f, draft_row);
  tf_ui_wait_shown (f.window, "notes-save");
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "notes-addenda")));
  g_assert_true (gtk_widget_get_visible (tf_ui_find (f.window, "notes-print")));
  tf_ui_click (f.window, "notes-back");

  open_row (&f, signed_row);
  tf_ui_wait_shown (f.window, "notes-addenda");
  add = tf_ui_find (f.window, "addenda-add");
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "addenda-list")));
  g_assert_false (gtk_widget_is_sensitive (add));
  write_text (&f, "addenda-text", "   ");
  g_assert_false (gtk_widget_is_sensitive (add));
  write_text (&f, "addenda-text", "Τηλεφώνησε την επομένη: κοιμάται καλύτερα.");
  g_assert_true (gtk_widget_is_sensitive (add));
  tf_ui_click (f.window, "addenda-add");
  g_assert_cmpstr (f.saved, ==, "Addendum added and signed");

  addenda = list_of (&f, "note_addenda", "note_id", signed_id);
  g_assert_cmpuint (addenda->len, ==, 1);
  addendum = g_ptr_array_index (addenda, 0);
  g_assert_cmpstr (json_object_get_string_member (addendum, "content"), ==,
                   "Τηλεφώνησε την επομένη: κοιμάται καλύτερα.");
  g_assert_nonnull (json_object_get_string_member (addendum, "locked_at"));
  g_assert_true (json_object_get_boolean_member (addendum, "signature_valid"));
  added_row = g_strdup_printf ("addendum-%s", json_object_get_string_member (addendum, "id"));
  row = tf_ui_wait_shown (f.window, added_row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Τηλεφώνησε την επομένη: κοιμάται καλύτερα.");
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                   "Addendum, signed "));
  left = read_text (&f, "addenda-text");
  g_assert_cmpstr (left, ==, "");
  g_assert_false (gtk_widget_is_sensitive (add));
  tf_ui_shot ("notes-addenda");
  /* The note itself is as it was signed. */
  g_assert_cmpuint (count (&f, "session_notes", "id", signed_id), ==, 1);

  /* Printed (here exported as PDF, as "Print to File" does): the note as
   * signed, with its addendum; Print is offered for a saved note only. */
  g_assert_true (gtk_widget_get_visible (tf_ui_find (f.window, "notes-print")));
  {
    g_autofree char *text = NULL;
    TfPrintDoc *doc = tf_print_doc_new_for_note (tf_ui_page_vault (&f), signed_id, &error);

    g_assert_no_error (error);
    text = printed_text (doc);
    g_assert_nonnull (strstr (text, "SOAP Note"));
    g_assert_nonnull (strstr (text, "S: άγχος στη δουλειά"));
    g_assert_nonnull (strstr (text, "Τηλεφώνησε την επομένη: κοιμάται καλύτερα."));
    g_assert_nonnull (strstr (text, "the signature verifies"));
    g_assert_nonnull (strstr (text, "Licence no. ΑΜ-12345"));
  }

  /* Leaving with an addendum typed and not added asks first. */
  write_text (&f, "addenda-text", "Μισή σκέψη");
  tf_ui_click (f.window, "notes-back");
  g_free (tf_ui_answer_dialog ("notes-discard-dialog", "keep"));
  g_assert_true (gtk_widget_get_mapped (tf_ui_find (f.window, "addenda-text")));
  g_clear_pointer (&left, g_free);
  left = read_text (&f, "addenda-text");
  g_assert_cmpstr (left, ==, "Μισή σκέψη");
  tf_ui_click (f.window, "notes-back");
  g_free (tf_ui_answer_dialog ("notes-discard-dialog", "discard"));
  tf_ui_wait_shown (f.window, signed_row);
  g_assert_cmpuint (count (&f, "note_addenda", "note_id", signed_id), ==, 1);
  open_row (&f, signed_row);
  g_clear_pointer (&left, g_free);
  left = read_text (&f, "addenda-text");
  g_assert_cmpstr (left, ==, "");

  /* Altered afterwards (as a server could): said in its row. */
  {
    g_autoptr(TfRecord) record = tf_store_get (tf_session_get_store (f.session),
                                               tf_registry_lookup ("note_addenda"),
                                               json_object_get_string_member (addendum, "id"),
                                               &error);
    g_autoptr(JsonObject) fields = NULL;

    g_assert_no_error (error);
    fields = tf_json_object_dup (record->fields);
    json_object_set_string_member (fields, "locked_at", "2026-01-01T00:00:00Z");
    g_assert_true (tf_store_put (tf_session_get_store (f.session),
                                 tf_registry_lookup ("note_addenda"), record->id, fields,
                                 &error));
    g_assert_no_error (error);
    tf_ui_wait_subtitle (f.window, added_row, "The signature does not verify");
  }
  fixture_tear_down (&f);
}

/* --- the session record -------------------------------------------------- */

static gboolean
record_window_gone (gpointer data)
{
  return tf_ui_find_window ("session-record") == NULL;
}

static void
write_in (GtkWidget *window, const char *name, const char *text)
{
  GtkWidget *view = tf_ui_find (window, name);

  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

/* Session Record on a held session: filled with its time, a time that is
 * none refused in words with nothing stored, saved and shared, and shown
 * again as stored. */
static void
test_session_record (void)
{
  Fixture f = { 0 };
  g_autofree char *button = NULL, *later_button = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GPtrArray) booked = NULL;
  GtkWidget *dialog;
  GtkWidget *error;

  fixture_set_up (&f, make_notes_view);
  button = g_strdup_printf ("notes-record-%s", completed_id);
  tf_ui_click (f.window, button);
  dialog = tf_ui_wait_window ("session-record");
  /* Filled with the appointment's own time and length. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (dialog,
                                                        "session-record-start"))), !=, "");
  gtk_editable_set_text (GTK_EDITABLE (tf_ui_find (dialog, "session-record-end")), "25:90");
  tf_ui_click (dialog, "session-record-save");
  error = tf_ui_find (dialog, "session-record-error");
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "is not a time"));
  g_assert_null (tf_session_record_dup (tf_ui_page_vault (&f), completed_id, NULL));

  gtk_editable_set_text (GTK_EDITABLE (tf_ui_find (dialog, "session-record-end")), "");
  write_in (dialog, "session-record-therapist-notes", "Αποφεύγει το θέμα της μητέρας.");
  write_in (dialog, "session-record-summary", "Μιλήσαμε για το άγχος στη δουλειά.");
  write_in (dialog, "session-record-homework", "Ημερολόγιο σκέψεων κάθε βράδυ.");
  gtk_switch_set_active (GTK_SWITCH (tf_ui_find (dialog, "session-record-technical-issues")),
                         TRUE);
  gtk_switch_set_active (GTK_SWITCH (tf_ui_find (dialog, "session-record-shared")), TRUE);
  g_assert_true (tf_ui_press (tf_ui_find (dialog, "session-record-homework"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_true (tf_ui_wait_for (record_window_gone, NULL));
  g_assert_cmpstr (f.saved, ==, "Session record saved and shared with the client");

  record = tf_session_record_dup (tf_ui_page_vault (&f), completed_id, NULL);
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "session_summary"), ==,
                   "Μιλήσαμε για το άγχος στη δουλειά.");
  g_assert_cmpstr (json_object_get_string_member (record, "homework_assigned"), ==,
                   "Ημερολόγιο σκέψεων κάθε βράδυ.");
  g_assert_cmpstr (json_object_get_string_member (record, "therapist_notes"), ==,
                   "Αποφεύγει το θέμα της μητέρας.");
  g_assert_true (json_object_get_boolean_member (record, "shared_with_client"));
  g_assert_true (json_object_get_boolean_member (record, "technical_issues"));
  g_assert_true (json_object_get_null_member (record, "actual_end_time"));
  /* It began when the appointment did (the field was filled so). */
  booked = list_of (&f, "appointments", "id", completed_id);
  {
    g_autoptr(GDateTime) began = tf_time_parse_timestamp (
      json_object_get_string_member (record, "actual_start_time"), NULL);
    g_autoptr(GDateTime) at = tf_time_parse_timestamp (
      json_object_get_string_member (g_ptr_array_index (booked, 0), "appointment_datetime"),
      NULL);

    g_assert_true (g_date_time_equal (began, at));
  }

  /* Opened again: as stored. */
  tf_ui_click (f.window, button);
  dialog = tf_ui_wait_window ("session-record");
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                              tf_ui_find (dialog, "session-record-summary")));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Μιλήσαμε για το άγχος στη δουλειά.");
  }
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (tf_ui_find (dialog,
                                                                "session-record-shared"))));
  tf_ui_shot ("session-record");
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_tear_down (&f);
}

/* --- the treatment plan --------------------------------------------------- */

static const char *
label_text (Fixture *f, const char *name)
{
  GtkWidget *label = tf_ui_find (f->window, name);

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static void
test_plan (void)
{
  Fixture f = { 0 };
  g_autoptr(GPtrArray) plans = NULL;
  JsonObject *plan;
  JsonArray *codes, *goals;
  GtkWidget *row;

  fixture_set_up (&f, make_plan_editor);

  /* No plan yet: the empty state, and the way to create one. */
  tf_ui_wait_shown (f.window, "plan-empty");
  tf_ui_click (f.window, "plan-create");
  tf_ui_wait_shown (f.window, "plan-code");

  /* Not codes: refused with the validator's message, not listed. */
  tf_ui_type (f.window, "plan-code", "X99.9x");
  tf_ui_click (f.window, "plan-code-add");
  g_assert_cmpstr (label_text (&f, "plan-code-error"), ==,
                   "“X99.9x” is not an ICD-10 code (for example F32 or F41.1)");
  g_assert_null (tf_ui_find (f.window, "plan-diagnosis-X99.9x"));
  tf_ui_type (f.window, "plan-code", "hello");
  g_assert_null (label_text (&f, "plan-code-error"));
  tf_ui_click (f.window, "plan-code-add");
  g_assert_cmpstr (label_text (&f, "plan-code-error"), ==,
                   "“hello” is not an ICD-10 code (for example F32 or F41.1)");
  g_assert_null (tf_ui_find (f.window, "plan-diagnosis-hello"));

  /* Saving with a bad code typed: refused, nothing stored. */
  tf_ui_click (f.window, "plan-save");
  g_assert_nonnull (f.failed);
  g_assert_true (g_str_has_prefix (f.failed, "The treatment plan was not saved"));
  g_assert_cmpuint (count (&f, "treatment_plans", "client_id", client_id), ==, 0);

  /* "F32" suggests the common codes; F32.1 chosen, with its description. */
  tf_ui_type (f.window, "plan-code", "F32");
  row = tf_ui_wait_shown (f.window, "plan-suggestion-F32.1");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Moderate depressive episode");
  g_assert_null (tf_ui_find (f.window, "plan-suggestion-F41.1"));
  g_signal_emit_by_name (row, "activate");
  row = tf_ui_wait_shown (f.window, "plan-diagnosis-F32.1");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Moderate depressive episode");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window, "plan-code"))),
                   ==, "");
  g_assert_null (label_text (&f, "plan-code-error"));
  /* Twice: refused. */
  tf_ui_type (f.window, "plan-code", "f32.1");
  tf_ui_click (f.window, "plan-code-add");
  g_assert_cmpstr (label_text (&f, "plan-code-error"), ==, "F32.1 is already in the list");
  tf_ui_type (f.window, "plan-code", "");

  /* A goal; a review date that is not a date is refused. */
  tf_ui_type (f.window, "plan-goal", "Ύπνος 7 ωρών τις περισσότερες νύχτες");
  tf_ui_click (f.window, "plan-goal-add");
  row = tf_ui_wait_shown (f.window, "plan-goal-0");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Ύπνος 7 ωρών τις περισσότερες νύχτες");
  tf_ui_type (f.window, "plan-review-date", "2030-13-01");
  tf_ui_click (f.window, "plan-save");
  g_assert_cmpstr (f.failed, ==, "“2030-13-01” is not a date; write it as YYYY-MM-DD");
  g_assert_cmpuint (count (&f, "treatment_plans", "client_id", client_id), ==, 0);
  /* Nothing typed was lost. */
  tf_ui_wait_shown (f.window, "plan-diagnosis-F32.1");
  tf_ui_wait_shown (f.window, "plan-goal-0");

  /* Saved, with Ctrl+S from the review date: the registry's shapes. */
  tf_ui_type (f.window, "plan-review-date", "2030-06-30");
  g_assert_true (tf_ui_press (tf_ui_find (f.window, "plan-review-date"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_cmpstr (f.saved, ==, "Treatment plan saved");
  plans = list_of (&f, "treatment_plans", "client_id", client_id);
  g_assert_cmpuint (plans->len, ==, 1);
  plan = g_ptr_array_index (plans, 0);
  g_assert_cmpstr (json_object_get_string_member (plan, "therapist_id"), ==,
                   tf_vault_get_user_id (tf_ui_page_vault (&f)));
  g_assert_cmpstr (json_object_get_string_member (plan, "status"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (plan, "review_date"), ==, "2030-06-30");
  codes = json_object_get_array_member (plan, "diagnosis_codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (codes, 0),
                                                  "code"), ==, "F32.1");
  goals = json_object_get_array_member (plan, "treatment_goals");
  g_assert_cmpuint (json_array_get_length (goals), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (goals, 0), ==,
                   "Ύπνος 7 ωρών τις περισσότερες νύχτες");

  /* A new editor shows the plan again. */
  tf_ui_page_replace (&f, tf_plan_editor_new (f.session, client_id));
  row = tf_ui_wait_shown (f.window, "plan-diagnosis-F32.1");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Moderate depressive episode");
  row = tf_ui_wait_shown (f.window, "plan-goal-0");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Ύπνος 7 ωρών τις περισσότερες νύχτες");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (f.window,
                                                                    "plan-review-date"))),
                   ==, "2030-06-30");
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "plan-empty")) &&
                  gtk_widget_get_mapped (tf_ui_find (f.window, "plan-empty")));

  /* A saved plan prints: its diagnosis with its description, its goal and
   * review date (exported as PDF here, as "Print to File" does). */
  g_assert_true (gtk_widget_get_visible (tf_ui_find (f.window, "plan-print")));
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    TfPrintDoc *doc = tf_print_doc_new_for_plan (tf_ui_page_vault (&f),
                                                 json_object_get_string_member (plan, "id"),
                                                 &error);

    g_assert_no_error (error);
    text = printed_text (doc);
    g_assert_nonnull (strstr (text, "Treatment Plan"));
    g_assert_nonnull (strstr (text, "F32.1 — Moderate depressive episode"));
    g_assert_nonnull (strstr (text, "Ύπνος 7 ωρών τις περισσότερες νύχτες"));
    g_assert_nonnull (strstr (text, "Review on 2030-06-30"));
  }

  /* Put on hold and a diagnosis removed: stored so. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (tf_ui_find (f.window, "plan-status")), 1);
  tf_ui_click (f.window, "plan-diagnosis-remove-F32.1");
  g_assert_null (tf_ui_find (f.window, "plan-diagnosis-F32.1"));
  tf_ui_type (f.window, "plan-code", "F41.1");
  tf_ui_click (f.window, "plan-code-add");
  tf_ui_click (f.window, "plan-save");
  g_clear_pointer (&plans, g_ptr_array_unref);
  plans = list_of (&f, "treatment_plans", "client_id", client_id);
  g_assert_cmpuint (plans->len, ==, 1);
  plan = g_ptr_array_index (plans, 0);
  g_assert_cmpstr (json_object_get_string_member (plan, "status"), ==, "on_hold");
  codes = json_object_get_array_member (plan, "diagnosis_codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (codes, 0),
                                                  "code"), ==, "F41.1");
  fixture_tear_down (&f);
}

/* --- the note's actions in view ------------------------------------------- */


typedef struct
{
  GtkWidget *window;
  int        width;
  int        height;
} Sized;

static gboolean
laid_out_at (gpointer data)
{
  Sized *s = data;

  GtkWidget *lock = tf_ui_find (s->window, "notes-lock");
  GtkWidget *stack = lock != NULL ? gtk_widget_get_ancestor (lock, GTK_TYPE_STACK) : NULL;

  /* The list slides out and the editor in: measured once it is still. */
  return gtk_widget_get_width (s->window) == s->width &&
         gtk_widget_get_height (s->window) == s->height && lock != NULL &&
         gtk_widget_get_mapped (lock) && stack != NULL &&
         !gtk_stack_get_transition_running (GTK_STACK (stack));
}

/* Save and Lock and Sign of a new SOAP note are on screen, above the
 * window's bottom view switcher, with no scrolling and no Tab, at a phone's
 * 360 px and at the 800 × 700 and 1280 × 860 where Lock and Sign was under
 * the switcher; the window keeps the size asked (the note does not make it
 * grow past the screen). */
static void
test_actions_in_view (void)
{
  const int sizes[][2] = { { 360, 640 }, { 800, 700 }, { 1280, 860 } };
  const char *buttons[] = { "notes-save", "notes-lock" };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      Fixture f = { 0 };
      g_autofree char *new_button = NULL;
      GtkWidget *box, *stack, *bar;
      graphene_rect_t bar_bounds;
      Sized sized;

      TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };

      tf_ui_page_open (&f, &reg, make_notes_view, sizes[i][0], sizes[i][1]);
      /* The window's layout around a page: its switcher bar below. */
      g_object_ref (f.page);
      gtk_window_set_child (GTK_WINDOW (f.window), NULL);
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      gtk_widget_set_vexpand (f.page, TRUE);
      gtk_box_append (GTK_BOX (box), f.page);
      g_object_unref (f.page);
      stack = adw_view_stack_new ();
      adw_view_stack_add_titled (ADW_VIEW_STACK (stack), gtk_label_new (NULL), "a", "Clients");
      adw_view_stack_add_titled (ADW_VIEW_STACK (stack), gtk_label_new (NULL), "b", "Schedule");
      bar = adw_view_switcher_bar_new ();
      adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (bar), ADW_VIEW_STACK (stack));
      adw_view_switcher_bar_set_reveal (ADW_VIEW_SWITCHER_BAR (bar), TRUE);
      gtk_box_append (GTK_BOX (box), bar);
      gtk_window_set_child (GTK_WINDOW (f.window), box);

      new_button = g_strdup_printf ("notes-new-%s", completed_id);
      tf_ui_click (f.window, new_button);
      tf_ui_wait_shown (f.window, "note-section-subjective");
      sized = (Sized) { f.window, sizes[i][0], sizes[i][1] };
      g_assert_true (tf_ui_wait_for (laid_out_at, &sized));
      g_assert_true (gtk_widget_compute_bounds (bar, f.window, &bar_bounds));
      {
        g_autofree char *name = g_strdup_printf ("note-editor-%dx%d", sizes[i][0], sizes[i][1]);

        tf_ui_shot (name);
      }
      for (guint b = 0; b < G_N_ELEMENTS (buttons); b++)
        {
          GtkWidget *button = tf_ui_find (f.window, buttons[b]);
          graphene_rect_t bounds;

          g_assert_true (gtk_widget_get_mapped (button));
          g_assert_true (gtk_widget_compute_bounds (button, f.window, &bounds));
          g_test_message ("%d × %d: %s at %.0f, %.0f – %.0f, %.0f; switcher from %.0f",
                          sizes[i][0], sizes[i][1], buttons[b], bounds.origin.x,
                          bounds.origin.y, bounds.origin.x + bounds.size.width,
                          bounds.origin.y + bounds.size.height, bar_bounds.origin.y);
          g_assert_cmpfloat (bounds.origin.x, >=, 0);
          g_assert_cmpfloat (bounds.origin.y, >=, 0);
          g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, sizes[i][0]);
          g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, bar_bounds.origin.y);
        }
      fixture_tear_down (&f);
    }
}

/* --- sessions and notes written elsewhere --------------------------------- */

/* An appointment and a note stored by another path while the view is open
 * (the CLI's write path, as a sync's pulled page would) show by
 * themselves; the other sessions stay the same widgets, and the New Note
 * the keyboard is on keeps the focus: the view does not rebuild its list. */
static void
test_arrival_keeps_focus (void)
{
  Fixture f = { 0 };
  g_autofree char *recent_group = NULL, *recent_new = NULL, *older_id = NULL;
  g_autofree char *older_group = NULL, *older_new = NULL, *note_id = g_uuid_string_random ();
  g_autofree char *note_row = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) content = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *recent, *button, *older;

  fixture_set_up (&f, make_notes_view);
  recent_group = g_strdup_printf ("notes-session-%s", completed_id);
  recent_new = g_strdup_printf ("notes-new-%s", completed_id);
  recent = tf_ui_wait_shown (f.window, recent_group);
  button = tf_ui_find (f.window, recent_new);
  g_assert_true (gtk_widget_grab_focus (button));

  /* An older session: below, and the recent one is the same group. */
  older_id = put_appointment (f.session, "completed", 5);
  older_group = g_strdup_printf ("notes-session-%s", older_id);
  older_new = g_strdup_printf ("notes-new-%s", older_id);
  older = tf_ui_wait_shown (f.window, older_group);
  g_assert_true (gtk_widget_get_next_sibling (recent) == older);
  g_assert_true (tf_ui_find (f.window, recent_group) == recent);
  g_assert_true (gtk_widget_has_focus (button));

  /* A note of the recent session, as the CLI writes one: in its session,
   * and the older session's New Note keeps the focus. */
  button = tf_ui_find (f.window, older_new);
  g_assert_true (gtk_widget_grab_focus (button));
  json_object_set_string_member (body, "approach", "dap");
  json_object_set_string_member (body, "text", "D: κοιμάται καλύτερα");
  content = json_node_init_object (json_node_alloc (), body);
  g_assert_true (tf_note_save (tf_ui_page_vault (&f), note_id, completed_id, "dap", content, NULL,
                               FALSE, NULL, &error));
  g_assert_no_error (error);
  note_row = g_strdup_printf ("note-%s", note_id);
  tf_ui_wait_subtitle (f.window, note_row, "D: κοιμάται καλύτερα");
  g_assert_true (gtk_widget_is_ancestor (tf_ui_find (f.window, note_row),
                                         tf_ui_find (f.window, recent_group)));
  g_assert_true (tf_ui_find (f.window, older_group) == older);
  g_assert_true (gtk_widget_has_focus (button));
  fixture_tear_down (&f);
}

/* --- plans written elsewhere ------------------------------------------------ */

static void
save_plan (Fixture *f, const char *id, const char *status, const char *const *goals)
{
  g_autoptr(JsonArray) texts = json_array_new ();
  g_autoptr(JsonNode) goals_node = NULL;
  g_autoptr(JsonNode) none = json_node_init_array (json_node_alloc (), json_array_new ());
  g_autoptr(GError) error = NULL;
  TfPlan plan = { none, NULL, none, NULL, status };

  for (guint i = 0; goals[i] != NULL; i++)
    json_array_add_string_element (texts, goals[i]);
  goals_node = json_node_init_array (json_node_alloc (), texts);
  plan.goals = goals_node;
  g_assert_true (tf_plan_save (tf_ui_page_vault (f), id, client_id, &plan, NULL, &error));
  g_assert_no_error (error);
}

/* Lets the repositories follow what was just stored. */
static void
settle (void)
{
  for (int i = 0; i < 5; i++)
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
}

/* The therapist's plan saved by another path (the CLI's, as a sync's
 * pulled page would) shows in the open editor by itself; a completed plan
 * of the same client arriving leaves the current one's form as it is, the
 * Remove the keyboard is on still focused (the old editor refilled it at
 * every change of any of the client's plans). */
static void
test_plan_arrival (void)
{
  Fixture f = { 0 };
  g_autofree char *current = g_uuid_string_random (), *old = g_uuid_string_random ();
  const char *first[] = { "Ύπνος 7 ωρών", NULL };
  const char *both[] = { "Ύπνος 7 ωρών", "Περίπατος κάθε μέρα", NULL };
  const char *done[] = { "Παλιός στόχος", NULL };
  GtkWidget *remove;

  fixture_set_up (&f, make_plan_editor);
  tf_ui_wait_shown (f.window, "plan-empty");
  save_plan (&f, current, "active", first);
  tf_ui_wait_shown (f.window, "plan-goal-0");
  remove = tf_ui_find (f.window, "plan-goal-remove-0");
  g_assert_true (gtk_widget_grab_focus (remove));

  save_plan (&f, old, "completed", done);
  settle ();
  g_assert_true (tf_ui_find (f.window, "plan-goal-remove-0") == remove);
  g_assert_true (gtk_widget_has_focus (remove));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     tf_ui_find (f.window, "plan-goal-0"))), ==, "Ύπνος 7 ωρών");

  save_plan (&f, current, "active", both);
  tf_ui_wait_shown (f.window, "plan-goal-1");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     tf_ui_find (f.window, "plan-goal-1"))), ==, "Περίπατος κάθε μέρα");
  fixture_tear_down (&f);
}

int
main (int argc, char **argv)
{
  int status;

  tf_ui_init (&argc, &argv, "C.UTF-8");

  g_test_add_func ("/tf/notes/sessions-write-lock", test_notes);
  g_test_add_func ("/tf/notes/addenda", test_addenda);
  g_test_add_func ("/tf/notes/session-record", test_session_record);
  g_test_add_func ("/tf/notes/treatment-plan", test_plan);
  g_test_add_func ("/tf/notes/actions-in-view", test_actions_in_view);
  g_test_add_func ("/tf/notes/arrival-keeps-focus", test_arrival_keeps_focus);
  g_test_add_func ("/tf/notes/plan-arrival", test_plan_arrival);
  status = g_test_run ();
  g_free (client_id);
  g_free (completed_id);
  g_free (pending_id);
  return status;
}
