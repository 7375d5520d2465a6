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
 * A note is written by approach.  Its note_content is
 *   {"approach": "soap", "sections": {"subjective": "…", …}}
 * with the approach's sections (see approaches[] below); a note written by
 * the CLI, {"approach": "…", "text": "…"}, is shown and edited as one text
 * and keeps that shape.  risk_assessment is {"level": "none" | "low" |
 * "moderate" | "high", "notes": "…"}.
 *
 * Nothing typed is lost: a failed save leaves the editor as it is, and
 * leaving it with unsaved changes asks first.  A locked note is shown
 * read-only with the time it was signed, and with a warning when its
 * signature does not verify (signature_valid false from tf_vault_list);
 * a note whose key is not on this device says so and does not open.
 */
#define G_LOG_DOMAIN "tf-notes-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-appointment-info.h"
#include "tf-form.h"
#include "tf-notes-view.h"
#include "tf-time.h"

/* --- approaches ----------------------------------------------------------- */

typedef struct
{
  const char *key;    /* member of "sections" */
  const char *title;  /* N_() */
  const char *hint;   /* N_() */
} Section;

typedef struct
{
  const char    *id;     /* approach_type */
  const char    *name;   /* "SOAP": not translated */
  const Section *sections;
  guint          n_sections;
} Approach;

static const Section soap_sections[] = {
  { "subjective", N_("Subjective"),
    N_("What the client reports: concerns, mood, events since the last session.") },
  { "objective", N_("Objective"),
    N_("What you observed: appearance, affect, behaviour, measures.") },
  { "assessment", N_("Assessment"),
    N_("Your clinical impression and the progress towards the goals.") },
  { "plan", N_("Plan"), N_("Next steps, homework and the next session.") },
};

static const Section dap_sections[] = {
  { "data", N_("Data"), N_("What the client said and what you observed.") },
  { "assessment", N_("Assessment"),
    N_("Your clinical impression and the progress towards the goals.") },
  { "plan", N_("Plan"), N_("Next steps, homework and the next session.") },
};

static const Section birp_sections[] = {
  { "behaviour", N_("Behaviour"), N_("How the client presented and what they reported.") },
  { "intervention", N_("Intervention"), N_("What you did in the session.") },
  { "response", N_("Response"), N_("How the client responded to the interventions.") },
  { "plan", N_("Plan"), N_("Next steps, homework and the next session.") },
};

static const Section cbt_sections[] = {
  { "situation", N_("Situation"), N_("What happened, where and when.") },
  { "automatic_thoughts", N_("Automatic Thoughts"),
    N_("The thoughts that came up, and how strongly they were believed.") },
  { "emotions", N_("Emotions"), N_("The emotions felt, and how intense they were (0–100).") },
  { "behaviours", N_("Behaviours"), N_("What the client did, or avoided doing.") },
  { "alternative_thoughts", N_("Alternative Thoughts"),
    N_("Balanced thoughts, and the evidence for them.") },
  { "homework", N_("Homework"), N_("What the client will practise before the next session.") },
};

static const Approach approaches[] = {
  { "soap", "SOAP", soap_sections, G_N_ELEMENTS (soap_sections) },
  { "dap", "DAP", dap_sections, G_N_ELEMENTS (dap_sections) },
  { "birp", "BIRP", birp_sections, G_N_ELEMENTS (birp_sections) },
  { "cbt", "CBT", cbt_sections, G_N_ELEMENTS (cbt_sections) },
};

/* A note written as one text (by the CLI, or of an unknown shape). */
static const Section text_section = { "text", N_("Note"), NULL };

static const char *const risk_levels[] = { "none", "low", "moderate", "high" };

static const Approach *
find_approach (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (approaches); i++)
    if (g_strcmp0 (approaches[i].id, id) == 0)
      return &approaches[i];
  return NULL;
}

