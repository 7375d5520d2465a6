/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-answer.c: checking and applying the server's answers.
 *
 * The body is parsed as strictly as the server parses requests
 * (tf_json_parse): a hostile or broken server must not crash the device or
 * hand it strings cut short.  Shapes are checked member by member before the
 * store sees anything, because the store trusts the types it is given.
 */
#define G_LOG_DOMAIN "tf-sync-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tf-error.h"
#include "tf-record.h"
#include "tf-sync-answer.h"
#include "tf-time.h"

static gboolean
set_malformed (GError **error)
{
  g_set_error_literal (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                       _("The server’s answer was malformed; nothing was applied and your "
                         "changes are kept"));
  return FALSE;
}

JsonObject *
tf_sync_answer_decode (guint status, const char *body, gsize size, char **out_code,
                       gboolean *out_transient, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = g_strndup (body != NULL ? body : "", size);
  const char *message = NULL;
  const char *code = NULL;

  *out_transient = FALSE;
  root = tf_json_parse (body != NULL ? body : "", (gssize) size, NULL);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (root == NULL && size == strspn (text, " \t\r\n"))
        return json_object_new ();
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        return json_object_ref (json_node_get_object (root));
      set_malformed (error);
      return NULL;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *e = json_object_get_member (json_node_get_object (root), "error");

      if (e != NULL && JSON_NODE_HOLDS_OBJECT (e))
        {
          JsonObject *o = json_node_get_object (e);

          message = tf_json_get_string (o, "message");
          code = tf_json_get_string (o, "code");
          if (out_code != NULL)
            *out_code = g_strdup (code);
        }
    }
  if (status == SOUP_STATUS_UNAUTHORIZED && g_strcmp0 (code, "token_expired") == 0)
    g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED,
                 _("This device’s sign-in has lapsed; log in again"));
  else if (status == SOUP_STATUS_UNAUTHORIZED && g_strcmp0 (code, "keys_replaced") == 0)
    g_set_error_literal (error, TF_SYNC_ERROR, TF_SYNC_ERROR_KEYS_REPLACED,
                         _("Your account’s keys were replaced on another device, which signed "
                           "this device out; log in again with your password and this device "
                           "gets the new keys"));
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED,
                 _("The server no longer accepts this device’s sign-in (%s); log in again"),
                 message ? message : "401");
  else if (status >= 500 && status != SOUP_STATUS_BAD_GATEWAY &&
           status != SOUP_STATUS_SERVICE_UNAVAILABLE && status != SOUP_STATUS_GATEWAY_TIMEOUT)
    {
      *out_transient = TRUE;
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server had an internal error (%u); your changes are kept and will "
                     "sync later"), status);
    }
  else if (status >= 500 || status == 429 || status < 200)
    {
      *out_transient = TRUE;
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server is not available right now (%u); your changes are kept and "
                     "will sync later"), status);
    }
  else
    g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_REFUSED, _("The server refused: %s"),
                 message ? message : text);
  return NULL;
}

static gboolean
member_holds (JsonObject *o, const char *name, GType type)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == type;
}

/* TRUE when @o has no member @name, or a null one, or one of @type. */
static gboolean
member_may_hold (JsonObject *o, const char *name, GType type)
{
  JsonNode *n = json_object_get_member (o, name);

  return n == NULL || JSON_NODE_HOLDS_NULL (n) || member_holds (o, name, type);
}

