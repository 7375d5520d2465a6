/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-client.h: the device side of sync over HTTP (DESIGN.md §3).
 *
 * One sync is: push the outbox in batches (each answer applied to the store
 * in one transaction), then pull from the stored cursor until the server has
 * no more (each page applied with its cursor in one transaction).  Every
 * step is idempotent, so a crash or a dropped connection at any point is
 * repaired by simply syncing again; that is also why a request that failed
 * for a passing reason is simply sent again (see tf_sync_client_set_retry).
 *
 * Threads: a TfSyncClient and the TfStore it syncs are used from one thread
 * at a time.  tf_sync_client_sync_async() runs the blocking sync in a worker
 * thread and hands the store to it until the callback runs.
 */
#pragma once

#include <gio/gio.h>

#include "tf-store.h"

G_BEGIN_DECLS

#define TF_SYNC_ERROR (tf_sync_error_quark ())

typedef enum
{
  TF_SYNC_ERROR_UNAVAILABLE,  /* no network, server down, 5xx, a malformed or cut-off answer:
                               * try again later */
  TF_SYNC_ERROR_UNAUTHORIZED, /* the token was revoked or the account suspended: log in
                               * again */
  TF_SYNC_ERROR_REFUSED,      /* the server refused the request itself (4xx) */
  TF_SYNC_ERROR_TOKEN_EXPIRED, /* the session lapsed (unused too long, or its maximum age):
                                * a device that holds the password signs in again by itself
                                * (tf_account_renew_session) */
  TF_SYNC_ERROR_KEYS_REPLACED, /* the token was revoked by a key rotation on another device of
                                * the account: log in again (the password is the same) to get
                                * the new keys */
} TfSyncError;

GQuark tf_sync_error_quark (void);

typedef struct
{
  guint pushed;     /* mutations the server applied */
  guint rejected;   /* mutations refused (kept in the store for the user) */
  guint conflicts;  /* same-field conflicts kept as copies for the user */
  guint edits_kept; /* delete against edit: the edit survived (the user is told) */
  guint pulled;     /* changes received */
  guint renumbered; /* mutations sent again under new ids: this profile was restored from a
                     * backup or copied, and reused ids the server had seen */
  gint64 server_lost; /* > 0: the server's bookkeeping went back by this many of the ids it
                       * had acknowledged to this device (it lost changes; the user is told) */
  guint resent;       /* of those, acknowledged changes this device still kept and sent again */
  gint64 unkept;      /* at most this many of them were no longer kept here (too old) */
  guint refused;      /* records the server sent that this device newly refuses to use (an
                       * unsigned or forged key grant, a record changed by the server):
                       * not used, kept in tf_store_list_refused() for the user */
} TfSyncReport;

/* Adds the counts of @more to @total (a sync run twice, as one). */
void          tf_sync_report_add  (TfSyncReport       *total,
                                   const TfSyncReport *more);

/* Keys of tf_store_dup_state() that a sync keeps up to date, for `status`. */
#define TF_SYNC_STATE_LAST_SYNC       "last_sync"       /* RFC 3339 UTC of the last full sync */
#define TF_SYNC_STATE_LAST_SYNC_ERROR "last_sync_error" /* why the last sync failed; absent
                                                         * after a successful one */
#define TF_SYNC_STATE_SERVER_LOST     "server_lost"     /* RFC 3339 UTC of when the server was
                                                         * found to have lost acknowledged
                                                         * changes; kept for the user */
#define TF_SYNC_STATE_SERVER_RESENT   "server_resent"   /* how many changes the server lost
                                                         * were sent again, since then */
#define TF_SYNC_STATE_SERVER_UNKEPT   "server_unkept"   /* at most how many it lost were too
                                                         * old to be kept here; absent: none */
#define TF_SYNC_STATE_PULL_LIMIT      "pull_limit"      /* the largest pull page the server
                                                         * said it gives; asked from then on */

/* What the user is told when the server lost acknowledged changes
 * (tf-sync-notice.c): @resent of them sent again, up to @unkept too old to
 * be kept here.  Translated, one paragraph. */
char     *tf_sync_server_lost_text    (gint64    resent,
                                       gint64    unkept);
/* The same from the profile's state, NULL when there is nothing to tell;
 * @out_when (may be NULL): when it was found, RFC 3339 UTC. */
char     *tf_sync_server_lost_notice  (TfStore  *store,
                                       char    **out_when);
/* The user has read it: the notice is gone until the server loses again. */
gboolean  tf_sync_server_lost_dismiss (TfStore  *store,
                                       GError  **error);

/* What the user is told while records from the server are refused and the
 * notice was not dismissed (tf-sync-notice.c), NULL when nothing is;
 * translated, one paragraph. */