static const char *
risk_label (const char *level)
{
  if (g_strcmp0 (level, "none") == 0)
    return _("No risk");
  if (g_strcmp0 (level, "low") == 0)
    return _("Low risk");
  if (g_strcmp0 (level, "moderate") == 0)
    return _("Moderate risk");
  if (g_strcmp0 (level, "high") == 0)
    return _("High risk");
  return level;
}

/* --- the object ----------------------------------------------------------- */

struct _TfNotesView
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;
  TfRepository *appointments;   /* the client's, live */
  TfRepository *sessions;       /* every session this account holds, live */
  TfRepository *notes;          /* this therapist's notes, live */

  /* The editor's note. */
  char         *appointment_id; /* of the note in the editor */
  char         *note_id;        /* NULL: a new note */
  gboolean      text_note;      /* one text, not sections */
  gboolean      locked;
  gboolean      dirty;
  gboolean      filling;
  GHashTable   *drafts;         /* section key -> text, across approach changes */

  GtkWidget    *stack;          /* "list" or "editor" */
  GtkWidget    *sessions_box;   /* one group per session; rebuilt */
  GtkWidget    *empty;
  GtkWidget    *heading;
  GtkWidget    *signed_label;
  GtkWidget    *warning;
  GtkWidget    *approach;       /* AdwComboRow */
  GtkWidget    *sections_box;   /* the section groups; rebuilt per approach */
  GPtrArray    *section_views;  /* GtkTextView*, key in "tf-key" */
  GtkWidget    *risk_level;     /* AdwComboRow */
  GtkWidget    *risk_notes;     /* GtkTextView */
  GtkWidget    *error;
  GtkWidget    *save;
  GtkWidget    *lock;
};