/* TRUE when @o has no member @name, or a null one, or an object. */
static gboolean
member_may_be_object (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n == NULL || JSON_NODE_HOLDS_NULL (n) || JSON_NODE_HOLDS_OBJECT (n);
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

JsonArray *
tf_sync_answer_push_results (JsonObject *answer, GError **error)
{
  JsonArray *results = member_array (answer, "results");

  if (results == NULL)
    {
      set_malformed (error);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (r == NULL || !member_holds (r, "mutation_id", G_TYPE_INT64) ||
          !member_holds (r, "status", G_TYPE_STRING) ||
          (json_object_has_member (r, "repeat") && !member_holds (r, "repeat", G_TYPE_BOOLEAN)) ||
          /* read by the store as a rejection's reason and a conflict's or
           * a duplicate's holder record: a number or a list there is the
           * server's mistake, not a reason to stop halfway */
          !member_may_hold (r, "code", G_TYPE_STRING) ||
          !member_may_hold (r, "message", G_TYPE_STRING) ||
          !member_may_be_object (r, "record") ||
          /* the store's own note on a duplicate it met, which a result
           * for a mutation no longer queued keeps as the server sent it */
          !member_may_hold (r, "kept_as_conflict_copy", G_TYPE_BOOLEAN) ||
          (strcmp (json_object_get_string_member (r, "status"), "applied") == 0 &&
           !member_holds (r, "version", G_TYPE_INT64)))
        {
          set_malformed (error);
          return NULL;
        }
    }
  return results;
}

/* The ids of @results the server answered from a store of earlier answers
 * ("repeat") although this device never sent them (above @sent_before;
 * < 0: unknown, then none).  The other results go to @others. */
static GArray *
reused_ids (JsonArray *results, gint64 sent_before, JsonArray *others)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *r = json_node_get_object (node);
      gint64 id = json_object_get_int_member (r, "mutation_id");

      if (sent_before >= 0 && id > sent_before &&
          json_object_get_boolean_member_with_default (r, "repeat", FALSE))
        g_array_append_val (ids, id);
      else
        json_array_add_element (others, json_node_copy (node));
    }
  return ids;
}

/* The server's last_mutation_id of this device in @answer, or -1. */
static gint64
server_last_mutation (JsonObject *answer)
{
  return member_holds (answer, "last_mutation_id", G_TYPE_INT64)
           ? json_object_get_int_member (answer, "last_mutation_id") : -1;
}

/* Adds @n to the integer state @key. */
static gboolean
add_to_state (TfStore *store, const char *key, gint64 n, GError **error)
{
  g_autofree char *before = tf_store_dup_state (store, key, NULL);
  g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            (before ? g_ascii_strtoll (before, NULL, 10) : 0) + n);
  const char * const keys[] = { key, NULL };
  const char * const values[] = { after, NULL };

  return n == 0 || tf_store_set_state (store, keys, values, error);
}

/* The server knows this device's mutations up to @server_last only, below
 * the @acked it acknowledged: it lost some (its database restored from an
 * older backup).  What is still kept goes back in the queue to be sent
 * again, the user is told (in @report and the profile's state), the
 * server's number becomes the base, and the next pull starts over, because
 * the server's feed went back with its bookkeeping and its new changes may
 * take positions this device has already passed. */
static gboolean
server_went_back (TfStore *store, gint64 server_last, gint64 acked, TfSyncReport *report,
                  GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char * const keys[] = { TF_SYNC_STATE_SERVER_LOST, "cursor", NULL };
  const char * const values[] = { stamp, "0", NULL };
  guint requeued = 0;
  gint64 unkept = 0;

  g_debug ("the server acknowledged mutations up to %" G_GINT64_FORMAT
           " of this device but now knows of %" G_GINT64_FORMAT " only",
           acked, server_last);
  if (!tf_store_outbox_requeue_acked (store, server_last, &requeued, &unkept, error) ||
      !tf_store_set_state (store, keys, values, error) ||
      !add_to_state (store, TF_SYNC_STATE_SERVER_RESENT, requeued, error) ||
      !add_to_state (store, TF_SYNC_STATE_SERVER_UNKEPT, unkept, error) ||
      !tf_store_set_acked_mutation (store, server_last, error))
    return FALSE;
  report->server_lost += acked - server_last;
  report->resent += requeued;
  report->unkept += unkept;
  return TRUE;
}

/* The server acknowledged this device's mutations up to @server_last. */
static gboolean
acknowledged_up_to (TfStore *store, gint64 server_last, GError **error)
{
  gint64 acked = tf_store_get_acked_mutation (store, error);

  return acked >= 0 && (server_last <= acked ||
                        tf_store_set_acked_mutation (store, server_last, error));
}

static gboolean answer_error (GError *store_error, GError **error);

