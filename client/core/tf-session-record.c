/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-record.c: the record of a held appointment (tf-session-record.h).
 *
 * The save runs in tf_vault_atomic: the session tf_vault_session_for makes
 * for an appointment that has none and its columns are one transaction, and
 * the grant that shares it (or the re-key that stops sharing it) is made by
 * the vault's reconciliation in the same write.
 */
#define G_LOG_DOMAIN "tf-session-record"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-error.h"
#include "tf-session-record.h"
#include "tf-time.h"
#include "tf-vault-private.h"

typedef struct
{
  TfVault               *vault;
  const char            *appointment_id;
  const TfSessionRecord *record;
  JsonObject            *plain;  /* out */
} RecordSave;

static gboolean
refuse (GError **error, const char *message)
{
  g_set_error_literal (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT, message);
  return FALSE;
}

/* @text as an instant, checked: NULL (none) passes; else it must parse and
 * not lie ahead of @now.  @out receives it (owned), or NULL. */
static gboolean
check_moment (const char *text, GDateTime *now, GDateTime **out, GError **error)
{
  g_autoptr(GDateTime) when = NULL;

  *out = NULL;
  if (text == NULL || *text == '\0')
    return TRUE;
  when = tf_time_parse_timestamp (text, NULL);
  if (when == NULL)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("“%s” is not a date and time (RFC 3339, e.g. 2026-03-14T10:00:00+02:00)"),
                   text);
      return FALSE;
    }
  if (g_date_time_compare (when, now) > 0)
    return refuse (error, _("A session’s actual start and end cannot lie in the future"));
  *out = g_steal_pointer (&when);
  return TRUE;
}

static void
set_text (JsonObject *plain, const char *column, const char *value)
{
  g_autofree char *trimmed = value != NULL ? g_strstrip (g_strdup (value)) : NULL;

  if (trimmed != NULL && *trimmed != '\0')
    json_object_set_string_member (plain, column, trimmed);
  else
    json_object_set_null_member (plain, column);
}

static void
set_moment (JsonObject *plain, const char *column, GDateTime *when)
{
  g_autofree char *stamp = when != NULL ? tf_time_format_timestamp (when) : NULL;

  if (stamp != NULL)
    json_object_set_string_member (plain, column, stamp);
  else
    json_object_set_null_member (plain, column);
}

static gboolean
record_body (TfStore *store, gpointer data, GError **error)
{
  RecordSave *r = data;
  const TfSessionRecord *in = r->record;
  const TfTable *sessions = tf_registry_lookup ("sessions");
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = NULL, end = NULL, booked = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autofree char *session_id = NULL;
  JsonObject *appointment;

  appointments = tf_vault_list (r->vault, tf_registry_lookup ("appointments"), "id",
                                r->appointment_id, error);
  if (appointments == NULL)
    return FALSE;
  if (appointments->len == 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("There is no appointment %s"), r->appointment_id);
      return FALSE;
    }
  appointment = g_ptr_array_index (appointments, 0);
  if (g_strcmp0 (tf_json_get_string (appointment, "therapist_id"),
                 tf_vault_get_user_id (r->vault)) != 0)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER,
                   _("Only the therapist of an appointment can keep its session record"));
      return FALSE;
    }
  if (g_strcmp0 (tf_json_get_string (appointment, "status"), "cancelled") == 0)
    return refuse (error, _("This appointment was cancelled: it has no session to record"));
  booked = tf_time_parse_timestamp (tf_json_get_string (appointment, "appointment_datetime"),
                                    NULL);
  if (booked == NULL || g_date_time_compare (booked, now) > 0)
    return refuse (error, _("This session has not taken place yet: its record is kept once "
                            "its time has come"));
  if (!check_moment (in->actual_start, now, &start, error) ||
      !check_moment (in->actual_end, now, &end, error))
    return FALSE;
  if (start != NULL && end != NULL && g_date_time_compare (end, start) < 0)
    return refuse (error, _("A session cannot end before it begins"));

  session_id = tf_vault_session_for (r->vault, r->appointment_id, error);
  if (session_id == NULL)
    return FALSE;
  found = tf_vault_list (r->vault, sessions, "id", session_id, error);
  if (found == NULL)
    return FALSE;
  plain = found->len > 0 ? tf_json_object_dup (g_ptr_array_index (found, 0))
                         : json_object_new ();
  /* What a list adds to the plain form is not a column. */
  json_object_remove_member (plain, "unreadable");
  json_object_set_string_member (plain, "id", session_id);
  json_object_set_string_member (plain, "appointment_id", r->appointment_id);
  set_moment (plain, "actual_start_time", start);
  set_moment (plain, "actual_end_time", end);
  json_object_set_boolean_member (plain, "client_attended", in->client_attended);
  json_object_set_boolean_member (plain, "therapist_attended", in->therapist_attended);
  json_object_set_boolean_member (plain, "technical_issues", in->technical_issues);
  set_text (plain, "therapist_notes", in->therapist_notes);
  set_text (plain, "session_summary", in->summary);
  set_text (plain, "homework_assigned", in->homework);
  set_text (plain, "next_session_plan", in->next_session_plan);
  json_object_set_boolean_member (plain, "shared_with_client", in->shared_with_client);
  if (!tf_vault_put (r->vault, sessions, session_id, plain, error))
    return FALSE;
  r->plain = g_steal_pointer (&plain);
  return TRUE;
}

gboolean
tf_session_record_save (TfVault *vault, const char *appointment_id,
                        const TfSessionRecord *record, JsonObject **out_plain, GError **error)
{
  RecordSave r = { vault, appointment_id, record, NULL };
  gboolean ok;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (appointment_id != NULL && record != NULL, FALSE);

  ok = tf_vault_atomic (vault, record_body, &r, error);
  if (ok && out_plain != NULL)
    *out_plain = g_steal_pointer (&r.plain);
  g_clear_pointer (&r.plain, json_object_unref);
  return ok;
}

JsonObject *
tf_session_record_dup (TfVault *vault, const char *appointment_id, GError **error)
{
  g_autoptr(GPtrArray) found = NULL;
  JsonObject *oldest = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (appointment_id != NULL, NULL);

  found = tf_vault_list (vault, tf_registry_lookup ("sessions"), "appointment_id",
                         appointment_id, error);
  if (found == NULL)
    return NULL;
  /* Two devices may each have made one before they synced: the oldest is
   * the one notes and records go to (tf_vault_session_for). */
  for (guint i = 0; i < found->len; i++)
    {
      JsonObject *s = g_ptr_array_index (found, i);

      if (oldest == NULL ||
          g_strcmp0 (tf_json_get_string (s, "created_at"),
                     tf_json_get_string (oldest, "created_at")) < 0 ||
          (g_strcmp0 (tf_json_get_string (s, "created_at"),
                      tf_json_get_string (oldest, "created_at")) == 0 &&
           g_strcmp0 (tf_json_get_string (s, "id"), tf_json_get_string (oldest, "id")) < 0))
        oldest = s;
    }
  return oldest != NULL ? json_object_ref (oldest) : NULL;
}

gboolean
tf_session_record_is_shared (JsonObject *plain)
{
  JsonNode *node;

  g_return_val_if_fail (plain != NULL, FALSE);

  node = json_object_get_member (plain, "shared_with_client");
  return node == NULL || JSON_NODE_HOLDS_NULL (node) ||
         json_object_get_boolean_member_with_default (plain, "shared_with_client", FALSE);
}
