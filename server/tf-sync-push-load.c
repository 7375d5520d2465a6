/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push-load.c: what a push reads before it decides anything.
 *
 * Step 3 of a push (tf-sync-push.c): in a handful of set-based queries over
 * the whole batch, the records' versions and owners (sync_records), their
 * current rows, their parents two levels up (a session note's session and
 * its appointment), the roles of everyone named, the active care
 * relationships among them and who receives each record now.  Then the
 * lookups over what was loaded that the decisions ask: is this therapist
 * caring for this client, what is this record's parent, whose is it.  A
 * parent written earlier in the same batch wins over the database's.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-db.h"
#include "tf-sync-push-private.h"
#include "tf-sync-read.h"

/* The people a record of @t with @fields names: owner, client, therapist. */
void
tf_push_add_people (GPtrArray *list, const TfTable *t, JsonObject *fields)
{
  tf_push_add_unique (list, tf_json_get_string (fields, t->owner_column));
  tf_push_add_unique (list, tf_json_get_string (fields, t->client_column));
  tf_push_add_unique (list, tf_json_get_string (fields, t->therapist_column));
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

gboolean
tf_push_load_states (Push *p, GError **error)
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
      g_hash_table_insert (p->states, tf_push_record_key (table, PQgetvalue (result, row, 1)),
                           state);
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
          g_autofree char *key = tf_push_record_key (table->name, id);
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

gboolean
tf_push_load_parents (Push *p, GError **error)
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
      key = tf_push_record_key (item->table->name, item->id);
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
      tf_push_add_unique (list, parent_id);
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
                  tf_push_add_unique (list, grand);
                }
              g_hash_table_insert (p->parents, tf_push_record_key (table->name, id), record);
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

gboolean
tf_push_load_people (Push *p, GError **error)
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

  tf_push_add_unique (users, p->caller.user_id);
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
          g_autofree char *key = tf_push_record_key (t->name, item->id);
          State *state = g_hash_table_lookup (p->states, key);
          f = state && state->row ? state->row->fields : NULL;
        }
      tf_push_add_people (users, t, f);
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
        tf_push_add_people (users, parent->table, parent->fields);
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

  /* A therapist's managed clients, whose own records the therapist writes
   * in their name.  FOR SHARE: a hand-over (the client registering with an
   * invitation, which clears managed_by) waits for this push, or this push
   * for it and then finds no row. */
  if (g_strcmp0 (p->caller.role, "therapist") == 0)
    {
      const char *caller[] = { p->caller.user_id };
      g_autoptr(PGresult) managed =
        tf_db_query (p->conn, "SELECT id::text FROM users WHERE managed_by = $1::uuid"
                              " FOR SHARE", 1, caller, error);

      if (managed == NULL)
        return FALSE;
      for (int row = 0; row < PQntuples (managed); row++)
        g_hash_table_add (p->managed, g_strdup (PQgetvalue (managed, row, 0)));
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
      g_autofree char *key = tf_push_record_key (PQgetvalue (feed, row, 0),
                                                 PQgetvalue (feed, row, 1));
      GPtrArray *list = g_hash_table_lookup (p->old_recipients, key);

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (p->old_recipients, g_strdup (key), list);
        }
      tf_push_add_unique (list, PQgetvalue (feed, row, 2));
    }
  return TRUE;
}

/* --- who is who ----------------------------------------------------------- */

gboolean
tf_push_in_care (Push *p, const char *therapist, const char *client)
{
  for (guint i = 0; i < p->care->len; i++)
    {
      Care *c = g_ptr_array_index (p->care, i);
      if (g_strcmp0 (c->therapist, therapist) == 0 && g_strcmp0 (c->client, client) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
tf_push_acts_for (Push *p, const char *user)
{
  return user != NULL &&
         (g_strcmp0 (user, p->caller.user_id) == 0 || g_hash_table_contains (p->managed, user));
}

/* The parent record of @fields: from this batch if it was written here, else
 * from the database. */
TfRecord *
tf_push_parent_of (Push *p, const TfTable *table, JsonObject *fields)
{
  const char *parent_id = tf_json_get_string (fields, table->parent_column);
  g_autofree char *key = NULL;
  State *state;

  if (table->parent_table == NULL || parent_id == NULL)
    return NULL;
  key = tf_push_record_key (table->parent_table, parent_id);
  state = g_hash_table_lookup (p->states, key);
  if (state != NULL && state->row != NULL && !state->deleted)
    return state->row;
  return g_hash_table_lookup (p->parents, key);
}

/* The person a record belongs to (sync_records.owner_id). */
const char *
tf_push_owner_of (Push *p, const TfTable *table, JsonObject *fields)
{
  TfRecord *parent;

  if (table->owner_column != NULL)
    return tf_json_get_string (fields, table->owner_column);
  if (table->client_column != NULL)
    return tf_json_get_string (fields, table->client_column);
  parent = tf_push_parent_of (p, table, fields);
  if (parent != NULL)
    return tf_push_owner_of (p, parent->table, parent->fields);
  return NULL;
}
