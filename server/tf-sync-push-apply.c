/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push-apply.c: deciding each mutation of a push, and writing it.
 *
 * Steps 4 and 5 of a push (tf-sync-push.c).  A mutation is decided against
 * the record's current version: another version means a conflict (nothing
 * is overwritten, the answer carries the server's record); then who may
 * write it (tf-sync-push-access.c), the scheduling rules for appointments
 * and the values the server decides (tf-sync-rules.c); what passes is
 * applied at a version of its own, and later mutations of the batch see
 * it.  The applied rows are written in one pipelined round trip, an INSERT
 * for a new record and an UPDATE for one that exists, each in a savepoint:
 * a row PostgreSQL still refuses is answered rejected with a fixed message
 * (never the database's text), together with the later changes of the same
 * record decided on top of it, and the others go on.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-db.h"
#include "tf-http.h"
#include "tf-signed.h"
#include "tf-sync-push-private.h"
#include "tf-sync-read.h"
#include "tf-sync-rules.h"
#include "tf-time.h"

/* --- deciding ------------------------------------------------------------- */

/* The author's revision and signature go with what is stored, as they came. */
static void
set_envelope (TfRecord *record, const TfMutation *mutation)
{
  record->revision = mutation->revision;
  g_free (record->signature);
  record->signature = g_strdup (mutation->signature);
}

/* What is settled before the record's fields are looked at: a mutation
 * that did not parse, someone else's record, a locked one, another
 * version.  TRUE when @d is decided. */
static gboolean
decide_before_fields (Push *p, Decision *d, State *state)
{
  TfPushItem *item = d->item;
  const TfTable *t = item->table;
  gint64 current_version = state ? state->version : 0;
  const char *why;
  const char *locked;

  if (item->mutation == NULL)
    {
      const char *code;
      tf_http_status_for_error (item->invalid, &code);
      tf_push_reject (d, code, "%s", item->invalid->message);
      return TRUE;
    }
  /* Someone else's record: refused before anything about it is revealed
   * (a conflict would carry its content). */
  if (state != NULL && state->row != NULL &&
      (why = tf_push_authorize (p, t, state->row->fields, state->row, TRUE)) != NULL)
    {
      tf_push_reject (d, "forbidden", "%s", why);
      return TRUE;
    }
  /* Before the version check: a locked record is final whatever the device
   * based its change on, and a conflict would only invite a merge that can
   * never be applied. */
  if ((locked = tf_push_locked_since (t, state)) != NULL)
    {
      tf_push_reject (d, "locked", "this %s was signed and locked at %s; it can no longer be %s",
                      strcmp (t->name, "session_notes") == 0 ? "session note" : "record", locked,
                      item->op == TF_MUTATION_DELETE ? "deleted" : "changed");
      return TRUE;
    }
  if (item->base_version != current_version)
    {
      d->outcome = OUTCOME_CONFLICT;
      d->result = tf_push_result_conflict (item->mutation_id, state ? state->row : NULL);
      return TRUE;
    }
  return FALSE;
}

/* A delete of @state's record (@current when it is not a tombstone): TRUE
 * when @d is decided here, rejected or already done. */
static gboolean
decide_delete (Push *p, Decision *d, State *state, TfRecord *current)
{
  const TfTable *t = d->item->table;
  const char *why;

  if (state == NULL || state->row == NULL)
    {
      tf_push_reject (d, "not_found", "there is no such record to delete");
      return TRUE;
    }
  if (state->deleted)
    {
      /* Already a tombstone: the delete is done. */
      d->outcome = OUTCOME_APPLY;
      d->version = 0;
      d->result = tf_push_result_applied (d->item->mutation_id, state->version);
      return TRUE;
    }
  /* Deleting needs the same right as writing. */
  if ((why = tf_push_authorize (p, t, state->row->fields, current, FALSE)) != NULL)
    {
      tf_push_reject (d, "forbidden", "%s", why);
      return TRUE;
    }
  if (strcmp (t->name, "appointments") == 0)
    {
      tf_push_reject (d, "bad_transition", "an appointment is cancelled, not deleted");
      return TRUE;
    }
  if (strcmp (t->name, "care_relationships") == 0)
    {
      tf_push_reject (d, "bad_transition", "a care relationship is ended, not deleted");
      return TRUE;
    }
  return FALSE;
}

/* An appointment's scheduling rules for @fields over @current: terms the
 * client may not change, then the booking and the appointment's own checks.
 * Sets *@corrected when the server changed a value.  FALSE on a database
 * error; else @d is rejected or still to be applied. */
static gboolean
check_appointment_write (Push *p, Decision *d, JsonObject *fields, TfRecord *current,
                         gboolean *corrected, GError **error)
{
  const char *fixed;

  /* The terms are the offer's, whoever edits (a therapist's change of
   * service takes the new offer's: tf_push_check_booking). */
  if (current != NULL && tf_sync_rules_keep_terms (fields, current))
    *corrected = TRUE;
  if ((fixed = tf_push_changed_by_client (p, fields, current)) != NULL)
    {
      tf_push_reject (d, "forbidden", "%s of this appointment is the therapist's to change",
                      fixed);
      return TRUE;
    }
  if (!tf_push_check_booking (p, d, fields, current, FALSE, corrected, error))
    return FALSE;
  if (d->outcome == OUTCOME_REJECT)
    return TRUE;
  if (!tf_push_check_appointment (p, d, fields, current, error))
    return FALSE;
  if (d->outcome == OUTCOME_REJECT)
    return TRUE;
  return tf_push_check_booking (p, d, fields, current, TRUE, corrected, error);
}

/* @column of a sessions upsert: @fields', else the stored @current's. */
static const char *
session_value (JsonObject *fields, TfRecord *current, const char *column)
{
  JsonNode *node = json_object_get_member (fields, column);

  if (node == NULL && current != NULL)
    node = json_object_get_member (current->fields, column);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return "";  /* a flag: set */
}

/* Whether flag @column of a sessions upsert (@fields', else @current's) is
 * @value. */
static gboolean
flag_is (JsonObject *fields, TfRecord *current, const char *column, gboolean value)
{
  JsonNode *node = json_object_get_member (fields, column);

  if (node == NULL && current != NULL)
    node = json_object_get_member (current->fields, column);
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node) == value;
}

