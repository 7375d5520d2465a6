/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clinical.c: saving a session note and a treatment plan
 * (tf-clinical.h).
 *
 * The plain forms are built here, once, for the app and the CLI alike.  A
 * note's save runs in tf_vault_atomic: the session tf_vault_session_for
 * makes for the first note of an appointment, the note and its lock are
 * nested in one transaction, so a note that cannot be stored leaves no
 * session without a note behind, and Lock and Sign never saves without
 * locking.
 */
#define G_LOG_DOMAIN "tf-clinical"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-clinical.h"
#include "tf-error.h"
#include "tf-managed.h"
#include "tf-time.h"
#include "tf-vault-private.h"

/* A copy of @node, or a JSON null for NULL. */
static JsonNode *
dup_node (JsonNode *node)
{
  return node != NULL ? json_node_copy (node) : json_node_new (JSON_NODE_NULL);
}

/* --- session notes -------------------------------------------------------- */

typedef struct
{
  TfVault    *vault;
  const char *id;
  const char *appointment_id;
  const char *approach;
  JsonNode   *content;
  JsonNode   *risk;
  gboolean    lock;
  JsonObject *plain;  /* out: the plain form saved */
} NoteSave;

static gboolean
note_body (TfStore *store, gpointer data, GError **error)
{
  NoteSave *n = data;
  const TfTable *table = tf_registry_lookup ("session_notes");
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);

  if (!tf_vault_check_unlocked (n->vault, table, n->id, error) ||
      !tf_vault_dup_own (n->vault, table, n->id,
                         _("Only the author of a session note can change it"), &plain, error))
    return FALSE;
  if (plain == NULL)
    {
      g_autofree char *session_id = NULL;

      if (n->appointment_id == NULL)
        {
          g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                       _("There is no record %s"), n->id);
          return FALSE;
        }
      session_id = tf_vault_session_for (n->vault, n->appointment_id, error);
      if (session_id == NULL)
        return FALSE;
      plain = json_object_new ();
      json_object_set_string_member (plain, "id", n->id);
      json_object_set_string_member (plain, "session_id", session_id);
      json_object_set_string_member (plain, "therapist_id", tf_vault_get_user_id (n->vault));
      json_object_set_string_member (plain, "created_at", stamp);
    }
  json_object_set_string_member (plain, "approach_type", n->approach);
  json_object_set_member (plain, "note_content", dup_node (n->content));
  if (n->risk != NULL)
    json_object_set_member (plain, "risk_assessment", dup_node (n->risk));
  json_object_set_string_member (plain, "updated_at", stamp);
  if (!tf_vault_put (n->vault, table, n->id, plain, error))
    return FALSE;
  if (n->lock && !tf_vault_lock_note (n->vault, n->id, error))
    return FALSE;
  n->plain = g_steal_pointer (&plain);
  return TRUE;
}

JsonObject *
tf_note_dup_stored (TfVault *vault, const char *id, GError **error)
{
  g_autoptr(GPtrArray) notes = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  notes = tf_vault_list (vault, tf_registry_lookup ("session_notes"), "id", id, error);
  if (notes == NULL || notes->len == 0)
    return NULL;
  return json_object_ref (g_ptr_array_index (notes, 0));
}

gboolean
tf_note_save (TfVault *vault, const char *id, const char *appointment_id, const char *approach,
              JsonNode *content, JsonNode *risk, gboolean lock, JsonObject **out_plain,
              GError **error)
{
  NoteSave n = { vault, id, appointment_id, approach, content, risk, lock, NULL };
  gboolean ok;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL && approach != NULL && content != NULL, FALSE);

  ok = tf_vault_atomic (vault, note_body, &n, error);
  if (ok && out_plain != NULL)
    *out_plain = g_steal_pointer (&n.plain);
  g_clear_pointer (&n.plain, json_object_unref);
  return ok;
}

/* --- treatment plans ------------------------------------------------------ */

