/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync.c: the sync endpoints.
 *
 *   POST /v1/sync/push    a batch of mutations (tf-sync-push.c does the work)
 *   GET  /v1/sync/pull    changes above a cursor, in commit order
 *   GET  /v1/sync/wait    long-poll until the caller has news
 *   GET  /v1/keys/{id}    a user's public keys and fingerprint
 *   GET  /v1/therapists   a therapist's public keys, by e-mail address
 *
 * Parsing happens here on the main thread, so a malformed request is refused
 * before it costs a database connection.  A batch whose envelope is wrong
 * (not JSON, wrong types, unknown table, mutation ids not increasing, too
 * many mutations, unknown schema version) is refused whole and writes
 * nothing.  A mutation whose fields break a rule is answered "rejected" in
 * the batch's results, so the device's queue moves on (docs/protocol.md).
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-audit.h"
#include "tf-auth.h"
#include "tf-db.h"
#include "tf-error.h"
#include "tf-notify.h"
#include "tf-sync-push.h"
#include "tf-sync-read.h"
#include "tf-sync.h"
#include "tf-validate.h"

/* Long-polls waiting for news, per user. */
typedef struct
{
  TfServer   *server;
  TfNotify   *notify;
  GHashTable *waiters;      /* user id -> GList of Waiter* */
  GHashTable *last_notice;  /* user id -> guint64 serial of its last notification */
  guint64     serial;       /* notifications seen so far */
} Sync;

typedef struct
{
  TfRequest *req;
  char      *user_id;
  guint      timeout_id;
} Waiter;

static Sync *
get_sync (TfServer *server)
{
  return tf_server_get_sync (server);
}

static gboolean
require_token (TfRequest *req)
{
  if (req->token != NULL && *req->token != '\0')
    return TRUE;
  {
    g_autoptr(GError) error = g_error_new_literal (TF_HTTP_ERROR, TF_HTTP_ERROR_UNAUTHORIZED,
                                                   "no token: send Authorization: Bearer <token>");
    tf_request_reply_error (req, error);
  }
  return FALSE;
}

static void
reply_node (TfRequest *req, gpointer result)
{
  tf_request_reply_json (req, SOUP_STATUS_OK, result);
}

/* --- push ------------------------------------------------------------------ */

/* The envelope of one mutation must be right (else the whole push is
 * refused); its record may be refused alone. */
static TfPushItem *
parse_item (JsonNode *node, guint index, GError **error)
{
  g_autoptr(TfPushItem) item = g_new0 (TfPushItem, 1);
  g_autoptr(TfMutation) mutation = tf_mutation_from_json_split (node, &item->invalid, error);

  if (mutation == NULL)
    {
      g_prefix_error (error, "mutations[%u]: ", index);
      return NULL;
    }
  item->mutation_id = mutation->mutation_id;
  item->table = mutation->table;
  item->id = g_strdup (mutation->id);
  item->op = mutation->op;
  item->base_version = mutation->base_version;
  if (item->invalid == NULL)
    item->mutation = g_steal_pointer (&mutation);
  return g_steal_pointer (&item);
}

/* Reads "atomic_groups" ([[first, last], ...], optional): each pair names
 * mutations of the batch, from mutation id first to last, that are applied
 * all or none; pairs in order, not overlapping, each holding a mutation of
 * the batch at both ends. */
static gboolean
parse_groups (JsonNode *node, TfPushJob *job, GError **error)
{
  JsonArray *groups;
  gint64 previous = 0;
  guint next = 0;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                           "“atomic_groups” must be an array of [first, last] mutation ids");
      return FALSE;
    }
  groups = json_node_get_array (node);
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonNode *pair_node = json_array_get_element (groups, g);
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (pair_node) ? json_node_get_array (pair_node) : NULL;
      gint64 ends[2] = { 0, 0 };
      gboolean found[2] = { FALSE, FALSE };

      for (guint e = 0; pair != NULL && json_array_get_length (pair) == 2 && e < 2; e++)
        {
          JsonNode *end = json_array_get_element (pair, e);

          if (JSON_NODE_HOLDS_VALUE (end) && json_node_get_value_type (end) == G_TYPE_INT64)
            {
              ends[e] = json_node_get_int (end);
              found[e] = TRUE;
            }
        }
      if (!found[0] || !found[1] || ends[0] > ends[1] || ends[0] <= previous)
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                       "atomic_groups[%u]: a group is [first, last], mutation ids in order, "
                       "after the group before it", g);
          return FALSE;
        }
      previous = ends[1];
      found[0] = found[1] = FALSE;
      for (; next < job->items->len; next++)
        {
          TfPushItem *item = g_ptr_array_index (job->items, next);

          if (item->mutation_id > ends[1])
            break;
          if (item->mutation_id < ends[0])
            continue;
          item->group = g + 1;
          found[0] |= item->mutation_id == ends[0];
          found[1] |= item->mutation_id == ends[1];
        }
      if (!found[0] || !found[1])
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                       "atomic_groups[%u]: its first and last mutation must be in this push", g);
          return FALSE;
        }
      job->n_groups = g + 1;
    }
  return TRUE;
}