/* A session record that says it was held — actual times, attendance, the
 * client's summary, homework or plan — only for an appointment whose time
 * has come and that was not cancelled, with times no later than the
 * server's clock (but its allowed skew) and an end not before its start,
 * as the therapist's device refuses them (client/core/tf-session-record.c).
 * A bare session (the one a note's first save makes, its therapist's own
 * notes) may precede its appointment.  @d is rejected or still to apply. */
static void
check_session (Push *p, Decision *d, JsonObject *fields, TfRecord *current)
{
  static const char * const held[] = { "actual_start_time", "actual_end_time",
                                       "session_summary", "homework_assigned",
                                       "next_session_plan" };
  g_autoptr(GDateTime) latest = g_date_time_add_minutes (p->now,
                                                         TF_SYNC_RULES_CLOCK_SKEW_MINUTES);
  g_autoptr(GDateTime) booked = NULL, start = NULL, end = NULL;
  const char *started = session_value (fields, current, "actual_start_time");
  const char *ended = session_value (fields, current, "actual_end_time");
  TfRecord *appointment;
  gboolean says_held = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (held) && !says_held; i++)
    says_held = session_value (fields, current, held[i]) != NULL;
  /* The attendance flags say so only away from the seed's defaults (both
   * attended, no technical issues), which a bare session's row carries. */
  says_held = says_held || flag_is (fields, current, "client_attended", FALSE) ||
              flag_is (fields, current, "therapist_attended", FALSE) ||
              flag_is (fields, current, "technical_issues", TRUE);
  if (!says_held)
    return;
  appointment = tf_push_parent_of (p, d->item->table, fields);
  if (appointment == NULL)
    return;  /* tf_push_authorize refused it already */
  booked = tf_time_parse_timestamp (tf_json_get_string (appointment->fields,
                                                        "appointment_datetime"), NULL);
  if (booked == NULL || g_date_time_compare (booked, latest) > 0)
    {
      tf_push_reject (d, "not_yet_held", "a session is recorded once its appointment's time"
                      " has come");
      return;
    }
  start = started != NULL ? tf_time_parse_timestamp (started, NULL) : NULL;
  end = ended != NULL ? tf_time_parse_timestamp (ended, NULL) : NULL;
  if ((start != NULL || end != NULL) &&
      g_strcmp0 (tf_json_get_string (appointment->fields, "status"), "cancelled") == 0)
    {
      tf_push_reject (d, "bad_transition", "a cancelled appointment has no session to record");
      return;
    }
  if ((start != NULL && g_date_time_compare (start, latest) > 0) ||
      (end != NULL && g_date_time_compare (end, latest) > 0))
    {
      tf_push_reject (d, "clock_ahead", "a session's actual start and end lie after the"
                      " server's clock by more than %d minutes: check the date and time of"
                      " this device", TF_SYNC_RULES_CLOCK_SKEW_MINUTES);
      return;
    }
  if (start != NULL && end != NULL && g_date_time_compare (end, start) < 0)
    tf_push_reject (d, "validation", "a session cannot end before it begins");
}

