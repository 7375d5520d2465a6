/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push-feed.c: who receives what a push applied, and its
 * bookkeeping.
 *
 * Who receives a record is decided here, table by table (DESIGN.md §3
 * visibility): its owner, the therapists in care with that owner as far as
 * the client shares (mood and goals only when shared, a journal entry only
 * when marked for the therapist), both sides of an appointment and its
 * session, everyone for the directory.  Step 6 of a push (tf-sync-push.c)
 * then records, each in one statement over the whole batch, the versions
 * (sync_records), the feed rows (sync_feed, sync_public_feed for
 * everyone; a user who had the record and no longer may gets a revoked
 * row, so their devices drop it), every answer (for retries), the audit
 * log, the device's last_mutation_id, and a pg_notify per user delivered
 * at commit that wakes their long-polls.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-db.h"
#include "tf-sync-push-private.h"

/* --- recipients ----------------------------------------------------------- */

static const char *
role_of (Push *p, const char *user)
{
  return user ? g_hash_table_lookup (p->roles, user) : NULL;
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
      tf_push_add_unique (list, c->therapist);
    }
}

/* Who receives this record (DESIGN.md §3 visibility). */
GPtrArray *
tf_push_recipients_of (Push *p, const TfTable *t, JsonObject *fields, const char *owner)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  const char *name = t->name;

  if (t->audience == TF_AUDIENCE_DIRECTORY)
    tf_push_add_unique (list, TF_SYNC_EVERYONE);
  else if (strcmp (name, "profiles") == 0)
    {
      if (g_strcmp0 (role_of (p, owner), "therapist") == 0)
        tf_push_add_unique (list, TF_SYNC_EVERYONE);
      tf_push_add_unique (list, owner);
      add_therapists_of (p, list, owner, 0);
    }
  else if (strcmp (name, "mood_entries") == 0)
    {
      tf_push_add_unique (list, owner);
      add_therapists_of (p, list, owner, 1);
    }
  else if (strcmp (name, "goals") == 0 || strcmp (name, "goal_progress") == 0)
    {
      tf_push_add_unique (list, owner);
      add_therapists_of (p, list, owner, 2);
    }
  else if (strcmp (name, "journal_entries") == 0)
    {
      tf_push_add_unique (list, owner);
      if (tf_push_field_true (fields, "therapist_shared"))
        add_therapists_of (p, list, owner, 0);
    }
  else if (strcmp (name, "key_grants") == 0)
    {
      tf_push_add_unique (list, owner);
      tf_push_add_unique (list, tf_json_get_string (fields, "recipient_id"));
    }
  else if (strcmp (name, "client_intakes") == 0 || strcmp (name, "client_details") == 0)
    {
      tf_push_add_unique (list, owner);
      add_therapists_of (p, list, owner, 0);
    }
  else if (strcmp (name, "client_histories") == 0)
    {
      add_therapists_of (p, list, tf_json_get_string (fields, "client_id"), 0);
      tf_push_add_unique (list, p->caller.user_id);
    }
  else if (t->audience == TF_AUDIENCE_THERAPIST)
    tf_push_add_unique (list, tf_json_get_string (fields, t->therapist_column)); /* plans, notes */
  else if (strcmp (name, "sessions") == 0)
    {
      TfRecord *appointment = tf_push_parent_of (p, t, fields);
      if (appointment != NULL)
        {
          tf_push_add_unique (list, tf_json_get_string (appointment->fields, "client_id"));
          tf_push_add_unique (list, tf_json_get_string (appointment->fields, "therapist_id"));
        }
    }
  else
    tf_push_add_people (list, t, fields);
  return list;
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

/* What a push writes down, one JSON array per statement. */
typedef struct
{
  JsonBuilder *records;       /* sync_records: versions */
  JsonBuilder *feed;          /* sync_feed and sync_public_feed */
  JsonBuilder *results;       /* sync_mutation_results: every answer, for retries */
  JsonBuilder *audit;         /* audit_logs */
  GPtrArray   *notified;      /* users whose long-polls wake */
  GPtrArray   *care_changes;  /* therapist, client: pairs whose grants follow */
} Books;

