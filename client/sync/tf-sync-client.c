/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-client.c: push and pull over libsoup, applied through the store.
 *
 * Failures are sorted for the caller: a server that cannot be reached,
 * answers 5xx or 429, cuts its answer off or sends one that is malformed is
 * "unavailable" (local work goes on; sync again later), 401 is
 * "token expired" when the session lapsed (signing in again mends it) and
 * "unauthorized" otherwise, any other refusal is "refused" with the server's message.
 * Nothing is lost in any of them: the outbox keeps what was not
 * acknowledged, the cursor what was not applied.
 *
 * A failure that may pass by itself (no connection, a cut-off answer, 5xx,
 * 429) is retried with exponential backoff and jitter within one sync.  That
 * is safe only because every request of a sync is idempotent: a push is
 * keyed by its mutation ids (the server answers a repeat with the answer it
 * stored the first time), a pull by the cursor stored with the page it
 * applied.  Keep it so: never build a request from anything but the store.
 * An answer is checked for shape before any of it reaches the store, so a
 * malformed answer applies nothing (tf-sync-answer.c, which reads them).
 */
#define G_LOG_DOMAIN "tf-sync-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "tf-error.h"
#include "tf-sync-answer.h"
#include "tf-sync-client.h"
#include "tf-sync-hooks.h"
#include "tf-time.h"

#define PUSH_BATCH 200
#define PULL_PAGE  500   /* asked until the server says its own limit, never more */

#define REQUEST_TIMEOUT_S    60     /* push, pull and calls */
#define WAIT_MARGIN_S        30     /* a long poll's connection outlives the wait by this */
#define WAIT_LONGEST_S       3600   /* the longest wait-timeout a server may have */
#define DEFAULT_ATTEMPTS     3
#define DEFAULT_BASE_DELAY   500    /* ms */
#define MAX_BACKOFF_MS       10000
#define MAX_RETRY_AFTER_S    30     /* longer: give up now rather than block the sync */

G_DEFINE_QUARK (tf-sync-error-quark, tf_sync_error)

struct _TfSyncClient
{
  GObject      parent_instance;
  char        *base_url;          /* "https://sync.example.gr" */
  char        *token;             /* bearer token, wiped when replaced; NULL: not signed in */
  SoupSession *session;           /* push, pull, calls: REQUEST_TIMEOUT_S */
  SoupSession *wait_session;      /* long polls, made on demand (a session's timeout is
                                   * fixed once it has been used) */
  guint        wait_session_timeout; /* the timeout wait_session was made with, seconds */
  guint        max_attempts;      /* tries of one sync request, at least 1 */
  guint        base_delay_ms;     /* the first backoff; doubles with each retry */
};

G_DEFINE_FINAL_TYPE (TfSyncClient, tf_sync_client, G_TYPE_OBJECT)

/* One sync in progress. */
typedef struct
{
  TfSyncClient *self;
  TfStore      *store;
  TfSyncReport *report;
  GCancellable *cancellable;   /* may be NULL */
} SyncRun;

/* Why a request failed, for the retry loop. */
typedef struct
{
  gboolean transient;    /* may pass by itself: worth sending again */
  guint    retry_after;  /* seconds the server asked us to wait (Retry-After), 0: none */
} Failure;

