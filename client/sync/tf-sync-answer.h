/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-answer.h: the device's reading of the server's answers
 * (docs/protocol.md), apart from the network.
 *
 * tf-sync-client.c sends the requests and hands each answer, its status and
 * body as received, to these; the fuzz target tests/fuzz/fuzz-answer.c hands
 * them its inputs.  An answer is checked for shape before any of it reaches
 * the store, so a malformed one applies nothing; every refusal is a
 * TF_SYNC_ERROR for the user.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-store.h"
#include "tf-sync-client.h"

G_BEGIN_DECLS

/* The JSON object of a 2xx answer (an empty one for an empty body), else
 * NULL with a TF_SYNC_ERROR whose message is for the user (a 401
 * token_expired is TF_SYNC_ERROR_TOKEN_EXPIRED); @out_code
 * (may be NULL) receives the server's error code ("invalid_credentials"
 * ...) and @out_transient whether the failure may pass by itself (5xx,
 * 429: worth sending again). */
JsonObject *tf_sync_answer_decode      (guint          status,
                                        const char    *body,
                                        gsize          size,
                                        char         **out_code,
                                        gboolean      *out_transient,
                                        GError       **error);

/* The "results" of a push answer when every one has the shape the store and
 * the merge rely on (borrowed from @answer), else NULL and an error. */
JsonArray  *tf_sync_answer_push_results (JsonObject   *answer,
                                         GError      **error);
/* Applies checked @results of a push of mutation ids up to @last, the
 * highest id sent before it being @sent_before (< 0: unknown), in the
 * store: results the server answered from its store of earlier answers
 * ("repeat") for ids this device never sent belong to another copy of this
 * profile, so those mutations are renumbered above the server's
 * last_mutation_id and go again (counted in @report); the others are
 * applied (tf_store_apply_push_results) and returned, for the merge, and
 * the server's last_mutation_id is remembered as acknowledged.  A
 * last_mutation_id below what the server acknowledged before is handled
 * first, as tf_sync_answer_check_bookkeeping() does. */
JsonArray  *tf_sync_answer_apply_push   (TfStore      *store,
                                         JsonObject   *answer,
                                         JsonArray    *results,
                                         gint64        sent_before,
                                         gint64        last,
                                         TfSyncReport *report,
                                         GError      **error);
/* Merges every "conflict" of @results (as tf_sync_answer_apply_push
 * returned them) and counts what was pushed, rejected and kept in @report.
 * A server record the store cannot take is "unavailable" (the mutation
 * stays queued for the next sync). */
gboolean    tf_sync_answer_merge_push   (TfStore      *store,
                                         JsonArray    *results,
                                         TfSyncReport *report,
                                         GError      **error);
/* The same for a push that sent atomic @groups ([[first, last], ...] as
 * tf_store_outbox_peek_groups() made them): the conflicts of one group are
 * merged in one transaction, so what is queued again is one group again. */
gboolean    tf_sync_answer_merge_push_groups (TfStore      *store,
                                              JsonArray    *results,
                                              JsonArray    *groups,
                                              TfSyncReport *report,
                                              GError      **error);

/* The "changes" of a pull page asked from @cursor (borrowed), its
 * next_cursor and has_more, when the page has its shape and moves forward
 * (a cursor that went back, or "more" without progress, would loop); else
 * NULL and an error. */
JsonArray  *tf_sync_answer_pull_changes (JsonObject   *page,
                                         gint64        cursor,
                                         gint64       *out_next_cursor,
                                         gboolean     *out_more,
                                         GError      **error);
/* The largest page the server gives (the page's "limit"), or -1 when the
 * page does not say (an older server) or says nonsense. */
gint64      tf_sync_answer_pull_limit   (JsonObject   *page);
/* A page's last_mutation_id says where the server's bookkeeping of this
 * device stands.  Below what it acknowledged: it lost changes it had taken
 * (restored from an older backup, a crash of a database that did not
 * commit durably); those this device still keeps go back in the queue
 * (tf_store_outbox_requeue_acked), the next pull starts from the beginning,
 * and the user is told, in @report and in the profile's state
 * (TF_SYNC_STATE_SERVER_LOST, _RESENT, _UNKEPT).  Above every id given out here: this
 * profile was restored or copied, and its next writes take ids above the
 * server's.  Nothing to do for a page without it. */
gboolean    tf_sync_answer_check_bookkeeping (TfStore      *store,
                                              JsonObject   *page,
                                              TfSyncReport *report,
                                              GError      **error);
/* Applies a checked page with tf_store_apply_pull_checked, adding the
 * records it newly refuses to @out_refused (may be NULL); a change the
 * store refuses as malformed is the server's fault, "unavailable" for the
 * user. */
gboolean    tf_sync_answer_apply_pull   (TfStore      *store,
                                         JsonArray    *changes,
                                         gint64        next_cursor,
                                         guint        *out_refused,
                                         GError      **error);

/* The "changes" flag of a long poll's answer. */
gboolean    tf_sync_answer_wait_changes (JsonObject   *answer,
                                         gboolean     *out_changes,
                                         GError      **error);

G_END_DECLS