G_DEFINE_FINAL_TYPE (TfNotesView, tf_notes_view, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const TfTable *
table (const char *name)
{
  return tf_registry_lookup (name);
}

static void
label_accessibly (gpointer widget, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static char *
format_local (const char *timestamp, const char *format)
{
  g_autoptr(GDateTime) utc = timestamp ? tf_time_parse_timestamp (timestamp, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, format) : NULL;
}

static void fail (TfNotesView *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
fail (TfNotesView *self, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  gtk_label_set_text (GTK_LABEL (self->error), message);
  gtk_widget_set_visible (self->error, TRUE);
  g_signal_emit (self, signals[FAILED], 0, message);
}

/* --- reading a note ------------------------------------------------------- */

static JsonObject *
member_object (JsonObject *plain, const char *name)
{
  JsonNode *node = plain ? json_object_get_member (plain, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The approach of a note: its column, else what its content says. */
static const char *
note_approach (JsonObject *plain)
{
  const char *id = tf_json_get_string (plain, "approach_type");
  JsonObject *content = member_object (plain, "note_content");

  if (id == NULL && content != NULL)
    id = tf_json_get_string (content, "approach");
  return id;
}

static const char *
approach_name (const char *id)
{
  const Approach *approach = find_approach (id);

  return approach != NULL ? approach->name : id != NULL ? id : "";
}

/* The note's whole text when it is one text, else NULL. */
static char *
dup_note_text (JsonObject *plain)
{
  JsonNode *node = json_object_get_member (plain, "note_content");
  JsonObject *content;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return json_to_string (node, TRUE);
  content = json_node_get_object (node);
  if (member_object (content, "sections") != NULL)
    return NULL;
  if (tf_json_get_string (content, "text") != NULL)
    return g_strdup (tf_json_get_string (content, "text"));
  return json_to_string (node, TRUE);
}

/* The first words of a note, for its row. */
static char *
note_preview (JsonObject *plain)
{
  g_autofree char *text = dup_note_text (plain);
  JsonObject *sections = member_object (member_object (plain, "note_content"), "sections");
  const Approach *approach = find_approach (note_approach (plain));
  const char *first = text;
  g_autofree char *line = NULL;

  if (first == NULL && sections != NULL && approach != NULL)
    for (guint i = 0; i < approach->n_sections && (first == NULL || *first == '\0'); i++)
      first = tf_json_get_string (sections, approach->sections[i].key);
  if (first == NULL)
    return NULL;
  line = g_strstrip (g_strdup (first));
  if (*line == '\0')
    return NULL;
  g_strdelimit (line, "\r\n\t", ' ');
  if (g_utf8_strlen (line, -1) > 100)
    {
      *g_utf8_offset_to_pointer (line, 100) = '\0';
      return g_strconcat (line, "…", NULL);
    }
  return g_steal_pointer (&line);
}

/* --- the editor ----------------------------------------------------------- */

static void
mark_changed (TfNotesView *self)
{
  if (!self->filling)
    self->dirty = TRUE;
}

static char *
dup_buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static GtkWidget *
text_view (const char *name, const char *accessible)
{
  GtkWidget *view = gtk_text_view_new ();

  gtk_widget_set_name (view, name);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_widget_set_size_request (view, -1, 96);
  label_accessibly (view, accessible);
  return view;
}

static GtkWidget *
framed (GtkWidget *child)
{
  GtkWidget *frame = gtk_frame_new (NULL);

  gtk_frame_set_child (GTK_FRAME (frame), child);
  return frame;
}

static void
set_text_editable (GtkWidget *view, gboolean editable)
{
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), editable);
}

/* What the section views hold now, kept by key. */
static void
keep_drafts (TfNotesView *self)
{
  for (guint i = 0; i < self->section_views->len; i++)
    {
      GtkTextView *view = g_ptr_array_index (self->section_views, i);

      g_hash_table_insert (self->drafts, g_strdup (g_object_get_data (G_OBJECT (view), "tf-key")),
                           dup_buffer_text (view));
    }
}

/* One group per section: its title, what belongs there, and the text (from
 * the drafts).  @translate: titles and hints are N_() strings. */
static void
build_sections (TfNotesView *self, const Section *sections, guint n, gboolean translate)
{
  gboolean was_filling = self->filling;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->sections_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->sections_box), child);
  g_ptr_array_set_size (self->section_views, 0);
  for (guint i = 0; i < n; i++)
    {
      const char *title = translate ? _(sections[i].title) : sections[i].title;
      const char *draft = g_hash_table_lookup (self->drafts, sections[i].key);
      g_autofree char *name = g_strdup_printf ("note-section-%s", sections[i].key);
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *view = text_view (name, title);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
      if (sections[i].hint != NULL)
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                               translate ? _(sections[i].hint) : sections[i].hint);
      g_object_set_data_full (G_OBJECT (view), "tf-key", g_strdup (sections[i].key), g_free);
      self->filling = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                                draft ? draft : "", -1);
      self->filling = was_filling;
      set_text_editable (view, !self->locked);
      g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                                G_CALLBACK (mark_changed), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), framed (view));
      gtk_box_append (GTK_BOX (self->sections_box), group);
      g_ptr_array_add (self->section_views, view);
    }
}

/* "Automatic_thoughts" for a section of an approach this app does not know. */
static char *
section_title_of_key (const char *key)
{
  g_autofree char *spaced = g_strdelimit (g_strdup (key), "_", ' ');
  g_autofree char *first = g_utf8_strup (spaced, g_utf8_next_char (spaced) - spaced);

  return g_strconcat (first, g_utf8_next_char (spaced), NULL);
}

/* The sections of the note in the editor: its approach's, one text, or for
 * an approach this app does not know, the sections it holds. */
