/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-journal-page.c: the journal — a searchable list of entries and an
 * editor, one at a time in a stack.
 *
 * Entries are encrypted in the store, so search cannot be SQL: the page
 * filters the decrypted list it already holds (title and content, without
 * case or accents: "θαλασσα" finds "θάλασσα"), and nothing of the query
 * leaves memory.
 * What is typed in the editor stays there until it is saved
 * (tf_journal_save, under an id chosen at the first Save): a failed save
 * keeps it and says why, so Save again never makes a second entry; leaving
 * the editor without saving keeps a new entry's draft for the next "New
 * Entry".  When the session locks with an editor that differs from what is
 * saved, it is kept as a draft (tf-drafts.h) of the entry, or of "new";
 * after the unlock the window hands it back (restore_draft) and the editor
 * shows it with a notice and Discard.  The two views are the template
 * tf-journal-page.ui; the rows are TfEntryRow, one per entry.
 */
#define G_LOG_DOMAIN "tf-journal-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-draft-notice.h"
#include "tf-entry-row.h"
#include "tf-form.h"
#include "tf-journal.h"
#include "tf-journal-page.h"
#include "tf-page.h"
#include "tf-text.h"
#include "tf-time.h"

struct _TfJournalPage
{
  GtkWidget           parent_instance;
  TfSession          *session;
  TfRepository       *entries;      /* this account's entries, newest first */
  GtkFilterListModel *visible;      /* entries matching query */
  GtkCustomFilter    *filter;       /* owned by visible */
  char               *query;        /* folded search text; NULL: everything */
  char               *editing_id;   /* the entry in the editor; NULL: a new one */
  char               *new_id;       /* the id a new entry is saved under: chosen at its first
                                     * Save, kept through failures; NULL: none yet */

  /* template */
  GtkStack           *stack;        /* "list" or "editor"; the only child */
  GtkSearchEntry     *search;
  GtkListBox         *list;
  GtkLabel           *placeholder;
  GtkLabel           *heading;
  AdwEntryRow        *title;
  AdwEntryRow        *category;
  GtkTextView        *content;
  GtkSwitch          *share;
  GtkWidget          *delete_button;
  GtkWidget          *draft_notice;  /* TfDraftNotice: shown with restored changes */
};

static void tf_journal_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfJournalPage, tf_journal_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_journal_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static gboolean restore_draft (TfPage *page, JsonObject *draft);

static void
tf_journal_page_page_init (TfPageInterface *iface)
{
  iface->name = "journal";
  iface->title = N_("Journal");
  iface->icon_name = "accessories-text-editor-symbolic";
  iface->restore_draft = restore_draft;
}

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_journal_page_dispose (GObject *object)
{
  TfJournalPage *self = TF_JOURNAL_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_JOURNAL_PAGE);
  g_clear_object (&self->visible);
  g_clear_object (&self->entries);
  g_clear_object (&self->session);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->editing_id, g_free);
  g_clear_pointer (&self->new_id, g_free);
  G_OBJECT_CLASS (tf_journal_page_parent_class)->dispose (object);
}

/* --- search --------------------------------------------------------------- */

static gboolean
entry_matches (gpointer item, gpointer data)
{
  TfJournalPage *self = data;

  return self->query == NULL ||
         tf_text_matches_folded (tf_item_get_string (item, "title"), self->query) ||
         tf_text_matches_folded (tf_item_get_string (item, "content"), self->query);
}

static void
on_search_changed_cb (TfJournalPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                  self->search))));

  g_clear_pointer (&self->query, g_free);
  if (*text != '\0')
    self->query = tf_text_fold_for_search (text);
  gtk_label_set_text (self->placeholder, self->query != NULL
                                           ? _("No entries match your search")
                                           : _("No journal entries yet"));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* --- the list ------------------------------------------------------------- */

