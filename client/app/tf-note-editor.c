/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-editor.c: the editor of one session note, the second page of
 * the notes view's stack (tf-notes-view.c has the list of sessions).
 *
 * The note's sections follow its approach (tf-note-content.h), one
 * TfNoteSectionGroup each; changing the approach of a new note keeps what
 * was typed, by section key, in the drafts.  Nothing typed is lost: a
 * failed save leaves the editor as it is, and leaving it with unsaved
 * changes asks first.  A locked note is shown read-only with the time it
 * was signed, and with a warning when its signature does not verify
 * (signature_valid false from tf_vault_list); below it its addenda and the
 * field to add one (TfNoteAddenda).  Locking saves first, so what
 * is on screen is what gets signed; a saved note is shown again as stored
 * (tf_note_dup_stored), the notes list following by itself.
 *
 * When the session locks (TfSession::locking) with unsaved changes, they
 * are kept as a draft (tf-drafts.h) under the note's id, or "new:" and the
 * appointment's for a new note; tf_note_editor_restore() shows them again
 * after the unlock with a notice and Discard.  Saving or discarding the
 * changes removes the draft.  A signed note never has one.
 */
#define G_LOG_DOMAIN "tf-note-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-clinical.h"
#include "tf-draft-notice.h"
#include "tf-drafts.h"
#include "tf-form.h"
#include "tf-note-content.h"
#include "tf-note-addenda.h"
#include "tf-note-editor.h"
#include "tf-note-section-group.h"
#include "tf-print.h"
#include "tf-time.h"

struct _TfNoteEditor
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;      /* whose notes (the view's), kept in a draft */

  char         *appointment_id; /* of the note in the editor */
  char         *note_id;        /* NULL: a new note */
  char         *new_id;         /* the id a new note is saved under: chosen at its first
                                 * save, kept through failures; NULL: none yet */
  gboolean      text_note;      /* one text, not sections */
  gboolean      locked;
  gboolean      dirty;
  gboolean      filling;
  GHashTable   *drafts;         /* section key -> text, across approach changes */
  GPtrArray    *sections;       /* TfNoteSectionGroup*, in sections_box */

  /* template (tf-note-editor.ui) */
  GtkWidget    *heading;
  GtkWidget    *print;          /* shown for a saved note */
  GtkWidget    *draft_notice;   /* TfDraftNotice: shown with restored changes */
  GtkWidget    *signed_label;
  GtkWidget    *warning;
  GtkWidget    *approach;       /* AdwComboRow */
  GtkWidget    *sections_box;   /* the section groups; rebuilt per approach */
  GtkWidget    *risk_level;     /* AdwComboRow */
  GtkWidget    *risk_notes;     /* GtkTextView */
  GtkWidget    *addenda;        /* TfNoteAddenda: shown with a signed note */
  GtkWidget    *actions_separator;
  GtkWidget    *actions_bar;    /* below the scrolled note: the error, Save, Lock and Sign */
  GtkWidget    *error;
  GtkWidget    *save;
  GtkWidget    *lock;
};

G_DEFINE_FINAL_TYPE (TfNoteEditor, tf_note_editor, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- the editor ----------------------------------------------------------- */

static void fail (TfNoteEditor *self, const char *format, ...) G_GNUC_PRINTF (2, 3);
static char *draft_key (TfNoteEditor *self);
static void forget_draft (TfNoteEditor *self, const char *key);
static void refill_editor (TfNoteEditor *self);
static JsonNode *content_node (TfNoteEditor *self, const char *approach, gboolean need_text);
static JsonNode *risk_node (TfNoteEditor *self);

/* Says what went wrong below the note, and to the window. */
static void
fail (TfNoteEditor *self, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  gtk_label_set_text (GTK_LABEL (self->error), message);
  gtk_widget_set_visible (self->error, TRUE);
  gtk_widget_set_visible (self->actions_bar, TRUE);
  gtk_widget_set_visible (self->actions_separator, TRUE);
  g_signal_emit (self, signals[FAILED], 0, message);
}

static void
mark_changed (TfNoteEditor *self)
{
  if (!self->filling)
    self->dirty = TRUE;
}

static void
set_text_editable (GtkWidget *view, gboolean editable)
{
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), editable);
}