static void
show_sections (TfNotesView *self, JsonObject *stored_sections)
{
  const Approach *approach;
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->approach));

  if (self->text_note)
    {
      build_sections (self, &text_section, 1, TRUE);
      return;
    }
  approach = selected < G_N_ELEMENTS (approaches) ? &approaches[selected] : NULL;
  if (approach != NULL)
    {
      build_sections (self, approach->sections, approach->n_sections, TRUE);
      return;
    }
  if (stored_sections != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (stored_sections);
      g_autoptr(GArray) sections = g_array_new (FALSE, TRUE, sizeof (Section));
      g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          Section section = { l->data, NULL, NULL };

          section.title = section_title_of_key (l->data);
          g_ptr_array_add (titles, (char *) section.title);
          g_array_append_val (sections, section);
        }
      build_sections (self, (Section *) sections->data, sections->len, FALSE);
    }
}

static void
on_approach_changed_cb (TfNotesView *self)
{
  if (self->filling)
    return;
  keep_drafts (self);
  show_sections (self, NULL);
  mark_changed (self);
}

static void
update_actions (TfNotesView *self)
{
  gtk_widget_set_visible (self->save, !self->locked);
  gtk_widget_set_visible (self->lock, !self->locked);
  gtk_widget_set_visible (gtk_widget_get_parent (self->save), !self->locked);
  gtk_widget_set_visible (gtk_widget_get_parent (self->lock), !self->locked);
  gtk_widget_set_sensitive (self->approach, !self->locked && self->note_id == NULL &&
                                            !self->text_note);
  gtk_widget_set_sensitive (self->risk_level, !self->locked);
  set_text_editable (self->risk_notes, !self->locked);
}

/* The approaches of the combo, and (as its last item) the stored approach
 * of a note when it is none of them. */
static void
set_approach_choices (TfNotesView *self, const char *other)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (approaches); i++)
    gtk_string_list_append (names, approaches[i].name);
  if (other != NULL)
    gtk_string_list_append (names, other);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->approach), G_LIST_MODEL (names));
}

/* The editor for @plain (a note's plain form), or for a new note of
 * appointment @appointment_id when @plain is NULL. */
static void
fill_editor (TfNotesView *self, JsonObject *plain, const char *appointment_id)
{
  const char *approach_id = plain ? note_approach (plain) : "soap";
  const Approach *approach = find_approach (approach_id);
  JsonObject *content = plain ? member_object (plain, "note_content") : NULL;
  JsonObject *stored_sections = content ? member_object (content, "sections") : NULL;
  JsonObject *risk = plain ? member_object (plain, "risk_assessment") : NULL;
  const char *level = risk ? tf_json_get_string (risk, "level") : NULL;
  const char *risk_text = risk ? tf_json_get_string (risk, "notes") : NULL;
  const char *locked_at = plain ? tf_json_get_string (plain, "locked_at") : NULL;
  g_autofree char *text = plain ? dup_note_text (plain) : NULL;
  g_autofree char *heading = NULL;
  guint level_index = 0;

  self->filling = TRUE;
  g_clear_pointer (&self->note_id, g_free);
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

  set_approach_choices (self, approach == NULL ? approach_name (approach_id) : NULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->approach),
                              approach != NULL ? (guint) (approach - approaches)
                                               : G_N_ELEMENTS (approaches));
  show_sections (self, stored_sections);

  for (guint i = 0; i < G_N_ELEMENTS (risk_levels); i++)
    if (g_strcmp0 (risk_levels[i], level) == 0)
      level_index = i;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->risk_level), level_index);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->risk_notes)),
                            risk_text ? risk_text : "", -1);

  if (plain == NULL)
    heading = g_strdup (_("New Note"));
  else
    heading = g_strdup_printf (_("%s Note"), approach_name (approach_id));
  gtk_label_set_text (GTK_LABEL (self->heading), heading);

  if (self->locked)
    {
      g_autofree char *when = format_local (locked_at, "%x %H:%M");
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
  gtk_widget_set_visible (self->error, FALSE);
  update_actions (self);
  self->dirty = FALSE;
  self->filling = FALSE;
}