static gpointer
push_job_run (PGconn *conn, gpointer data, GError **error)
{
  return tf_sync_push_run (conn, data, error);
}

static void
handle_push (TfRequest *req)
{
  TfConfig *config = tf_server_get_config (req->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  TfPushJob *job;
  JsonNode *schema, *mutations, *acknowledged;
  JsonArray *array;
  gint64 previous = 0;

  if (!require_token (req))
    return;
  body = tf_request_parse_object (req, &error);
  if (body == NULL)
    {
      tf_request_reply_error (req, error);
      return;
    }
  schema = json_object_get_member (body, "schema_version");
  mutations = json_object_get_member (body, "mutations");
  acknowledged = json_object_get_member (body, "acknowledged_mutation_id");
  if (schema == NULL || mutations == NULL)
    error = g_error_new (TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD,
                         "a push is {\"schema_version\": %d, \"mutations\": [...]}",
                         TF_SYNC_SCHEMA_VERSION);
  else if (!JSON_NODE_HOLDS_VALUE (schema) || json_node_get_value_type (schema) != G_TYPE_INT64)
    error = g_error_new_literal (TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                                 "“schema_version” must be a whole number");
  else if (json_node_get_int (schema) != TF_SYNC_SCHEMA_VERSION)
    error = g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_UNSUPPORTED_SCHEMA,
                         "schema version %" G_GINT64_FORMAT " is not known to this server "
                         "(it speaks %d): update the app", json_node_get_int (schema),
                         TF_SYNC_SCHEMA_VERSION);
  else if (!JSON_NODE_HOLDS_ARRAY (mutations))
    error = g_error_new_literal (TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                                 "“mutations” must be an array");
  else if (acknowledged != NULL &&
           (!JSON_NODE_HOLDS_VALUE (acknowledged) ||
            json_node_get_value_type (acknowledged) != G_TYPE_INT64 ||
            json_node_get_int (acknowledged) < 0))
    error = g_error_new_literal (TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                                 "“acknowledged_mutation_id” must be a whole number, 0 or more");
  if (error != NULL)
    {
      tf_request_reply_error (req, error);
      return;
    }
  array = json_node_get_array (mutations);
  if (json_array_get_length (array) > config->batch_limit)
    {
      error = g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_TOO_LARGE,
                           "%u mutations in one push; the limit is %u",
                           json_array_get_length (array), config->batch_limit);
      tf_request_reply_error (req, error);
      return;
    }

  job = g_new0 (TfPushJob, 1);
  job->token = g_strdup (req->token);
  job->address = g_strdup (req->address);
  job->user_agent = g_strdup (req->user_agent);
  job->items = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_push_item_free);
  job->acknowledged = acknowledged != NULL ? json_node_get_int (acknowledged) : 0;
  job->booking_notice_minutes = config->booking_notice_minutes;
  job->booking_pending_limit = config->booking_pending_limit;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      TfPushItem *item = parse_item (json_array_get_element (array, i), i, &error);

      if (item == NULL)
        break;
      if (item->mutation_id <= previous)
        {
          error = g_error_new (TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                               "mutations[%u]: mutation ids must strictly increase "
                               "(%" G_GINT64_FORMAT " after %" G_GINT64_FORMAT ")",
                               i, item->mutation_id, previous);
          tf_push_item_free (item);
          break;
        }
      previous = item->mutation_id;
      g_ptr_array_add (job->items, item);
    }
  if (error == NULL)
    parse_groups (json_object_get_member (body, "atomic_groups"), job, &error);
  if (error != NULL)
    {
      tf_push_job_free (job);
      tf_request_reply_error (req, error);
      return;
    }
  tf_server_run_db (req, push_job_run, job, (GDestroyNotify) tf_push_job_free,
                    (GDestroyNotify) json_node_unref, reply_node);
}

