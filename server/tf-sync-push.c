/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push.c: one push, one transaction.
 *
 * The order of work, all on one connection inside BEGIN ... COMMIT:
 *
 *   1. Take TF_SYNC_LOCK_KEY (pg_advisory_xact_lock).  Every versioned write
 *      holds it until commit, so versions are handed out in commit order and
 *      a pull never skips a change committed late (DESIGN.md §3).
 *   2. Check the token; find the device's last_mutation_id.  Mutations at or
 *      below it are retries: their stored answer is returned unchanged.
 *   3. Load, in a handful of set-based queries, everything the decisions
 *      need: current versions (sync_records), current rows, parent rows,
 *      roles, active care relationships, current recipients.
 *   4. Decide each mutation in order, in C: conflict (base_version is not
 *      the current version: nothing is overwritten, the answer carries the
 *      server's record), rejected (validation, authorization, a locked
 *      record, scheduling: typed code), or apply.  Decisions see the batch's
 *      own earlier writes.
 *   5. Write the applied rows in one pipelined round trip, each inside a
 *      savepoint; a row the database still refuses becomes a rejection and
 *      the rest go on.
 *   6. Record versions, fan out the feed (and revoke recipients who lost
 *      access), store every answer, advance last_mutation_id, audit, notify
 *      — each one statement over the whole batch.
 *
 * Rejections advance last_mutation_id like applications: a device's queue
 * never stalls on a mutation the server will not take.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-audit.h"
#include "tf-auth.h"
#include "tf-db.h"
#include "tf-error.h"
#include "tf-sync-push.h"
#include "tf-sync-read.h"
#include "tf-sync-rules.h"

void
tf_push_item_free (TfPushItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_clear_pointer (&item->mutation, tf_mutation_free);
  g_clear_error (&item->invalid);
  g_free (item);
}

void
tf_push_job_free (TfPushJob *job)
{
  if (job == NULL)
    return;
  g_free (job->token);
  g_free (job->address);
  g_free (job->user_agent);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_free (job);
}

/* What the push knows of one record: the database's state, then the batch's. */
typedef struct
{
  gint64    version;   /* 0 = no such record */
  gboolean  existed;   /* the database had the row before this batch */
  gboolean  deleted;
  char     *owner;
  TfRecord *row;       /* current fields, or NULL */
} State;

typedef struct
{
  char     *therapist;
  char     *client;
  gboolean  share_mood;
  gboolean  share_goals;
} Care;

typedef enum { OUTCOME_UNDECIDED, OUTCOME_RETRY, OUTCOME_APPLY, OUTCOME_CONFLICT, OUTCOME_REJECT } Outcome;

typedef struct
{
  TfPushItem *item;
  Outcome     outcome;
  gint64      version;     /* when applied */
  char       *owner;
  GPtrArray  *recipients;  /* when applied */
  JsonNode   *result;
} Decision;

typedef struct
{
  PGconn     *conn;
  TfPushJob  *job;
  TfCaller    caller;
  GHashTable *states;          /* "table/id" -> State* */
  GHashTable *parents;         /* "table/id" -> TfRecord* from the database */
  GHashTable *roles;           /* user id -> role */
  GPtrArray  *care;            /* Care* */
  GHashTable *old_recipients;  /* "table/id" -> GPtrArray of user ids */
  GPtrArray  *decisions;       /* Decision* */
  GDateTime  *now;             /* the server's clock for this push (tf-sync-rules.h) */
} Push;

static void
state_free (State *state)
{
  g_free (state->owner);
  g_clear_pointer (&state->row, tf_record_free);
  g_free (state);
}

static void
care_free (Care *care)
{
  g_free (care->therapist);
  g_free (care->client);
  g_free (care);
}

static void
decision_free (Decision *d)
{
  g_free (d->owner);
  g_clear_pointer (&d->recipients, g_ptr_array_unref);
  g_clear_pointer (&d->result, json_node_unref);
  g_free (d);
}

static char *
record_key (const char *table, const char *id)
{
  return g_strconcat (table, "/", id, NULL);
}

static gboolean
field_true (JsonObject *fields, const char *name)
{
  JsonNode *node = fields ? json_object_get_member (fields, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
add_unique (GPtrArray *list, const char *value)
{
  if (value == NULL)
    return;
  for (guint i = 0; i < list->len; i++)
    if (strcmp (g_ptr_array_index (list, i), value) == 0)
      return;
  g_ptr_array_add (list, g_strdup (value));
}

/* The people a record of @t with @fields names: owner, client, therapist. */
static void
add_people (GPtrArray *list, const TfTable *t, JsonObject *fields)
{
  add_unique (list, tf_json_get_string (fields, t->owner_column));
  add_unique (list, tf_json_get_string (fields, t->client_column));
  add_unique (list, tf_json_get_string (fields, t->therapist_column));
}

/* --- answers -------------------------------------------------------------- */

/* Starts {"mutation_id": N, "status": S, ...}; the caller adds the rest. */
static JsonBuilder *
result_begin (gint64 mutation_id, const char *status)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mutation_id");
  json_builder_add_int_value (builder, mutation_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  return builder;
}

static JsonNode *
result_finish (JsonBuilder *builder)
{
  JsonNode *node;

  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  g_object_unref (builder);
  return node;
}

static JsonNode *
result_rejected (gint64 mutation_id, const char *code, const char *message)
{
  JsonBuilder *b = result_begin (mutation_id, "rejected");

  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  return result_finish (b);
}

static JsonNode *
result_applied (gint64 mutation_id, gint64 version)
{
  JsonBuilder *b = result_begin (mutation_id, "applied");

  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, version);
  return result_finish (b);
}

/* Applied, with the stored record when the server changed what was sent:
 * the device takes the server's values (tf_store_apply_push_results). */
static JsonNode *
result_applied_as (gint64 mutation_id, gint64 version, const TfRecord *stored)
{
  JsonBuilder *b = result_begin (mutation_id, "applied");

  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, version);
  json_builder_set_member_name (b, "record");
  json_builder_add_value (b, tf_record_to_json (stored));
  return result_finish (b);
}

static JsonNode *
result_conflict (gint64 mutation_id, const TfRecord *current)
{
  JsonBuilder *b = result_begin (mutation_id, "conflict");

  json_builder_set_member_name (b, "record");
  if (current != NULL)
    json_builder_add_value (b, tf_record_to_json (current));
  else
    json_builder_add_null_value (b);
  return result_finish (b);
}

