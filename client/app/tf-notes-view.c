/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notes-view.c: the sessions of one client with this therapist and
 * their notes — a list and an editor, one at a time in a stack.
 *
 * A session here is an appointment of the client with this therapist that
 * is confirmed or completed, newest first; its notes are the session_notes
 * of the appointment's session records (a session record is made with the
 * first note, tf_vault_session_for).  Three live repositories — the
 * client's appointments, the sessions, this therapist's notes — rebuild the
 * list whenever any of them changes; the editor is left alone.
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
#include "tf-form.h"
#include "tf-note-editor.h"
#include "tf-note-row.h"
#include "tf-notes-session-group.h"
#include "tf-notes-view.h"

struct _TfNotesView
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;
  TfRepository *appointments;   /* the client's, live */
  TfRepository *sessions;       /* every session this account holds, live */
  TfRepository *notes;          /* this therapist's notes, live */

  /* template (tf-notes-view.ui) */
  GtkWidget    *stack;          /* "list" or "editor"; the only child */
  GtkWidget    *sessions_box;   /* one group per session; rebuilt */
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
  g_autoptr(TfItem) note = NULL;
  g_autoptr(TfItem) appointment = NULL;

  g_return_val_if_fail (TF_IS_NOTES_VIEW (self), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  content = json_object_get_object_member (draft, "content");
  record_key = tf_json_get_string (draft, "record_key");
  appointment_id = content != NULL ? tf_json_get_string (content, "appointment_id") : NULL;
  if (record_key == NULL || appointment_id == NULL)
    return FALSE;
  appointment = tf_repository_dup_item (self->appointments, appointment_id);
  if (appointment == NULL)
    return FALSE;
  if (!g_str_has_prefix (record_key, "new:"))
    {
      note = tf_repository_dup_item (self->notes, record_key);
      if (note == NULL)
        return FALSE;
    }
  edit (self, note != NULL ? tf_item_get_plain (note) : NULL, appointment_id);
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
on_note_activated_cb (TfNoteRow *row, TfNotesView *self)
{
  edit (self, tf_item_get_plain (tf_note_row_get_note (row)),
        tf_note_row_get_appointment_id (row));
}

static int
older_note_first (gconstpointer a, gconstpointer b)
{
  TfItem *x = *(TfItem **) a, *y = *(TfItem **) b;

  return g_strcmp0 (tf_item_get_string (x, "created_at"), tf_item_get_string (y, "created_at"));
}

/* appointment id -> GPtrArray of its notes (TfItem), oldest first. */
static GHashTable *
notes_by_appointment (TfNotesView *self)
{
  g_autoptr(GHashTable) appointment_of = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *by_appointment = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_ptr_array_unref);
  GListModel *sessions = G_LIST_MODEL (self->sessions);
  GListModel *notes = G_LIST_MODEL (self->notes);
  g_autoptr(GPtrArray) session_items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      TfItem *session = g_list_model_get_item (sessions, i);
      const char *appointment = tf_item_get_string (session, "appointment_id");

      g_ptr_array_add (session_items, session);
      if (appointment != NULL)
        g_hash_table_insert (appointment_of, (char *) tf_item_get_id (session),
                             (char *) appointment);
    }
  for (guint i = 0; i < g_list_model_get_n_items (notes); i++)
    {
      g_autoptr(TfItem) note = g_list_model_get_item (notes, i);
      const char *appointment = g_hash_table_lookup (appointment_of,
                                                     tf_item_get_string (note, "session_id"));
      GPtrArray *list;

      if (appointment == NULL)
        continue;
      list = g_hash_table_lookup (by_appointment, appointment);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (by_appointment, g_strdup (appointment), list);
        }
      g_ptr_array_add (list, g_steal_pointer (&note));
    }
  return by_appointment;
}

static GtkWidget *
session_group (TfNotesView *self, TfDatedAppointment *visit, GPtrArray *notes)
{
  const char *id = tf_item_get_id (visit->item);
  g_autofree char *title = g_date_time_format (visit->when, "%a %-d %b %Y, %H:%M");
  g_autofree char *description = g_strdup_printf (_("%s · %d min"),
                                                  tf_appointment_status_label (
                                                    tf_item_get_string (visit->item, "status")),
                                                  (int) tf_item_get_int (visit->item, "duration",
                                                                         0));
  GtkWidget *group = tf_notes_session_group_new (id, title, description);

  g_signal_connect (group, "new-note", G_CALLBACK (on_new_note_cb), self);
  if (notes != NULL)
    {
      g_ptr_array_sort (notes, older_note_first);
      for (guint i = 0; i < notes->len; i++)
        {
          GtkWidget *row = tf_note_row_new (g_ptr_array_index (notes, i), id);

          g_signal_connect (row, "activated", G_CALLBACK (on_note_activated_cb), self);
          tf_notes_session_group_append (TF_NOTES_SESSION_GROUP (group), row);
        }
    }
  return group;
}

static void
rebuild (TfNotesView *self)
{
  GListModel *model = G_LIST_MODEL (self->appointments);
  const char *me = tf_vault_get_user_id (tf_session_get_vault (self->session));
  g_autoptr(GPtrArray) visits = g_ptr_array_new_with_free_func (tf_dated_appointment_free);
  g_autoptr(GHashTable) notes = notes_by_appointment (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->sessions_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->sessions_box), child);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, i);
      const char *status = tf_item_get_string (item, "status");
      TfDatedAppointment *visit;

      if (g_strcmp0 (tf_item_get_string (item, "therapist_id"), me) != 0 ||
          (g_strcmp0 (status, "confirmed") != 0 && g_strcmp0 (status, "completed") != 0))
        continue;
      visit = tf_dated_appointment_new (item);
      if (visit != NULL)
        g_ptr_array_add (visits, visit);
    }
  g_ptr_array_sort (visits, tf_dated_appointment_latest_first);
  for (guint i = 0; i < visits->len; i++)
    {
      TfDatedAppointment *visit = g_ptr_array_index (visits, i);

      gtk_box_append (GTK_BOX (self->sessions_box),
                      session_group (self, visit,
                                     g_hash_table_lookup (notes, tf_item_get_id (visit->item))));
    }
  gtk_widget_set_visible (self->sessions_box, visits->len > 0);
  gtk_widget_set_visible (self->empty, visits->len == 0);
}

/* --- building ------------------------------------------------------------- */

static void
tf_notes_view_dispose (GObject *object)
{
  TfNotesView *self = TF_NOTES_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_NOTES_VIEW);
  g_clear_object (&self->appointments);
  g_clear_object (&self->sessions);
  g_clear_object (&self->notes);
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
  TfVault *vault;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (TF_TYPE_NOTES_VIEW, NULL);
  vault = tf_session_get_vault (session);
  self->session = g_object_ref (session);
  self->client_id = g_strdup (client_id);
  self->appointments = tf_session_dup_records (session, "appointments", "client_id", client_id);
  self->sessions = tf_session_dup_records (session, "sessions", NULL, NULL);
  self->notes = tf_session_dup_records (session, "session_notes", "therapist_id",
                                   tf_vault_get_user_id (vault));
  tf_note_editor_set_session (TF_NOTE_EDITOR (self->editor), session, self->notes, client_id);
  g_signal_connect_object (self->appointments, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notes, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  rebuild (self);
  return GTK_WIDGET (self);
}