static void
tf_sync_client_finalize (GObject *object)
{
  TfSyncClient *self = TF_SYNC_CLIENT (object);

  g_free (self->base_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_clear_object (&self->session);
  g_clear_object (&self->wait_session);
  G_OBJECT_CLASS (tf_sync_client_parent_class)->finalize (object);
}

static void
tf_sync_client_class_init (TfSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tf_sync_client_finalize;
}

static void
tf_sync_client_init (TfSyncClient *self)
{
  self->max_attempts = DEFAULT_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY;
}

static SoupSession *
session_new (guint timeout_s)
{
  return soup_session_new_with_options ("timeout", timeout_s,
                                        "user-agent", "therapy-field/" PACKAGE_VERSION,
                                        NULL);
}

TfSyncClient *
tf_sync_client_new (const char *base_url, const char *token)
{
  TfSyncClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (TF_TYPE_SYNC_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  self->token = g_strdup (token);
  self->session = session_new (REQUEST_TIMEOUT_S);
  return self;
}

void
tf_sync_client_set_token (TfSyncClient *self, const char *token)
{
  g_return_if_fail (TF_IS_SYNC_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

void
tf_sync_client_set_retry (TfSyncClient *self, guint max_attempts, guint base_delay_ms)
{
  g_return_if_fail (TF_IS_SYNC_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
}

/* --- one request ------------------------------------------------------------ */

/* Retry-After as seconds from now: delta-seconds or an HTTP date; 0 when
 * absent or unreadable. */
static guint
parse_retry_after (SoupMessage *msg)
{
  const char *text = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Retry-After");
  char *end = NULL;
  guint64 seconds;

  if (text == NULL)
    return 0;
  if (g_ascii_isdigit (*text))
    {
      seconds = g_ascii_strtoull (text, &end, 10);
      return *end == '\0' ? (guint) MIN (seconds, G_MAXUINT) : 0;
    }
  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (text);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GTimeSpan span;

    if (when == NULL)
      return 0;
    span = g_date_time_difference (when, now);
    return span > 0 ? (guint) MIN (span / G_TIME_SPAN_SECOND + 1, G_MAXUINT) : 0;
  }
}

/* A transport failure (no answer, or an answer cut off): unavailable, and
 * worth retrying unless it was cancelled or the TLS peer is not trusted. */
static void
set_transport_error (SoupMessage *msg, GError *cause, Failure *failure, GError **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (cause));
      return;
    }
  failure->transient = cause->domain != G_TLS_ERROR;
  if (soup_message_get_status (msg) != SOUP_STATUS_NONE)
    g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                 _("The connection to the server was lost during its answer (%s); your "
                   "changes are kept and will sync later"), cause->message);
  else
    g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                 _("The server cannot be reached (%s); your changes are kept and will sync later"),
                 cause->message);
}

/* One request on @session, never retried: the parsed JSON object of a 2xx
 * answer (an empty object for an empty one), else NULL, an error and, in
 * @failure, whether it may pass by itself. */
static JsonObject *
request_once (TfSyncClient *self, SoupSession *session, const char *method, const char *path,
              const char *body, GCancellable *cancellable, char **out_code, Failure *failure,
              GError **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autofree char *auth = self->token != NULL ? g_strdup_printf ("Bearer %s", self->token) : NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *answer;
  gsize size = 0;
  const char *data;
  guint status;

  failure->transient = FALSE;
  failure->retry_after = 0;
  if (msg == NULL)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_REFUSED, _("“%s” is not a server address"),
                   self->base_url);
      return NULL;
    }
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, cancellable, &local_error);
  if (reply == NULL)
    {
      set_transport_error (msg, local_error, failure, error);
      return NULL;
    }
  status = soup_message_get_status (msg);
  data = g_bytes_get_data (reply, &size);
  answer = tf_sync_answer_decode (status, data, size, out_code, &failure->transient, error);
  if (answer == NULL && failure->transient)
    failure->retry_after = parse_retry_after (msg);
  return answer;
}

JsonObject *
tf_sync_client_call (TfSyncClient *self, const char *method, const char *path, JsonObject *body,
                     char **out_code, GError **error)
{
  g_autofree char *text = NULL;
  Failure failure;

  g_return_val_if_fail (TF_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL, NULL);

  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      text = json_to_string (node, FALSE);
    }
  return request_once (self, self->session, method, path, text, NULL, out_code, &failure, error);
}

/* --- retries ---------------------------------------------------------------- */

/* The pause before retry number @attempt (1 = the first retry), or FALSE
 * when the server asks for a longer one than we will block for. */
static gboolean
backoff_delay (TfSyncClient *self, guint attempt, guint retry_after_s, guint *out_ms)
{
  guint64 ms = (guint64) self->base_delay_ms << MIN (attempt - 1, 20);

  if (retry_after_s > MAX_RETRY_AFTER_S)
    return FALSE;
  ms = MIN (ms, MAX_BACKOFF_MS);
  /* Half fixed, half random: devices cut off together do not come back together. */
  ms = ms / 2 + (guint64) g_random_int_range (0, (gint32) (ms - ms / 2) + 1);
  ms = MAX (ms, (guint64) retry_after_s * 1000);
  *out_ms = (guint) ms;
  return TRUE;
}

