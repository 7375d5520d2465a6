/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notes-view.c: the sessions of one client with this therapist and
 * their notes — a list and an editor, one at a time in a stack.
 *
 * A session here is an appointment of the client with this therapist that
 * is confirmed or completed, newest first; its notes are the session_notes
 * of the appointment's session records (a session record is made with the
 * first note, tf_vault_session_for).  They are the session's live list
 * (tf_session_dup_note_sessions, tf-notes-list.h), bound to the box of
 * groups (tf_box_bind_model): a session or a note that arrives with a sync,
 * or that the CLI writes, changes its own session's group and the others
 * stay; the view wires no refresh of its own, and the editor is left
 * alone.
 *
 * This file holds the object and the list; the editor of one note is its
 * own widget, TfNoteEditor (tf-note-editor.c), the stack's second page,
 * whose ::saved and ::failed the view passes on.  A note whose key is not
 * on this device says so in the list and does not open.  The pages are the
 * template tf-notes-view.ui; a session is a TfNotesSessionGroup, a note in it
 * a TfNoteRow.
 */
#define G_LOG_DOMAIN "tf-notes-view"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-info.h"
#include "tf-box-model.h"
#include "tf-clinical.h"
#include "tf-form.h"
#include "tf-note-editor.h"
#include "tf-note-row.h"
#include "tf-notes-session-group.h"
#include "tf-session-record-dialog.h"
#include "tf-notes-view.h"
#include "tf-time.h"

struct _TfNotesView
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;
  TfRepository *visits;         /* the client's sessions and their notes, live */

  /* template (tf-notes-view.ui) */
  GtkWidget    *stack;          /* "list" or "editor"; the only child */
  GtkWidget    *sessions_box;   /* one group per session, bound to visits */
  GtkWidget    *empty;
  GtkWidget    *editor;         /* TfNoteEditor */
};

G_DEFINE_FINAL_TYPE (TfNotesView, tf_notes_view, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- the editor ----------------------------------------------------------- */

static void
edit (TfNotesView *self, JsonObject *plain, const char *appointment_id)
{
  tf_note_editor_edit (TF_NOTE_EDITOR (self->editor), plain, appointment_id);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "editor");
}