/* An upsert's @fields over @state's record (@current when it is not a
 * tombstone): the moments stamped, fields that may not change, who may
 * write them, and an appointment's rules.  Sets *@corrected when the server
 * changed a value.  FALSE on a database error; else @d is rejected or
 * still to be applied. */
static gboolean
check_upsert (Push *p, Decision *d, JsonObject *fields, State *state, TfRecord *current,
              gboolean *corrected, GError **error)
{
  const TfTable *t = d->item->table;
  const char *why;
  const char *fixed;

  *corrected = tf_sync_rules_stamp (t, fields, state ? state->row : NULL, p->now, &fixed);
  /* Its author signed the moment: refused, never moved to now. */
  if (fixed != NULL)
    {
      tf_push_reject (d, "clock_ahead", "%s lies after the server's clock by more than %d"
                      " minutes: check the date and time of this device", fixed,
                      TF_SYNC_RULES_CLOCK_SKEW_MINUTES);
      return TRUE;
    }
  if ((fixed = tf_push_changed_immutable (t, fields, state ? state->row : NULL)) != NULL)
    {
      tf_push_reject (d, "immutable_field", "%s cannot change once the record exists", fixed);
      return TRUE;
    }
  if ((why = tf_push_authorize (p, t, fields, current, FALSE)) != NULL)
    {
      tf_push_reject (d, "forbidden", "%s", why);
      return TRUE;
    }
  if ((fixed = tf_push_changed_by_admin_only (p, t, fields, current)) != NULL)
    {
      tf_push_reject (d, "forbidden", "%s is set by an administrator or by verification", fixed);
      return TRUE;
    }
  if (strcmp (t->name, "appointments") == 0)
    return check_appointment_write (p, d, fields, current, corrected, error);
  if (strcmp (t->name, "sessions") == 0)
    check_session (p, d, fields, current);
  return TRUE;
}

/* @d applied at @version with @fields: its owner, its recipients and the
 * answer, which carries the record as stored when the server @corrected
 * it. */
static void
apply_decision (Push *p, Decision *d, JsonObject *fields, TfRecord *current, gboolean corrected,
                gint64 version)
{
  TfPushItem *item = d->item;
  const TfTable *t = item->table;

  d->outcome = OUTCOME_APPLY;
  d->version = version;
  d->owner = g_strdup (tf_push_owner_of (p, t, fields));
  d->recipients = tf_push_recipients_of (p, t, fields, d->owner);
  if (corrected)
    {
      g_autoptr(TfRecord) stored = tf_sync_rules_stored (t, item->id, fields, current, version);

      set_envelope (stored, item->mutation);
      d->result = tf_push_result_applied_as (item->mutation_id, version, stored);
    }
  else
    d->result = tf_push_result_applied (item->mutation_id, version);
}

/* Later mutations of this batch see applied @d: @state (NULL: none yet,
 * made under *@key, which it takes) becomes the record as written. */
static void
remember_applied (Push *p, Decision *d, char **key, State *state, JsonObject *fields)
{
  TfPushItem *item = d->item;

  if (state == NULL)
    {
      state = g_new0 (State, 1);
      g_hash_table_insert (p->states, g_steal_pointer (key), state);
    }
  state->version = d->version;
  state->deleted = item->op == TF_MUTATION_DELETE;
  g_free (state->owner);
  state->owner = g_strdup (d->owner);
  if (item->op == TF_MUTATION_UPSERT)
    {
      g_clear_pointer (&state->row, tf_record_free);
      state->row = tf_record_new (item->table, item->id);
      json_object_unref (state->row->fields);
      state->row->fields = json_object_ref (fields);
      state->row->version = d->version;
      set_envelope (state->row, item->mutation);
    }
  else if (state->row != NULL)
    {
      state->row->version = d->version;
      state->row->deleted = TRUE;
      set_envelope (state->row, item->mutation);
    }
}