static void
books_clear (Books *b)
{
  g_clear_object (&b->records);
  g_clear_object (&b->feed);
  g_clear_object (&b->results);
  g_clear_object (&b->audit);
  g_clear_pointer (&b->notified, g_ptr_array_unref);
  g_clear_pointer (&b->care_changes, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Books, books_clear)

static void
books_begin (Books *b)
{
  b->records = json_builder_new ();
  b->feed = json_builder_new ();
  b->results = json_builder_new ();
  b->audit = json_builder_new ();
  b->notified = g_ptr_array_new_with_free_func (g_free);
  b->care_changes = g_ptr_array_new_with_free_func (g_free);
  json_builder_begin_array (b->records);
  json_builder_begin_array (b->feed);
  json_builder_begin_array (b->results);
  json_builder_begin_array (b->audit);
}

static void
books_end (Books *b)
{
  json_builder_end_array (b->records);
  json_builder_end_array (b->feed);
  json_builder_end_array (b->results);
  json_builder_end_array (b->audit);
}

/* Every decision's answer, kept for retries, and its line in the audit log. */
static void
add_answer (Books *b, Decision *d)
{
  TfPushItem *item = d->item;
  const char *action;

  json_builder_begin_object (b->results);
  json_builder_set_member_name (b->results, "mutation_id");
  json_builder_add_int_value (b->results, item->mutation_id);
  json_builder_set_member_name (b->results, "result");
  json_builder_add_value (b->results, json_node_copy (d->result));
  json_builder_end_object (b->results);

  action = d->outcome == OUTCOME_APPLY ? (item->op == TF_MUTATION_DELETE ? "delete" : "write")
         : d->outcome == OUTCOME_CONFLICT ? "conflict" : "rejected";
  json_builder_begin_object (b->audit);
  json_builder_set_member_name (b->audit, "action");
  json_builder_add_string_value (b->audit, action);
  json_builder_set_member_name (b->audit, "table_name");
  json_builder_add_string_value (b->audit, item->table->name);
  json_builder_set_member_name (b->audit, "record_id");
  json_builder_add_string_value (b->audit, item->id);
  json_builder_end_object (b->audit);
}

/* An applied write's new version, owner and tombstone. */
static void
add_version (Books *b, Decision *d)
{
  TfPushItem *item = d->item;

  json_builder_begin_object (b->records);
  json_builder_set_member_name (b->records, "table_name");
  json_builder_add_string_value (b->records, item->table->name);
  json_builder_set_member_name (b->records, "record_id");
  json_builder_add_string_value (b->records, item->id);
  json_builder_set_member_name (b->records, "version");
  json_builder_add_int_value (b->records, d->version);
  json_builder_set_member_name (b->records, "owner_id");
  if (d->owner)
    json_builder_add_string_value (b->records, d->owner);
  else
    json_builder_add_null_value (b->records);
  json_builder_set_member_name (b->records, "deleted");
  json_builder_add_boolean_value (b->records, item->op == TF_MUTATION_DELETE);
  json_builder_end_object (b->records);
}

/* An applied write's feed rows: its recipients now, and a revoked row for
 * each user who had it and loses it; a care relationship's grants follow. */
static void
add_feed_rows (Books *b, Push *p, Decision *d)
{
  TfPushItem *item = d->item;
  g_autofree char *key = tf_push_record_key (item->table->name, item->id);
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
      json_builder_begin_object (b->feed);
      json_builder_set_member_name (b->feed, "user_id");
      json_builder_add_string_value (b->feed, user);
      json_builder_set_member_name (b->feed, "table_name");
      json_builder_add_string_value (b->feed, item->table->name);
      json_builder_set_member_name (b->feed, "record_id");
      json_builder_add_string_value (b->feed, item->id);
      json_builder_set_member_name (b->feed, "version");
      json_builder_add_int_value (b->feed, d->version);
      json_builder_set_member_name (b->feed, "revoked");
      json_builder_add_boolean_value (b->feed, r >= d->recipients->len);
      json_builder_end_object (b->feed);
      tf_push_add_unique (b->notified, user);
    }
  /* Key grants follow the record's life: a share that stops is gone. */
  if (item->table == tf_registry_lookup ("care_relationships"))
    {
      JsonObject *f = item->mutation->fields;
      g_ptr_array_add (b->care_changes, g_strdup (tf_json_get_string (f, "therapist_id")));
      g_ptr_array_add (b->care_changes, g_strdup (tf_json_get_string (f, "client_id")));
      tf_push_add_unique (b->notified, tf_json_get_string (f, "therapist_id"));
    }
}

/* The four statements over the whole batch: versions, feeds, answers and
 * the audit log. */
