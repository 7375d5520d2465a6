/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push-access.c: who may write what in a push.
 *
 * The table registry says who writes each table (TfTable.writer: an
 * administrator, the owner, a therapist, either side of a care
 * relationship); these functions apply it to one mutation against what
 * tf-sync-push-load.c read, including the batch's own earlier writes.  A
 * key grant is allowed to whoever may write the record it is for.  Beyond
 * the writer: columns fixed once the record exists, columns only an
 * administrator sets (a licence marked verified), and records locked for
 * good (a signed session note).  Each check answers the reason the device
 * is told, or NULL.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-sync-push-private.h"
#include "tf-sync-rules.h"

/* --- authorization -------------------------------------------------------- */

/* A therapist's write of a TF_WRITER_THERAPIST table: their own record,
 * of their own appointment, session or note, of a client in their care or
 * whom they manage; the reason it is refused, or NULL. */
static const char *
authorize_therapist (Push *p, const TfTable *t, JsonObject *fields, TfRecord *current)
{
  const char *me = p->caller.user_id;
  const char *name = t->name;

  if (strcmp (name, "sessions") == 0)
    {
      TfRecord *appointment = tf_push_parent_of (p, t, fields);
      if (appointment == NULL)
        return "the appointment does not exist";
      if (g_strcmp0 (tf_json_get_string (appointment->fields, "therapist_id"), me) != 0)
        return "this is another therapist's appointment";
      return NULL;
    }
  if (strcmp (name, "client_histories") == 0)
    return tf_push_in_care (p, me, tf_json_get_string (fields, "client_id")) ? NULL
           : "this client is not in your care";
  if (g_strcmp0 (tf_json_get_string (fields, t->therapist_column), me) != 0)
    return "this record belongs to another therapist";
  /* A therapist's file on a client: made only for a client they manage
   * (it holds the client's keys); kept and changed after the hand-over. */
  if (strcmp (name, "managed_clients") == 0 && current == NULL &&
      !g_hash_table_contains (p->managed, tf_json_get_string (fields, "client_id") ?
                                            tf_json_get_string (fields, "client_id") : ""))
    return "this client is not one you manage";
  if (strcmp (name, "session_notes") == 0)
    {
      TfRecord *session = tf_push_parent_of (p, t, fields);
      TfRecord *appointment =
        session ? tf_push_parent_of (p, session->table, session->fields) : NULL;

      if (appointment == NULL ||
          g_strcmp0 (tf_json_get_string (appointment->fields, "therapist_id"), me) != 0)
        return "this is another therapist's session";
    }
  if (strcmp (name, "note_addenda") == 0)
    {
      /* Appended to a signed note of the same therapist, and signed
       * from its first write: never an addendum that could change. */
      TfRecord *note = tf_push_parent_of (p, t, fields);

      if (note == NULL ||
          g_strcmp0 (tf_json_get_string (note->fields, "therapist_id"), me) != 0)
        return "an addendum belongs to a session note of your own";
      if (tf_json_get_string (note->fields, "locked_at") == NULL)
        return "an addendum is added only to a signed session note";
      if (tf_json_get_string (fields, "locked_at") == NULL)
        return "an addendum is signed as it is written";
    }
  if (strcmp (name, "treatment_plans") == 0 &&
      !tf_push_in_care (p, me, tf_json_get_string (fields, "client_id")))
    return "this client is not in your care";
  return NULL;
}