JsonArray *
tf_sync_answer_apply_push (TfStore *store, JsonObject *answer, JsonArray *results,
                           gint64 sent_before, gint64 last, TfSyncReport *report, GError **error)
{
  g_autoptr(JsonArray) fresh = json_array_new ();
  g_autoptr(GArray) reused = reused_ids (results, sent_before, fresh);
  g_autoptr(GError) store_error = NULL;
  gint64 server_last = server_last_mutation (answer);
  gint64 acked = 0;

  /* Checked before anything is taken: a server that went back answers
   * nothing of the push (it heard acknowledged_mutation_id), and what it
   * lost goes ahead of the push's mutations. */
  if (server_last >= 0 && ((acked = tf_store_get_acked_mutation (store, error)) < 0 ||
                           (server_last < acked &&
                            !server_went_back (store, server_last, acked, report, error))))
    return NULL;
  /* Answers meant for mutations another copy of this profile sent under the
   * same ids: not ours to take.  Ours go again under new ids, above the
   * server's, as do all later writes. */
  if (reused->len > 0 && !tf_store_outbox_renumber (store, reused, MAX (server_last, last), error))
    return NULL;
  report->renumbered += reused->len;
  /* A record in a result that the store cannot take (a duplicate's holder
   * that is no record) is the answer's fault, like a bad shape. */
  if (!tf_store_apply_push_results (store, fresh, NULL, &store_error))
    {
      answer_error (store_error, error);
      return NULL;
    }
  if (server_last >= 0 && !acknowledged_up_to (store, server_last, error))
    return NULL;
  return g_steal_pointer (&fresh);
}

/* A record of the answer that the store refused as malformed is the
 * server's fault: "unavailable" for the user, whatever the store found. */
static gboolean
answer_error (GError *store_error, GError **error)
{
  if (store_error->domain == TF_PROTOCOL_ERROR || store_error->domain == TF_VALIDATION_ERROR)
    g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                 _("The server’s answer was malformed (%s); nothing was applied and "
                   "your changes are kept"), store_error->message);
  else
    g_propagate_error (error, g_error_copy (store_error));
  return FALSE;
}

/* Merges and counts results [@from, @to) of @results. */
typedef struct
{
  JsonArray    *results;
  guint         from, to;
  TfSyncReport *report;
} MergeRun;

static gboolean
merge_run (TfStore *store, gpointer data, GError **error)
{
  MergeRun *run = data;
  TfSyncReport *report = run->report;

  for (guint i = run->from; i < run->to; i++)
    {
      JsonObject *result = json_array_get_object_element (run->results, i);
      const char *status = json_object_get_string_member (result, "status");
      gboolean refused = json_object_get_boolean_member_with_default (result, "record_refused",
                                                                      FALSE);

      /* The record the server sent with it did not verify (the store
       * refused it, tf_store_apply_push_results): a conflict is not merged
       * but stays queued, a duplicate is kept as a rejection. */
      report->refused += refused;
      if (strcmp (status, "applied") == 0)
        report->pushed++;
      else if (refused)
        report->rejected += strcmp (status, "rejected") == 0;
      else if (tf_store_push_result_is_duplicate (result))
        report->conflicts += json_object_get_boolean_member_with_default (result,
                                                                          "kept_as_conflict_copy",
                                                                          FALSE);
      else if (strcmp (status, "rejected") == 0)
        report->rejected++;
      else if (strcmp (status, "conflict") == 0)
        {
          /* Merge against the base copy; an automatic merge is queued
           * again (with a new mutation id) and goes in the next batch. */
          g_autoptr(GError) merge_error = NULL;
          TfMergeOutcome outcome;

          if (!tf_store_merge_conflict (store, json_object_get_int_member (result, "mutation_id"),
                                        json_object_get_member (result, "record"), &outcome,
                                        &merge_error))
            return answer_error (merge_error, error);
          if (outcome == TF_MERGE_CONFLICT_COPY)
            report->conflicts++;
          else if (outcome == TF_MERGE_EDIT_KEPT)
            report->edits_kept++;
        }
    }
  return TRUE;
}

/* The end (exclusive) of the atomic group of @groups that starts at result
 * @i of @results, or @i + 1 when none does. */