gboolean
tf_push_decide (Push *p, Decision *d, gint64 version, GError **error)
{
  TfPushItem *item = d->item;
  const TfTable *t = item->table;
  g_autofree char *key = tf_push_record_key (t->name, item->id);
  State *state = g_hash_table_lookup (p->states, key);
  TfRecord *current = state && !state->deleted ? state->row : NULL;
  JsonObject *fields;
  gboolean corrected = FALSE;

  if (decide_before_fields (p, d, state))
    return TRUE;
  if (item->op == TF_MUTATION_DELETE)
    {
      if (decide_delete (p, d, state, current))
        return TRUE;
      fields = state->row->fields;
    }
  else
    {
      fields = item->mutation->fields;
      if (!check_upsert (p, d, fields, state, current, &corrected, error))
        return FALSE;
      if (d->outcome == OUTCOME_REJECT)
        return TRUE;
    }

  if (item->op == TF_MUTATION_UPSERT &&
      tf_sync_rules_correct (t, fields, current, tf_push_is_admin (p)))
    corrected = TRUE;
  apply_decision (p, d, fields, current, corrected, version);
  remember_applied (p, d, &key, state, fields);
  return TRUE;
}

/* --- writing -------------------------------------------------------------- */

static const char *
pg_cast (TfColumnType type)
{
  switch (type)
    {
    case TF_COLUMN_UUID: return "uuid";
    case TF_COLUMN_TEXT: return "text";
    case TF_COLUMN_INTEGER: return "integer";
    case TF_COLUMN_BOOLEAN: return "boolean";
    case TF_COLUMN_DATE: return "date";
    case TF_COLUMN_TIME: return "time";
    case TF_COLUMN_TIMESTAMP: return "timestamptz";
    case TF_COLUMN_MONEY: return "numeric";
    case TF_COLUMN_JSON: return "jsonb";
    default: g_assert_not_reached ();
    }
}

static char *
param_text (const TfColumn *column, JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (column->type == TF_COLUMN_JSON)
    return json_to_string (node, FALSE);
  if (column->type == TF_COLUMN_INTEGER)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (column->type == TF_COLUMN_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return g_strdup (json_node_get_string (node));
}

/* The author's revision and signature as they came, NULL for an unsigned
 * write: parameters $2 and $3. */
static void
add_envelope_params (TfDbStatement *st, const TfMutation *mutation)
{
  g_autofree char *revision = mutation->signature != NULL
                                ? g_strdup_printf ("%" G_GINT64_FORMAT, mutation->revision)
                                : NULL;

  tf_db_statement_add (st, revision);
  tf_db_statement_add (st, mutation->signature);
}

/* Sets them in an UPDATE after "version = $1": an unsigned write (a device
 * before signatures) clears the old pair, which no longer fits the row.
 * Returns the last parameter number used. */
static guint
set_envelope_columns (GString *sql, TfDbStatement *st, const TfTable *t, const TfMutation *mutation)
{
  if (!tf_signed_table_has_envelope (t))
    return 1;
  g_string_append (sql, ", author_revision = $2::bigint, author_signature = $3::text");
  add_envelope_params (st, mutation);
  return 3;
}

static TfDbStatement *
write_statement (Decision *d, gboolean exists)
{
  TfPushItem *item = d->item;
  const TfTable *t = item->table;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, d->version);
  TfDbStatement *st = tf_db_statement_new ("", NULL);
  guint n = 0;

  if (item->op == TF_MUTATION_DELETE)
    {
      g_string_printf (sql, "UPDATE %s SET deleted_at = CURRENT_TIMESTAMP, version = $1::bigint",
                       t->name);
      tf_db_statement_add (st, version);
      n = set_envelope_columns (sql, st, t, item->mutation);
      g_string_append_printf (sql, " WHERE %s = $%u::uuid", t->key_column, ++n);
      tf_db_statement_add (st, item->id);
    }
  else if (exists)
    {
      JsonObject *fields = item->mutation->fields;

      g_string_printf (sql, "UPDATE %s SET version = $1::bigint, deleted_at = NULL", t->name);
      tf_db_statement_add (st, version);
      n = set_envelope_columns (sql, st, t, item->mutation);
      for (guint i = 0; i < t->n_columns; i++)
        {
          const TfColumn *c = &t->columns[i];
          g_autofree char *value = NULL;

          if (!json_object_has_member (fields, c->name) || strcmp (c->name, t->key_column) == 0)
            continue;
          value = param_text (c, json_object_get_member (fields, c->name));
          g_string_append_printf (sql, ", %s = $%u::%s", c->name, ++n, pg_cast (c->type));
          tf_db_statement_add (st, value);
        }
      g_string_append_printf (sql, " WHERE %s = $%u::uuid", t->key_column, ++n);
      tf_db_statement_add (st, item->id);
    }
  else
    {
      JsonObject *fields = item->mutation->fields;
      g_autoptr(GString) values = g_string_new ("$1::bigint");

      g_string_printf (sql, "INSERT INTO %s (version", t->name);
      tf_db_statement_add (st, version);
      n = 1;
      if (tf_signed_table_has_envelope (t))
        {
          g_string_append (sql, ", author_revision, author_signature");
          g_string_append (values, ", $2::bigint, $3::text");
          add_envelope_params (st, item->mutation);
          n = 3;
        }
      for (guint i = 0; i < t->n_columns; i++)
        {
          const TfColumn *c = &t->columns[i];
          g_autofree char *value = NULL;

          if (!json_object_has_member (fields, c->name))
            continue;
          value = param_text (c, json_object_get_member (fields, c->name));
          g_string_append_printf (sql, ", %s", c->name);
          g_string_append_printf (values, ", $%u::%s", ++n, pg_cast (c->type));
          tf_db_statement_add (st, value);
        }
      g_string_append_printf (sql, ") VALUES (%s)", values->str);
    }
  g_free (st->sql);
  st->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  return st;
}

