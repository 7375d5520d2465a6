/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-content.c: the approaches a session note is written by, and
 * reading a note's plain form (tf-note-content.h).  The sections' titles
 * and hints are N_() strings, translated where they are shown; the
 * approaches' names (SOAP, DAP, BIRP, CBT) are not translated.
 */
#define G_LOG_DOMAIN "tf-note-content"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-note-content.h"
#include "tf-record.h"

static const TfNoteSection soap_sections[] = {
  { "subjective", N_("Subjective"),
    N_("What the client reports: concerns, mood, events since the last session.") },
  { "objective", N_("Objective"),
    N_("What you observed: appearance, affect, behaviour, measures.") },
  { "assessment", N_("Assessment"),
    N_("Your clinical impression and the progress towards the goals.") },
  { "plan", N_("Plan"), N_("Next steps, homework and the next session.") },
};

static const TfNoteSection dap_sections[] = {
  { "data", N_("Data"), N_("What the client said and what you observed.") },
  { "assessment", N_("Assessment"),
    N_("Your clinical impression and the progress towards the goals.") },
  { "plan", N_("Plan"), N_("Next steps, homework and the next session.") },
};

static const TfNoteSection birp_sections[] = {
  { "behaviour", N_("Behaviour"), N_("How the client presented and what they reported.") },
  { "intervention", N_("Intervention"), N_("What you did in the session.") },
  { "response", N_("Response"), N_("How the client responded to the interventions.") },
  { "plan", N_("Plan"), N_("Next steps, homework and the next session.") },
};

static const TfNoteSection cbt_sections[] = {
  { "situation", N_("Situation"), N_("What happened, where and when.") },
  { "automatic_thoughts", N_("Automatic Thoughts"),
    N_("The thoughts that came up, and how strongly they were believed.") },
  { "emotions", N_("Emotions"), N_("The emotions felt, and how intense they were (0–100).") },
  { "behaviours", N_("Behaviours"), N_("What the client did, or avoided doing.") },
  { "alternative_thoughts", N_("Alternative Thoughts"),
    N_("Balanced thoughts, and the evidence for them.") },
  { "homework", N_("Homework"), N_("What the client will practise before the next session.") },
};

const TfNoteApproach tf_note_approaches[TF_NOTE_N_APPROACHES] = {
  { "soap", "SOAP", soap_sections, G_N_ELEMENTS (soap_sections) },
  { "dap", "DAP", dap_sections, G_N_ELEMENTS (dap_sections) },
  { "birp", "BIRP", birp_sections, G_N_ELEMENTS (birp_sections) },
  { "cbt", "CBT", cbt_sections, G_N_ELEMENTS (cbt_sections) },
};

const TfNoteSection tf_note_text_section = { "text", N_("Note"), NULL };

const char *const tf_note_risk_levels[TF_NOTE_N_RISK_LEVELS] = {
  "none", "low", "moderate", "high"
};

const TfNoteApproach *
tf_note_find_approach (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (tf_note_approaches); i++)
    if (g_strcmp0 (tf_note_approaches[i].id, id) == 0)
      return &tf_note_approaches[i];
  return NULL;
}

const char *
tf_note_risk_label (const char *level)
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

JsonObject *
tf_note_member_object (JsonObject *plain, const char *name)
{
  JsonNode *node = plain ? json_object_get_member (plain, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The approach of a note: its column, else what its content says. */
const char *
tf_note_get_approach (JsonObject *plain)
{
  const char *id = tf_json_get_string (plain, "approach_type");
  JsonObject *content = tf_note_member_object (plain, "note_content");

  if (id == NULL && content != NULL)
    id = tf_json_get_string (content, "approach");
  return id;
}

const char *
tf_note_approach_name (const char *id)
{
  const TfNoteApproach *approach = tf_note_find_approach (id);

  return approach != NULL ? approach->name : id != NULL ? id : "";
}

/* The note's whole text when it is one text, else NULL. */
char *
tf_note_dup_text (JsonObject *plain)
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
  if (tf_note_member_object (content, "sections") != NULL)
    return NULL;
  if (tf_json_get_string (content, "text") != NULL)
    return g_strdup (tf_json_get_string (content, "text"));
  return json_to_string (node, TRUE);
}

/* The first words of a note, for its row. */
char *
tf_note_dup_preview (JsonObject *plain)
{
  g_autofree char *text = tf_note_dup_text (plain);
  JsonObject *sections = tf_note_member_object (tf_note_member_object (plain, "note_content"), "sections");
  const TfNoteApproach *approach = tf_note_find_approach (tf_note_get_approach (plain));
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

char *
tf_note_section_title (const char *key)
{
  g_autofree char *spaced = g_strdelimit (g_strdup (key), "_", ' ');
  g_autofree char *first = g_utf8_strup (spaced, g_utf8_next_char (spaced) - spaced);

  return g_strconcat (first, g_utf8_next_char (spaced), NULL);
}