gboolean
tf_plan_save (TfVault *vault, const char *id, const char *client_id, const TfPlan *plan,
              JsonObject **out_plain, GError **error)
{
  const TfTable *table = tf_registry_lookup ("treatment_plans");
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL && client_id != NULL && plan != NULL, FALSE);
  g_return_val_if_fail (plan->status != NULL, FALSE);

  if (!tf_vault_dup_own (vault, table, id,
                         _("Only the therapist who wrote a treatment plan can change it"),
                         &plain, error))
    return FALSE;
  if (plain == NULL)
    {
      plain = json_object_new ();
      json_object_set_string_member (plain, "id", id);
      json_object_set_string_member (plain, "client_id", client_id);
      json_object_set_string_member (plain, "therapist_id", tf_vault_get_user_id (vault));
      json_object_set_string_member (plain, "created_at", stamp);
    }
  json_object_set_member (plain, "diagnosis_codes", dup_node (plan->diagnoses));
  json_object_set_member (plain, "treatment_goals", dup_node (plan->goals));
  json_object_set_member (plain, "interventions", dup_node (plan->interventions));
  if (plan->review_date != NULL && *plan->review_date != '\0')
    json_object_set_string_member (plain, "review_date", plan->review_date);
  else
    json_object_set_null_member (plain, "review_date");
  json_object_set_string_member (plain, "status", plan->status);
  json_object_set_string_member (plain, "updated_at", stamp);
  return tf_vault_put_keep (vault, table, id, plain, out_plain, error);
}

/* --- one record per client ------------------------------------------------ */

typedef struct
{
  TfVault            *vault;
  const TfTable      *table;
  const char         *client_id;
  TfClientRecordEdit  edit;
  gpointer            data;
  const char         *unreadable;
  JsonObject         *plain;  /* out: the plain form saved */
} ClientSave;

static gboolean
client_record_body (TfStore *store, gpointer data, GError **error)
{
  ClientSave *c = data;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);

  stored = tf_vault_list (c->vault, c->table, "client_id", c->client_id, error);
  if (stored == NULL)
    return FALSE;
  if (stored->len > 0)
    {
      plain = tf_json_object_dup (g_ptr_array_index (stored, 0));
      if (json_object_get_boolean_member_with_default (plain, "unreadable", FALSE))
        {
          g_set_error_literal (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NO_KEY, c->unreadable);
          return FALSE;
        }
    }
  else
    {
      plain = json_object_new ();
      json_object_set_string_member (plain, "client_id", c->client_id);
      json_object_set_string_member (plain, "created_at", stamp);
    }
  c->edit (plain, stored->len == 0, c->data);
  json_object_set_string_member (plain, "updated_at", stamp);
  if (!tf_vault_put (c->vault, c->table, c->client_id, plain, error))
    return FALSE;
  c->plain = g_steal_pointer (&plain);
  return TRUE;
}

gboolean
tf_client_record_save (TfVault *vault, TfClientRecord record, const char *client_id,
                       TfClientRecordEdit edit, gpointer data, const char *unreadable,
                       JsonObject **out_plain, GError **error)
{
  const TfTable *table = tf_registry_lookup (record == TF_CLIENT_RECORD_HISTORY
                                               ? "client_histories" : "client_intakes");
  g_autoptr(TfVault) managed = NULL;
  g_autoptr(GError) local = NULL;
  ClientSave c = { vault, table, client_id, edit, data, unreadable, NULL };
  gboolean ok;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (client_id != NULL && edit != NULL, FALSE);
  g_return_val_if_fail (unreadable != NULL, FALSE);

  /* A managed client's intake is theirs: written in their name, under
   * their keys, shared with the therapists in care (tf-managed.h), so it
   * passes to them whole when they take their account over.  The history
   * is the therapist's own. */
  if (record == TF_CLIENT_RECORD_INTAKE)
    {
      managed = tf_managed_vault_for (vault, client_id, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (managed != NULL)
        c.vault = managed;
    }
  ok = tf_vault_atomic (c.vault, client_record_body, &c, error);
  if (ok && out_plain != NULL)
    *out_plain = g_steal_pointer (&c.plain);
  g_clear_pointer (&c.plain, json_object_unref);
  return ok;
}