/* What the sections hold now, kept by key. */
static void
keep_drafts (TfNoteEditor *self)
{
  for (guint i = 0; i < self->sections->len; i++)
    {
      TfNoteSectionGroup *group = g_ptr_array_index (self->sections, i);

      g_hash_table_insert (self->drafts, g_strdup (tf_note_section_group_get_key (group)),
                           tf_note_section_group_dup_text (group));
    }
}

/* One group per section: its title, what belongs there, and the text (from
 * the drafts).  @translate: titles and hints are N_() strings. */
static void
build_sections (TfNoteEditor *self, const TfNoteSection *sections, guint n, gboolean translate)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->sections_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->sections_box), child);
  g_ptr_array_set_size (self->sections, 0);
  for (guint i = 0; i < n; i++)
    {
      const char *hint = sections[i].hint;
      GtkWidget *group = tf_note_section_group_new (sections[i].key,
                                                    translate ? _(sections[i].title)
                                                              : sections[i].title,
                                                    hint && translate ? _(hint) : hint,
                                                    g_hash_table_lookup (self->drafts,
                                                                         sections[i].key));
      GtkTextView *view = tf_note_section_group_get_view (TF_NOTE_SECTION_GROUP (group));

      tf_note_section_group_set_editable (TF_NOTE_SECTION_GROUP (group), !self->locked);
      g_signal_connect_swapped (gtk_text_view_get_buffer (view), "changed",
                                G_CALLBACK (mark_changed), self);
      gtk_box_append (GTK_BOX (self->sections_box), group);
      g_ptr_array_add (self->sections, group);
    }
}

/* The sections of the note in the editor: its approach's, one text, or for
 * an approach this app does not know, the sections it holds. */
static void
show_sections (TfNoteEditor *self, JsonObject *stored_sections)
{
  const TfNoteApproach *approach;
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->approach));

  if (self->text_note)
    {
      build_sections (self, &tf_note_text_section, 1, TRUE);
      return;
    }
  approach = selected < TF_NOTE_N_APPROACHES ? &tf_note_approaches[selected] : NULL;
  if (approach != NULL)
    {
      build_sections (self, approach->sections, approach->n_sections, TRUE);
      return;
    }
  if (stored_sections != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (stored_sections);
      g_autoptr(GArray) sections = g_array_new (FALSE, TRUE, sizeof (TfNoteSection));
      g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          TfNoteSection section = { l->data, NULL, NULL };

          section.title = tf_note_section_title (l->data);
          g_ptr_array_add (titles, (char *) section.title);
          g_array_append_val (sections, section);
        }
      build_sections (self, (TfNoteSection *) sections->data, sections->len, FALSE);
    }
}

static void
on_approach_changed_cb (TfNoteEditor *self)
{
  if (self->filling)
    return;
  keep_drafts (self);
  show_sections (self, NULL);
  mark_changed (self);
}

static void
update_actions (TfNoteEditor *self)
{
  gtk_widget_set_visible (self->save, !self->locked);
  gtk_widget_set_visible (self->lock, !self->locked);
  gtk_widget_set_visible (gtk_widget_get_parent (self->save), !self->locked);
  gtk_widget_set_visible (gtk_widget_get_parent (self->lock), !self->locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "note.save", !self->locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "note.lock-sign", !self->locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "note.print", self->note_id != NULL);
  gtk_widget_set_visible (self->print, self->note_id != NULL);
  /* A signed note has nothing to act on; the bar stays only to say a problem. */
  gtk_widget_set_visible (self->actions_bar,
                          !self->locked || gtk_widget_get_visible (self->error));
  gtk_widget_set_visible (self->actions_separator,
                          gtk_widget_get_visible (self->actions_bar));
  gtk_widget_set_sensitive (self->approach, !self->locked && self->note_id == NULL &&
                                            !self->text_note);
  gtk_widget_set_sensitive (self->risk_level, !self->locked);
  set_text_editable (self->risk_notes, !self->locked);
}

/* The approaches of the combo, and (as its last item) the stored approach
 * of a note when it is none of them. */
static void
set_approach_choices (TfNoteEditor *self, const char *other)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < TF_NOTE_N_APPROACHES; i++)
    gtk_string_list_append (names, tf_note_approaches[i].name);
  if (other != NULL)
    gtk_string_list_append (names, other);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->approach), G_LIST_MODEL (names));
}

/* The editor for @plain (a note's plain form), or for a new note of
 * appointment @appointment_id when @plain is NULL. */