static guint
group_end (JsonArray *results, JsonArray *groups, guint i)
{
  gint64 id = json_object_get_int_member (json_array_get_object_element (results, i),
                                          "mutation_id");
  guint n = json_array_get_length (results);

  for (guint g = 0; groups != NULL && g < json_array_get_length (groups); g++)
    {
      JsonArray *pair = json_array_get_array_element (groups, g);
      gint64 last = json_array_get_int_element (pair, 1);
      guint end = i;

      if (json_array_get_int_element (pair, 0) != id)
        continue;
      while (end < n && json_object_get_int_member (json_array_get_object_element (results, end),
                                                    "mutation_id") <= last)
        end++;
      return MAX (end, i + 1);
    }
  return i + 1;
}

gboolean
tf_sync_answer_merge_push_groups (TfStore *store, JsonArray *results, JsonArray *groups,
                                  TfSyncReport *report, GError **error)
{
  guint n = json_array_get_length (results);

  for (guint i = 0; i < n;)
    {
      MergeRun run = { results, i, group_end (results, groups, i), report };

      /* A group the server did not apply is queued again as one group, in
       * one transaction: it goes again whole or not at all. */
      if (run.to - run.from > 1 ? !tf_store_atomic (store, merge_run, &run, error)
                                : !merge_run (store, &run, error))
        return FALSE;
      i = run.to;
    }
  return TRUE;
}

gboolean
tf_sync_answer_merge_push (TfStore *store, JsonArray *results, TfSyncReport *report,
                           GError **error)
{
  return tf_sync_answer_merge_push_groups (store, results, NULL, report, error);
}

JsonArray *
tf_sync_answer_pull_changes (JsonObject *page, gint64 cursor, gint64 *out_next_cursor,
                             gboolean *out_more, GError **error)
{
  JsonArray *changes = member_array (page, "changes");
  gint64 next_cursor;
  gboolean more;

  if (changes == NULL || !member_holds (page, "next_cursor", G_TYPE_INT64) ||
      (json_object_has_member (page, "has_more") &&
       !member_holds (page, "has_more", G_TYPE_BOOLEAN)))
    {
      set_malformed (error);
      return NULL;
    }
  next_cursor = json_object_get_int_member (page, "next_cursor");
  more = json_object_get_boolean_member_with_default (page, "has_more", FALSE);
  if (next_cursor < cursor || (more && next_cursor == cursor))
    {
      set_malformed (error);
      return NULL;
    }
  *out_next_cursor = next_cursor;
  *out_more = more;
  return changes;
}

gint64
tf_sync_answer_pull_limit (JsonObject *page)
{
  gint64 limit;

  if (!member_holds (page, "limit", G_TYPE_INT64))
    return -1;
  limit = json_object_get_int_member (page, "limit");
  return limit >= 1 ? limit : -1;
}

gboolean
tf_sync_answer_check_bookkeeping (TfStore *store, JsonObject *page, TfSyncReport *report,
                                  GError **error)
{
  gint64 server_last = server_last_mutation (page);
  gint64 acked;

  if (server_last < 0)
    return TRUE;
  acked = tf_store_get_acked_mutation (store, error);
  if (acked < 0 ||
      (server_last < acked && !server_went_back (store, server_last, acked, report, error)))
    return FALSE;
  return tf_store_outbox_renumber (store, NULL, server_last, error);
}

gboolean
tf_sync_answer_apply_pull (TfStore *store, JsonArray *changes, gint64 next_cursor,
                           guint *out_refused, GError **error)
{
  g_autoptr(GError) apply_error = NULL;
  guint refused = 0;

  if (!tf_store_apply_pull_checked (store, changes, next_cursor, &refused, &apply_error))
    return answer_error (apply_error, error);
  if (out_refused != NULL)
    *out_refused += refused;
  return TRUE;
}

gboolean
tf_sync_answer_wait_changes (JsonObject *answer, gboolean *out_changes, GError **error)
{
  if (!member_holds (answer, "changes", G_TYPE_BOOLEAN))
    return set_malformed (error);
  *out_changes = json_object_get_boolean_member (answer, "changes");
  return TRUE;
}