static void
reject (Decision *d, const char *code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
reject (Decision *d, const char *code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  d->outcome = OUTCOME_REJECT;
  g_clear_pointer (&d->result, json_node_unref);
  d->result = result_rejected (d->item->mutation_id, code, message);
}

/* --- loading -------------------------------------------------------------- */

static char *
json_array_text (GPtrArray *values)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (values, i));
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* [{"table_name": t, "record_id": id}, ...] */
static char *
keys_json (GPtrArray *tables, GPtrArray *ids)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "table_name");
      json_builder_add_string_value (b, g_ptr_array_index (tables, i));
      json_builder_set_member_name (b, "record_id");
      json_builder_add_string_value (b, g_ptr_array_index (ids, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gboolean
load_states (Push *p, GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) by_table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autofree char *keys = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *params[1];
  GHashTableIter iter;
  gpointer k, v;

  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      TfPushItem *item = d->item;

      if (d->outcome == OUTCOME_RETRY || item->mutation == NULL)
        continue;
      g_ptr_array_add (tables, g_strdup (item->table->name));
      g_ptr_array_add (ids, g_strdup (item->id));
      /* A key grant is about another record: its owner matters. */
      if (strcmp (item->table->name, "key_grants") == 0 && item->mutation->fields != NULL)
        {
          const char *t = tf_json_get_string (item->mutation->fields, "table_name");
          const char *r = tf_json_get_string (item->mutation->fields, "record_id");
          if (t != NULL && r != NULL && strpbrk (t, "\"\\") == NULL)
            {
              g_ptr_array_add (tables, g_strdup (t));
              g_ptr_array_add (ids, g_strdup (r));
            }
        }
    }
  if (ids->len == 0)
    return TRUE;

  keys = keys_json (tables, ids);
  params[0] = keys;
  result = tf_db_query (p->conn,
                        "SELECT r.table_name, r.record_id::text, r.version, r.deleted,"
                        " r.owner_id::text"
                        " FROM jsonb_to_recordset($1::jsonb) AS x(table_name text, record_id uuid)"
                        " JOIN sync_records r USING (table_name, record_id)",
                        1, params, error);
  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      State *state = g_new0 (State, 1);
      const char *table = PQgetvalue (result, row, 0);
      GPtrArray *list;

      state->version = g_ascii_strtoll (PQgetvalue (result, row, 2), NULL, 10);
      state->existed = TRUE;
      state->deleted = strcmp (PQgetvalue (result, row, 3), "t") == 0;
      state->owner = PQgetisnull (result, row, 4) ? NULL : g_strdup (PQgetvalue (result, row, 4));
      g_hash_table_insert (p->states, record_key (table, PQgetvalue (result, row, 1)), state);
      if (tf_registry_lookup (table) == NULL)
        continue;
      list = g_hash_table_lookup (by_table, tf_registry_lookup (table)->name);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by_table, (gpointer) tf_registry_lookup (table)->name, list);
        }
      g_ptr_array_add (list, g_strdup (PQgetvalue (result, row, 1)));
    }

  /* The current rows of the records that exist. */
  g_hash_table_iter_init (&iter, by_table);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      const TfTable *table = tf_registry_lookup (k);
      g_autoptr(GHashTable) rows = tf_sync_read_records (p->conn, table, v, error);
      GHashTableIter rows_iter;
      gpointer id, record;

      if (rows == NULL)
        return FALSE;
      g_hash_table_iter_init (&rows_iter, rows);
      while (g_hash_table_iter_next (&rows_iter, &id, &record))
        {
          g_autofree char *key = record_key (table->name, id);
          State *state = g_hash_table_lookup (p->states, key);

          if (state != NULL)
            {
              state->row = record;
              g_hash_table_iter_steal (&rows_iter);
            }
        }
    }
  return TRUE;
}

static gboolean
load_parents (Push *p, GError **error)
{
  g_autoptr(GHashTable) by_table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer k, v;

  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      TfPushItem *item = d->item;
      g_autofree char *key = NULL;
      State *state;
      const char *parent_id;
      GPtrArray *list;

      if (d->outcome == OUTCOME_RETRY || item->mutation == NULL || item->table->parent_table == NULL)
        continue;
      key = record_key (item->table->name, item->id);
      state = g_hash_table_lookup (p->states, key);
      parent_id = tf_json_get_string (item->mutation->fields, item->table->parent_column);
      if (parent_id == NULL && state != NULL && state->row != NULL)
        parent_id = tf_json_get_string (state->row->fields, item->table->parent_column);
      if (parent_id == NULL)
        continue;
      list = g_hash_table_lookup (by_table, item->table->parent_table);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by_table, (gpointer) item->table->parent_table, list);
        }
      add_unique (list, parent_id);
    }
  /* Two levels: a session note's session, and that session's appointment. */
  for (int level = 0; level < 2 && g_hash_table_size (by_table) > 0; level++)
    {
      g_autoptr(GHashTable) next = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);

      g_hash_table_iter_init (&iter, by_table);
      while (g_hash_table_iter_next (&iter, &k, &v))
        {
          const TfTable *table = tf_registry_lookup (k);
          g_autoptr(GHashTable) rows = tf_sync_read_records (p->conn, table, v, error);
          GHashTableIter rows_iter;
          gpointer id, record;

          if (rows == NULL)
            return FALSE;
          g_hash_table_iter_init (&rows_iter, rows);
          while (g_hash_table_iter_next (&rows_iter, &id, &record))
            {
              TfRecord *parent = record;
              const char *grand = tf_json_get_string (parent->fields, table->parent_column);

              if (table->parent_table != NULL && grand != NULL)
                {
                  GPtrArray *list = g_hash_table_lookup (next, table->parent_table);
                  if (list == NULL)
                    {
                      list = g_ptr_array_new_with_free_func (g_free);
                      g_hash_table_insert (next, (gpointer) table->parent_table, list);
                    }
                  add_unique (list, grand);
                }
              g_hash_table_insert (p->parents, record_key (table->name, id), record);
              g_hash_table_iter_steal (&rows_iter);
            }
        }
      g_hash_table_remove_all (by_table);
      g_hash_table_iter_init (&iter, next);
      while (g_hash_table_iter_next (&iter, &k, &v))
        {
          g_hash_table_insert (by_table, k, v);
          g_hash_table_iter_steal (&iter);
        }
    }
  return TRUE;
}