static void
fill_editor (TfNoteEditor *self, JsonObject *plain, const char *appointment_id)
{
  const char *approach_id = plain ? tf_note_get_approach (plain) : "soap";
  const TfNoteApproach *approach = tf_note_find_approach (approach_id);
  JsonObject *content = plain ? tf_note_member_object (plain, "note_content") : NULL;
  JsonObject *stored_sections = content ? tf_note_member_object (content, "sections") : NULL;
  JsonObject *risk = plain ? tf_note_member_object (plain, "risk_assessment") : NULL;
  const char *level = risk ? tf_json_get_string (risk, "level") : NULL;
  const char *risk_text = risk ? tf_json_get_string (risk, "notes") : NULL;
  const char *locked_at = plain ? tf_json_get_string (plain, "locked_at") : NULL;
  g_autofree char *text = plain ? tf_note_dup_text (plain) : NULL;
  g_autofree char *heading = NULL;
  guint level_index = 0;

  self->filling = TRUE;
  g_clear_pointer (&self->note_id, g_free);
  g_clear_pointer (&self->new_id, g_free);
  g_clear_pointer (&self->appointment_id, g_free);
  self->note_id = plain ? g_strdup (tf_json_get_string (plain, "id")) : NULL;
  self->appointment_id = g_strdup (appointment_id);
  self->locked = locked_at != NULL;
  self->text_note = plain != NULL && text != NULL;
  g_hash_table_remove_all (self->drafts);
  if (self->text_note)
    g_hash_table_insert (self->drafts, g_strdup ("text"), g_strdup (text));
  else if (stored_sections != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (stored_sections);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          const char *value = tf_json_get_string (stored_sections, l->data);

          if (value != NULL)
            g_hash_table_insert (self->drafts, g_strdup (l->data), g_strdup (value));
        }
    }

  set_approach_choices (self, approach == NULL ? tf_note_approach_name (approach_id) : NULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->approach),
                              approach != NULL ? (guint) (approach - tf_note_approaches)
                                               : TF_NOTE_N_APPROACHES);
  show_sections (self, stored_sections);

  for (guint i = 0; i < TF_NOTE_N_RISK_LEVELS; i++)
    if (g_strcmp0 (tf_note_risk_levels[i], level) == 0)
      level_index = i;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->risk_level), level_index);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->risk_notes)),
                            risk_text ? risk_text : "", -1);

  if (self->note_id == NULL)
    heading = g_strdup (_("New Note"));
  else
    heading = g_strdup_printf (_("%s Note"), tf_note_approach_name (approach_id));
  gtk_label_set_text (GTK_LABEL (self->heading), heading);

  if (self->locked)
    {
      g_autofree char *when = tf_form_format_local (locked_at, "%x %H:%M");
      g_autofree char *signed_text = g_strdup_printf (_("Signed %s. A signed note can no "
                                                        "longer be changed."),
                                                      when ? when : locked_at);
      gboolean valid = json_object_get_boolean_member_with_default (plain, "signature_valid",
                                                                    FALSE);

      gtk_label_set_text (GTK_LABEL (self->signed_label), signed_text);
      gtk_widget_set_visible (self->warning, !valid);
    }
  else
    gtk_widget_set_visible (self->warning, FALSE);
  gtk_widget_set_visible (self->signed_label, self->locked);
  tf_note_addenda_set_note (TF_NOTE_ADDENDA (self->addenda), self->session,
                            self->locked ? self->note_id : NULL);
  gtk_widget_set_visible (self->addenda, self->locked);
  gtk_widget_set_visible (self->error, FALSE);
  gtk_widget_set_visible (self->draft_notice, FALSE);
  update_actions (self);
  self->dirty = FALSE;
  self->filling = FALSE;
}

/* --- drafts through a lock ------------------------------------------------ */

/* The key of the note's draft: its id, or "new:" and the appointment's. */
static char *
draft_key (TfNoteEditor *self)
{
  return self->note_id != NULL ? g_strdup (self->note_id)
                               : g_strconcat ("new:", self->appointment_id, NULL);
}

/* Forgets the draft under @key, and the notice with it. */
static void
forget_draft (TfNoteEditor *self, const char *key)
{
  tf_draft_notice_forget (self->draft_notice, self->session, "session_notes", key);
}

/* The session locks: unsaved changes are kept, encrypted, for the unlock.
 * The approach is left out when it is none this app knows (the stored
 * one stays). */