/* Sleeps @ms, or less when @cancellable is cancelled (then FALSE). */
static gboolean
pause_cancellable (guint ms, GCancellable *cancellable, GError **error)
{
  GPollFD pfd;

  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &pfd))
    {
      g_usleep ((gulong) ms * 1000);
      return TRUE;
    }
  {
    gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
    gint64 left;

    while (!g_cancellable_is_cancelled (cancellable) &&
           (left = end - g_get_monotonic_time ()) > 0)
      g_poll (&pfd, 1, (gint) ((left + 999) / 1000));
  }
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* A sync request: sent again after a passing failure, up to the client's
 * attempts.  Safe because every sync request is idempotent (see the top). */
static JsonObject *
request_retrying (SyncRun *run, const char *method, const char *path, const char *body,
                  GError **error)
{
  TfSyncClient *self = run->self;

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      Failure failure;
      JsonObject *answer;
      guint delay_ms = 0;

      answer = request_once (self, self->session, method, path, body, run->cancellable, NULL,
                             &failure, &local_error);
      if (answer != NULL)
        return answer;
      if (!failure.transient || attempt >= self->max_attempts ||
          !backoff_delay (self, attempt, failure.retry_after, &delay_ms))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("%s %s failed (%s); attempt %u of %u in %u ms", method, path,
               local_error->message, attempt + 1, self->max_attempts, delay_ms);
      if (!pause_cancellable (delay_ms, run->cancellable, error))
        return NULL;
    }
}

/* --- push and pull ------------------------------------------------------------ */

static gboolean
push_all (SyncRun *run, GError **error)
{
  TfStore *store = run->store;
  TfSyncReport *report = run->report;
  gint64 last_sent = 0;
  gboolean went_back = FALSE;

  for (;;)
    {
      g_autoptr(JsonArray) groups = NULL;
      g_autoptr(JsonArray) batch =
        tf_store_outbox_peek_groups (store, tf_sync_hook_push_batch (PUSH_BATCH), &groups, error);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *body = NULL;
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(JsonArray) applied = NULL;
      JsonArray *results;
      gint64 first, last, sent_before, acked, lost_before;

      if (batch == NULL)
        return FALSE;
      if (json_array_get_length (batch) == 0)
        return TRUE;
      first = json_object_get_int_member (json_array_get_object_element (batch, 0), "mutation_id");
      last = json_object_get_int_member (json_array_get_object_element (
               batch, json_array_get_length (batch) - 1), "mutation_id");
      /* What is left is what the server keeps for a merge: stop. */
      if (first <= last_sent)
        return TRUE;
      /* Saved before it goes out: a repeat of an id above it is not ours. */
      if ((sent_before = tf_store_get_sent_mutation (store, error)) == -1 ||
          !tf_store_set_sent_mutation (store, last, error) ||
          (acked = tf_store_get_acked_mutation (store, error)) < 0)
        return FALSE;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, 1);
      /* So a server whose bookkeeping went back takes nothing of this push
       * before this device put back what it lost (tf-sync-answer.c). */
      json_builder_set_member_name (b, "acknowledged_mutation_id");
      json_builder_add_int_value (b, acked);
      json_builder_set_member_name (b, "mutations");
      json_builder_add_value (b, json_node_init_array (json_node_alloc (), batch));
      /* What must be applied all or none (a re-key): docs/protocol.md. */
      if (json_array_get_length (groups) > 0)
        {
          json_builder_set_member_name (b, "atomic_groups");
          json_builder_add_value (b, json_node_init_array (json_node_alloc (), groups));
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      body = json_to_string (root, FALSE);
      answer = request_retrying (run, "POST", "/v1/sync/push", body, error);
      if (answer == NULL)
        return FALSE;
      tf_sync_hook_kill_point (TF_KILL_PUSH_SENT);
      results = tf_sync_answer_push_results (answer, error);
      lost_before = report->server_lost;
      if (results == NULL ||
          !(applied = tf_sync_answer_apply_push (store, answer, results, sent_before, last, report,
                                                 error)))
        return FALSE;
      tf_sync_hook_kill_point (TF_KILL_PUSH_APPLIED);
      if (!tf_sync_answer_merge_push_groups (store, applied, groups, report, error))
        return FALSE;
      /* What the server lost is queued again below this batch's ids: once
       * per sync (the server's number is the base now), the queue goes
       * again from its start. */
      if (report->server_lost > lost_before && !went_back)
        {
          went_back = TRUE;
          last_sent = 0;
          continue;
        }
      last_sent = last;
    }
}