static gboolean
load_people (Push *p, GError **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *users_json = NULL;
  g_autoptr(PGresult) roles = NULL;
  g_autoptr(PGresult) care = NULL;
  g_autoptr(PGresult) feed = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *keys = NULL;
  const char *params[1];

  add_unique (users, p->caller.user_id);
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      TfPushItem *item = d->item;
      const TfTable *t = item->table;
      JsonObject *f = item->mutation ? item->mutation->fields : NULL;

      if (d->outcome == OUTCOME_RETRY || item->mutation == NULL)
        continue;
      if (f == NULL)
        {
          /* A delete: the people are those of the stored record. */
          g_autofree char *key = record_key (t->name, item->id);
          State *state = g_hash_table_lookup (p->states, key);
          f = state && state->row ? state->row->fields : NULL;
        }
      add_people (users, t, f);
      g_ptr_array_add (tables, g_strdup (t->name));
      g_ptr_array_add (ids, g_strdup (item->id));
    }
  /* Parents' people too (a session's client, a goal's owner). */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, p->parents);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        TfRecord *parent = value;
        add_people (users, parent->table, parent->fields);
      }
  }

  users_json = json_array_text (users);
  params[0] = users_json;
  roles = tf_db_query (p->conn, "SELECT id::text, role FROM users"
                                " WHERE id IN (SELECT u::uuid FROM jsonb_array_elements_text($1::jsonb) u)",
                       1, params, error);
  if (roles == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (roles); row++)
    g_hash_table_insert (p->roles, g_strdup (PQgetvalue (roles, row, 0)),
                         g_strdup (PQgetvalue (roles, row, 1)));

  care = tf_db_query (p->conn,
                      "SELECT therapist_id::text, client_id::text, coalesce(share_mood, false),"
                      " coalesce(share_goals, false) FROM care_relationships"
                      " WHERE status = 'active' AND deleted_at IS NULL AND"
                      " (client_id IN (SELECT u::uuid FROM jsonb_array_elements_text($1::jsonb) u)"
                      "  OR therapist_id IN (SELECT u::uuid FROM jsonb_array_elements_text($1::jsonb) u))",
                      1, params, error);
  if (care == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (care); row++)
    {
      Care *c = g_new0 (Care, 1);
      c->therapist = g_strdup (PQgetvalue (care, row, 0));
      c->client = g_strdup (PQgetvalue (care, row, 1));
      c->share_mood = strcmp (PQgetvalue (care, row, 2), "t") == 0;
      c->share_goals = strcmp (PQgetvalue (care, row, 3), "t") == 0;
      g_ptr_array_add (p->care, c);
    }

  if (ids->len == 0)
    return TRUE;
  keys = keys_json (tables, ids);
  params[0] = keys;
  feed = tf_db_query (p->conn,
                      "SELECT f.table_name, f.record_id::text, f.user_id::text"
                      " FROM jsonb_to_recordset($1::jsonb) AS x(table_name text, record_id uuid)"
                      " JOIN sync_feed f USING (table_name, record_id) WHERE NOT f.revoked"
                      " UNION ALL SELECT f.table_name, f.record_id::text, '" TF_SYNC_EVERYONE "'"
                      " FROM jsonb_to_recordset($1::jsonb) AS x(table_name text, record_id uuid)"
                      " JOIN sync_public_feed f USING (table_name, record_id) WHERE NOT f.revoked",
                      1, params, error);
  if (feed == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (feed); row++)
    {
      g_autofree char *key = record_key (PQgetvalue (feed, row, 0), PQgetvalue (feed, row, 1));
      GPtrArray *list = g_hash_table_lookup (p->old_recipients, key);

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (p->old_recipients, g_strdup (key), list);
        }
      add_unique (list, PQgetvalue (feed, row, 2));
    }
  return TRUE;
}

/* --- who is who ----------------------------------------------------------- */

static gboolean
in_care (Push *p, const char *therapist, const char *client)
{
  for (guint i = 0; i < p->care->len; i++)
    {
      Care *c = g_ptr_array_index (p->care, i);
      if (g_strcmp0 (c->therapist, therapist) == 0 && g_strcmp0 (c->client, client) == 0)
        return TRUE;
    }
  return FALSE;
}

static const char *
role_of (Push *p, const char *user)
{
  return user ? g_hash_table_lookup (p->roles, user) : NULL;
}

/* The parent record of @fields: from this batch if it was written here, else
 * from the database. */
static TfRecord *
parent_of (Push *p, const TfTable *table, JsonObject *fields)
{
  const char *parent_id = tf_json_get_string (fields, table->parent_column);
  g_autofree char *key = NULL;
  State *state;

  if (table->parent_table == NULL || parent_id == NULL)
    return NULL;
  key = record_key (table->parent_table, parent_id);
  state = g_hash_table_lookup (p->states, key);
  if (state != NULL && state->row != NULL && !state->deleted)
    return state->row;
  return g_hash_table_lookup (p->parents, key);
}

/* The person a record belongs to (sync_records.owner_id). */
static const char *
owner_of (Push *p, const TfTable *table, JsonObject *fields)
{
  TfRecord *parent;

  if (table->owner_column != NULL)
    return tf_json_get_string (fields, table->owner_column);
  if (table->client_column != NULL)
    return tf_json_get_string (fields, table->client_column);
  parent = parent_of (p, table, fields);
  if (parent != NULL)
    return owner_of (p, parent->table, parent->fields);
  return NULL;
}

static void
add_therapists_of (Push *p, GPtrArray *list, const char *client, int share)
{
  for (guint i = 0; i < p->care->len; i++)
    {
      Care *c = g_ptr_array_index (p->care, i);

      if (g_strcmp0 (c->client, client) != 0)
        continue;
      if ((share == 1 && !c->share_mood) || (share == 2 && !c->share_goals))
        continue;
      add_unique (list, c->therapist);
    }
}

/* Who receives this record (DESIGN.md §3 visibility). */
static GPtrArray *
recipients_of (Push *p, const TfTable *t, JsonObject *fields, const char *owner)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  const char *name = t->name;

  if (t->audience == TF_AUDIENCE_DIRECTORY)
    add_unique (list, TF_SYNC_EVERYONE);
  else if (strcmp (name, "profiles") == 0)
    {
      if (g_strcmp0 (role_of (p, owner), "therapist") == 0)
        add_unique (list, TF_SYNC_EVERYONE);
      add_unique (list, owner);
      add_therapists_of (p, list, owner, 0);
    }
  else if (strcmp (name, "mood_entries") == 0)
    {
      add_unique (list, owner);
      add_therapists_of (p, list, owner, 1);
    }
  else if (strcmp (name, "goals") == 0 || strcmp (name, "goal_progress") == 0)
    {
      add_unique (list, owner);
      add_therapists_of (p, list, owner, 2);
    }
  else if (strcmp (name, "journal_entries") == 0)
    {
      add_unique (list, owner);
      if (field_true (fields, "therapist_shared"))
        add_therapists_of (p, list, owner, 0);
    }
  else if (strcmp (name, "key_grants") == 0)
    {
      add_unique (list, owner);
      add_unique (list, tf_json_get_string (fields, "recipient_id"));
    }
  else if (strcmp (name, "client_intakes") == 0)
    {
      add_unique (list, owner);
      add_therapists_of (p, list, owner, 0);
    }
  else if (strcmp (name, "client_histories") == 0)
    {
      add_therapists_of (p, list, tf_json_get_string (fields, "client_id"), 0);
      add_unique (list, p->caller.user_id);
    }
  else if (t->audience == TF_AUDIENCE_THERAPIST)
    add_unique (list, tf_json_get_string (fields, t->therapist_column)); /* plans, notes */
  else if (strcmp (name, "sessions") == 0)
    {
      TfRecord *appointment = parent_of (p, t, fields);
      if (appointment != NULL)
        {
          add_unique (list, tf_json_get_string (appointment->fields, "client_id"));
          add_unique (list, tf_json_get_string (appointment->fields, "therapist_id"));
        }
    }
  else
    add_people (list, t, fields);
  return list;
}

/* --- rules ---------------------------------------------------------------- */

static const char *authorize_full (Push *p, const TfTable *t, JsonObject *fields,
                                   TfRecord *current, gboolean party_only);