static const char *
code_for_db_error (const GError *error, const TfTable *t)
{
  if (error->domain != TF_DB_ERROR)
    return "internal";
  switch (error->code)
    {
    case TF_DB_ERROR_UNIQUE:
      return strcmp (t->name, "appointments") == 0 &&
             strstr (error->message, "unique_therapist_time") != NULL ? "slot_taken" : "duplicate";
    case TF_DB_ERROR_FOREIGN_KEY:
      return "missing_reference";
    case TF_DB_ERROR_CONSTRAINT:
      return "validation";
    default:
      return NULL; /* not the data's fault: fail the push */
    }
}

static const char *
message_for_code (const char *code)
{
  if (strcmp (code, "slot_taken") == 0)
    return "the therapist already has an appointment at that time";
  if (strcmp (code, "missing_reference") == 0)
    return "a record this one refers to does not exist";
  if (strcmp (code, "duplicate") == 0)
    return "a record with the same unique values exists";
  return "the database refused the values of this record";
}

/* The live record other than @d's own that holds @d's values in its table's
 * unique_together columns, or NULL (none, or nothing to say).  Only where
 * those columns include the parent or the owner the pusher was allowed to
 * write under: the holder is then the pusher's own, or shared with them on
 * the same terms, and naming it reveals nothing. */
static TfRecord *
holder_of (Push *p, Decision *d, GError **error)
{
  const TfTable *t = d->item->table;
  JsonObject *fields = d->item->mutation->fields;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GHashTable) rows = NULL;
  gboolean scoped = FALSE;
  TfRecord *holder;

  if (t->unique_together == NULL || fields == NULL)
    return NULL;
  g_string_printf (sql, "SELECT %s FROM %s WHERE deleted_at IS NULL AND %s <> $1::uuid",
                   t->key_column, t->name, t->key_column);
  g_ptr_array_add (values, g_strdup (d->item->id));
  for (guint i = 0; t->unique_together[i] != NULL; i++)
    {
      const TfColumn *c = tf_table_get_column (t, t->unique_together[i]);
      char *value = c != NULL ? param_text (c, json_object_get_member (fields, c->name)) : NULL;

      if (value == NULL)
        return NULL;
      scoped |= g_strcmp0 (c->name, t->parent_column) == 0 ||
                g_strcmp0 (c->name, t->owner_column) == 0;
      g_ptr_array_add (values, value);
      g_string_append_printf (sql, " AND %s = $%u::%s", c->name, values->len, pg_cast (c->type));
    }
  if (!scoped)
    return NULL;
  result = tf_db_query (p->conn, sql->str, (int) values->len,
                        (const char * const *) values->pdata, error);
  if (result == NULL || PQntuples (result) != 1)
    return NULL;
  g_ptr_array_add (ids, g_strdup (PQgetvalue (result, 0, 0)));
  rows = tf_sync_read_records (p->conn, t, ids, error);
  if (rows == NULL)
    return NULL;
  holder = g_hash_table_lookup (rows, g_ptr_array_index (ids, 0));
  if (holder != NULL)
    g_hash_table_steal (rows, g_ptr_array_index (ids, 0));
  return holder;
}

