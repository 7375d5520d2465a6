/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-pull.c: GET /v1/sync/pull, the changes above a cursor, in commit
 * order, read in one snapshot (tf-sync-read.c reads the records).  The
 * query is parsed on the main thread, so a bad cursor or limit costs no
 * database connection.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-auth.h"
#include "tf-db.h"
#include "tf-error.h"
#include "tf-sync-private.h"
#include "tf-sync-read.h"

typedef struct
{
  char   *token;
  char   *address;
  char   *user_agent;
  gint64  cursor;
  gint64  limit;
  gint64  server_limit;   /* pull-limit: the largest page this server gives */
} PullJob;

static void
pull_job_free (PullJob *job)
{
  g_free (job->token);
  g_free (job->address);
  g_free (job->user_agent);
  g_free (job);
}

gboolean
tf_sync_parse_cursor (TfRequest *req, const char *name, gint64 min, gint64 max, gint64 fallback,
                      gint64 *out, GError **error)
{
  const char *text = tf_request_get_query (req, name);
  char *end = NULL;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  *out = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || *out < min || *out > max)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "“%s” must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                   name, min, max);
      return FALSE;
    }
  return TRUE;
}

/* The feed's rows above the cursor for @caller, their own and the
 * directory's, in version order: one more than the limit, to tell whether
 * there is more. */
static PGresult *
query_feed (PGconn *conn, PullJob *job, TfCaller *caller, GError **error)
{
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, job->cursor);
  g_autofree char *limit = g_strdup_printf ("%" G_GINT64_FORMAT, job->limit + 1);
  const char *params[] = { caller->user_id, cursor, limit };

  return tf_db_query (conn,
                      "SELECT table_name, record_id::text, version, revoked FROM"
                      " (SELECT table_name, record_id, version, revoked FROM sync_feed"
                      "   WHERE user_id = $1::uuid AND version > $2::bigint"
                      "  UNION ALL SELECT table_name, record_id, version, revoked"
                      "   FROM sync_public_feed WHERE version > $2::bigint) f"
                      " ORDER BY version LIMIT $3::int",
                      3, params, error);
}

/* The records of the first @rows rows of @feed that are not revoked, one
 * query per table: table name → (id → TfRecord). */
static GHashTable *
read_feed_records (PGconn *conn, PGresult *feed, int rows, GError **error)
{
  g_autoptr(GHashTable) by_table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_hash_table_unref);
  GHashTableIter iter;
  gpointer k, v;

  for (int row = 0; row < rows; row++)
    {
      const TfTable *table = tf_registry_lookup (PQgetvalue (feed, row, 0));
      GPtrArray *ids;

      if (table == NULL || strcmp (PQgetvalue (feed, row, 3), "t") == 0)
        continue;
      ids = g_hash_table_lookup (by_table, table->name);
      if (ids == NULL)
        {
          ids = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by_table, (gpointer) table->name, ids);
        }
      g_ptr_array_add (ids, g_strdup (PQgetvalue (feed, row, 1)));
    }
  g_hash_table_iter_init (&iter, by_table);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      GHashTable *rows_of_table = tf_sync_read_records (conn, tf_registry_lookup (k), v, error);
      if (rows_of_table == NULL)
        return NULL;
      g_hash_table_insert (records, g_strdup (k), rows_of_table);
    }
  return g_steal_pointer (&records);
}

/* Which of the first @rows rows of @feed to skip.  Newest first when
 * deduplicating: a record listed twice (own and directory feed) is sent
 * once, at its latest position. */
static gboolean *
find_repeats (PGresult *feed, int rows)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean *skip = g_new0 (gboolean, MAX (rows, 1));

  for (int row = rows - 1; row >= 0; row--)
    {
      g_autofree char *key = g_strconcat (PQgetvalue (feed, row, 0), "/",
                                          PQgetvalue (feed, row, 1), NULL);
      if (g_hash_table_contains (seen, key))
        skip[row] = TRUE;
      else
        g_hash_table_add (seen, g_steal_pointer (&key));
    }
  return skip;
}

/* One change of the answer: a revocation, a tombstone that says which
 * record is gone and who signed that, or the record.  Records with
 * encrypted fields are listed in @audit as read. */
static void
add_change (JsonBuilder *b, JsonBuilder *audit, const TfTable *table, const char *id,
            gboolean revoked, TfRecord *record)
{
  if (revoked)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "table");
      json_builder_add_string_value (b, table->name);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "revoked");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
      return;
    }
  if (record->deleted)
    {
      g_autoptr(TfRecord) tombstone = tf_record_new (table, id);
      tombstone->version = record->version;
      tombstone->deleted = TRUE;
      tombstone->revision = record->revision;
      tombstone->signature = g_strdup (record->signature);
      json_builder_add_value (b, tf_record_to_json (tombstone));
    }
  else
    json_builder_add_value (b, tf_record_to_json (record));
  if (tf_table_has_encrypted (table))
    {
      json_builder_begin_object (audit);
      json_builder_set_member_name (audit, "table_name");
      json_builder_add_string_value (audit, table->name);
      json_builder_set_member_name (audit, "record_id");
      json_builder_add_string_value (audit, id);
      json_builder_end_object (audit);
    }
}

/* The "changes" member of the answer from the first @rows rows of @feed
 * and their @records; returns the version of the last row, where the next
 * pull goes on (@cursor when there are none). */