static void
show_list (TfNotesView *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

static void
show_editor (TfNotesView *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "editor");
  if (!self->locked && self->section_views->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->section_views, 0));
}

static void
on_new_clicked_cb (GtkButton *button, TfNotesView *self)
{
  fill_editor (self, NULL, g_object_get_data (G_OBJECT (button), "tf-appointment"));
  show_editor (self);
}

static void
on_note_activated_cb (AdwActionRow *row, TfNotesView *self)
{
  TfItem *note = g_object_get_data (G_OBJECT (row), "tf-item");

  fill_editor (self, tf_item_get_plain (note),
               g_object_get_data (G_OBJECT (row), "tf-appointment"));
  show_editor (self);
}

static void
on_discard_response_cb (AdwMessageDialog *dialog, const char *response, TfNotesView *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->dirty = FALSE;
  show_list (self);
}

/* Back to the list; unsaved changes are only dropped when the therapist
 * says so. */
static void
on_back_clicked_cb (TfNotesView *self)
{
  GtkRoot *root;
  GtkWidget *dialog;

  if (!self->dirty || self->locked)
    {
      show_list (self);
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Discard Unsaved Changes?"),
                                   _("What you wrote in this note since it was last saved "
                                     "will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_widget_set_name (dialog, "notes-discard-dialog");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- saving and locking --------------------------------------------------- */

static const char *
selected_approach (TfNotesView *self, JsonObject *stored)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->approach));

  if (selected < G_N_ELEMENTS (approaches))
    return approaches[selected].id;
  return stored ? note_approach (stored) : "soap";
}

/* note_content from the editor; NULL when nothing is written. */
static JsonNode *
content_node (TfNotesView *self, const char *approach)
{
  g_autoptr(JsonObject) content = json_object_new ();
  JsonObject *sections = json_object_new ();
  gboolean any = FALSE;
  JsonNode *node;

  json_object_set_string_member (content, "approach", approach);
  for (guint i = 0; i < self->section_views->len; i++)
    {
      GtkTextView *view = g_ptr_array_index (self->section_views, i);
      g_autofree char *text = dup_buffer_text (view);
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      any |= *trimmed != '\0';
      if (self->text_note)
        json_object_set_string_member (content, "text", text);
      else
        json_object_set_string_member (sections, g_object_get_data (G_OBJECT (view), "tf-key"),
                                       text);
    }
  if (self->text_note)
    json_object_unref (sections);
  else
    json_object_set_object_member (content, "sections", sections);
  if (!any)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, content);
  return node;
}

static JsonNode *
risk_node (TfNotesView *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->risk_level));
  g_autofree char *notes = dup_buffer_text (GTK_TEXT_VIEW (self->risk_notes));
  JsonObject *risk = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (risk, "level",
                                 risk_levels[MIN (selected, G_N_ELEMENTS (risk_levels) - 1)]);
  json_object_set_string_member (risk, "notes", notes);
  json_node_take_object (node, risk);
  return node;
}

