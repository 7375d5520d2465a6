/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync.c: the sync endpoints.
 *
 *   POST /v1/sync/push    a batch of mutations (tf-sync-push.c does the work)
 *   GET  /v1/sync/pull    changes above a cursor, in commit order
 *   GET  /v1/sync/wait    long-poll until the caller has news
 *   GET  /v1/keys/{id}    a user's public keys and fingerprint
 *   POST /v1/keys/rotate  new key pairs for the caller, signed by the old key
 *   GET  /v1/therapists   a therapist's public keys, by e-mail address
 *
 * This file holds push and the long poll; tf-sync-pull.c the pull and
 * tf-sync-keys.c the two key lookups.
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
#include "tf-sync-private.h"
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

gboolean
tf_sync_require_token (TfRequest *req)
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

void
tf_sync_reply_node (TfRequest *req, gpointer result)
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

  if (!tf_sync_require_token (req))
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
                    (GDestroyNotify) json_node_unref, tf_sync_reply_node);
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

  if (!tf_sync_require_token (req))
    return;
  if (!tf_sync_parse_cursor (req, "cursor", 0, G_MAXINT64, 0, &cursor, &error) ||
      !tf_sync_parse_cursor (req, "timeout", 1, config->wait_timeout, config->wait_timeout, &timeout,
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
  tf_server_add_route (server, "GET", "/v1/sync/pull", tf_sync_handle_pull);
  tf_server_add_route (server, "GET", "/v1/sync/wait", handle_wait);
  tf_server_add_route (server, "GET", "/v1/keys/", tf_sync_handle_keys);
  tf_server_add_route (server, "POST", "/v1/keys/rotate", tf_sync_handle_rotate);
  tf_server_add_route (server, "GET", "/v1/therapists", tf_sync_handle_therapist);
}
