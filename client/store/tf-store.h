/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store.h: a profile's offline store — records and their outbox.
 *
 * Every write stores the row and its outbox entry in one SQLite transaction,
 * before any network activity; the sync engine later pushes the outbox.
 * Writes are validated against the registry first (the same rules as the
 * server), so a mistake is reported at once and nothing is written.
 * Encrypted columns hold "tf1:" envelopes here too: the file alone reveals
 * no clinical content.  The app and the CLI use this and never SQL.
 */
#pragma once

#include <glib-object.h>

#include "tf-record.h"

G_BEGIN_DECLS

#define TF_TYPE_STORE (tf_store_get_type ())
G_DECLARE_FINAL_TYPE (TfStore, tf_store, TF, STORE, GObject)

/* Opens (creating and migrating) the store at @path. */
TfStore   *tf_store_open          (const char     *path,
                                   GError        **error);

/* Creates or replaces a record from local edits: @fields is the whole
 * record in wire form.  Queues an upsert.  Emits ::changed. */
gboolean   tf_store_put           (TfStore        *self,
                                   const TfTable  *table,
                                   const char     *id,
                                   JsonObject     *fields,
                                   GError        **error);
/* Marks a record deleted (a tombstone) and queues the delete. */
gboolean   tf_store_delete        (TfStore        *self,
                                   const TfTable  *table,
                                   const char     *id,
                                   GError        **error);
/* The record, tombstones included; NULL with TF_STORE_ERROR_NOT_FOUND. */
TfRecord  *tf_store_get           (TfStore        *self,
                                   const TfTable  *table,
                                   const char     *id,
                                   GError        **error);
/* Live records of @table, newest first by created_at when the table has it;
 * when @column is not NULL only those whose @column equals @value. */
GPtrArray *tf_store_list          (TfStore        *self,
                                   const TfTable  *table,
                                   const char     *column,
                                   const char     *value,
                                   GError        **error);
/* Small facts of the profile (server, account, last sync ...): the value
 * stored under @key, or NULL with TF_STORE_ERROR_NOT_FOUND. */
char      *tf_store_get_state     (TfStore        *self,
                                   const char     *key,
                                   GError        **error);
/* Sets each of the NULL-terminated @keys to the matching entry of @values
 * (NULL removes it), all or none. */
gboolean   tf_store_set_state     (TfStore        *self,
                                   const char * const *keys,
                                   const char * const *values,
                                   GError        **error);

/* --- the store's half of sync --------------------------------------------- */

/* The pull cursor saved with the last applied page (0 before any). */
gint64     tf_store_get_cursor    (TfStore        *self,
                                   GError        **error);

/* Applies one pulled page (the "changes" array of /v1/sync/pull) and saves
 * @next_cursor, all in one transaction:
 *  - a record becomes the row and its base copy (the last synced state),
 *    unless the device has unpushed edits of it: then both stay, and the
 *    edits merge against their base when their push meets the conflict;
 *  - a tombstone marks the row deleted;
 *  - a revocation removes the row and its base (access was withdrawn).
 * A malformed change fails the whole page and nothing is applied. */
gboolean   tf_store_apply_pull    (TfStore        *self,
                                   JsonArray      *changes,
                                   gint64          next_cursor,
                                   GError        **error);

/* Applies the "results" of a push, in one transaction: an applied mutation
 * leaves the outbox and its row and base copy take the new version; a
 * rejected one leaves the outbox for sync_rejections (the user is told; the
 * local row stays); a conflict stays queued for the merge.  Returns the
 * number of conflicts in @n_conflicts. */
gboolean   tf_store_apply_push_results (TfStore   *self,
                                        JsonArray *results,
                                        guint     *n_conflicts,
                                        GError   **error);

typedef enum
{
  TF_MERGE_AUTOMATIC,        /* each side changed other fields: merged and queued again */
  TF_MERGE_CONFLICT_COPY,    /* the same field changed on both sides: the server's record is
                              * the row, the local edit a conflict copy for the user */
  TF_MERGE_EDIT_KEPT,        /* delete against edit: the edit survives, the user is told */
} TfMergeOutcome;

/* Resolves the "conflict" answer to mutation @mutation_id, whose "record"
 * is @server (NULL when the server has none), in one transaction, against
 * the base copy (DESIGN.md §3: conflicts lose nothing). */
gboolean   tf_store_merge_conflict (TfStore        *self,
                                    gint64          mutation_id,
                                    JsonNode       *server,
                                    TfMergeOutcome *outcome,
                                    GError        **error);

/* Conflict copies waiting for the user. */
gint64     tf_store_conflict_count (TfStore       *self,
                                    const TfTable *table,
                                    GError       **error);

/* Mutations the server refused and the user has not dismissed. */
gint64     tf_store_rejection_count (TfStore      *self,
                                     GError      **error);

/* Up to @limit queued mutations in order, in push form ({mutation_id,
 * table, id, op, base_version, fields}). */
JsonArray *tf_store_outbox_peek   (TfStore        *self,
                                   guint           limit,
                                   GError        **error);

/* Writes waiting to be pushed. */
gint64     tf_store_outbox_count  (TfStore        *self,
                                   GError        **error);

G_END_DECLS