/* Title; when, category and sharing; the first words. */
static GtkWidget *
create_row (gpointer item, gpointer data)
{
  TfItem *entry = item;
  GtkWidget *row;
  const char *title = tf_item_get_string (entry, "title");
  const char *category = tf_item_get_string (entry, "category");
  const char *content = tf_item_get_string (entry, "content");
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (tf_item_get_string (entry, "created_at"),
                                                      NULL);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%x %H:%M") : g_strdup ("");
  g_autoptr(GString) subtitle = g_string_new (when);

  if (category != NULL && *category != '\0')
    g_string_append_printf (subtitle, " · %s", category);
  if (tf_item_get_boolean (entry, "therapist_shared", FALSE))
    g_string_append_printf (subtitle, " · %s", _("Shared with my therapist"));
  if (content != NULL && *content != '\0')
    {
      g_autofree char *line = g_strdup (content);

      g_strdelimit (line, "\r\n\t", ' ');
      if (g_utf8_strlen (line, -1) > 120)
        *g_utf8_offset_to_pointer (line, 120) = '\0';
      g_string_append_printf (subtitle, "\n%s", line);
    }
  row = tf_entry_row_new (entry, title != NULL && *title != '\0' ? title : _("Untitled"),
                          subtitle->str, 2, TRUE);
  gtk_widget_set_name (row, "journal-row");
  return row;
}

/* --- the editor ----------------------------------------------------------- */

static char *
dup_content (TfJournalPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->content);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
fill_editor (TfJournalPage *self, TfItem *entry)
{
  const char *content = entry ? tf_item_get_string (entry, "content") : NULL;
  const char *title = entry ? tf_item_get_string (entry, "title") : NULL;
  const char *category = entry ? tf_item_get_string (entry, "category") : NULL;

  g_clear_pointer (&self->editing_id, g_free);
  g_clear_pointer (&self->new_id, g_free);
  if (entry != NULL)
    self->editing_id = g_strdup (tf_item_get_id (entry));
  gtk_editable_set_text (GTK_EDITABLE (self->title), title ? title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->category), category ? category : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->content), content ? content : "",
                            -1);
  gtk_switch_set_active (self->share,
                         entry ? tf_item_get_boolean (entry, "therapist_shared", FALSE) : FALSE);
  gtk_widget_set_visible (self->draft_notice, FALSE);
}