/* --- pull ------------------------------------------------------------------ */

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

static gboolean
parse_cursor (TfRequest *req, const char *name, gint64 min, gint64 max, gint64 fallback,
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

static JsonNode *
pull_locked (PGconn *conn, PullJob *job, TfCaller *caller, GError **error)
{
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, job->cursor);
  g_autofree char *limit = g_strdup_printf ("%" G_GINT64_FORMAT, job->limit + 1);
  g_autoptr(PGresult) feed = NULL;
  g_autoptr(PGresult) device = NULL;
  g_autoptr(GHashTable) by_table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_hash_table_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonBuilder) audit = json_builder_new ();
  gint64 next_cursor = job->cursor;
  int rows;
  gboolean has_more;
  GHashTableIter iter;
  gpointer k, v;

  {
    const char *params[] = { caller->user_id, cursor, limit };
    feed = tf_db_query (conn,
                        "SELECT table_name, record_id::text, version, revoked FROM"
                        " (SELECT table_name, record_id, version, revoked FROM sync_feed"
                        "   WHERE user_id = $1::uuid AND version > $2::bigint"
                        "  UNION ALL SELECT table_name, record_id, version, revoked"
                        "   FROM sync_public_feed WHERE version > $2::bigint) f"
                        " ORDER BY version LIMIT $3::int",
                        3, params, error);
    if (feed == NULL)
      return NULL;
  }
  rows = PQntuples (feed);
  has_more = rows > job->limit;
  if (has_more)
    rows = (int) job->limit;

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

  json_builder_begin_array (audit);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  /* Newest first when deduplicating: a record listed twice (own and directory
   * feed) is sent once, at its latest position. */
  for (int row = rows - 1; row >= 0; row--)
    {
      g_autofree char *key = g_strconcat (PQgetvalue (feed, row, 0), "/",
                                          PQgetvalue (feed, row, 1), NULL);
      if (g_hash_table_contains (seen, key))
        g_hash_table_insert (seen, g_strdup_printf ("skip:%d", row), NULL);
      else
        g_hash_table_add (seen, g_steal_pointer (&key));
    }
  for (int row = 0; row < rows; row++)
    {
      g_autofree char *skip = g_strdup_printf ("skip:%d", row);
      const char *table_name = PQgetvalue (feed, row, 0);
      const char *id = PQgetvalue (feed, row, 1);
      const TfTable *table = tf_registry_lookup (table_name);
      GHashTable *rows_of_table;
      TfRecord *record;

      next_cursor = g_ascii_strtoll (PQgetvalue (feed, row, 2), NULL, 10);
      if (table == NULL || g_hash_table_contains (seen, skip))
        continue;
      if (strcmp (PQgetvalue (feed, row, 3), "t") == 0)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "table");
          json_builder_add_string_value (b, table_name);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, id);
          json_builder_set_member_name (b, "revoked");
          json_builder_add_boolean_value (b, TRUE);
          json_builder_end_object (b);
          continue;
        }
      rows_of_table = g_hash_table_lookup (records, table_name);
      record = rows_of_table ? g_hash_table_lookup (rows_of_table, id) : NULL;
      if (record == NULL)
        continue; /* removed by anonymization or a cascade: nothing to send */
      if (record->deleted)
        {
          /* A tombstone says which record is gone, and who signed that. */
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
          json_builder_add_string_value (audit, table_name);
          json_builder_set_member_name (audit, "record_id");
          json_builder_add_string_value (audit, id);
          json_builder_end_object (audit);
        }
    }
  json_builder_end_array (b);
  json_builder_end_array (audit);

  {
    const char *params[] = { caller->device_id, caller->user_id };
    device = tf_db_query (conn, "SELECT coalesce((SELECT last_mutation_id FROM sync_devices"
                                " WHERE device_id = $1::uuid AND user_id = $2::uuid), 0)",
                          2, params, error);
    if (device == NULL)
      return NULL;
  }
  /* Reading clinical records is audited, in the same transaction. */
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
    if (r == NULL)
      return NULL;
  }

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

static void
handle_pull (TfRequest *req)
{
  TfConfig *config = tf_server_get_config (req->server);
  g_autoptr(GError) error = NULL;
  PullJob *job;
  gint64 cursor, limit;

  if (!require_token (req))
    return;
  /* A page larger than the server's pull-limit is cut to it, not refused:
   * a device cannot know the limit before its first pull (the answer's
   * "limit" tells it), and has_more brings the rest. */
  if (!parse_cursor (req, "cursor", 0, G_MAXINT64, 0, &cursor, &error) ||
      !parse_cursor (req, "limit", 1, G_MAXINT64, config->pull_limit, &limit, &error))
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
                    (GDestroyNotify) json_node_unref, reply_node);
}

