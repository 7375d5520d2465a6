/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-record-text.c: a record and its fields in words (tf-record-text.h).
 *
 * Column names get the label a person would say, from one table here; a
 * name it lacks shows as itself, and a key of a JSON section is spelled
 * out from its name ("family_history" → "Family history").  Timestamps are
 * shown in local time ("3 March, 21:40", the year only when it is not this
 * year), dates as dates, times to the minute, the 1–10 scores as "7 out of
 * 10", and JSON sections as indented "Label: value" lines.
 */
#define G_LOG_DOMAIN "tf-record-text"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-record.h"
#include "tf-record-text.h"
#include "tf-time.h"

/* Column names as a person says them; anything else shows its own name. */
static const struct { const char *column; const char *label; } column_labels[] = {
  { "title", N_("Title") },
  { "content", N_("Content") },
  { "category", N_("Category") },
  { "mood_at_time", N_("Mood at the time") },
  { "mood_value", N_("Mood") },
  { "energy_level", N_("Energy") },
  { "anxiety_level", N_("Anxiety") },
  { "categories", N_("Categories") },
  { "emotions", N_("Emotions") },
  { "notes", N_("Notes") },
  { "description", N_("Description") },
  { "target_date", N_("Target date") },
  { "frequency", N_("Frequency") },
  { "target_count", N_("Times per period") },
  { "status", N_("Status") },
  { "completed_date", N_("Done on") },
  { "approach_type", N_("Approach") },
  { "note_content", N_("Note") },
  { "risk_assessment", N_("Risk assessment") },
  { "therapist_notes", N_("Therapist’s notes") },
  { "session_summary", N_("Session summary") },
  { "homework_assigned", N_("Homework") },
  { "next_session_plan", N_("Plan for the next session") },
  { "actual_start_time", N_("Start") },
  { "actual_end_time", N_("End") },
  { "client_attended", N_("Client attended") },
  { "therapist_attended", N_("Therapist attended") },
  { "technical_issues", N_("Technical issues") },
  { "diagnosis_codes", N_("Diagnosis (ICD-10)") },
  { "treatment_goals", N_("Treatment goals") },
  { "interventions", N_("Interventions") },
  { "review_date", N_("Review date") },
  { "family_history", N_("Family history") },
  { "psychiatric_history", N_("Psychiatric history") },
  { "social_history", N_("Social history") },
  { "medical_history", N_("Medical history") },
  { "emergency_contact_name", N_("Emergency contact") },
  { "emergency_contact_phone", N_("Emergency contact’s phone") },
  { "emergency_contact_relationship", N_("Relationship to the emergency contact") },
  { "medical_conditions", N_("Medical conditions") },
  { "current_medications", N_("Current medications") },
  { "allergies", N_("Allergies") },
  { "previous_therapy", N_("Previous therapy") },
  { "previous_therapy_details", N_("About previous therapy") },
  { "appointment_datetime", N_("Date and time") },
  { "duration", N_("Duration in minutes") },
  { "location_type", N_("Where") },
  { "meeting_url", N_("Meeting link") },
  { "price", N_("Price") },
  { "cancellation_reason", N_("Reason for cancelling") },
  { "cancelled_at", N_("Cancelled on") },
  { "notes_for_therapist", N_("Notes for the therapist") },
  { "first_name", N_("First name") },
  { "last_name", N_("Last name") },
  { "display_name", N_("Display name") },
  { "phone", N_("Phone") },
  { "birth_date", N_("Date of birth") },
  { "created_at", N_("Created on") },
  { "updated_at", N_("Last changed") },
};

const char *
tf_record_text_column_label (const char *column)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_labels); i++)
    if (strcmp (column_labels[i].column, column) == 0)
      return _(column_labels[i].label);
  return column;
}

/* "3 March, 21:40" (the year too when it is not this year), local time. */
static char *
format_local (GDateTime *local, gboolean with_time)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gboolean this_year = g_date_time_get_year (now) == g_date_time_get_year (local);

  if (with_time)
    return g_date_time_format (local, this_year ? "%-d %B, %H:%M" : "%-d %B %Y, %H:%M");
  return g_date_time_format (local, "%-d %B %Y");
}