gboolean
tf_notes_view_restore_draft (TfNotesView *self, JsonObject *draft)
{
  JsonObject *content;
  const char *record_key, *appointment_id;
  g_autoptr(JsonObject) note = NULL;
  g_autoptr(TfItem) appointment = NULL;

  g_return_val_if_fail (TF_IS_NOTES_VIEW (self), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  content = json_object_get_object_member (draft, "content");
  record_key = tf_json_get_string (draft, "record_key");
  appointment_id = content != NULL ? tf_json_get_string (content, "appointment_id") : NULL;
  if (record_key == NULL || appointment_id == NULL)
    return FALSE;
  appointment = tf_repository_dup_item (self->visits, appointment_id);
  if (appointment == NULL)
    return FALSE;
  if (!g_str_has_prefix (record_key, "new:"))
    {
      note = tf_note_dup_stored (tf_session_get_vault (self->session), record_key, NULL);
      if (note == NULL)
        return FALSE;
    }
  edit (self, note, appointment_id);
  return TRUE;
}

static void
on_editor_closed_cb (TfNotesView *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

static void
on_editor_saved_cb (TfNotesView *self, const char *message)
{
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
on_editor_failed_cb (TfNotesView *self, const char *message)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

/* Ctrl+S: saves the note in the editor when it shows an unlocked one. */
static gboolean
shortcut_save (GtkWidget *widget, GVariant *args, gpointer data)
{
  TfNotesView *self = TF_NOTES_VIEW (widget);

  if (gtk_stack_get_visible_child (GTK_STACK (self->stack)) != self->editor)
    return FALSE;
  return tf_note_editor_save (TF_NOTE_EDITOR (self->editor));
}

/* --- the list ------------------------------------------------------------- */

static void
on_new_note_cb (TfNotesSessionGroup *group, TfNotesView *self)
{
  edit (self, NULL, tf_notes_session_group_get_appointment_id (group));
}

static void
on_record_saved_cb (TfSessionRecordDialog *dialog, const char *message, TfNotesView *self)
{
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
on_record_cb (TfNotesSessionGroup *group, TfNotesView *self)
{
  GtkWidget *dialog = tf_session_record_dialog_new (GTK_WIDGET (self), self->session,
                                                    tf_notes_session_group_get_appointment_id (
                                                      group));

  if (dialog == NULL)
    {
      g_signal_emit (self, signals[FAILED], 0, _("This appointment is not on this device"));
      return;
    }
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_record_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_note_activated_cb (TfNoteRow *row, TfNotesView *self)
{
  edit (self, tf_item_get_plain (tf_note_row_get_note (row)),
        tf_note_row_get_appointment_id (row));
}

static GtkWidget *
create_group (gpointer item, gpointer data)
{
  TfNotesView *self = data;
  TfItem *visit = item;
  const char *id = tf_item_get_id (visit);
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (tf_item_get_string (visit,
                                                        "appointment_datetime"), NULL);
  g_autoptr(GDateTime) when = g_date_time_to_local (utc);
  g_autofree char *title = g_date_time_format (when, "%a %-d %b %Y, %H:%M");
  g_autofree char *description = g_strdup_printf (_("%s · %d min"),
                                                  tf_appointment_status_label (
                                                    tf_item_get_string (visit, "status")),
                                                  (int) tf_item_get_int (visit, "duration", 0));
  JsonArray *notes = json_object_get_array_member (tf_item_get_plain (visit), "notes");
  GtkWidget *group = tf_notes_session_group_new (id, title, description);

  g_signal_connect (group, "new-note", G_CALLBACK (on_new_note_cb), self);
  g_signal_connect (group, "record", G_CALLBACK (on_record_cb), self);
  for (guint i = 0; notes != NULL && i < json_array_get_length (notes); i++)
    {
      g_autoptr(TfItem) note = tf_item_new (json_array_get_object_element (notes, i));
      GtkWidget *row = tf_note_row_new (note, id);

      g_signal_connect (row, "activated", G_CALLBACK (on_note_activated_cb), self);
      tf_notes_session_group_append (TF_NOTES_SESSION_GROUP (group), row);
    }
  return group;
}

/* The list, or "no sessions yet". */
static void
update_state (TfNotesView *self)
{
  gboolean any = tf_repository_get_n_items (self->visits) > 0;

  gtk_widget_set_visible (self->sessions_box, any);
  gtk_widget_set_visible (self->empty, !any);
}

/* --- building ------------------------------------------------------------- */

static void
tf_notes_view_dispose (GObject *object)
{
  TfNotesView *self = TF_NOTES_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_NOTES_VIEW);
  g_clear_object (&self->visits);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  G_OBJECT_CLASS (tf_notes_view_parent_class)->dispose (object);
}

static void
tf_notes_view_class_init (TfNotesViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_notes_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, shortcut_save, NULL);
  g_type_ensure (TF_TYPE_NOTE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-notes-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfNotesView, name)
  BIND (stack);
  BIND (sessions_box);
  BIND (empty);
  BIND (editor);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_editor_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_failed_cb);
}

static void
tf_notes_view_init (TfNotesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

GtkWidget *
tf_notes_view_new (TfSession *session, const char *client_id)
{
  TfNotesView *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (TF_TYPE_NOTES_VIEW, NULL);
  self->session = g_object_ref (session);
  self->client_id = g_strdup (client_id);
  self->visits = tf_session_dup_note_sessions (session, client_id);
  tf_note_editor_set_session (TF_NOTE_EDITOR (self->editor), session, client_id);
  tf_box_bind_model (GTK_BOX (self->sessions_box), G_LIST_MODEL (self->visits), create_group,
                     self, NULL);
  g_signal_connect_object (self->visits, "notify::n-items", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  update_state (self);
  return GTK_WIDGET (self);
}