static void
show_editor (TfJournalPage *self)
{
  gtk_label_set_text (self->heading, self->editing_id ? _("Edit Entry") : _("New Entry"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journal.delete", self->editing_id != NULL);
  gtk_stack_set_visible_child_name (self->stack, "editor");
  gtk_widget_grab_focus (GTK_WIDGET (self->title));
}

static void
show_list (TfJournalPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
on_new_clicked_cb (TfJournalPage *self)
{
  /* A new entry's unsaved draft is kept for the next "New Entry". */
  if (self->editing_id != NULL)
    fill_editor (self, NULL);
  show_editor (self);
}

static void
on_row_activated_cb (TfJournalPage *self, GtkListBoxRow *row)
{
  if (!TF_IS_ENTRY_ROW (row))
    return;
  fill_editor (self, tf_entry_row_get_item (TF_ENTRY_ROW (row)));
  show_editor (self);
}

/* --- drafts through a lock ------------------------------------------------ */

static char *
draft_key (TfJournalPage *self)
{
  return g_strdup (self->editing_id != NULL ? self->editing_id : "new");
}

/* Forgets the draft of the entry in the editor, and the notice with it. */
static void
forget_draft (TfJournalPage *self)
{
  g_autofree char *key = draft_key (self);

  tf_draft_notice_forget (self->draft_notice, self->session, "journal_entries", key);
}

/* {id (a new entry's, once chosen), title, category, content,
 * therapist_shared}: as typed in the editor
 * (@entry NULL, @typed TRUE), or as saved in @entry (NULL: a new one). */
static JsonObject *
dup_fields (TfJournalPage *self, TfItem *entry, gboolean typed)
{
  static const char * const texts[] = { "title", "category", "content" };
  JsonObject *fields = json_object_new ();
  g_autofree char *content = typed ? dup_content (self) : NULL;

  /* A new entry's id, once chosen, stays with it (tf_journal_save). */
  if (self->new_id != NULL)
    json_object_set_string_member (fields, "id", self->new_id);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *value = entry != NULL ? tf_item_get_string (entry, texts[i]) : NULL;

      json_object_set_string_member (fields, texts[i], value != NULL ? value : "");
    }
  if (typed)
    {
      json_object_set_string_member (fields, "title",
                                     gtk_editable_get_text (GTK_EDITABLE (self->title)));
      json_object_set_string_member (fields, "category",
                                     gtk_editable_get_text (GTK_EDITABLE (self->category)));
      json_object_set_string_member (fields, "content", content);
    }
  json_object_set_boolean_member (fields, "therapist_shared",
                                  typed ? gtk_switch_get_active (self->share)
                                        : entry != NULL &&
                                          tf_item_get_boolean (entry, "therapist_shared", FALSE));
  return fields;
}

/* The session locks: what is typed and unsaved is kept, encrypted. */
static void
on_locking_cb (TfJournalPage *self)
{
  g_autoptr(TfItem) entry = self->editing_id != NULL
                              ? tf_repository_dup_item (self->entries, self->editing_id) : NULL;
  g_autoptr(JsonObject) typed = dup_fields (self, NULL, TRUE);
  g_autoptr(JsonObject) saved = dup_fields (self, entry, FALSE);
  g_autofree char *key = draft_key (self);

  tf_draft_keep (self->session, "journal_entries", key, typed, saved);
}

/* After the unlock: the entry (or a new one) in the editor as it was typed. */
static gboolean
restore_draft (TfPage *page, JsonObject *draft)
{
  TfJournalPage *self = TF_JOURNAL_PAGE (page);
  const char *key = tf_json_get_string (draft, "record_key");
  JsonObject *typed = json_object_get_object_member (draft, "content");
  g_autoptr(TfItem) entry = NULL;
  const char *title, *category, *content;

  if (g_strcmp0 (tf_json_get_string (draft, "form"), "journal_entries") != 0 || typed == NULL)
    return FALSE;
  if (g_strcmp0 (key, "new") != 0 &&
      (entry = tf_repository_dup_item (self->entries, key)) == NULL)
    return FALSE;
  fill_editor (self, entry);
  if (entry == NULL)
    self->new_id = g_strdup (tf_json_get_string (typed, "id"));
  title = tf_json_get_string (typed, "title");
  category = tf_json_get_string (typed, "category");
  content = tf_json_get_string (typed, "content");
  gtk_editable_set_text (GTK_EDITABLE (self->title), title != NULL ? title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->category), category != NULL ? category : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->content),
                            content != NULL ? content : "", -1);
  gtk_switch_set_active (self->share, json_object_get_boolean_member_with_default (
                                        typed, "therapist_shared", FALSE));
  show_editor (self);
  gtk_widget_set_visible (self->draft_notice, TRUE);
  return TRUE;
}

/* Discard on the notice: the entry as saved (or an empty new one). */
static void
on_draft_discard_cb (TfJournalPage *self)
{
  g_autoptr(TfItem) entry = self->editing_id != NULL
                              ? tf_repository_dup_item (self->entries, self->editing_id) : NULL;

  forget_draft (self);
  fill_editor (self, entry);
}

static void
on_save_clicked_cb (TfJournalPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                   self->title))));
  g_autofree char *category = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                      self->category))));
  g_autofree char *content = dup_content (self);
  g_autofree char *trimmed = g_strstrip (g_strdup (content));
  TfJournalEntry entry = { title, content, category, gtk_switch_get_active (self->share) };

  if (*title == '\0' && *trimmed == '\0')
    {
      g_signal_emit (self, signals[FAILED], 0, _("Write a title or some text first"));
      return;
    }
  /* A new entry's id is chosen once and kept through failures. */
  if (self->editing_id == NULL && self->new_id == NULL)
    self->new_id = g_uuid_string_random ();
  if (!tf_journal_save (tf_session_get_vault (self->session),
                        self->editing_id ? self->editing_id : self->new_id, &entry, NULL,
                        &error))
    {
      /* The draft stays in the editor. */
      tf_form_fail (self, _("The journal entry was not saved: %s"), error->message);
      return;
    }
  forget_draft (self);
  fill_editor (self, NULL);
  show_list (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Journal entry saved"));
}

