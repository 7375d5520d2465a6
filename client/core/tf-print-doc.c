/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-print-doc.c: printouts of a note and a plan (tf-print-doc.h).
 *
 * Everything is read through the vault, as the app shows it: a note whose
 * signature does not verify is printed saying so, never as if it were
 * sound, and so is each addendum.  Times are the local time of this
 * computer, as everywhere in the app.
 */
#define G_LOG_DOMAIN "tf-print"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-addenda.h"
#include "tf-clients.h"
#include "tf-error.h"
#include "tf-note-content.h"
#include "tf-print-doc.h"
#include "tf-store.h"
#include "tf-time.h"

static void
block_free (TfPrintBlock *block)
{
  g_free (block->heading);
  g_free (block->text);
  g_free (block);
}

TfPrintDoc *
tf_print_doc_new (const char *title)
{
  TfPrintDoc *doc = g_new0 (TfPrintDoc, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%-d %B %Y, %H:%M");

  doc->header = g_ptr_array_new_with_free_func (g_free);
  doc->title = g_strdup (title);
  doc->facts = g_ptr_array_new_with_free_func (g_free);
  doc->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  /* TRANSLATORS: the foot of every printed page: when it was printed */
  doc->footer = g_strdup_printf (_("Printed %s"), g_strstrip (when));
  return doc;
}

void
tf_print_doc_free (TfPrintDoc *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->header);
  g_free (doc->title);
  g_ptr_array_unref (doc->facts);
  g_ptr_array_unref (doc->blocks);
  g_free (doc->footer);
  g_free (doc);
}

void
tf_print_doc_add_header (TfPrintDoc *doc, const char *line)
{
  g_return_if_fail (doc != NULL);

  if (line != NULL && *line != '\0')
    g_ptr_array_add (doc->header, g_strdup (line));
}

void
tf_print_doc_add_fact (TfPrintDoc *doc, const char *line)
{
  g_return_if_fail (doc != NULL);

  if (line != NULL && *line != '\0')
    g_ptr_array_add (doc->facts, g_strdup (line));
}

void
tf_print_doc_add_block (TfPrintDoc *doc, const char *heading, const char *text)
{
  g_autofree char *trimmed = NULL;
  TfPrintBlock *block;

  g_return_if_fail (doc != NULL);

  trimmed = text != NULL ? g_strstrip (g_strdup (text)) : NULL;
  if (trimmed == NULL || *trimmed == '\0')
    return;
  block = g_new0 (TfPrintBlock, 1);
  block->heading = g_strdup (heading);
  block->text = g_steal_pointer (&trimmed);
  g_ptr_array_add (doc->blocks, block);
}

/* --- what they share ------------------------------------------------------ */