static gboolean
write_books (Push *p, Books *b, const char *device_id, GError **error)
{
  return exec_json (p->conn,
                    "INSERT INTO sync_records (table_name, record_id, version, owner_id, deleted)"
                    " SELECT x.table_name, x.record_id, x.version, x.owner_id, x.deleted"
                    " FROM jsonb_to_recordset($1::jsonb) AS x(table_name text, record_id uuid,"
                    " version bigint, owner_id uuid, deleted boolean)"
                    " ON CONFLICT (table_name, record_id) DO UPDATE SET version = EXCLUDED.version,"
                    " owner_id = EXCLUDED.owner_id, deleted = EXCLUDED.deleted,"
                    " updated_at = CURRENT_TIMESTAMP",
                    b->records, NULL, NULL, NULL, error) &&
         exec_json (p->conn,
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
                    b->feed, NULL, NULL, NULL, error) &&
         exec_json (p->conn,
                    "INSERT INTO sync_mutation_results (device_id, user_id, mutation_id, result)"
                    " SELECT $2::uuid, $3::uuid, (e->>'mutation_id')::bigint, e->'result'"
                    " FROM jsonb_array_elements($1::jsonb) e"
                    /* An answer from before the bookkeeping went back (a
                     * restore that kept it): the new one is the truth. */
                    " ON CONFLICT (device_id, user_id, mutation_id) DO UPDATE SET"
                    " result = EXCLUDED.result, created_at = EXCLUDED.created_at",
                    b->results, device_id, p->caller.user_id, NULL, error) &&
         exec_json (p->conn,
                    "INSERT INTO audit_logs (user_id, action, table_name, record_id, ip_address,"
                    " user_agent) SELECT $2::uuid, x.action, x.table_name, x.record_id, $3::inet,"
                    " $4 FROM jsonb_to_recordset($1::jsonb) AS x(action text, table_name text,"
                    " record_id uuid)",
                    b->audit, p->caller.user_id, p->job->address, p->job->user_agent, error);
}

/* The grants of each changed care relationship (therapist, client pairs). */
static gboolean
refresh_care (Push *p, GPtrArray *care_changes, GError **error)
{
  for (guint i = 0; i + 1 < care_changes->len; i += 2)
    {
      const char *params[] = { g_ptr_array_index (care_changes, i),
                               g_ptr_array_index (care_changes, i + 1) };
      g_autoptr(PGresult) r = tf_db_query (p->conn, "SELECT sync_refresh_care($1::uuid, $2::uuid)",
                                           2, params, error);
      if (r == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
advance_last_mutation (Push *p, const char *device_id, gint64 last_mutation_id, GError **error)
{
  g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, last_mutation_id);
  const char *params[] = { device_id, p->caller.user_id, last };
  g_autoptr(PGresult) r = tf_db_query (p->conn,
                                       "UPDATE sync_devices SET last_mutation_id ="
                                       " GREATEST(last_mutation_id, $3::bigint)"
                                       " WHERE device_id = $1::uuid AND user_id = $2::uuid",
                                       3, params, error);
  return r != NULL;
}

/* Delivered at commit; the wait endpoint wakes those users. */
static gboolean
notify_users (Push *p, GPtrArray *notified, GError **error)
{
  g_autoptr(JsonBuilder) notify = json_builder_new ();

  json_builder_begin_array (notify);
  for (guint i = 0; i < notified->len; i++)
    json_builder_add_string_value (notify, g_ptr_array_index (notified, i));
  json_builder_end_array (notify);
  return exec_json (p->conn, "SELECT pg_notify('tf_sync', u)"
                             " FROM jsonb_array_elements_text($1::jsonb) u",
                    notify, NULL, NULL, NULL, error);
}

gboolean
tf_push_record_bookkeeping (Push *p, const char *device_id, gint64 last_mutation_id,
                            GError **error)
{
  g_auto(Books) b = { 0 };

  books_begin (&b);
  for (guint i = 0; i < p->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (p->decisions, i);

      if (d->outcome == OUTCOME_RETRY)
        continue;
      add_answer (&b, d);
      if (d->outcome != OUTCOME_APPLY || d->version == 0)
        continue;
      add_version (&b, d);
      add_feed_rows (&b, p, d);
    }
  books_end (&b);

  return write_books (p, &b, device_id, error) &&
         refresh_care (p, b.care_changes, error) &&
         advance_last_mutation (p, device_id, last_mutation_id, error) &&
         notify_users (p, b.notified, error);
}