/* NULL when the caller may write @fields over @current; else the reason.
 * With @party_only, only whether the caller is a party to the record. */
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
        const char *owner = owner_of (p, t, fields);
        if (owner == NULL)
          return "the record it belongs to does not exist";
        if (g_strcmp0 (owner, me) != 0)
          return "this record belongs to someone else";
        if (strcmp (name, "key_grants") == 0)
          {
            /* Whoever may write the record (its owner, or the therapist who
             * wrote a session note or a history) may share its key. */
            const TfTable *granted_table = tf_registry_lookup (tf_json_get_string (fields, "table_name"));
            g_autofree char *key = record_key (tf_json_get_string (fields, "table_name"),
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
      if (!therapist)
        return "only a therapist may write this table";
      if (strcmp (name, "sessions") == 0)
        {
          TfRecord *appointment = parent_of (p, t, fields);
          if (appointment == NULL)
            return "the appointment does not exist";
          if (g_strcmp0 (tf_json_get_string (appointment->fields, "therapist_id"), me) != 0)
            return "this is another therapist's appointment";
          return NULL;
        }
      if (strcmp (name, "client_histories") == 0)
        return in_care (p, me, tf_json_get_string (fields, "client_id")) ? NULL
               : "this client is not in your care";
      if (g_strcmp0 (tf_json_get_string (fields, t->therapist_column), me) != 0)
        return "this record belongs to another therapist";
      if (strcmp (name, "session_notes") == 0)
        {
          TfRecord *session = parent_of (p, t, fields);
          TfRecord *appointment = session ? parent_of (p, session->table, session->fields) : NULL;

          if (appointment == NULL ||
              g_strcmp0 (tf_json_get_string (appointment->fields, "therapist_id"), me) != 0)
            return "this is another therapist's session";
        }
      if (strcmp (name, "treatment_plans") == 0 &&
          !in_care (p, me, tf_json_get_string (fields, "client_id")))
        return "this client is not in your care";
      return NULL;

    case TF_WRITER_CARE:
      {
        const char *client = tf_json_get_string (fields, t->client_column);
        const char *their_therapist = tf_json_get_string (fields, t->therapist_column);

        if (strcmp (name, "care_relationships") == 0)
          {
            if (party_only && g_strcmp0 (their_therapist, me) == 0)
              return NULL;
            if (g_strcmp0 (client, me) == 0)
              return NULL; /* the client chooses, shares, ends */
            if (g_strcmp0 (their_therapist, me) == 0 && current != NULL &&
                g_strcmp0 (tf_json_get_string (fields, "status"), "ended") == 0 &&
                field_true (fields, "share_mood") == field_true (current->fields, "share_mood") &&
                field_true (fields, "share_goals") == field_true (current->fields, "share_goals"))
              return NULL; /* the therapist may only end it */
            return "only the client can start or change a care relationship; "
                   "the therapist can end it";
          }
        if (g_strcmp0 (client, me) == 0)
          return NULL;
        if (therapist && their_therapist != NULL && g_strcmp0 (their_therapist, me) == 0 &&
            (current != NULL || in_care (p, me, client)))
          return NULL;
        if (therapist && their_therapist == NULL && in_care (p, me, client))
          return NULL;
        return "this record belongs to someone else";
      }

    default:
      g_assert_not_reached ();
    }
}

static const char *
authorize (Push *p, const TfTable *t, JsonObject *fields, TfRecord *current)
{
  return authorize_full (p, t, fields, current, FALSE);
}

/* Fixed columns keep their value once the record exists. */
static const char *
changed_immutable (const TfTable *t, JsonObject *fields, TfRecord *current)
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
static gboolean
is_admin (Push *p)
{
  return g_strcmp0 (p->caller.role, "business_admin") == 0 ||
         g_strcmp0 (p->caller.role, "super_admin") == 0;
}

static const char *
changed_by_admin_only (Push *p, const TfTable *t, JsonObject *fields, TfRecord *current)
{
  if (is_admin (p))
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

/* What a client may not change on an existing appointment: where and how
 * it takes place ever, the time once the therapist confirmed it.  (The
 * price, the service and the length are the offer's: the server keeps them,
 * tf_sync_rules_keep_terms.) */
static const char *
changed_by_client (Push *p, JsonObject *fields, TfRecord *current)
{
  static const char * const never[] = { "location_type", "meeting_url" };
  static const char * const once_confirmed[] = { "appointment_datetime" };

  if (current == NULL ||
      g_strcmp0 (tf_json_get_string (current->fields, "therapist_id"), p->caller.user_id) == 0)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (never); i++)
    if (json_object_has_member (fields, never[i]) &&
        !tf_sync_rules_same_value (fields, current->fields, never[i]))
      return never[i];
  if (g_strcmp0 (tf_json_get_string (current->fields, "status"), "pending") != 0)
    for (guint i = 0; i < G_N_ELEMENTS (once_confirmed); i++)
      if (json_object_has_member (fields, once_confirmed[i]) &&
          !tf_sync_rules_same_value (fields, current->fields, once_confirmed[i]))
        return once_confirmed[i];
  return NULL;
}

static gboolean
allowed_transition (const char *from, const char *to, gboolean therapist)
{
  if (g_strcmp0 (from, to) == 0)
    return g_strcmp0 (from, "pending") == 0 || g_strcmp0 (from, "confirmed") == 0;
  if (g_strcmp0 (to, "cancelled") == 0)
    return g_strcmp0 (from, "pending") == 0 || g_strcmp0 (from, "confirmed") == 0;
  if (!therapist)
    return FALSE;
  if (g_strcmp0 (from, "pending") == 0)
    return g_strcmp0 (to, "confirmed") == 0;
  if (g_strcmp0 (from, "confirmed") == 0)
    return g_strcmp0 (to, "completed") == 0 || g_strcmp0 (to, "no_show") == 0;
  return FALSE;
}