static void
on_locking_cb (TfNoteEditor *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->approach));
  const char *approach = selected < TF_NOTE_N_APPROACHES ? tf_note_approaches[selected].id : NULL;
  g_autoptr(JsonObject) draft = NULL;
  g_autofree char *key = NULL;

  if (!self->dirty || self->locked || (self->note_id == NULL && self->appointment_id == NULL))
    return;
  key = draft_key (self);
  draft = json_object_new ();
  json_object_set_string_member (draft, "client_id", self->client_id);
  json_object_set_string_member (draft, "appointment_id", self->appointment_id);
  if (approach != NULL)
    json_object_set_string_member (draft, "approach_type", approach);
  json_object_set_member (draft, "note_content",
                          content_node (self, approach != NULL ? approach : "soap", FALSE));
  json_object_set_member (draft, "risk_assessment", risk_node (self));
  tf_draft_keep (self->session, "session_notes", key, draft, NULL);
}

/* @plain (or a new note) with the draft kept for it, if there is one:
 * shown with the notice, unsaved.  FALSE when there is none. */
static gboolean
restore_draft (TfNoteEditor *self, JsonObject *plain, const char *appointment_id)
{
  static const char * const members[] = { "approach_type", "note_content", "risk_assessment" };
  g_autoptr(JsonObject) draft = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autofree char *key = draft_key (self);

  if (self->locked)
    return FALSE;
  draft = tf_drafts_load (tf_session_get_vault (self->session), "session_notes", key, NULL);
  if (draft == NULL)
    return FALSE;
  shown = plain != NULL ? tf_json_object_dup (plain) : json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (json_object_has_member (draft, members[i]))
      json_object_set_member (shown, members[i],
                              json_node_copy (json_object_get_member (draft, members[i])));
  fill_editor (self, shown, appointment_id);
  self->dirty = TRUE;
  gtk_widget_set_visible (self->draft_notice, TRUE);
  return TRUE;
}

/* Discard on the notice: the note as last saved (or empty) again. */
static void
on_draft_discard_cb (TfNoteEditor *self)
{
  g_autofree char *key = draft_key (self);
  g_autofree char *appointment_id = g_strdup (self->appointment_id);

  forget_draft (self, key);
  if (self->note_id != NULL)
    refill_editor (self);
  else
    fill_editor (self, NULL, appointment_id);
}

void
tf_note_editor_edit (TfNoteEditor *self, JsonObject *plain, const char *appointment_id)
{
  g_return_if_fail (TF_IS_NOTE_EDITOR (self));
  g_return_if_fail (plain != NULL || appointment_id != NULL);

  fill_editor (self, plain, appointment_id);
  restore_draft (self, plain, appointment_id);
  if (!self->locked && self->sections->len > 0)
    gtk_widget_grab_focus (GTK_WIDGET (tf_note_section_group_get_view (
                             g_ptr_array_index (self->sections, 0))));
}

static void
on_discard_response_cb (AdwMessageDialog *dialog, const char *response, TfNoteEditor *self)
{
  g_autofree char *key = NULL;

  if (g_strcmp0 (response, "discard") != 0)
    return;
  key = draft_key (self);
  forget_draft (self, key);
  self->dirty = FALSE;
  if (self->locked)
    tf_note_addenda_set_note (TF_NOTE_ADDENDA (self->addenda), self->session, NULL);
  g_signal_emit (self, signals[CLOSED], 0);
}

/* Back to the list; unsaved changes are only dropped when the therapist
 * says so. */
static void
on_back_clicked_cb (TfNoteEditor *self)
{
  gboolean addendum = self->locked &&
                      tf_note_addenda_has_text (TF_NOTE_ADDENDA (self->addenda));
  GtkWidget *dialog;

  if (!addendum && (!self->dirty || self->locked))
    {
      g_signal_emit (self, signals[CLOSED], 0);
      return;
    }
  if (addendum)
    dialog = tf_form_confirm_new (GTK_WIDGET (self), "notes-discard-dialog",
                                  _("Discard the Addendum?"),
                                  _("The addendum you wrote has not been added to the note "
                                    "and will be lost."),
                                  "keep", _("_Keep Editing"), "discard", _("_Discard"));
  else
    dialog = tf_form_confirm_new (GTK_WIDGET (self), "notes-discard-dialog",
                                  _("Discard Unsaved Changes?"),
                                  _("What you wrote in this note since it was last saved "
                                    "will be lost."),
                                  "keep", _("_Keep Editing"), "discard", _("_Discard"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- saving and locking --------------------------------------------------- */

static const char *
selected_approach (TfNoteEditor *self, JsonObject *stored)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->approach));

  if (selected < TF_NOTE_N_APPROACHES)
    return tf_note_approaches[selected].id;
  return stored ? tf_note_get_approach (stored) : "soap";
}