/* The page to ask: the server's limit once it said it (a server with a smaller
 * pull-limit would otherwise cut every page, and an older one refuse them),
 * PULL_PAGE at most. */
static gint64
pull_page (TfStore *store)
{
  g_autofree char *text = tf_store_dup_state (store, TF_SYNC_STATE_PULL_LIMIT, NULL);
  gint64 limit = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;

  return limit >= 1 && limit < PULL_PAGE ? limit : PULL_PAGE;
}

/* Keeps the server's limit of @page when it changed, for the next pulls. */
static gboolean
learn_pull_limit (TfStore *store, JsonObject *page, gint64 asked, GError **error)
{
  gint64 limit = tf_sync_answer_pull_limit (page);
  g_autofree char *text = NULL;
  const char * const keys[] = { TF_SYNC_STATE_PULL_LIMIT, NULL };
  const char *values[] = { NULL, NULL };

  if (limit < 0 || MIN (limit, PULL_PAGE) == asked)
    return TRUE;
  text = g_strdup_printf ("%" G_GINT64_FORMAT, MIN (limit, PULL_PAGE));
  values[0] = text;
  return tf_store_set_state (store, keys, values, error);
}

static gboolean
pull_all (SyncRun *run, GError **error)
{
  TfStore *store = run->store;
  gboolean more = TRUE;

  while (more)
    {
      gint64 cursor = tf_store_get_cursor (store, error);
      gint64 asked = pull_page (store);
      g_autofree char *path = NULL;
      g_autoptr(JsonObject) page = NULL;
      JsonArray *changes;
      gint64 next_cursor, lost_before;

      if (cursor < 0)
        return FALSE;
      path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%" G_GINT64_FORMAT,
                              cursor, asked);
      page = request_retrying (run, "GET", path, NULL, error);
      if (page == NULL)
        return FALSE;
      tf_sync_hook_kill_point (TF_KILL_PULL_RECEIVED);
      changes = tf_sync_answer_pull_changes (page, cursor, &next_cursor, &more, error);
      lost_before = run->report->server_lost;
      if (changes == NULL || !tf_sync_answer_check_bookkeeping (store, page, run->report, error))
        return FALSE;
      /* The server went back, its feed with it: the pull starts over from
       * the beginning (the cursor was reset), this page is not taken. */
      if (run->report->server_lost > lost_before)
        {
          more = TRUE;
          continue;
        }
      if (!learn_pull_limit (store, page, asked, error) ||
          !tf_sync_answer_apply_pull (store, changes, next_cursor, &run->report->refused,
                                      error))
        return FALSE;
      tf_sync_hook_kill_point (TF_KILL_PULL_APPLIED);
      run->report->pulled += json_array_get_length (changes);
    }
  return TRUE;
}

/* --- sync ----------------------------------------------------------------------- */

static gboolean
record_success (TfStore *store, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (g_get_real_time () /
                                                             G_USEC_PER_SEC);
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char * const keys[] = { TF_SYNC_STATE_LAST_SYNC, TF_SYNC_STATE_LAST_SYNC_ERROR, NULL };
  const char * const values[] = { stamp, NULL, NULL };

  return tf_store_set_state (store, keys, values, error);
}

static void
record_failure (TfStore *store, const GError *failure)
{
  const char * const keys[] = { TF_SYNC_STATE_LAST_SYNC_ERROR, NULL };
  const char * const values[] = { failure->message, NULL };
  g_autoptr(GError) error = NULL;

  /* The sync's own error is what the caller needs to hear about. */
  if (!tf_store_set_state (store, keys, values, &error))
    g_debug ("Cannot record the sync failure: %s", error->message);
}