/* The scheduling rules the server enforces on appointments. */
static gboolean
check_appointment (Push *p, Decision *d, JsonObject *fields, TfRecord *current, GError **error)
{
  const char *status = tf_json_get_string (fields, "status");
  const char *therapist = tf_json_get_string (fields, "therapist_id");
  const char *start = tf_json_get_string (fields, "appointment_datetime");
  gint64 duration = json_object_get_int_member_with_default (fields, "duration", 0);
  gboolean by_therapist = g_strcmp0 (p->caller.user_id, therapist) == 0;
  g_autofree char *minutes = g_strdup_printf ("%" G_GINT64_FORMAT, duration);
  g_autoptr(PGresult) result = NULL;
  const char *params[4];

  if (current == NULL)
    {
      if (g_strcmp0 (status, "pending") != 0 && !(by_therapist && g_strcmp0 (status, "confirmed") == 0))
        {
          reject (d, "bad_transition", "a new appointment is pending (or confirmed by its therapist)");
          return TRUE;
        }
    }
  else if (!allowed_transition (tf_json_get_string (current->fields, "status"), status, by_therapist))
    {
      reject (d, "bad_transition", "an appointment cannot go from %s to %s%s",
              tf_json_get_string (current->fields, "status"), status,
              by_therapist ? "" : " (some changes are the therapist's)");
      return TRUE;
    }
  if (g_strcmp0 (status, "cancelled") == 0)
    {
      if (g_strcmp0 (tf_json_get_string (fields, "cancelled_by"), p->caller.user_id) != 0)
        {
          reject (d, "validation", "cancelled_by must be the one who cancels");
          return TRUE;
        }
      return TRUE; /* a cancellation frees the slot: nothing to check */
    }

  params[0] = therapist;
  params[1] = d->item->id;
  params[2] = start;
  params[3] = minutes;
  result = tf_db_query (p->conn,
                        "SELECT"
                        " (SELECT a.id::text FROM appointments a WHERE a.therapist_id = $1::uuid"
                        "   AND a.id <> $2::uuid AND a.status <> 'cancelled' AND a.deleted_at IS NULL"
                        "   AND a.appointment_datetime < $3::timestamptz + make_interval(mins => $4::int)"
                        "   AND a.appointment_datetime + make_interval(mins => a.duration) > $3::timestamptz"
                        "   LIMIT 1),"
                        " EXISTS (SELECT 1 FROM therapist_blocked_dates b WHERE b.therapist_id = $1::uuid"
                        "   AND b.deleted_at IS NULL AND b.blocked_date = ($3::timestamptz AT TIME ZONE"
                        "   coalesce((SELECT timezone FROM profiles WHERE user_id = $1::uuid),"
                        "            'Europe/Athens'))::date)",
                        4, params, error);
  if (result == NULL)
    return FALSE;
  if (!PQgetisnull (result, 0, 0))
    {
      reject (d, "slot_taken", "the therapist already has an appointment at that time");
      return TRUE;
    }
  if (strcmp (PQgetvalue (result, 0, 1), "t") == 0)
    {
      reject (d, "blocked_date", "the therapist does not take appointments on that day");
      return TRUE;
    }

  /* Overlaps with appointments applied earlier in this same batch. */
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *other = g_ptr_array_index (p->decisions, i);
      JsonObject *of;
      g_autoptr(GDateTime) a0 = NULL, b0 = NULL;
      gint64 od;

      if (other == d)
        break;
      if (other->outcome != OUTCOME_APPLY || other->item->table != d->item->table ||
          other->item->op != TF_MUTATION_UPSERT || strcmp (other->item->id, d->item->id) == 0)
        continue;
      of = other->item->mutation->fields;
      if (g_strcmp0 (tf_json_get_string (of, "therapist_id"), therapist) != 0 ||
          g_strcmp0 (tf_json_get_string (of, "status"), "cancelled") == 0)
        continue;
      a0 = g_date_time_new_from_iso8601 (start, NULL);
      b0 = g_date_time_new_from_iso8601 (tf_json_get_string (of, "appointment_datetime"), NULL);
      od = json_object_get_int_member_with_default (of, "duration", 0);
      if (a0 && b0 && g_date_time_difference (b0, a0) < duration * G_TIME_SPAN_MINUTE &&
          g_date_time_difference (a0, b0) < od * G_TIME_SPAN_MINUTE)
        {
          reject (d, "slot_taken", "the therapist already has an appointment at that time");
          return TRUE;
        }
    }
  return TRUE;
}

/* When the record was locked, or NULL.  A table with a locked_at column
 * (session notes) holds records that are signed and then final: once the
 * stored row (or an earlier mutation of this batch) has locked_at, nothing
 * may change or delete it.  Setting locked_at on an unlocked record is an
 * ordinary upsert. */
static const char *
locked_since (const TfTable *t, const State *state)
{
  if (state == NULL || state->row == NULL || tf_table_get_column (t, "locked_at") == NULL)
    return NULL;
  return tf_json_get_string (state->row->fields, "locked_at");
}

/* An active care relationship of @therapist and @client, stored or applied
 * earlier in this push (a client offline links and books in one push). */
static gboolean
in_care_now (Push *p, Decision *d, const char *therapist, const char *client)
{
  if (in_care (p, therapist, client))
    return TRUE;
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *other = g_ptr_array_index (p->decisions, i);
      JsonObject *f;

      if (other == d)
        break;
      if (other->outcome != OUTCOME_APPLY || other->item->op != TF_MUTATION_UPSERT ||
          other->item->table != tf_registry_lookup ("care_relationships"))
        continue;
      f = other->item->mutation->fields;
      if (g_strcmp0 (tf_json_get_string (f, "therapist_id"), therapist) == 0 &&
          g_strcmp0 (tf_json_get_string (f, "client_id"), client) == 0 &&
          g_strcmp0 (tf_json_get_string (f, "status"), "active") == 0)
        return TRUE;
    }
  return FALSE;
}

/* New pending bookings of @client applied earlier in this push. */
static guint
pending_in_push (Push *p, Decision *d, const char *client)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *other = g_ptr_array_index (p->decisions, i);
      g_autofree char *key = NULL;
      State *state;
      JsonObject *f;

      if (other == d)
        break;
      if (other->outcome != OUTCOME_APPLY || other->item->op != TF_MUTATION_UPSERT ||
          other->item->table != d->item->table)
        continue;
      f = other->item->mutation->fields;
      key = record_key (other->item->table->name, other->item->id);
      state = g_hash_table_lookup (p->states, key);
      if (g_strcmp0 (tf_json_get_string (f, "client_id"), client) == 0 &&
          g_strcmp0 (tf_json_get_string (f, "status"), "pending") == 0 &&
          (state == NULL || !state->existed))
        g_hash_table_add (ids, other->item->id);
    }
  return g_hash_table_size (ids);
}

/* The booking rules of tf-sync-rules.c for an appointment upsert: before
 * the overlap checks (@hours FALSE: notice, care, offer, pending limit) or
 * after them (@hours TRUE: the therapist's hours). */
static gboolean
check_booking (Push *p, Decision *d, JsonObject *fields, TfRecord *current, gboolean hours,
               gboolean *corrected, GError **error)
{
  const char *client = tf_json_get_string (fields, "client_id");
  const char *therapist = tf_json_get_string (fields, "therapist_id");
  TfBookingCheck check = {
    .conn = p->conn,
    .now = p->now,
    .notice_minutes = p->job->booking_notice_minutes,
    .pending_limit = p->job->booking_pending_limit,
    .by_client = g_strcmp0 (p->caller.user_id, therapist) != 0,
  };
  const char *code = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  if (hours)
    ok = tf_sync_rules_check_hours (&check, fields, current, &code, &message, error);
  else
    {
      check.in_care = in_care_now (p, d, therapist, client);
      check.pending_in_push = pending_in_push (p, d, client);
      ok = tf_sync_rules_check_booking (&check, d->item->id, fields, current, corrected, &code,
                                        &message, error);
    }
  if (ok && code != NULL)
    reject (d, code, "%s", message);
  return ok;
}

/* --- deciding ------------------------------------------------------------- */