static const char *
authorize_full (Push *p, const TfTable *t, JsonObject *fields, TfRecord *current,
                gboolean party_only)
{
  const char *me = p->caller.user_id;
  const char *role = p->caller.role;
  gboolean therapist = g_strcmp0 (role, "therapist") == 0;
  const char *name = t->name;

  switch (t->writer)
    {
    case TF_WRITER_ADMIN:
      if (g_strcmp0 (role, "business_admin") != 0 && g_strcmp0 (role, "super_admin") != 0)
        return "only an administrator may change this table";
      return NULL;

    case TF_WRITER_OWNER:
      {
        const char *owner = tf_push_owner_of (p, t, fields);
        if (owner == NULL)
          return "the record it belongs to does not exist";
        /* A managed client's own records: their therapist writes them in
         * their name (signed with the client's keys) while managing them. */
        if (!tf_push_acts_for (p, owner))
          return "this record belongs to someone else";
        if (strcmp (name, "key_grants") == 0)
          {
            /* Whoever may write the record (its owner, or the therapist who
             * wrote a session note or a history) may share its key. */
            const TfTable *granted_table = tf_registry_lookup (tf_json_get_string (fields, "table_name"));
            g_autofree char *key =
              tf_push_record_key (tf_json_get_string (fields, "table_name"),
                                  tf_json_get_string (fields, "record_id"));
            State *granted = g_hash_table_lookup (p->states, key);

            if (granted_table == NULL || !tf_table_has_encrypted (granted_table))
              return "keys are granted only for records with encrypted fields";
            if (granted == NULL || granted->row == NULL ||
                authorize_full (p, granted_table, granted->row->fields, granted->row, TRUE) != NULL)
              return "a key can be granted only for a record you may write";
          }
        return NULL;
      }

    case TF_WRITER_THERAPIST:
      return therapist ? authorize_therapist (p, t, fields, current)
                       : "only a therapist may write this table";

    case TF_WRITER_CARE:
      {
        const char *client = tf_json_get_string (fields, t->client_column);
        const char *their_therapist = tf_json_get_string (fields, t->therapist_column);

        if (strcmp (name, "care_relationships") == 0)
          {
            if (party_only && g_strcmp0 (their_therapist, me) == 0)
              return NULL;
            if (g_strcmp0 (client, me) == 0)
              {
                /* The client asks, changes what they share, withdraws or
                 * ends; a request of theirs becomes active or declined
                 * only by the therapist's answer. */
                const char *was = current ? tf_json_get_string (current->fields, "status") : NULL;
                const char *now = tf_json_get_string (fields, "status");

                if ((g_strcmp0 (now, "declined") == 0 && g_strcmp0 (was, "declined") != 0) ||
                    (g_strcmp0 (now, "active") == 0 && current != NULL &&
                     g_strcmp0 (was, "active") != 0))
                  return "only the therapist accepts or declines a request for care";
                return NULL;
              }
            /* In a managed client's name: only with the managing therapist. */
            if (client != NULL && g_hash_table_contains (p->managed, client) &&
                g_strcmp0 (their_therapist, me) == 0)
              return NULL;
            /* The therapist answers a pending request (active: accepted,
             * declined) and ends an active relationship; never changes
             * what the client shares. */
            if (g_strcmp0 (their_therapist, me) == 0 && current != NULL &&
                tf_push_field_true (fields, "share_mood") ==
                  tf_push_field_true (current->fields, "share_mood") &&
                tf_push_field_true (fields, "share_goals") ==
                  tf_push_field_true (current->fields, "share_goals"))
              {
                const char *was = tf_json_get_string (current->fields, "status");
                const char *now = tf_json_get_string (fields, "status");

                if (g_strcmp0 (was, "pending") == 0 &&
                    (g_strcmp0 (now, "active") == 0 || g_strcmp0 (now, "declined") == 0))
                  return NULL;
                if (g_strcmp0 (was, "pending") != 0 && g_strcmp0 (now, "ended") == 0)
                  return NULL;
              }
            return "only the client can start or change a care relationship; "
                   "the therapist accepts or declines a request and can end it";
          }
        if (g_strcmp0 (client, me) == 0)
          return NULL;
        /* A managed client's intake, in their name, by the managing
         * therapist (never naming another therapist). */
        if (client != NULL && g_hash_table_contains (p->managed, client) &&
            (their_therapist == NULL || g_strcmp0 (their_therapist, me) == 0))
          return NULL;
        /* A therapist's new appointment for a person not in their care is
         * the booking rules' to refuse, as not_in_care (tf-sync-rules.c). */
        if (therapist && their_therapist != NULL && g_strcmp0 (their_therapist, me) == 0 &&
            (current != NULL || strcmp (name, "appointments") == 0 ||
             tf_push_in_care (p, me, client)))
          return NULL;
        if (therapist && their_therapist == NULL && tf_push_in_care (p, me, client))
          return NULL;
        return "this record belongs to someone else";
      }

    default:
      g_assert_not_reached ();
    }
}

const char *
tf_push_authorize (Push *p, const TfTable *t, JsonObject *fields, TfRecord *current,
                   gboolean party_only)
{
  return authorize_full (p, t, fields, current, party_only);
}

/* --- fixed and guarded columns ---------------------------------------------- */

/* Fixed columns keep their value once the record exists. */
const char *
tf_push_changed_immutable (const TfTable *t, JsonObject *fields, TfRecord *current)
{
  if (current == NULL)
    return NULL;
  for (guint i = 0; i < t->n_columns; i++)
    {
      const TfColumn *column = &t->columns[i];
      JsonNode *a, *b;

      if (!(column->flags & TF_COLUMN_IMMUTABLE) || !json_object_has_member (fields, column->name))
        continue;
      a = json_object_get_member (fields, column->name);
      b = json_object_get_member (current->fields, column->name);
      if (b == NULL || JSON_NODE_HOLDS_NULL (b))
        continue;
      if (!json_node_equal (a, b))
        return column->name;
    }
  return NULL;
}

/* Columns only an administrator (or a verification flow) sets: a licence or
 * a phone marked verified.  Others may not set or change them. */
gboolean
tf_push_is_admin (Push *p)
{
  return g_strcmp0 (p->caller.role, "business_admin") == 0 ||
         g_strcmp0 (p->caller.role, "super_admin") == 0;
}

const char *
tf_push_changed_by_admin_only (Push *p, const TfTable *t, JsonObject *fields,
                               TfRecord *current)
{
  if (tf_push_is_admin (p))
    return NULL;
  for (guint i = 0; i < t->n_columns; i++)
    {
      const TfColumn *c = &t->columns[i];

      if (!(c->flags & TF_COLUMN_ADMIN_ONLY) || !json_object_has_member (fields, c->name))
        continue;
      if (current != NULL ? !tf_sync_rules_same_value (fields, current->fields, c->name)
                          : json_object_get_boolean_member_with_default (fields, c->name, FALSE))
        return c->name;
    }
  return NULL;
}

/* When the record was locked, or NULL.  A table with a locked_at column
 * (session notes) holds records that are signed and then final: once the
 * stored row (or an earlier mutation of this batch) has locked_at, nothing
 * may change or delete it.  Setting locked_at on an unlocked record is an
 * ordinary upsert. */
const char *
tf_push_locked_since (const TfTable *t, const State *state)
{
  if (state == NULL || state->row == NULL || tf_table_get_column (t, "locked_at") == NULL)
    return NULL;
  return tf_json_get_string (state->row->fields, "locked_at");
}