static gint64
add_changes (JsonBuilder *b, JsonBuilder *audit, PGresult *feed, int rows, GHashTable *records,
             gint64 cursor)
{
  g_autofree gboolean *skip = find_repeats (feed, rows);
  gint64 next_cursor = cursor;

  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (int row = 0; row < rows; row++)
    {
      const char *table_name = PQgetvalue (feed, row, 0);
      const char *id = PQgetvalue (feed, row, 1);
      gboolean revoked = strcmp (PQgetvalue (feed, row, 3), "t") == 0;
      const TfTable *table = tf_registry_lookup (table_name);
      GHashTable *rows_of_table;
      TfRecord *record = NULL;

      next_cursor = g_ascii_strtoll (PQgetvalue (feed, row, 2), NULL, 10);
      if (table == NULL || skip[row])
        continue;
      if (!revoked)
        {
          rows_of_table = g_hash_table_lookup (records, table_name);
          record = rows_of_table ? g_hash_table_lookup (rows_of_table, id) : NULL;
          if (record == NULL)
            continue; /* removed by anonymization or a cascade: nothing to send */
        }
      add_change (b, audit, table, id, revoked, record);
    }
  json_builder_end_array (b);
  return next_cursor;
}

/* Reading clinical records is audited, in the same transaction. */
static gboolean
audit_reads (PGconn *conn, JsonBuilder *audit, PullJob *job, TfCaller *caller, GError **error)
{
  g_autoptr(JsonNode) audit_root = json_builder_get_root (audit);
  g_autofree char *audit_text = json_to_string (audit_root, FALSE);
  const char *params[] = { audit_text, caller->user_id, job->address, job->user_agent };
  g_autoptr(PGresult) r = tf_db_query (conn,
                                       "INSERT INTO audit_logs (user_id, action, table_name,"
                                       " record_id, ip_address, user_agent)"
                                       " SELECT $2::uuid, 'read', x.table_name, x.record_id,"
                                       " $3::inet, $4 FROM jsonb_to_recordset($1::jsonb)"
                                       " AS x(table_name text, record_id uuid)",
                                       4, params, error);
  return r != NULL;
}

static PGresult *
query_last_mutation_id (PGconn *conn, TfCaller *caller, GError **error)
{
  const char *params[] = { caller->device_id, caller->user_id };

  return tf_db_query (conn, "SELECT coalesce((SELECT last_mutation_id FROM sync_devices"
                            " WHERE device_id = $1::uuid AND user_id = $2::uuid), 0)",
                      2, params, error);
}

static JsonNode *
pull_locked (PGconn *conn, PullJob *job, TfCaller *caller, GError **error)
{
  g_autoptr(PGresult) feed = NULL;
  g_autoptr(PGresult) device = NULL;
  g_autoptr(GHashTable) records = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonBuilder) audit = json_builder_new ();
  gint64 next_cursor;
  int rows;
  gboolean has_more;

  feed = query_feed (conn, job, caller, error);
  if (feed == NULL)
    return NULL;
  rows = PQntuples (feed);
  has_more = rows > job->limit;
  if (has_more)
    rows = (int) job->limit;
  records = read_feed_records (conn, feed, rows, error);
  if (records == NULL)
    return NULL;

  json_builder_begin_array (audit);
  json_builder_begin_object (b);
  next_cursor = add_changes (b, audit, feed, rows, records, job->cursor);
  json_builder_end_array (audit);

  device = query_last_mutation_id (conn, caller, error);
  if (device == NULL || !audit_reads (conn, audit, job, caller, error))
    return NULL;

  json_builder_set_member_name (b, "next_cursor");
  json_builder_add_int_value (b, next_cursor);
  json_builder_set_member_name (b, "has_more");
  json_builder_add_boolean_value (b, has_more);
  /* So a device asks pages this size from then on instead of relying on the cut. */
  json_builder_set_member_name (b, "limit");
  json_builder_add_int_value (b, job->server_limit);
  json_builder_set_member_name (b, "last_mutation_id");
  json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (device, 0, 0), NULL, 10));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gpointer
pull_job_run (PGconn *conn, gpointer data, GError **error)
{
  PullJob *job = data;
  TfCaller caller = { 0 };
  JsonNode *response = NULL;

  /* One snapshot for the feed and the records: content written after a
   * revocation must not slip out with the feed read before it. */
  if (tf_db_exec (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ", error))
    {
      if (tf_auth_check_token (conn, job->token, &caller, error))
        response = pull_locked (conn, job, &caller, error);
      if (response != NULL && !tf_db_exec (conn, "COMMIT", error))
        g_clear_pointer (&response, json_node_unref);
      if (response == NULL)
        {
          g_autoptr(PGresult) rollback = PQexec (conn, "ROLLBACK");
        }
    }
  tf_auth_caller_clear (&caller);
  return response;
}

void
tf_sync_handle_pull (TfRequest *req)
{
  TfConfig *config = tf_server_get_config (req->server);
  g_autoptr(GError) error = NULL;
  PullJob *job;
  gint64 cursor, limit;

  if (!tf_sync_require_token (req))
    return;
  /* A page larger than the server's pull-limit is cut to it, not refused:
   * a device cannot know the limit before its first pull (the answer's
   * "limit" tells it), and has_more brings the rest. */
  if (!tf_sync_parse_cursor (req, "cursor", 0, G_MAXINT64, 0, &cursor, &error) ||
      !tf_sync_parse_cursor (req, "limit", 1, G_MAXINT64, config->pull_limit, &limit, &error))
    {
      tf_request_reply_error (req, error);
      return;
    }
  limit = MIN (limit, (gint64) config->pull_limit);
  job = g_new0 (PullJob, 1);
  job->token = g_strdup (req->token);
  job->address = g_strdup (req->address);
  job->user_agent = g_strdup (req->user_agent);
  job->cursor = cursor;
  job->limit = limit;
  job->server_limit = config->pull_limit;
  tf_server_run_db (req, pull_job_run, job, (GDestroyNotify) pull_job_free,
                    (GDestroyNotify) json_node_unref, tf_sync_reply_node);
}