static gboolean
decide (Push *p, Decision *d, gint64 version, GError **error)
{
  TfPushItem *item = d->item;
  const TfTable *t = item->table;
  g_autofree char *key = record_key (t->name, item->id);
  State *state = g_hash_table_lookup (p->states, key);
  gint64 current_version = state ? state->version : 0;
  TfRecord *current = state && !state->deleted ? state->row : NULL;
  JsonObject *fields;
  const char *why;
  const char *fixed;
  const char *locked;
  gboolean corrected = FALSE;

  if (item->mutation == NULL)
    {
      const char *code;
      tf_http_status_for_error (item->invalid, &code);
      reject (d, code, "%s", item->invalid->message);
      return TRUE;
    }
  /* Someone else's record: refused before anything about it is revealed
   * (a conflict would carry its content). */
  if (state != NULL && state->row != NULL &&
      (why = authorize_full (p, t, state->row->fields, state->row, TRUE)) != NULL)
    {
      reject (d, "forbidden", "%s", why);
      return TRUE;
    }
  /* Before the version check: a locked record is final whatever the device
   * based its change on, and a conflict would only invite a merge that can
   * never be applied. */
  if ((locked = locked_since (t, state)) != NULL)
    {
      reject (d, "locked", "this %s was signed and locked at %s; it can no longer be %s",
              strcmp (t->name, "session_notes") == 0 ? "session note" : "record", locked,
              item->op == TF_MUTATION_DELETE ? "deleted" : "changed");
      return TRUE;
    }
  if (item->base_version != current_version)
    {
      d->outcome = OUTCOME_CONFLICT;
      d->result = result_conflict (item->mutation_id, state ? state->row : NULL);
      return TRUE;
    }

  if (item->op == TF_MUTATION_DELETE)
    {
      if (state == NULL || state->row == NULL)
        {
          reject (d, "not_found", "there is no such record to delete");
          return TRUE;
        }
      fields = state->row->fields;
      if (state->deleted)
        {
          /* Already a tombstone: the delete is done. */
          d->outcome = OUTCOME_APPLY;
          d->version = 0;
          d->result = result_applied (item->mutation_id, state->version);
          return TRUE;
        }
      /* Deleting needs the same right as writing. */
      if ((why = authorize (p, t, fields, current)) != NULL)
        {
          reject (d, "forbidden", "%s", why);
          return TRUE;
        }
      if (strcmp (t->name, "appointments") == 0)
        {
          reject (d, "bad_transition", "an appointment is cancelled, not deleted");
          return TRUE;
        }
      if (strcmp (t->name, "care_relationships") == 0)
        {
          reject (d, "bad_transition", "a care relationship is ended, not deleted");
          return TRUE;
        }
    }
  else
    {
      fields = item->mutation->fields;
      corrected = tf_sync_rules_stamp (t, fields, state ? state->row : NULL, p->now);
      if ((fixed = changed_immutable (t, fields, state ? state->row : NULL)) != NULL)
        {
          reject (d, "immutable_field", "%s cannot change once the record exists", fixed);
          return TRUE;
        }
      if ((why = authorize (p, t, fields, current)) != NULL)
        {
          reject (d, "forbidden", "%s", why);
          return TRUE;
        }
      if ((fixed = changed_by_admin_only (p, t, fields, current)) != NULL)
        {
          reject (d, "forbidden", "%s is set by an administrator or by verification", fixed);
          return TRUE;
        }
      if (strcmp (t->name, "appointments") == 0)
        {
          if (current != NULL &&
              g_strcmp0 (tf_json_get_string (current->fields, "therapist_id"),
                         p->caller.user_id) != 0 &&
              tf_sync_rules_keep_terms (fields, current))
            corrected = TRUE;
          if ((fixed = changed_by_client (p, fields, current)) != NULL)
            {
              reject (d, "forbidden", "%s of this appointment is the therapist's to change", fixed);
              return TRUE;
            }
          if (!check_booking (p, d, fields, current, FALSE, &corrected, error))
            return FALSE;
          if (d->outcome == OUTCOME_REJECT)
            return TRUE;
          if (!check_appointment (p, d, fields, current, error))
            return FALSE;
          if (d->outcome == OUTCOME_REJECT)
            return TRUE;
          if (!check_booking (p, d, fields, current, TRUE, &corrected, error))
            return FALSE;
          if (d->outcome == OUTCOME_REJECT)
            return TRUE;
        }
    }

  if (item->op == TF_MUTATION_UPSERT && tf_sync_rules_correct (t, fields, current, is_admin (p)))
    corrected = TRUE;

  d->outcome = OUTCOME_APPLY;
  d->version = version;
  d->owner = g_strdup (owner_of (p, t, fields));
  d->recipients = recipients_of (p, t, fields, d->owner);
  if (corrected)
    {
      g_autoptr(TfRecord) stored = tf_sync_rules_stored (t, item->id, fields, current, version);
      d->result = result_applied_as (item->mutation_id, version, stored);
    }
  else
    d->result = result_applied (item->mutation_id, version);

  /* Later mutations of this batch see this one. */
  if (state == NULL)
    {
      state = g_new0 (State, 1);
      g_hash_table_insert (p->states, g_steal_pointer (&key), state);
    }
  state->version = version;
  state->deleted = item->op == TF_MUTATION_DELETE;
  g_free (state->owner);
  state->owner = g_strdup (d->owner);
  if (item->op == TF_MUTATION_UPSERT)
    {
      g_clear_pointer (&state->row, tf_record_free);
      state->row = tf_record_new (t, item->id);
      json_object_unref (state->row->fields);
      state->row->fields = json_object_ref (fields);
      state->row->version = version;
    }
  else if (state->row != NULL)
    {
      state->row->version = version;
      state->row->deleted = TRUE;
    }
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
      g_string_printf (sql, "UPDATE %s SET deleted_at = CURRENT_TIMESTAMP, version = $1::bigint"
                            " WHERE %s = $2::uuid", t->name, t->key_column);
      tf_db_statement_add (st, version);
      tf_db_statement_add (st, item->id);
    }
  else if (exists)
    {
      JsonObject *fields = item->mutation->fields;

      g_string_printf (sql, "UPDATE %s SET version = $1::bigint, deleted_at = NULL", t->name);
      tf_db_statement_add (st, version);
      n = 1;
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

/* Writes every applied row; a row PostgreSQL refuses becomes a rejection. */
static gboolean
write_rows (Push *p, GError **error)
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
      key = record_key (d->item->table->name, d->item->id);
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
      reject (d, code, "%s", message_for_code (code));
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
            reject (later, code, "an earlier change to this record in the same push was refused");
          g_free (st->sql);
          st->sql = g_strdup ("SELECT 1");
          g_ptr_array_set_size (st->params, 0);
        }
    }
  return TRUE;
}

/* --- bookkeeping ---------------------------------------------------------- */

static gboolean
exec_json (PGconn *conn, const char *sql, JsonBuilder *rows, const char *p2, const char *p3,
           const char *p4, GError **error)
{
  g_autoptr(JsonNode) root = json_builder_get_root (rows);
  g_autofree char *text = json_to_string (root, FALSE);
  const char *params[] = { text, p2, p3, p4 };
  int n = 1;
  g_autoptr(PGresult) result = NULL;

  /* As many parameters as the statement names: a NULL one (no User-Agent,
   * say) is an SQL NULL, not a shorter list. */
  for (const char *c = strchr (sql, '$'); c != NULL; c = strchr (c + 1, '$'))
    n = MAX (n, (int) g_ascii_strtoll (c + 1, NULL, 10));
  g_assert (n <= (int) G_N_ELEMENTS (params));
  result = tf_db_query (conn, sql, n, params, error);

  return result != NULL;
}