/* --- wait ------------------------------------------------------------------ */

typedef struct
{
  char    *token;
  gint64   cursor;
} WaitJob;

typedef struct
{
  char     *user_id;
  gboolean  changes;
  guint64   serial;
} WaitResult;

static void
wait_job_free (WaitJob *job)
{
  g_free (job->token);
  g_free (job);
}

static void
wait_result_free (WaitResult *result)
{
  g_free (result->user_id);
  g_free (result);
}

static void
reply_wait (TfRequest *req, gboolean changes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "changes");
  json_builder_add_boolean_value (b, changes);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tf_request_reply_json (req, SOUP_STATUS_OK, root);
}

static void
waiter_finish (Sync *sync, Waiter *waiter, gboolean changes)
{
  GList *list = g_hash_table_lookup (sync->waiters, waiter->user_id);

  list = g_list_remove (list, waiter);
  if (list != NULL)
    g_hash_table_insert (sync->waiters, g_strdup (waiter->user_id), list);
  else
    g_hash_table_remove (sync->waiters, waiter->user_id);
  g_clear_handle_id (&waiter->timeout_id, g_source_remove);
  reply_wait (waiter->req, changes);
  g_free (waiter->user_id);
  g_free (waiter);
}

static gboolean
on_wait_timeout_cb (gpointer data)
{
  Waiter *waiter = data;

  waiter->timeout_id = 0;
  waiter_finish (get_sync (waiter->req->server), waiter, FALSE);
  return G_SOURCE_REMOVE;
}

static void
wake_user (Sync *sync, const char *user_id)
{
  GList *list = g_hash_table_lookup (sync->waiters, user_id);

  while (list != NULL)
    {
      Waiter *waiter = list->data;
      waiter_finish (sync, waiter, TRUE);
      list = g_hash_table_lookup (sync->waiters, user_id);
    }
}

static void
on_notify (const char *user_id, gpointer user_data)
{
  Sync *sync = user_data;

  sync->serial++;
  g_hash_table_replace (sync->last_notice, g_strdup (user_id),
                        g_memdup2 (&sync->serial, sizeof sync->serial));
  /* Only waits whose database check is in flight (milliseconds) read old
   * serials: forget those far behind, so the table does not grow forever. */
  if (g_hash_table_size (sync->last_notice) > 50000)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, sync->last_notice);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (*(guint64 *) value + 25000 < sync->serial)
          g_hash_table_iter_remove (&iter);
    }
  if (g_strcmp0 (user_id, TF_SYNC_EVERYONE) == 0)
    {
      g_autoptr(GList) users = g_hash_table_get_keys (sync->waiters);
      for (GList *l = users; l != NULL; l = l->next)
        {
          g_autofree char *user = g_strdup (l->data);
          wake_user (sync, user);
        }
    }
  else
    wake_user (sync, user_id);
}

static gpointer
wait_job_run (PGconn *conn, gpointer data, GError **error)
{
  WaitJob *job = data;
  TfCaller caller = { 0 };
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, job->cursor);
  g_autoptr(PGresult) result = NULL;
  WaitResult *out;

  if (!tf_auth_check_token (conn, job->token, &caller, error))
    return NULL;
  {
    const char *params[] = { caller.user_id, cursor };
    result = tf_db_query (conn, "SELECT EXISTS (SELECT 1 FROM sync_feed WHERE user_id ="
                                " $1::uuid AND version > $2::bigint)"
                                " OR EXISTS (SELECT 1 FROM sync_public_feed"
                                " WHERE version > $2::bigint)", 2, params, error);
  }
  if (result == NULL)
    {
      tf_auth_caller_clear (&caller);
      return NULL;
    }
  out = g_new0 (WaitResult, 1);
  out->user_id = g_steal_pointer (&caller.user_id);
  out->changes = strcmp (PQgetvalue (result, 0, 0), "t") == 0;
  tf_auth_caller_clear (&caller);
  return out;
}