/* A stored timestamp in local time, or NULL when @text is not one. */
static char *
format_stamp (const char *text)
{
  g_autoptr(GDateTime) utc = text != NULL ? tf_time_parse_timestamp (text, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? format_local (local, TRUE) : NULL;
}

static char *
format_date (const char *text)
{
  int year, month, day;
  g_autoptr(GDateTime) date = NULL;

  if (text == NULL || !tf_time_parse_date (text, &year, &month, &day, NULL))
    return NULL;
  date = g_date_time_new_local (year, month, day, 0, 0, 0);
  return date != NULL ? format_local (date, FALSE) : NULL;
}

static void append_json (GString *out, JsonNode *node, guint depth);

/* "family_history" → "Family history": a key of a JSON section. */
static char *
humanize_key (const char *key)
{
  const char *known = tf_record_text_column_label (key);
  g_autofree char *spaced = NULL;
  g_autofree char *first = NULL;
  const char *rest;

  if (known != key)
    return g_strdup (known);
  spaced = g_strdelimit (g_strdup (key), "_", ' ');
  rest = g_utf8_next_char (spaced);
  first = g_utf8_strup (spaced, rest - spaced);
  return g_strconcat (first, rest, NULL);
}

/* JSON sections (histories, plans, note contents) as indented lines. */
static void
append_json (GString *out, JsonNode *node, guint depth)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        g_string_append (out, json_node_get_string (node));
      else if (type == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? _("Yes") : _("No"));
      else if (type == G_TYPE_INT64)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          g_string_append (out, text);
        }
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (i > 0)
            g_string_append (out, JSON_NODE_HOLDS_VALUE (element) ? ", " : "\n");
          append_json (out, element, depth);
        }
      return;
    }
  {
    JsonObjectIter iter;
    const char *key;
    JsonNode *member;
    gboolean first = TRUE;

    json_object_iter_init (&iter, json_node_get_object (node));
    while (json_object_iter_next (&iter, &key, &member))
      {
        g_autofree char *label = humanize_key (key);

        if (!first)
          g_string_append_c (out, '\n');
        first = FALSE;
        for (guint i = 0; i < depth; i++)
          g_string_append (out, "  ");
        g_string_append_printf (out, "%s: ", label);
        if (JSON_NODE_HOLDS_OBJECT (member))
          g_string_append_c (out, '\n');
        append_json (out, member, depth + 1);
      }
  }
}

char *
tf_record_text_format_value (const TfColumn *column, JsonNode *node)
{
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  text = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
  switch (column->type)
    {
    case TF_COLUMN_TIMESTAMP:
      {
        char *when = format_stamp (text);
        if (when != NULL)
          return when;
      }
      break;
    case TF_COLUMN_DATE:
      {
        char *day = format_date (text);
        if (day != NULL)
          return day;
      }
      break;
    case TF_COLUMN_TIME:
      if (text != NULL && strlen (text) >= 5)
        return g_strndup (text, 5);
      break;
    case TF_COLUMN_INTEGER:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        {
          gint64 value = json_node_get_int (node);

          /* The scores: "7 out of 10". */
          if (column->has_range && column->min == 1 && column->max == 10)
            return g_strdup_printf (_("%d out of 10"), (int) value);
          return g_strdup_printf ("%" G_GINT64_FORMAT, value);
        }
      break;
    case TF_COLUMN_UUID:
    case TF_COLUMN_TEXT:
    case TF_COLUMN_BOOLEAN:
    case TF_COLUMN_MONEY:
    case TF_COLUMN_JSON:
    default:
      break;
    }
  {
    g_autoptr(GString) out = g_string_new (NULL);

    append_json (out, node, 0);
    return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
  }
}

char *
tf_record_text_describe (const TfTable *table, JsonObject *local, JsonObject *server)
{
  JsonObject *sides[] = { server, local };
  const char *title = NULL, *created = NULL, *day = NULL, *appointment = NULL;
  g_autofree char *when = NULL;
  g_autofree char *date = NULL;
  const char *name = table->name;

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      const char *t;

      if (sides[i] == NULL)
        continue;
      t = tf_json_get_string (sides[i], "title");
      if (title == NULL && t != NULL && *t != '\0')
        title = t;
      if (created == NULL)
        created = tf_json_get_string (sides[i], "created_at");
      if (day == NULL)
        day = tf_json_get_string (sides[i], "completed_date");
      if (appointment == NULL)
        appointment = tf_json_get_string (sides[i], "appointment_datetime");
    }
  when = format_stamp (created);

  if (strcmp (name, "journal_entries") == 0)
    {
      if (title != NULL)
        return g_strdup_printf (_("Journal entry “%s”"), title);
      return when ? g_strdup_printf (_("Journal entry of %s"), when)
                  : g_strdup (_("Journal entry"));
    }
  if (strcmp (name, "mood_entries") == 0)
    return when ? g_strdup_printf (_("Mood check-in of %s"), when)
                : g_strdup (_("Mood check-in"));
  if (strcmp (name, "goals") == 0)
    return title ? g_strdup_printf (_("Goal “%s”"), title) : g_strdup (_("Goal"));
  if (strcmp (name, "goal_progress") == 0)
    {
      date = format_date (day);
      return date ? g_strdup_printf (_("Goal marked done on %s"), date)
                  : g_strdup (_("Goal marked done"));
    }
  if (strcmp (name, "session_notes") == 0)
    return when ? g_strdup_printf (_("Session note of %s"), when) : g_strdup (_("Session note"));
  if (strcmp (name, "sessions") == 0)
    return when ? g_strdup_printf (_("Session of %s"), when) : g_strdup (_("Session"));
  if (strcmp (name, "appointments") == 0)
    {
      g_autofree char *at = format_stamp (appointment);

      return at ? g_strdup_printf (_("Appointment of %s"), at) : g_strdup (_("Appointment"));
    }
  if (strcmp (name, "treatment_plans") == 0)
    return g_strdup (_("Treatment plan"));
  if (strcmp (name, "client_histories") == 0)
    return g_strdup (_("Client history"));
  if (strcmp (name, "client_intakes") == 0)
    return g_strdup (_("Intake form"));
  if (strcmp (name, "profiles") == 0)
    return g_strdup (_("Profile"));
  /* TRANSLATORS: %s is the name of a table of the database. */
  return g_strdup_printf (_("A record of “%s”"), name);
}
