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
 * template tf-notes-view.ui; the sessions are made in C.
 */
#define G_LOG_DOMAIN "tf-notes-view"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-info.h"
#include "tf-form.h"
#include "tf-note-content.h"
#include "tf-note-editor.h"
#include "tf-notes-view.h"
#include "tf-time.h"

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

static char *
format_local (const char *timestamp, const char *format)
{
  g_autoptr(GDateTime) utc = timestamp ? tf_time_parse_timestamp (timestamp, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, format) : NULL;
}

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
on_new_clicked_cb (GtkButton *button, TfNotesView *self)
{
  edit (self, NULL, g_object_get_data (G_OBJECT (button), "tf-appointment"));
}

static void
on_note_activated_cb (AdwActionRow *row, TfNotesView *self)
{
  TfItem *note = g_object_get_data (G_OBJECT (row), "tf-item");

  edit (self, tf_item_get_plain (note),
                      g_object_get_data (G_OBJECT (row), "tf-appointment"));
}

static int
older_note_first (gconstpointer a, gconstpointer b)
{
  TfItem *x = *(TfItem **) a, *y = *(TfItem **) b;

  return g_strcmp0 (tf_item_get_string (x, "created_at"), tf_item_get_string (y, "created_at"));
}

static GtkWidget *
note_row (TfNotesView *self, TfItem *note, const char *appointment_id)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = g_strdup_printf ("note-%s", tf_item_get_id (note));
  g_autofree char *written = format_local (tf_item_get_string (note, "created_at"), "%x %H:%M");
  const char *locked_at = tf_item_get_string (note, "locked_at");
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *title = NULL;

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (tf_item_get_boolean (note, "unreadable", FALSE))
    {
      /* Nothing to open: its key is not here. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Note"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("This note cannot be opened on this device: its key is "
                                     "not here."));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-password-symbolic"));
      gtk_widget_add_css_class (row, "dim-label");
      return row;
    }

  title = g_strdup_printf (_("%s Note"), tf_note_approach_name (tf_note_get_approach (tf_item_get_plain (note))));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (written != NULL)
    g_string_append_printf (subtitle, _("Written %s"), written);
  if (locked_at != NULL)
    {
      g_autofree char *when = format_local (locked_at, "%x %H:%M");

      g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, _("Signed %s"), when ? when : locked_at);
      if (!tf_item_get_boolean (note, "signature_valid", FALSE))
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_widget_add_css_class (icon, "error");
          tf_form_label_accessibly (icon, _("The signature does not verify"));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          g_string_append_printf (subtitle, " · %s", _("The signature does not verify"));
        }
    }
  else
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "",
                            _("Not signed yet"));
  {
    JsonObject *risk = tf_note_member_object (tf_item_get_plain (note), "risk_assessment");
    const char *level = risk ? tf_json_get_string (risk, "level") : NULL;

    if (g_strcmp0 (level, "moderate") == 0 || g_strcmp0 (level, "high") == 0)
      g_string_append_printf (subtitle, " · %s", tf_note_risk_label (level));
  }
  {
    g_autofree char *preview = tf_note_dup_preview (tf_item_get_plain (note));

    if (preview != NULL)
      g_string_append_printf (subtitle, "\n%s", preview);
  }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "tf-item", g_object_ref (note), g_object_unref);
  g_object_set_data_full (G_OBJECT (row), "tf-appointment", g_strdup (appointment_id), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (on_note_activated_cb), self);
  return row;
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
  g_autofree char *group_name = g_strdup_printf ("notes-session-%s", id);
  g_autofree char *new_name = g_strdup_printf ("notes-new-%s", id);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *add = gtk_button_new ();
  GtkWidget *add_content = adw_button_content_new ();
  g_autofree char *add_label = g_strdup_printf (_("New note for the session of %s"), title);

  gtk_widget_set_name (group, group_name);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (add_content), "list-add-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (add_content), _("New Note"));
  gtk_button_set_child (GTK_BUTTON (add), add_content);
  gtk_widget_set_name (add, new_name);
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (add, add_label);
  tf_form_label_accessibly (add, add_label);
  g_object_set_data_full (G_OBJECT (add), "tf-appointment", g_strdup (id), g_free);
  g_signal_connect (add, "clicked", G_CALLBACK (on_new_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  tf_form_label_accessibly (list, title);
  {
    GtkWidget *placeholder = gtk_label_new (_("No notes for this session yet"));

    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
    gtk_widget_set_margin_top (placeholder, 12);
    gtk_widget_set_margin_bottom (placeholder, 12);
    gtk_list_box_set_placeholder (GTK_LIST_BOX (list), placeholder);
  }
  if (notes != NULL)
    {
      g_ptr_array_sort (notes, older_note_first);
      for (guint i = 0; i < notes->len; i++)
        gtk_list_box_append (GTK_LIST_BOX (list), note_row (self, g_ptr_array_index (notes, i),
                                                            id));
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
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