char     *tf_sync_refused_notice      (TfStore  *store);
/* Every notice of the profile (the server lost changes, records refused)
 * as one text, NULL when there is none; what the app's banner shows. */
char     *tf_sync_notice_text         (TfStore  *store);
/* The user has read them: each stays away until it happens again. */
gboolean  tf_sync_notice_dismiss      (TfStore  *store,
                                       GError  **error);

#define TF_TYPE_SYNC_CLIENT (tf_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (TfSyncClient, tf_sync_client, TF, SYNC_CLIENT, GObject)

/* @base_url: "https://sync.example.gr"; @token: this device's session, or
 * NULL before signing in. */
TfSyncClient *tf_sync_client_new  (const char   *base_url,
                                   const char   *token);
void          tf_sync_client_set_token (TfSyncClient *self,
                                        const char   *token);

/* How tf_sync_client_sync() treats a request that failed for a passing
 * reason (no connection, a connection cut off, 5xx, 429): it is sent up to
 * @max_attempts times in all (1: never again), after @base_delay_ms, then
 * twice that and so on (each with random jitter, at most 10 s), or after
 * the server's Retry-After when that is longer.  A Retry-After over 30 s is
 * not waited for: the sync fails at once.  401, other 4xx and malformed
 * answers are never retried.  Default: 3 attempts, 500 ms. */
void          tf_sync_client_set_retry (TfSyncClient *self,
                                        guint         max_attempts,
                                        guint         base_delay_ms);

/* One JSON request (@body may be NULL), blocking, never retried: the
 * answer's object on 2xx (an empty one for an empty answer), else NULL with
 * a TF_SYNC_ERROR whose message is for the user, and the server's error
 * code ("invalid_credentials" ...) in @out_code. */
JsonObject   *tf_sync_client_call (TfSyncClient *self,
                                   const char   *method,
                                   const char   *path,
                                   JsonObject   *body,
                                   char        **out_code,
                                   GError      **error);

/* Runs one full sync of @store, blocking the calling thread.  @report (may
 * be NULL) counts what was done, also when the sync fails half way.  On
 * success the store's TF_SYNC_STATE_LAST_SYNC becomes now and its
 * TF_SYNC_STATE_LAST_SYNC_ERROR goes; on failure the latter holds the
 * error's message.  A failed sync loses nothing: sync again.
 *
 * Test hook: when the environment variable TF_DEBUG_KILL_AT names one of these points, the process kills
 * itself there with SIGKILL, as a crash or a power cut would:
 *   "push-sent"     a push answer was received, before it is applied
 *   "push-applied"  the first push answer was applied (its transaction)
 *   "pull-received" a pull page was received, before it is applied
 *   "pull-applied"  the first pull page was applied, before the next or
 *                   the end of the sync
 * Only test builds have the hook (tf-sync-hooks.h); the shipped binaries
 * ignore the variable. */
gboolean      tf_sync_client_sync (TfSyncClient *self,
                                   TfStore      *store,
                                   TfSyncReport *report,
                                   GError      **error);

/* tf_sync_client_sync() in a worker thread, for the app.  Until @callback
 * runs, the store belongs to that thread: do not use @store from any other
 * thread, and note that its ::changed signal is emitted in the worker
 * thread (refresh views from @callback, or re-dispatch to the main
 * context).  Do not change the client's token or retry settings meanwhile.
 * Cancelling @cancellable stops the sync at the next request or backoff
 * with G_IO_ERROR_CANCELLED (what was applied stays applied; nothing is
 * recorded as TF_SYNC_STATE_LAST_SYNC_ERROR). */
void          tf_sync_client_sync_async  (TfSyncClient        *self,
                                          TfStore             *store,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* @report (may be NULL) is filled as tf_sync_client_sync() fills it. */
gboolean      tf_sync_client_sync_finish (TfSyncClient        *self,
                                          GAsyncResult        *result,
                                          TfSyncReport        *report,
                                          GError             **error);

/* Long-polls the server: blocks until the account has changes beyond the
 * store's cursor (@out_changes TRUE; pull them with a sync), or until
 * @timeout_s seconds pass with none (FALSE).  @timeout_s 0, or more than the
 * server allows, waits the server's longest (its wait-timeout).  The answer
 * is a hint; the sync is the truth.  Not retried: the caller loops.
 * Cancelling @cancellable ends the wait with G_IO_ERROR_CANCELLED. */
gboolean      tf_sync_client_wait (TfSyncClient *self,
                                   TfStore      *store,
                                   guint         timeout_s,
                                   gboolean     *out_changes,
                                   GCancellable *cancellable,
                                   GError      **error);

G_END_DECLS