static void
wait_done (TfRequest *req, gpointer data)
{
  WaitResult *result = data;
  Sync *sync = get_sync (req->server);
  guint64 *last = g_hash_table_lookup (sync->last_notice, result->user_id);
  guint64 *everyone = g_hash_table_lookup (sync->last_notice, TF_SYNC_EVERYONE);
  guint64 since = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (req->msg), "tf-wait-serial"));
  Waiter *waiter;
  GList *list;
  gint64 timeout;

  /* News that arrived while the database was being asked counts too. */
  if (result->changes || (last && *last > since) || (everyone && *everyone > since) ||
      tf_server_is_stopping (req->server))
    {
      reply_wait (req, result->changes || (last && *last > since) ||
                       (everyone && *everyone > since));
      return;
    }
  waiter = g_new0 (Waiter, 1);
  waiter->req = req;
  waiter->user_id = g_strdup (result->user_id);
  timeout = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (req->msg), "tf-wait-timeout"));
  waiter->timeout_id = g_timeout_add_seconds ((guint) timeout, on_wait_timeout_cb, waiter);
  list = g_hash_table_lookup (sync->waiters, waiter->user_id);
  list = g_list_prepend (list, waiter);
  g_hash_table_insert (sync->waiters, g_strdup (waiter->user_id), list);
}

static void
handle_wait (TfRequest *req)
{
  TfConfig *config = tf_server_get_config (req->server);
  Sync *sync = get_sync (req->server);
  g_autoptr(GError) error = NULL;
  WaitJob *job;
  gint64 cursor, timeout;

  if (!require_token (req))
    return;
  if (!parse_cursor (req, "cursor", 0, G_MAXINT64, 0, &cursor, &error) ||
      !parse_cursor (req, "timeout", 1, config->wait_timeout, config->wait_timeout, &timeout,
                     &error))
    {
      tf_request_reply_error (req, error);
      return;
    }
  job = g_new0 (WaitJob, 1);
  job->token = g_strdup (req->token);
  job->cursor = cursor;
  /* Notifications seen so far, to catch those that arrive while the database
   * is being asked. */
  g_object_set_data (G_OBJECT (req->msg), "tf-wait-serial", GSIZE_TO_POINTER (sync->serial));
  g_object_set_data (G_OBJECT (req->msg), "tf-wait-timeout", GSIZE_TO_POINTER (timeout));
  tf_server_run_db (req, wait_job_run, job, (GDestroyNotify) wait_job_free,
                    (GDestroyNotify) wait_result_free, wait_done);
}

/* --- keys ------------------------------------------------------------------ */

/* GET /v1/keys/{id} (by user_id) and GET /v1/therapists (by email). */
typedef struct
{
  char *token;
  char *user_id;
  char *email;
} KeysJob;

static void
keys_job_free (KeysJob *job)
{
  g_free (job->token);
  g_free (job->user_id);
  g_free (job->email);
  g_free (job);
}

static void
add_member (JsonBuilder *b, const char *name, PGresult *result, int column)
{
  json_builder_set_member_name (b, name);
  if (PQgetisnull (result, 0, column))
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, PQgetvalue (result, 0, column));
}