static gboolean
record_bookkeeping (Push *p, const char *device_id, gint64 last_mutation_id, GError **error)
{
  g_autoptr(JsonBuilder) records = json_builder_new ();
  g_autoptr(JsonBuilder) feed = json_builder_new ();
  g_autoptr(JsonBuilder) results = json_builder_new ();
  g_autoptr(JsonBuilder) audit = json_builder_new ();
  g_autoptr(JsonBuilder) notify = json_builder_new ();
  g_autoptr(GPtrArray) notified = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, last_mutation_id);
  g_autoptr(GPtrArray) care_changes = g_ptr_array_new_with_free_func (g_free);

  json_builder_begin_array (records);
  json_builder_begin_array (feed);
  json_builder_begin_array (results);
  json_builder_begin_array (audit);
  json_builder_begin_array (notify);

  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      TfPushItem *item = d->item;
      const char *action;

      if (d->outcome == OUTCOME_RETRY)
        continue;

      json_builder_begin_object (results);
      json_builder_set_member_name (results, "mutation_id");
      json_builder_add_int_value (results, item->mutation_id);
      json_builder_set_member_name (results, "result");
      json_builder_add_value (results, json_node_copy (d->result));
      json_builder_end_object (results);

      action = d->outcome == OUTCOME_APPLY ? (item->op == TF_MUTATION_DELETE ? "delete" : "write")
             : d->outcome == OUTCOME_CONFLICT ? "conflict" : "rejected";
      json_builder_begin_object (audit);
      json_builder_set_member_name (audit, "action");
      json_builder_add_string_value (audit, action);
      json_builder_set_member_name (audit, "table_name");
      json_builder_add_string_value (audit, item->table->name);
      json_builder_set_member_name (audit, "record_id");
      json_builder_add_string_value (audit, item->id);
      json_builder_end_object (audit);

      if (d->outcome != OUTCOME_APPLY || d->version == 0)
        continue;

      json_builder_begin_object (records);
      json_builder_set_member_name (records, "table_name");
      json_builder_add_string_value (records, item->table->name);
      json_builder_set_member_name (records, "record_id");
      json_builder_add_string_value (records, item->id);
      json_builder_set_member_name (records, "version");
      json_builder_add_int_value (records, d->version);
      json_builder_set_member_name (records, "owner_id");
      if (d->owner)
        json_builder_add_string_value (records, d->owner);
      else
        json_builder_add_null_value (records);
      json_builder_set_member_name (records, "deleted");
      json_builder_add_boolean_value (records, item->op == TF_MUTATION_DELETE);
      json_builder_end_object (records);

      /* Recipients now, and those who had it and lose it. */
      {
        g_autofree char *key = record_key (item->table->name, item->id);
        GPtrArray *old = g_hash_table_lookup (p->old_recipients, key);
        g_autoptr(GPtrArray) everyone = g_ptr_array_new ();

        for (guint r = 0; r < d->recipients->len; r++)
          g_ptr_array_add (everyone, g_ptr_array_index (d->recipients, r));
        for (guint r = 0; old != NULL && r < old->len; r++)
          {
            const char *user = g_ptr_array_index (old, r);
            gboolean kept = FALSE;
            for (guint q = 0; q < d->recipients->len && !kept; q++)
              kept = strcmp (g_ptr_array_index (d->recipients, q), user) == 0;
            if (!kept)
              g_ptr_array_add (everyone, (gpointer) user);
          }
        for (guint r = 0; r < everyone->len; r++)
          {
            const char *user = g_ptr_array_index (everyone, r);
            json_builder_begin_object (feed);
            json_builder_set_member_name (feed, "user_id");
            json_builder_add_string_value (feed, user);
            json_builder_set_member_name (feed, "table_name");
            json_builder_add_string_value (feed, item->table->name);
            json_builder_set_member_name (feed, "record_id");
            json_builder_add_string_value (feed, item->id);
            json_builder_set_member_name (feed, "version");
            json_builder_add_int_value (feed, d->version);
            json_builder_set_member_name (feed, "revoked");
            json_builder_add_boolean_value (feed, r >= d->recipients->len);
            json_builder_end_object (feed);
            add_unique (notified, user);
          }
        /* Key grants follow the record's life: a share that stops is gone. */
        if (item->table == tf_registry_lookup ("care_relationships"))
          {
            JsonObject *f = item->mutation->fields;
            g_ptr_array_add (care_changes, g_strdup (tf_json_get_string (f, "therapist_id")));
            g_ptr_array_add (care_changes, g_strdup (tf_json_get_string (f, "client_id")));
            add_unique (notified, tf_json_get_string (f, "therapist_id"));
          }
      }
    }
  json_builder_end_array (records);
  json_builder_end_array (feed);
  json_builder_end_array (results);
  json_builder_end_array (audit);
  for (guint i = 0; i < notified->len; i++)
    json_builder_add_string_value (notify, g_ptr_array_index (notified, i));
  json_builder_end_array (notify);

  if (!exec_json (p->conn,
                  "INSERT INTO sync_records (table_name, record_id, version, owner_id, deleted)"
                  " SELECT x.table_name, x.record_id, x.version, x.owner_id, x.deleted"
                  " FROM jsonb_to_recordset($1::jsonb) AS x(table_name text, record_id uuid,"
                  " version bigint, owner_id uuid, deleted boolean)"
                  " ON CONFLICT (table_name, record_id) DO UPDATE SET version = EXCLUDED.version,"
                  " owner_id = EXCLUDED.owner_id, deleted = EXCLUDED.deleted,"
                  " updated_at = CURRENT_TIMESTAMP",
                  records, NULL, NULL, NULL, error) ||
      !exec_json (p->conn,
                  "WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(user_id text,"
                  " table_name text, record_id uuid, version bigint, revoked boolean)),"
                  " public AS (INSERT INTO sync_public_feed (table_name, record_id, version,"
                  " revoked) SELECT x.table_name, x.record_id, x.version, x.revoked FROM x"
                  " WHERE x.user_id = '" TF_SYNC_EVERYONE "'"
                  " ON CONFLICT (table_name, record_id) DO UPDATE SET"
                  " version = EXCLUDED.version, revoked = EXCLUDED.revoked)"
                  " INSERT INTO sync_feed (user_id, table_name, record_id, version, revoked)"
                  " SELECT x.user_id::uuid, x.table_name, x.record_id, x.version, x.revoked"
                  " FROM x WHERE x.user_id <> '" TF_SYNC_EVERYONE "'"
                  " ON CONFLICT (user_id, table_name, record_id) DO UPDATE SET"
                  " version = EXCLUDED.version, revoked = EXCLUDED.revoked",
                  feed, NULL, NULL, NULL, error) ||
      !exec_json (p->conn,
                  "INSERT INTO sync_mutation_results (device_id, user_id, mutation_id, result)"
                  " SELECT $2::uuid, $3::uuid, (e->>'mutation_id')::bigint, e->'result'"
                  " FROM jsonb_array_elements($1::jsonb) e",
                  results, device_id, p->caller.user_id, NULL, error) ||
      !exec_json (p->conn,
                  "INSERT INTO audit_logs (user_id, action, table_name, record_id, ip_address,"
                  " user_agent) SELECT $2::uuid, x.action, x.table_name, x.record_id, $3::inet, $4"
                  " FROM jsonb_to_recordset($1::jsonb) AS x(action text, table_name text,"
                  " record_id uuid)",
                  audit, p->caller.user_id, p->job->address, p->job->user_agent, error))
    return FALSE;

  for (guint i = 0; i + 1 < care_changes->len; i += 2)
    {
      const char *params[] = { g_ptr_array_index (care_changes, i),
                               g_ptr_array_index (care_changes, i + 1) };
      g_autoptr(PGresult) r = tf_db_query (p->conn, "SELECT sync_refresh_care($1::uuid, $2::uuid)",
                                           2, params, error);
      if (r == NULL)
        return FALSE;
    }

  {
    const char *params[] = { device_id, p->caller.user_id, last };
    g_autoptr(PGresult) r = tf_db_query (p->conn,
                                         "UPDATE sync_devices SET last_mutation_id ="
                                         " GREATEST(last_mutation_id, $3::bigint)"
                                         " WHERE device_id = $1::uuid AND user_id = $2::uuid",
                                         3, params, error);
    if (r == NULL)
      return FALSE;
  }
  /* Delivered at commit; the wait endpoint wakes those users. */
  return exec_json (p->conn, "SELECT pg_notify('tf_sync', u)"
                             " FROM jsonb_array_elements_text($1::jsonb) u",
                    notify, NULL, NULL, NULL, error);
}