/* note_content from the editor; NULL when nothing is written and
 * @need_text (a draft keeps empty sections too). */
static JsonNode *
content_node (TfNoteEditor *self, const char *approach, gboolean need_text)
{
  g_autoptr(JsonObject) content = json_object_new ();
  JsonObject *sections = json_object_new ();
  gboolean any = FALSE;
  JsonNode *node;

  json_object_set_string_member (content, "approach", approach);
  for (guint i = 0; i < self->sections->len; i++)
    {
      TfNoteSectionGroup *group = g_ptr_array_index (self->sections, i);
      g_autofree char *text = tf_note_section_group_dup_text (group);
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      any |= *trimmed != '\0';
      if (self->text_note)
        json_object_set_string_member (content, "text", text);
      else
        json_object_set_string_member (sections, tf_note_section_group_get_key (group), text);
    }
  if (self->text_note)
    json_object_unref (sections);
  else
    json_object_set_object_member (content, "sections", sections);
  if (!any && need_text)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, content);
  return node;
}

static JsonNode *
risk_node (TfNoteEditor *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->risk_level));
  g_autofree char *notes = tf_form_dup_text (GTK_TEXT_VIEW (self->risk_notes));
  JsonObject *risk = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (risk, "level",
                                 tf_note_risk_levels[MIN (selected, TF_NOTE_N_RISK_LEVELS - 1)]);
  json_object_set_string_member (risk, "notes", notes);
  json_node_take_object (node, risk);
  return node;
}

/* Writes the editor's note, and with @lock locks and signs it in the same
 * transaction (tf_note_save); FALSE (said, the editor untouched) on
 * failure.  A new note's id is chosen once and kept through failures. */
static gboolean
save_note (TfNoteEditor *self, gboolean lock)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonNode) content = NULL;
  g_autoptr(JsonNode) risk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = draft_key (self);
  const char *approach;

  gtk_widget_set_visible (self->error, FALSE);
  if (self->note_id != NULL)
    stored = tf_note_dup_stored (vault, self->note_id, NULL);
  approach = selected_approach (self, stored);
  content = content_node (self, approach, TRUE);
  if (content == NULL)
    {
      fail (self, _("Write something in the note first"));
      return FALSE;
    }
  risk = risk_node (self);
  if (self->note_id == NULL && self->new_id == NULL)
    self->new_id = g_uuid_string_random ();
  if (!tf_note_save (vault, self->note_id ? self->note_id : self->new_id, self->appointment_id,
                     approach, content, risk, lock, NULL, &error))
    {
      /* What is written stays in the editor. */
      fail (self, lock ? _("The note was not locked: %s") : _("The note was not saved: %s"),
            error->message);
      return FALSE;
    }
  if (self->note_id == NULL)
    self->note_id = g_steal_pointer (&self->new_id);
  self->dirty = FALSE;
  forget_draft (self, key);
  return TRUE;
}

/* Shows the editor's note again as stored, just written (with
 * signature_valid; the notes list follows by itself). */
static void
refill_editor (TfNoteEditor *self)
{
  g_autofree char *appointment_id = g_strdup (self->appointment_id);
  g_autoptr(JsonObject) plain = tf_note_dup_stored (tf_session_get_vault (self->session),
                                                    self->note_id, NULL);

  if (plain != NULL)
    fill_editor (self, plain, appointment_id);
}

static void
on_save_clicked_cb (TfNoteEditor *self)
{
  if (self->locked || !save_note (self, FALSE))
    return;
  refill_editor (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Note saved"));
}

static void
on_lock_response_cb (AdwMessageDialog *dialog, const char *response, TfNoteEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "lock") != 0 || self->locked)
    return;
  /* What is on screen is what gets signed. */
  if (self->dirty || self->note_id == NULL)
    {
      if (!save_note (self, TRUE))
        return;
    }
  else if (!tf_vault_lock_note (tf_session_get_vault (self->session), self->note_id, &error))
    {
      fail (self, _("The note was not locked: %s"), error->message);
      return;
    }
  refill_editor (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Note locked and signed"));
}