/* A timestamp in this computer's time, for paper; NULL when it is none. */
static char *
local_moment (const char *timestamp)
{
  g_autoptr(GDateTime) utc = timestamp ? tf_time_parse_timestamp (timestamp, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *text = local ? g_date_time_format (local, "%-d %B %Y, %H:%M") : NULL;

  return text != NULL ? g_strdup (g_strstrip (text)) : NULL;
}

/* The first live record of @table with @column = @value, plain, or NULL. */
static JsonObject *
first_of (TfVault *vault, const char *table, const char *column, const char *value)
{
  g_autoptr(GPtrArray) found = NULL;

  if (value == NULL)
    return NULL;
  found = tf_vault_list (vault, tf_registry_lookup (table), column, value, NULL);
  if (found == NULL || found->len == 0)
    return NULL;
  return json_object_ref (g_ptr_array_index (found, 0));
}

/* The practice: the therapist's name, licence and address. */
static void
add_practice (TfPrintDoc *doc, TfVault *vault)
{
  const char *me = tf_vault_get_user_id (vault);
  g_autofree char *name = tf_clients_dup_name (vault, me);
  g_autoptr(JsonObject) therapist = first_of (vault, "therapists", "user_id", me);
  g_autoptr(JsonObject) rules = first_of (vault, "therapist_booking_rules", "therapist_id", me);
  const char *licence = therapist ? tf_json_get_string (therapist, "license_number") : NULL;
  g_autofree char *pending_text = NULL, *licence_line = NULL;
  g_autoptr(JsonNode) pending = NULL;

  /* An account on this computer only: what was typed, kept until it is
   * put on a server (tf-account-publish.c). */
  if (name == NULL || licence == NULL)
    pending_text = tf_store_dup_state (tf_vault_get_store (vault), "account.pending_profile",
                                       NULL);
  pending = pending_text != NULL ? json_from_string (pending_text, NULL) : NULL;
  if (pending != NULL && JSON_NODE_HOLDS_OBJECT (pending))
    {
      JsonObject *typed = json_node_get_object (pending);

      if (name == NULL)
        name = tf_client_name_from_profile (typed);
      if (licence == NULL)
        licence = tf_json_get_string (typed, "license_number");
    }
  licence_line = licence ? g_strdup_printf (_("Licence no. %s"), licence) : NULL;

  tf_print_doc_add_header (doc, name);
  tf_print_doc_add_header (doc, licence_line);
  tf_print_doc_add_header (doc, rules ? tf_json_get_string (rules, "practice_address") : NULL);
}

static void
add_client (TfPrintDoc *doc, TfVault *vault, const char *client_id)
{
  g_autofree char *name = client_id ? tf_clients_dup_name (vault, client_id) : NULL;
  g_autofree char *line = g_strdup_printf (_("Client: %s"), name ? name : _("Unknown client"));

  tf_print_doc_add_fact (doc, line);
}

/* Said of anything signed: when, and whether the signature verifies. */
static char *
dup_signed_words (JsonObject *plain)
{
  const char *locked_at = tf_json_get_string (plain, "locked_at");
  g_autofree char *when = local_moment (locked_at);

  if (locked_at == NULL)
    return g_strdup (_("Not signed"));
  if (!json_object_get_boolean_member_with_default (plain, "signature_valid", FALSE))
    /* TRANSLATORS: %s is when it was signed */
    return g_strdup_printf (_("Signed %s — THE SIGNATURE DOES NOT VERIFY: it may have been "
                              "changed after it was signed"), when ? when : locked_at);
  /* TRANSLATORS: %s is when it was signed */
  return g_strdup_printf (_("Signed %s; the signature verifies"), when ? when : locked_at);
}

/* --- a note --------------------------------------------------------------- */

static void
add_note_sections (TfPrintDoc *doc, JsonObject *note)
{
  const TfNoteApproach *approach = tf_note_find_approach (tf_note_get_approach (note));
  JsonObject *content = tf_note_member_object (note, "note_content");
  JsonObject *sections = content ? tf_note_member_object (content, "sections") : NULL;
  g_autofree char *text = tf_note_dup_text (note);

  if (text != NULL)
    {
      tf_print_doc_add_block (doc, NULL, text);
      return;
    }
  if (sections == NULL)
    return;
  if (approach != NULL)
    for (guint i = 0; i < approach->n_sections; i++)
      tf_print_doc_add_block (doc, _(approach->sections[i].title),
                              tf_json_get_string (sections, approach->sections[i].key));
  else
    {
      g_autoptr(GList) keys = json_object_get_members (sections);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          g_autofree char *title = tf_note_section_title (l->data);

          tf_print_doc_add_block (doc, title, tf_json_get_string (sections, l->data));
        }
    }
}

static void
add_risk (TfPrintDoc *doc, JsonObject *note)
{
  JsonObject *risk = tf_note_member_object (note, "risk_assessment");
  const char *level = risk ? tf_json_get_string (risk, "level") : NULL;
  const char *notes = risk ? tf_json_get_string (risk, "notes") : NULL;
  g_autofree char *text = NULL;

  if (level == NULL && notes == NULL)
    return;
  text = g_strjoin ("\n", level ? tf_note_risk_label (level) : "", notes ? notes : "", NULL);
  tf_print_doc_add_block (doc, _("Risk Assessment"), text);
}