static gpointer
keys_job_run (PGconn *conn, gpointer data, GError **error)
{
  KeysJob *job = data;
  TfCaller caller = { 0 };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *params[1];

  if (!tf_auth_check_token (conn, job->token, &caller, error))
    return NULL;
  tf_auth_caller_clear (&caller);
  params[0] = job->user_id;
  result = tf_db_query (conn, "SELECT identity_public_key, signing_public_key, fingerprint"
                              " FROM user_keys k JOIN users u ON u.id = k.user_id"
                              " WHERE k.user_id = $1::uuid AND u.is_active", 1, params, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_NOT_FOUND, "no keys for user %s",
                   job->user_id);
      return NULL;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user_id");
  json_builder_add_string_value (b, job->user_id);
  add_member (b, "identity_public_key", result, 0);
  add_member (b, "signing_public_key", result, 1);
  add_member (b, "fingerprint", result, 2);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
handle_keys (TfRequest *req)
{
  const char *user_id = req->path + strlen ("/v1/keys/");
  KeysJob *job;

  if (!require_token (req))
    return;
  if (!tf_validate_uuid (user_id))
    {
      g_autoptr(GError) error = g_error_new (TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                                             "“%s” is not a lower-case UUID", user_id);
      tf_request_reply_error (req, error);
      return;
    }
  job = g_new0 (KeysJob, 1);
  job->token = g_strdup (req->token);
  job->user_id = g_strdup (user_id);
  tf_server_run_db (req, keys_job_run, job, (GDestroyNotify) keys_job_free,
                    (GDestroyNotify) json_node_unref, reply_node);
}

/* --- therapist directory ---------------------------------------------------- */

/* A client who knows their therapist's e-mail finds them here, with the
 * keys to share records with.  Only therapists are listed: a client's
 * address, an unknown one and a therapist who has no keys yet all get the
 * same 404, so the endpoint tells nobody who else uses the service. */
static gpointer
therapist_job_run (PGconn *conn, gpointer data, GError **error)
{
  KeysJob *job = data;
  TfCaller caller = { 0 };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *params[1];

  if (!tf_auth_check_token (conn, job->token, &caller, error))
    return NULL;
  tf_auth_caller_clear (&caller);
  params[0] = job->email;
  /* lower (email) is what users_email_lower_key indexes. */
  result = tf_db_query (conn, "SELECT u.id, p.first_name, p.last_name, k.identity_public_key,"
                              " k.signing_public_key, k.fingerprint"
                              " FROM users u JOIN user_keys k ON k.user_id = u.id"
                              " LEFT JOIN profiles p ON p.user_id = u.id AND p.deleted_at IS NULL"
                              " WHERE lower (u.email) = lower ($1) AND u.role = 'therapist'"
                              " AND u.is_active", 1, params, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_NOT_FOUND,
                           "no therapist with this e-mail address");
      return NULL;
    }
  json_builder_begin_object (b);
  add_member (b, "user_id", result, 0);
  add_member (b, "first_name", result, 1);
  add_member (b, "last_name", result, 2);
  add_member (b, "identity_public_key", result, 3);
  add_member (b, "signing_public_key", result, 4);
  add_member (b, "fingerprint", result, 5);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
handle_therapist (TfRequest *req)
{
  const char *email = tf_request_get_query (req, "email");
  KeysJob *job;

  if (!require_token (req))
    return;
  if (email == NULL || *email == '\0')
    {
      g_autoptr(GError) error = g_error_new_literal (TF_PROTOCOL_ERROR,
                                                     TF_PROTOCOL_ERROR_MISSING_FIELD,
                                                     "“email” is required: /v1/therapists?email=…");
      tf_request_reply_error (req, error);
      return;
    }
  job = g_new0 (KeysJob, 1);
  job->token = g_strdup (req->token);
  job->email = g_strdup (email);
  tf_server_run_db (req, therapist_job_run, job, (GDestroyNotify) keys_job_free,
                    (GDestroyNotify) json_node_unref, reply_node);
}

/* --- setup ----------------------------------------------------------------- */

static void
sync_free (Sync *sync)
{
  GHashTableIter iter;
  gpointer key, value;

  g_clear_pointer (&sync->notify, tf_notify_free);
  /* Answer whoever is still waiting. */
  g_hash_table_iter_init (&iter, sync->waiters);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      for (GList *l = value; l != NULL; l = l->next)
        {
          Waiter *waiter = l->data;
          g_clear_handle_id (&waiter->timeout_id, g_source_remove);
          reply_wait (waiter->req, FALSE);
          g_free (waiter->user_id);
          g_free (waiter);
        }
      g_list_free (value);
    }
  g_hash_table_unref (sync->waiters);
  g_hash_table_unref (sync->last_notice);
  g_free (sync);
}

/* Shutdown: answer every long-poll now, so the requests in flight end. */
static void
stop_waiting (TfServer *server)
{
  Sync *sync = get_sync (server);
  g_autoptr(GList) users = g_hash_table_get_keys (sync->waiters);

  for (GList *l = users; l != NULL; l = l->next)
    {
      g_autofree char *user = g_strdup (l->data);
      GList *list;

      while ((list = g_hash_table_lookup (sync->waiters, user)) != NULL)
        waiter_finish (sync, list->data, FALSE);
    }
}

void
tf_sync_register_routes (TfServer *server)
{
  Sync *sync = g_new0 (Sync, 1);

  sync->server = server;
  sync->waiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sync->last_notice = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sync->notify = tf_notify_new (tf_pool_get_conninfo (tf_server_get_pool (server)), on_notify,
                                sync);
  tf_server_set_sync (server, sync, (GDestroyNotify) sync_free, stop_waiting);

  tf_server_add_route (server, "POST", "/v1/sync/push", handle_push);
  tf_server_add_route (server, "GET", "/v1/sync/pull", handle_pull);
  tf_server_add_route (server, "GET", "/v1/sync/wait", handle_wait);
  tf_server_add_route (server, "GET", "/v1/keys/", handle_keys);
  tf_server_add_route (server, "GET", "/v1/therapists", handle_therapist);
}