static void
on_delete_response_cb (AdwMessageDialog *dialog, const char *response, TfJournalPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "tf-id");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || id == NULL)
    return;
  if (!tf_journal_delete (tf_session_get_vault (self->session), id, &error))
    {
      tf_form_fail (self, _("The journal entry was not deleted: %s"), error->message);
      return;
    }
  if (g_strcmp0 (self->editing_id, id) == 0)
    {
      forget_draft (self);
      fill_editor (self, NULL);
      show_list (self);
    }
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Journal entry deleted"));
}

static void
on_delete_clicked_cb (TfJournalPage *self)
{
  g_autofree char *title = NULL;
  GtkWidget *dialog;

  if (self->editing_id == NULL)
    return;
  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title))));
  dialog = tf_form_confirm_new (GTK_WIDGET (self), "journal-delete-dialog",
                                _("Delete This Entry?"), NULL,
                                "cancel", _("_Cancel"), "delete", _("_Delete"));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will be deleted from this computer and, at the next "
                                    "sync, from your other devices. This cannot be undone."),
                                  *title != '\0' ? title : _("Untitled"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "tf-id", g_strdup (self->editing_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- keyboard ------------------------------------------------------------- */

static gboolean
shortcut_search (GtkWidget *widget, GVariant *args, gpointer data)
{
  TfJournalPage *self = TF_JOURNAL_PAGE (widget);

  show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
  return TRUE;
}

static gboolean
shortcut_back (GtkWidget *widget, GVariant *args, gpointer data)
{
  TfJournalPage *self = TF_JOURNAL_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "editor") != 0)
    return FALSE;
  show_list (self);
  return TRUE;
}

/* --- building ------------------------------------------------------------- */

/* --- actions -------------------------------------------------------------- */

static void
new_entry_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_new_clicked_cb (TF_JOURNAL_PAGE (widget));
}

static void
back_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  show_list (TF_JOURNAL_PAGE (widget));
}

static void
delete_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_delete_clicked_cb (TF_JOURNAL_PAGE (widget));
}

static void
save_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfJournalPage *self = TF_JOURNAL_PAGE (widget);

  /* Ctrl+S saves the entry being written; the list has none. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "editor") == 0)
    on_save_clicked_cb (self);
}

static void
tf_journal_page_class_init (TfJournalPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_journal_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-journal-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfJournalPage, name)
  BIND (stack);
  BIND (search);
  BIND (list);
  BIND (placeholder);
  BIND (heading);
  BIND (title);
  BIND (category);
  BIND (content);
  BIND (share);
  BIND (delete_button);
  BIND (draft_notice);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_draft_discard_cb);
  g_type_ensure (TF_TYPE_DRAFT_NOTICE);

  gtk_widget_class_install_action (widget_class, "journal.new-entry", NULL, new_entry_activated);
  gtk_widget_class_install_action (widget_class, "journal.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "journal.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "journal.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "journal.new-entry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "journal.save",
                                       NULL);
}

static void
tf_journal_page_init (TfJournalPage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "list");
  tf_form_add_shortcut (shortcuts, "<Control>f", shortcut_search);
  tf_form_add_shortcut (shortcuts, "Escape", shortcut_back);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

GtkWidget *
tf_journal_page_new (TfSession *session)
{
  TfJournalPage *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);

  self = g_object_new (TF_TYPE_JOURNAL_PAGE, NULL);
  self->session = g_object_ref (session);
  self->entries = tf_session_dup_journal (session, NULL);
  self->filter = gtk_custom_filter_new (entry_matches, self, NULL);
  self->visible = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->entries)),
                                             GTK_FILTER (self->filter));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->visible), create_row, NULL, NULL);
  g_signal_connect_object (session, "locking", G_CALLBACK (on_locking_cb), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