TfPrintDoc *
tf_print_doc_new_for_note (TfVault *vault, const char *note_id, GError **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) addenda = NULL;
  g_autoptr(JsonObject) session = NULL, appointment = NULL;
  g_autoptr(TfPrintDoc) doc = NULL;
  g_autofree char *title = NULL, *signed_words = NULL, *when = NULL, *session_line = NULL;
  JsonObject *note;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (note_id != NULL, NULL);

  notes = tf_vault_list (vault, tf_registry_lookup ("session_notes"), "id", note_id, error);
  if (notes == NULL)
    return NULL;
  if (notes->len == 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("There is no session note %s"), note_id);
      return NULL;
    }
  note = g_ptr_array_index (notes, 0);
  if (g_strcmp0 (tf_json_get_string (note, "therapist_id"), tf_vault_get_user_id (vault)) != 0 ||
      json_object_get_boolean_member_with_default (note, "unreadable", FALSE))
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER,
                   _("Only the author of a session note can print it"));
      return NULL;
    }
  addenda = tf_addendum_list (vault, note_id, error);
  if (addenda == NULL)
    return NULL;

  title = g_strdup_printf (_("%s Note"), tf_note_approach_name (tf_note_get_approach (note)));
  doc = tf_print_doc_new (title);
  add_practice (doc, vault);
  session = first_of (vault, "sessions", "id", tf_json_get_string (note, "session_id"));
  appointment = session ? first_of (vault, "appointments", "id",
                                    tf_json_get_string (session, "appointment_id")) : NULL;
  if (appointment != NULL)
    {
      add_client (doc, vault, tf_json_get_string (appointment, "client_id"));
      when = local_moment (tf_json_get_string (appointment, "appointment_datetime"));
      session_line = g_strdup_printf (_("Session: %s"), when ? when : "");
      tf_print_doc_add_fact (doc, session_line);
    }
  signed_words = dup_signed_words (note);
  tf_print_doc_add_fact (doc, signed_words);
  add_note_sections (doc, note);
  add_risk (doc, note);
  for (guint i = 0; i < addenda->len; i++)
    {
      JsonObject *a = g_ptr_array_index (addenda, i);
      g_autofree char *words = dup_signed_words (a);
      /* TRANSLATORS: the heading of an addendum on paper: whether and when it was signed */
      g_autofree char *heading = g_strdup_printf (_("Addendum — %s"), words);

      tf_print_doc_add_block (doc, heading,
                              json_object_get_boolean_member_with_default (a, "unreadable", FALSE)
                                ? _("This addendum cannot be opened on this device: its key is "
                                    "not here.")
                                : tf_json_get_string (a, "content"));
    }
  return g_steal_pointer (&doc);
}

/* --- a plan --------------------------------------------------------------- */

/* The items of JSON array member @name of @plain, one a line: strings as
 * they are, {"code", "description"} as "code — description". */
static char *
dup_lines (JsonObject *plain, const char *name)
{
  JsonNode *node = json_object_get_member (plain, name);
  g_autoptr(GString) out = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *text = NULL, *description = NULL;

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        text = json_node_get_string (item);
      else if (JSON_NODE_HOLDS_OBJECT (item))
        {
          text = tf_json_get_string (json_node_get_object (item), "code");
          description = tf_json_get_string (json_node_get_object (item), "description");
        }
      if (text == NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, text);
      if (description != NULL && *description != '\0')
        g_string_append_printf (out, " — %s", description);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
plan_status_label (const char *status)
{
  if (g_strcmp0 (status, "active") == 0)
    return _("Active");
  if (g_strcmp0 (status, "on_hold") == 0)
    return _("On Hold");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Completed");
  return status;
}

TfPrintDoc *
tf_print_doc_new_for_plan (TfVault *vault, const char *plan_id, GError **error)
{
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(TfPrintDoc) doc = NULL;
  g_autofree char *diagnoses = NULL, *goals = NULL, *interventions = NULL;
  g_autofree char *status = NULL, *review = NULL;
  const char *review_date;
  JsonObject *plan;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (plan_id != NULL, NULL);

  plans = tf_vault_list (vault, tf_registry_lookup ("treatment_plans"), "id", plan_id, error);
  if (plans == NULL)
    return NULL;
  if (plans->len == 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("There is no treatment plan %s"), plan_id);
      return NULL;
    }
  plan = g_ptr_array_index (plans, 0);
  if (g_strcmp0 (tf_json_get_string (plan, "therapist_id"), tf_vault_get_user_id (vault)) != 0 ||
      json_object_get_boolean_member_with_default (plan, "unreadable", FALSE))
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER,
                   _("Only the therapist who wrote a treatment plan can print it"));
      return NULL;
    }
  doc = tf_print_doc_new (_("Treatment Plan"));
  add_practice (doc, vault);
  add_client (doc, vault, tf_json_get_string (plan, "client_id"));
  status = g_strdup_printf (_("Status: %s"), plan_status_label (tf_json_get_string (plan,
                                                                                    "status")));
  tf_print_doc_add_fact (doc, status);
  review_date = tf_json_get_string (plan, "review_date");
  if (review_date != NULL)
    {
      review = g_strdup_printf (_("Review on %s"), review_date);
      tf_print_doc_add_fact (doc, review);
    }
  diagnoses = dup_lines (plan, "diagnosis_codes");
  goals = dup_lines (plan, "treatment_goals");
  interventions = dup_lines (plan, "interventions");
  tf_print_doc_add_block (doc, _("Diagnoses (ICD-10)"), diagnoses);
  tf_print_doc_add_block (doc, _("Goals"), goals);
  tf_print_doc_add_block (doc, _("Interventions"), interventions);
  return g_steal_pointer (&doc);
}