/* Writes the editor's note; FALSE (said, the editor untouched) on failure. */
static gboolean
save_note (TfNotesView *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autofree char *id = NULL;
  g_autofree char *session_id = NULL;
  const char *approach;
  JsonNode *content;

  gtk_widget_set_visible (self->error, FALSE);
  if (self->note_id != NULL)
    {
      /* An edit is the stored plain form with the changes applied. */
      id = g_strdup (self->note_id);
      plain = tf_vault_get (vault, table ("session_notes"), id, &error);
      if (plain == NULL)
        {
          fail (self, _("The note was not saved: %s"), error->message);
          return FALSE;
        }
    }
  approach = selected_approach (self, plain);
  content = content_node (self, approach);
  if (content == NULL)
    {
      fail (self, _("Write something in the note first"));
      return FALSE;
    }
  if (plain == NULL)
    {
      session_id = tf_vault_session_for (vault, self->appointment_id, &error);
      if (session_id == NULL)
        {
          json_node_unref (content);
          fail (self, _("The note was not saved: %s"), error->message);
          return FALSE;
        }
      id = g_uuid_string_random ();
      plain = json_object_new ();
      json_object_set_string_member (plain, "id", id);
      json_object_set_string_member (plain, "session_id", session_id);
      json_object_set_string_member (plain, "therapist_id", tf_vault_get_user_id (vault));
      json_object_set_string_member (plain, "created_at", stamp);
    }
  json_object_set_string_member (plain, "approach_type", approach);
  json_object_set_member (plain, "note_content", content);
  json_object_set_member (plain, "risk_assessment", risk_node (self));
  json_object_set_string_member (plain, "updated_at", stamp);
  if (!tf_vault_put (vault, table ("session_notes"), id, plain, &error))
    {
      /* What is written stays in the editor. */
      fail (self, _("The note was not saved: %s"), error->message);
      return FALSE;
    }
  g_free (self->note_id);
  self->note_id = g_steal_pointer (&id);
  self->dirty = FALSE;
  return TRUE;
}

/* The stored plain form of @id as tf_vault_list gives it (with
 * signature_valid), from the notes repository. */
static JsonObject *
listed_note (TfNotesView *self, const char *id)
{
  GListModel *model = G_LIST_MODEL (self->notes);

  tf_repository_refresh (self->notes, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (tf_item_get_id (item), id) == 0)
        return json_object_ref (tf_item_get_plain (item));
    }
  return NULL;
}

/* Shows the editor's note again as stored. */
static void
refill_editor (TfNotesView *self)
{
  g_autofree char *appointment_id = g_strdup (self->appointment_id);
  g_autoptr(JsonObject) plain = listed_note (self, self->note_id);

  if (plain != NULL)
    fill_editor (self, plain, appointment_id);
}

static void
on_save_clicked_cb (TfNotesView *self)
{
  if (self->locked || !save_note (self))
    return;
  refill_editor (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Note saved"));
}

static void
on_lock_response_cb (AdwMessageDialog *dialog, const char *response, TfNotesView *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "lock") != 0 || self->locked)
    return;
  /* What is on screen is what gets signed. */
  if ((self->dirty || self->note_id == NULL) && !save_note (self))
    return;
  if (!tf_vault_lock_note (tf_session_get_vault (self->session), self->note_id, &error))
    {
      fail (self, _("The note was not locked: %s"), error->message);
      return;
    }
  refill_editor (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Note locked and signed"));
}

static void
on_lock_clicked_cb (TfNotesView *self)
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

/* --- the list ------------------------------------------------------------- */

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

  title = g_strdup_printf (_("%s Note"), approach_name (note_approach (tf_item_get_plain (note))));
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
          label_accessibly (icon, _("The signature does not verify"));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          g_string_append_printf (subtitle, " · %s", _("The signature does not verify"));
        }
    }
  else
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "",
                            _("Not signed yet"));
  {
    JsonObject *risk = member_object (tf_item_get_plain (note), "risk_assessment");
    const char *level = risk ? tf_json_get_string (risk, "level") : NULL;

    if (g_strcmp0 (level, "moderate") == 0 || g_strcmp0 (level, "high") == 0)
      g_string_append_printf (subtitle, " · %s", risk_label (level));
  }
  {
    g_autofree char *preview = note_preview (tf_item_get_plain (note));

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
  label_accessibly (add, add_label);
  g_object_set_data_full (G_OBJECT (add), "tf-appointment", g_strdup (id), g_free);
  g_signal_connect (add, "clicked", G_CALLBACK (on_new_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  label_accessibly (list, title);
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

static void
on_synced_cb (TfNotesView *self)
{
  tf_repository_refresh (self->appointments, NULL);
  tf_repository_refresh (self->sessions, NULL);
  tf_repository_refresh (self->notes, NULL);
}

/* --- keyboard ------------------------------------------------------------- */

static gboolean
shortcut_save (GtkWidget *widget, GVariant *args, gpointer data)
{
  TfNotesView *self = TF_NOTES_VIEW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "editor") != 0 ||
      self->locked)
    return FALSE;
  on_save_clicked_cb (self);
  return TRUE;
}

/* --- building ------------------------------------------------------------- */

static void
tf_notes_view_dispose (GObject *object)
{
  TfNotesView *self = TF_NOTES_VIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->appointments);
  g_clear_object (&self->sessions);
  g_clear_object (&self->notes);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->appointment_id, g_free);
  g_clear_pointer (&self->note_id, g_free);
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  g_clear_pointer (&self->section_views, g_ptr_array_unref);
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
}