static gboolean
sync_run (TfSyncClient *self, TfStore *store, TfSyncReport *report, GCancellable *cancellable,
          GError **error)
{
  SyncRun run = { self, store, report, cancellable };
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  memset (report, 0, sizeof *report);
  ok = push_all (&run, &local_error);
  if (ok)
    {
      guint resent = report->resent;

      /* A pull that found the server's bookkeeping went back queued again
       * what it lost: that goes in the same sync. */
      ok = pull_all (&run, &local_error) &&
           (report->resent == resent || push_all (&run, &local_error));
    }
  if (ok)
    return record_success (store, error);
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    record_failure (store, local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

void
tf_sync_report_add (TfSyncReport *total, const TfSyncReport *more)
{
  g_return_if_fail (total != NULL && more != NULL);

  total->pushed += more->pushed;
  total->rejected += more->rejected;
  total->conflicts += more->conflicts;
  total->edits_kept += more->edits_kept;
  total->pulled += more->pulled;
  total->renumbered += more->renumbered;
  total->server_lost += more->server_lost;
  total->resent += more->resent;
  total->unkept += more->unkept;
  total->refused += more->refused;
}

gboolean
tf_sync_client_sync (TfSyncClient *self, TfStore *store, TfSyncReport *report, GError **error)
{
  TfSyncReport local = { 0 };

  g_return_val_if_fail (TF_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (TF_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return sync_run (self, store, report != NULL ? report : &local, NULL, error);
}

/* --- async ---------------------------------------------------------------------- */

typedef struct
{
  TfStore      *store;    /* owned; only the worker uses it until the task returns */
  TfSyncReport  report;
} SyncTaskData;

static void
sync_task_data_free (SyncTaskData *data)
{
  g_clear_object (&data->store);
  g_free (data);
}

static void
sync_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SyncTaskData *data = task_data;
  GError *error = NULL;

  if (sync_run (TF_SYNC_CLIENT (source_object), data->store, &data->report, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tf_sync_client_sync_async (TfSyncClient *self, TfStore *store, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  SyncTaskData *data;

  g_return_if_fail (TF_IS_SYNC_CLIENT (self));
  g_return_if_fail (TF_IS_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (SyncTaskData, 1);
  data->store = g_object_ref (store);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_sync_client_sync_async);
  g_task_set_task_data (task, data, (GDestroyNotify) sync_task_data_free);
  g_task_run_in_thread (task, sync_thread);
}

gboolean
tf_sync_client_sync_finish (TfSyncClient *self, GAsyncResult *result, TfSyncReport *report,
                            GError **error)
{
  SyncTaskData *data;

  g_return_val_if_fail (TF_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tf_sync_client_sync_async,
                        FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    *report = data->report;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- wait ----------------------------------------------------------------------- */

/* A session whose timeout outlasts a wait of @timeout_s (0: the longest). */
static SoupSession *
get_wait_session (TfSyncClient *self, guint timeout_s)
{
  guint needed = (timeout_s > 0 ? MIN (timeout_s, WAIT_LONGEST_S) : WAIT_LONGEST_S) +
                 WAIT_MARGIN_S;

  if (self->wait_session == NULL || self->wait_session_timeout != needed)
    {
      g_clear_object (&self->wait_session);
      self->wait_session = session_new (needed);
      self->wait_session_timeout = needed;
    }
  return self->wait_session;
}

gboolean
tf_sync_client_wait (TfSyncClient *self, TfStore *store, guint timeout_s, gboolean *out_changes,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *code = NULL;
  SoupSession *session;
  Failure failure;
  gboolean changes;
  gint64 cursor;

  g_return_val_if_fail (TF_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (TF_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  cursor = tf_store_get_cursor (store, error);
  if (cursor < 0)
    return FALSE;
  session = get_wait_session (self, timeout_s);
  if (timeout_s > 0)
    {
      path = g_strdup_printf ("/v1/sync/wait?cursor=%" G_GINT64_FORMAT "&timeout=%u", cursor,
                              timeout_s);
      answer = request_once (self, session, "GET", path, NULL, cancellable, &code, &failure,
                             &local_error);
      /* Longer than this server waits: wait as long as it does. */
      if (answer == NULL && g_strcmp0 (code, "bad_value") == 0)
        g_clear_error (&local_error);
    }
  if (answer == NULL && local_error == NULL)
    {
      g_free (path);
      path = g_strdup_printf ("/v1/sync/wait?cursor=%" G_GINT64_FORMAT, cursor);
      answer = request_once (self, session, "GET", path, NULL, cancellable, NULL, &failure,
                             &local_error);
    }
  if (answer == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return tf_sync_answer_wait_changes (answer, out_changes != NULL ? out_changes : &changes, error);
}