static void
on_lock_clicked_cb (TfNoteEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->locked)
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Lock and Sign This Note?"),
                                   _("Your signature shows that you wrote this note and that "
                                     "it has not been altered since. Once signed, the note can "
                                     "never be changed again, by you or anyone else."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "lock", _("_Lock and Sign"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "lock",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "notes-lock-dialog");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_lock_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- keyboard and building ------------------------------------------------ */

gboolean
tf_note_editor_save (TfNoteEditor *self)
{
  g_return_val_if_fail (TF_IS_NOTE_EDITOR (self), FALSE);

  if (self->locked)
    return FALSE;
  on_save_clicked_cb (self);
  return TRUE;
}

/* --- actions -------------------------------------------------------------- */

static void
back_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_back_clicked_cb (TF_NOTE_EDITOR (widget));
}

static void
save_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_save_clicked_cb (TF_NOTE_EDITOR (widget));
}

static void
lock_sign_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_lock_clicked_cb (TF_NOTE_EDITOR (widget));
}

/* Print or save as PDF: the note as stored (what is signed is what is
 * printed; unsaved changes are not), with its addenda. */
static void
print_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TfNoteEditor *self = TF_NOTE_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  TfPrintDoc *doc;

  if (self->session == NULL || self->note_id == NULL)
    return;
  doc = tf_print_doc_new_for_note (tf_session_get_vault (self->session), self->note_id, &error);
  if (doc == NULL || !tf_print_run (GTK_WIDGET (self), doc, &error))
    fail (self, _("The note was not printed: %s"), error->message);
}

/* An addendum's outcome is the editor's, told to the window the same way. */
static void
on_addenda_saved_cb (TfNoteEditor *self, const char *message)
{
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
on_addenda_failed_cb (TfNoteEditor *self, const char *message)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

static void
tf_note_editor_dispose (GObject *object)
{
  TfNoteEditor *self = TF_NOTE_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_NOTE_EDITOR);
  tf_form_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->session);
  g_clear_pointer (&self->appointment_id, g_free);
  g_clear_pointer (&self->new_id, g_free);
  g_clear_pointer (&self->note_id, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  G_OBJECT_CLASS (tf_note_editor_parent_class)->dispose (object);
}

static void
tf_note_editor_class_init (TfNoteEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_note_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  /* Back: the view shows its list again. */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  g_type_ensure (TF_TYPE_NOTE_SECTION_GROUP);
  g_type_ensure (TF_TYPE_DRAFT_NOTICE);
  g_type_ensure (TF_TYPE_NOTE_ADDENDA);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-note-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfNoteEditor, name)
  BIND (heading);
  BIND (print);
  BIND (draft_notice);
  BIND (signed_label);
  BIND (warning);
  BIND (approach);
  BIND (sections_box);
  BIND (risk_level);
  BIND (risk_notes);
  BIND (addenda);
  BIND (actions_separator);
  BIND (actions_bar);
  BIND (error);
  BIND (save);
  BIND (lock);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_approach_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mark_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_draft_discard_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_addenda_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_addenda_failed_cb);

  gtk_widget_class_install_action (widget_class, "note.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "note.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "note.lock-sign", NULL, lock_sign_activated);
  gtk_widget_class_install_action (widget_class, "note.print", NULL, print_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "note.print",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "note.save",
                                       NULL);
}

static void
tf_note_editor_init (TfNoteEditor *self)
{
  g_autoptr(GtkStringList) risks = gtk_string_list_new (NULL);

  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sections = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < TF_NOTE_N_RISK_LEVELS; i++)
    gtk_string_list_append (risks, tf_note_risk_label (tf_note_risk_levels[i]));
  /* Selecting the first level is not a change the therapist made. */
  self->filling = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->risk_level), G_LIST_MODEL (risks));
  self->filling = FALSE;
}

void
tf_note_editor_set_session (TfNoteEditor *self, TfSession *session, const char *client_id)
{
  g_return_if_fail (TF_IS_NOTE_EDITOR (self));
  g_return_if_fail (TF_IS_SESSION (session));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  self->client_id = g_strdup (client_id);
  g_signal_connect_object (session, "locking", G_CALLBACK (on_locking_cb), self,
                           G_CONNECT_SWAPPED);
}