/* Writes every applied row; a row PostgreSQL refuses becomes a rejection. */
gboolean
tf_push_write_rows (Push *p, GError **error)
{
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_db_statement_free);
  g_autoptr(GPtrArray) owners = g_ptr_array_new ();  /* statement index -> Decision */
  guint next = 0;

  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      g_autofree char *key = NULL;

      if (d->outcome != OUTCOME_APPLY || d->version == 0)
        continue;
      key = tf_push_record_key (d->item->table->name, d->item->id);
      g_ptr_array_add (statements, tf_db_statement_new ("SAVEPOINT push_row", NULL));
      g_ptr_array_add (owners, d);
      {
        State *state = g_hash_table_lookup (p->states, key);
        gboolean exists = state != NULL && state->existed;

        /* ... or an earlier mutation of this batch created it. */
        for (guint j = 0; j < i && !exists; j++)
          {
            Decision *e = g_ptr_array_index (p->decisions, j);
            exists = e->outcome == OUTCOME_APPLY && e->version != 0 &&
                     e->item->table == d->item->table && strcmp (e->item->id, d->item->id) == 0;
          }
        g_ptr_array_add (statements, write_statement (d, exists));
      }
      g_ptr_array_add (owners, d);
      g_ptr_array_add (statements, tf_db_statement_new ("RELEASE SAVEPOINT push_row", NULL));
      g_ptr_array_add (owners, d);
    }

  while (next < statements->len)
    {
      g_autoptr(GError) local_error = NULL;
      int failed = tf_db_pipeline (p->conn, statements, next, &local_error);
      Decision *d;
      const char *code;

      if (failed < 0)
        break;
      d = g_ptr_array_index (owners, failed);
      code = code_for_db_error (local_error, d->item->table);
      if (code == NULL || !tf_db_exec (p->conn, "ROLLBACK TO SAVEPOINT push_row;"
                                                " RELEASE SAVEPOINT push_row", NULL))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* The database's own text names constraints and other rows' keys:
       * it goes to the log, the device gets a fixed message. */
      g_message ("push row refused (%s.%s): %s", d->item->table->name, d->item->id,
                 local_error->message);
      if (strcmp (code, "duplicate") == 0)
        {
          g_autoptr(GError) holder_error = NULL;
          g_autoptr(TfRecord) holder = holder_of (p, d, &holder_error);

          if (holder_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&holder_error));
              return FALSE;
            }
          tf_push_reject (d, code, "%s", message_for_code (code));
          if (holder != NULL)
            {
              json_node_unref (d->result);
              d->result = tf_push_result_duplicate (d->item->mutation_id,
                                                    message_for_code (code), holder);
            }
        }
      else
        tf_push_reject (d, code, "%s", message_for_code (code));
      /* Skip to the statement after this row's RELEASE. */
      next = (guint) failed;
      while (next < statements->len && g_ptr_array_index (owners, next) == d)
        next++;
      /* Later changes of the same record in this push were decided on top of
       * this one: they fall with it, and their statements become no-ops. */
      for (guint i = next; i < statements->len; i++)
        {
          Decision *later = g_ptr_array_index (owners, i);
          TfDbStatement *st = g_ptr_array_index (statements, i);

          if (later == d || later->item->table != d->item->table ||
              strcmp (later->item->id, d->item->id) != 0)
            continue;
          if (later->outcome == OUTCOME_APPLY)
            tf_push_reject (later, code,
                            "an earlier change to this record in the same push was refused");
          g_free (st->sql);
          st->sql = g_strdup ("SELECT 1");
          g_ptr_array_set_size (st->params, 0);
        }
    }
  return TRUE;
}