/* --- the push ------------------------------------------------------------- */

static gboolean
load_retries (Push *p, const char *device_id, gint64 last_mutation_id, GError **error)
{
  g_autoptr(JsonBuilder) ids = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *params[3];
  gboolean any = FALSE;

  json_builder_begin_array (ids);
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);
      if (d->item->mutation_id <= last_mutation_id)
        {
          d->outcome = OUTCOME_RETRY;
          json_builder_add_int_value (ids, d->item->mutation_id);
          any = TRUE;
        }
    }
  json_builder_end_array (ids);
  if (!any)
    return TRUE;
  root = json_builder_get_root (ids);
  text = json_to_string (root, FALSE);
  params[0] = device_id;
  params[1] = p->caller.user_id;
  params[2] = text;
  result = tf_db_query (p->conn,
                        "SELECT mutation_id, result::text FROM sync_mutation_results"
                        " WHERE device_id = $1::uuid AND user_id = $2::uuid AND mutation_id IN"
                        " (SELECT e::bigint FROM jsonb_array_elements_text($3::jsonb) e)",
                        3, params, error);
  if (result == NULL)
    return FALSE;
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);

      if (d->outcome != OUTCOME_RETRY)
        continue;
      for (int row = 0; row < PQntuples (result); row++)
        if (g_ascii_strtoll (PQgetvalue (result, row, 0), NULL, 10) == d->item->mutation_id)
          d->result = json_from_string (PQgetvalue (result, row, 1), NULL);
      if (d->result == NULL)
        d->result = result_rejected (d->item->mutation_id, "unknown_mutation",
                                     "this mutation id was used before, but its answer is gone");
      /* Marked, so a device that never sent this id before (a profile
       * restored from a backup, or copied) learns it reused one. */
      if (JSON_NODE_HOLDS_OBJECT (d->result))
        json_object_set_boolean_member (json_node_get_object (d->result), "repeat", TRUE);
    }
  return TRUE;
}

static JsonNode *
push_locked (Push *p, GError **error)
{
  TfPushJob *job = p->job;
  g_autoptr(PGresult) device = NULL;
  g_autoptr(PGresult) versions = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *n_new = NULL;
  const char *device_id;
  gint64 last_mutation_id, max_id = 0;
  guint fresh = 0, v = 0;

  if (!tf_auth_check_token (p->conn, job->token, &p->caller, error))
    return NULL;
  device_id = p->caller.device_id;
  {
    const char *params[] = { device_id, p->caller.user_id };
    device = tf_db_query (p->conn,
                          "INSERT INTO sync_devices (device_id, user_id) VALUES ($1::uuid, $2::uuid)"
                          " ON CONFLICT (device_id, user_id) DO UPDATE SET device_id = EXCLUDED.device_id"
                          " RETURNING last_mutation_id",
                          2, params, error);
    if (device == NULL)
      return NULL;
  }
  last_mutation_id = g_ascii_strtoll (PQgetvalue (device, 0, 0), NULL, 10);

  for (guint i = 0; i < job->items->len; i++)
    {
      Decision *d = g_new0 (Decision, 1);
      d->item = g_ptr_array_index (job->items, i);
      d->outcome = OUTCOME_UNDECIDED;
      g_ptr_array_add (p->decisions, d);
      max_id = MAX (max_id, d->item->mutation_id);
    }
  if (!load_retries (p, device_id, last_mutation_id, error) ||
      !load_states (p, error) || !load_parents (p, error) || !load_people (p, error))
    return NULL;

  for (guint i = 0; i < p->decisions->len; i++)
    if (((Decision *) g_ptr_array_index (p->decisions, i))->outcome != OUTCOME_RETRY)
      fresh++;
  n_new = g_strdup_printf ("%u", fresh);
  {
    const char *params[] = { n_new };
    versions = tf_db_query (p->conn, "SELECT nextval('sync_version_seq')"
                                     " FROM generate_series(1, $1::int)", 1, params, error);
    if (versions == NULL)
      return NULL;
  }
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);

      if (d->outcome == OUTCOME_RETRY)
        continue;
      if (!decide (p, d, g_ascii_strtoll (PQgetvalue (versions, (int) v++, 0), NULL, 10), error))
        return NULL;
    }
  if (!write_rows (p, error) ||
      !record_bookkeeping (p, device_id, MAX (max_id, last_mutation_id), error))
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < p->decisions->len; i++)
    json_builder_add_value (builder,
                            json_node_copy (((Decision *) g_ptr_array_index (p->decisions, i))->result));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "last_mutation_id");
  json_builder_add_int_value (builder, MAX (max_id, last_mutation_id));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
tf_sync_push_run (PGconn *conn, TfPushJob *job, GError **error)
{
  Push p = { 0 };
  JsonNode *response = NULL;

  p.conn = conn;
  p.job = job;
  p.states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) state_free);
  p.parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) tf_record_free);
  p.roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p.care = g_ptr_array_new_with_free_func ((GDestroyNotify) care_free);
  p.old_recipients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  p.decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) decision_free);
  p.now = g_date_time_new_now_utc ();

  if (tf_db_exec (conn, "BEGIN; SELECT pg_advisory_xact_lock(" TF_SYNC_LOCK_KEY ")", error))
    {
      response = push_locked (&p, error);
      if (response != NULL && !tf_db_commit_durable (conn, error))
        g_clear_pointer (&response, json_node_unref);
      if (response == NULL)
        {
          g_autoptr(PGresult) rollback = PQexec (conn, "ROLLBACK");
        }
    }

  g_hash_table_unref (p.states);
  g_hash_table_unref (p.parents);
  g_hash_table_unref (p.roles);
  g_ptr_array_unref (p.care);
  g_hash_table_unref (p.old_recipients);
  g_ptr_array_unref (p.decisions);
  g_date_time_unref (p.now);
  tf_auth_caller_clear (&p.caller);
  return response;
}