static GtkWidget *
scrolled_clamped (GtkWidget *content)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 24);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  return scrolled;
}

static GtkWidget *
build_list (TfNotesView *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  self->sessions_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_name (self->sessions_box, "notes-sessions");
  self->empty = adw_status_page_new ();
  gtk_widget_set_name (self->empty, "notes-empty");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "document-edit-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Sessions Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                   _("Confirmed and completed appointments with this client "
                                     "appear here, ready for your notes."));
  gtk_widget_add_css_class (self->empty, "compact");
  gtk_box_append (GTK_BOX (content), self->sessions_box);
  gtk_box_append (GTK_BOX (content), self->empty);
  return scrolled_clamped (content);
}

static GtkWidget *
combo_row (const char *name, const char *title, const char *const *labels, guint n)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (model, labels[i]);
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  return row;
}

static GtkWidget *
build_editor (TfNotesView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *approach_group = adw_preferences_group_new ();
  GtkWidget *approach_list = gtk_list_box_new ();
  GtkWidget *risk_group = adw_preferences_group_new ();
  GtkWidget *risk_list = gtk_list_box_new ();
  /* Side by side when they fit, one above the other on a phone. */
  GtkWidget *buttons = gtk_flow_box_new ();
  const char *risk_labels[G_N_ELEMENTS (risk_levels)];

  gtk_widget_set_name (back, "notes-back");
  gtk_widget_set_tooltip_text (back, _("Back to Sessions"));
  label_accessibly (back, _("Back to sessions"));
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  self->heading = gtk_label_new (NULL);
  gtk_widget_set_name (self->heading, "notes-heading");
  gtk_widget_add_css_class (self->heading, "heading");
  gtk_widget_set_hexpand (self->heading, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (self->heading), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (bar), back);
  gtk_box_append (GTK_BOX (bar), self->heading);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);

  /* Signed, and whether the signature holds. */
  self->signed_label = gtk_label_new (NULL);
  gtk_widget_set_name (self->signed_label, "notes-signed");
  gtk_widget_add_css_class (self->signed_label, "success");
  gtk_label_set_wrap (GTK_LABEL (self->signed_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->signed_label), 0);
  self->warning = gtk_label_new (_("Warning: the signature of this note does not verify. It may "
                                   "have been changed after it was signed, or its author’s key "
                                   "is not known on this device. Do not rely on its content "
                                   "until this is resolved."));
  gtk_widget_set_name (self->warning, "notes-signature-warning");
  gtk_widget_add_css_class (self->warning, "error");
  gtk_label_set_wrap (GTK_LABEL (self->warning), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->warning), 0);
  gtk_widget_set_visible (self->warning, FALSE);
  gtk_box_append (GTK_BOX (content), self->signed_label);
  gtk_box_append (GTK_BOX (content), self->warning);

  self->approach = combo_row ("notes-approach", _("Approach"), NULL, 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->approach),
                               _("Which template the note follows"));
  g_signal_connect_swapped (self->approach, "notify::selected",
                            G_CALLBACK (on_approach_changed_cb), self);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (approach_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (approach_list, "boxed-list");
  label_accessibly (approach_list, _("Approach"));
  gtk_list_box_append (GTK_LIST_BOX (approach_list), self->approach);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (approach_group), approach_list);
  gtk_box_append (GTK_BOX (content), approach_group);

  self->sections_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_name (self->sections_box, "notes-sections");
  gtk_box_append (GTK_BOX (content), self->sections_box);

  for (guint i = 0; i < G_N_ELEMENTS (risk_levels); i++)
    risk_labels[i] = risk_label (risk_levels[i]);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (risk_group), _("Risk Assessment"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (risk_group),
                                         _("Risk of harm to self or others, and what was "
                                           "agreed about it."));
  self->risk_level = combo_row ("notes-risk-level", _("Risk Level"), risk_labels,
                                G_N_ELEMENTS (risk_levels));
  g_signal_connect_swapped (self->risk_level, "notify::selected", G_CALLBACK (mark_changed),
                            self);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (risk_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (risk_list, "boxed-list");
  label_accessibly (risk_list, _("Risk Assessment"));
  gtk_list_box_append (GTK_LIST_BOX (risk_list), self->risk_level);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (risk_group), risk_list);
  self->risk_notes = text_view ("notes-risk-notes", _("Risk assessment notes"));
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->risk_notes)),
                            "changed", G_CALLBACK (mark_changed), self);
  {
    GtkWidget *frame = framed (self->risk_notes);

    gtk_widget_set_margin_top (frame, 12);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (risk_group), frame);
  }
  gtk_box_append (GTK_BOX (content), risk_group);

  self->error = gtk_label_new (NULL);
  gtk_widget_set_name (self->error, "notes-error");
  gtk_widget_add_css_class (self->error, "error");
  gtk_label_set_wrap (GTK_LABEL (self->error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error), 0);
  gtk_widget_set_visible (self->error, FALSE);
  label_accessibly (self->error, _("Problem with the note"));
  gtk_box_append (GTK_BOX (content), self->error);

  self->save = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (self->save, "notes-save");
  gtk_widget_set_tooltip_text (self->save, _("Save the note; it stays editable"));
  gtk_widget_add_css_class (self->save, "pill");
  gtk_widget_add_css_class (self->save, "suggested-action");
  g_signal_connect_swapped (self->save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  self->lock = gtk_button_new_with_mnemonic (_("_Lock and Sign…"));
  gtk_widget_set_name (self->lock, "notes-lock");
  gtk_widget_set_tooltip_text (self->lock, _("Sign the note; it can never be changed again"));
  gtk_widget_add_css_class (self->lock, "pill");
  g_signal_connect_swapped (self->lock, "clicked", G_CALLBACK (on_lock_clicked_cb), self);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 2);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 12);
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), self->save);
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), self->lock);
  /* The flow box's children are not stops of their own: the buttons are. */
  for (GtkWidget *child = gtk_widget_get_first_child (buttons); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  gtk_box_append (GTK_BOX (content), buttons);

  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), scrolled_clamped (content));
  return box;
}

static void
tf_notes_view_init (TfNotesView *self)
{
  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->section_views = g_ptr_array_new ();
  self->stack = gtk_stack_new ();
  gtk_widget_set_name (self->stack, "notes-stack");
  gtk_stack_set_transition_type (GTK_STACK (self->stack),
                                 GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_stack_add_named (GTK_STACK (self->stack), build_list (self), "list");
  gtk_stack_add_named (GTK_STACK (self->stack), build_editor (self), "editor");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
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
  self->appointments = tf_repository_new (vault, table ("appointments"), "client_id", client_id);
  self->sessions = tf_repository_new (vault, table ("sessions"), NULL, NULL);
  self->notes = tf_repository_new (vault, table ("session_notes"), "therapist_id",
                                   tf_vault_get_user_id (vault));
  g_signal_connect_object (self->appointments, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notes, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  rebuild (self);
  return GTK_WIDGET (self);
}
