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

/* The store's error domain; SQLite's codes map to it in one place,
 * tf_store_set_error() (tf-store-db.c). */
#define TF_STORE_ERROR (tf_store_error_quark ())

typedef enum
{
  TF_STORE_ERROR_OPEN,       /* cannot open or create the file */
  TF_STORE_ERROR_CORRUPT,    /* not a database, or damaged */
  TF_STORE_ERROR_TOO_NEW,    /* written by a newer version of the app */
  TF_STORE_ERROR_BUSY,       /* locked by another process for too long */
  TF_STORE_ERROR_CONSTRAINT, /* a CHECK, NOT NULL or UNIQUE refused the data */
  TF_STORE_ERROR_NOT_FOUND,  /* no record with that id */
  TF_STORE_ERROR_FAILED,     /* anything else */
  TF_STORE_ERROR_KEY_CHANGED, /* someone's keys are not the ones pinned */
} TfStoreError;

GQuark     tf_store_error_quark   (void);

#define TF_TYPE_STORE (tf_store_get_type ())
G_DECLARE_FINAL_TYPE (TfStore, tf_store, TF, STORE, GObject)

/* Opens (creating and migrating) the store at @path. */
TfStore   *tf_store_open          (const char     *path,
                                   GError        **error);

/* Another connection to the same file (a sync in a worker thread) changed
 * @table: emits ::changed on this one, with a NULL id, so that what follows
 * this connection (the app's list models) reloads.  Main thread only. */
void       tf_store_announce_changed (TfStore     *self,
                                      const char  *table);

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
char      *tf_store_dup_state     (TfStore        *self,
                                   const char     *key,
                                   GError        **error);
/* Sets each of the NULL-terminated @keys to the matching entry of @values
 * (NULL removes it), all or none. */
gboolean   tf_store_set_state     (TfStore        *self,
                                   const char * const *keys,
                                   const char * const *values,
                                   GError        **error);
/* Copies what the write-ahead log holds into the file and empties the log,
 * so that what was just deleted (with secure_delete, zeroed) is nowhere in
 * the profile's files any more; TF_STORE_ERROR when another connection
 * kept it from finishing (the next checkpoint does it). */
gboolean   tf_store_checkpoint    (TfStore        *self,
                                   GError        **error);

/* The work of one step that must be whole: it writes through the store. */
typedef gboolean (*TfStoreBody) (TfStore  *self,
                                 gpointer  data,
                                 GError  **error);

/* Runs @body in one transaction: every write it makes is on disk, or none
 * (a crash or a failure of @body rolls all of it back).  The mutations it
 * queues form one atomic group: a push never splits them and the server
 * applies them all or none (tf-store-outbox.c).  Nests: an inner call is
 * part of the outer transaction, and its mutations form a group of their
 * own (a share that ends re-keys each record as a group, inside the one
 * transaction that ends it). */
gboolean   tf_store_atomic        (TfStore        *self,
                                   TfStoreBody     body,
                                   gpointer        data,
                                   GError        **error);

/* As tf_store_atomic(), but the nested tf_store_atomic() calls inside
 * @body join its group instead of making their own: for one step of many
 * records the server must take all or none (a series of appointments,
 * each written by a call that would otherwise be a group of its own). */
gboolean   tf_store_atomic_one_group (TfStore     *self,
                                      TfStoreBody  body,
                                      gpointer     data,
                                      GError     **error);

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

/* The same, and a record the checks refuse (the verify function, a
 * revision below the one held or equal to it with another signature) is
 * not applied: the row and its base stay as they were, and the refusal is
 * kept for the user (tf_store_list_refused); @out_refused (may be NULL):
 * how many were newly refused. */
gboolean   tf_store_apply_pull_checked (TfStore   *self,
                                        JsonArray *changes,
                                        gint64     next_cursor,
                                        guint     *out_refused,
                                        GError   **error);

/* Applies the "results" of a push, in one transaction: an applied mutation
 * leaves the outbox and its row and base copy take the new version; a
 * rejected one leaves the outbox for sync_rejections (the user is told; the
 * local row stays); a conflict stays queued for the merge.  Returns the
 * number of conflicts in @n_conflicts.
 *
 * A rejection that is a duplicate (tf_store_push_result_is_duplicate()) is
 * no refusal: another device wrote the same unique values under another id,
 * and the server's record takes the place of this device's, which goes when
 * the two agree and otherwise stays as a conflict copy; the store then sets
 * "kept_as_conflict_copy" (boolean) on that result for the caller's report. */
gboolean   tf_store_apply_push_results (TfStore   *self,
                                        JsonArray *results,
                                        guint     *n_conflicts,
                                        GError   **error);
gboolean   tf_store_push_result_is_duplicate (JsonObject *result);

typedef enum
{
  TF_MERGE_AUTOMATIC,        /* each side changed other fields: merged and queued again */
  TF_MERGE_CONFLICT_COPY,    /* the same field changed on both sides: the server's record is
                              * the row, the local edit a conflict copy for the user (see
                              * "conflict copies" below) */
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

/* --- conflict copies --------------------------------------------------------
 * A conflict copy is a row of its own (a new id) whose conflict_of names the
 * record it clashed with; lists and tf_store_conflict_count() tell them
 * apart by that column, which never travels.  When the table's
 * conflict_copy_syncs is set, the copy is also queued as a new record, so
 * after a sync both texts exist on every device of the account; otherwise
 * (a duplicate would do harm: two intakes of one client, a double booking)
 * it stays on this device until the user decides.
 *
 * The copy's fields are the local edit.  A ciphertext is bound to its record
 * id, so before the copy can be a record of its own its encrypted columns
 * must be encrypted again for the new id: that is the copy function, which
 * the layer holding the keys (the vault) installs.  Without one, or when it
 * fails, a table with encrypted columns keeps the copy on this device, its
 * ciphertext still bound to the original's id. */

/* Rewrites @fields (wire form, the key column already @copy_id) of a new
 * conflict copy of @original_id; FALSE with @error when it cannot. */
typedef gboolean (*TfStoreCopyFunc) (TfStore        *store,
                                     const TfTable  *table,
                                     const char     *original_id,
                                     const char     *copy_id,
                                     JsonObject     *fields,
                                     gpointer        user_data,
                                     GError        **error);

/* Installs (or with NULL removes) the copy function; @destroy frees
 * @user_data when it is replaced or the store goes.  Called inside the
 * merge's transaction: it must not write to the store. */
void       tf_store_set_copy_func  (TfStore        *self,
                                    TfStoreCopyFunc func,
                                    gpointer        user_data,
                                    GDestroyNotify  destroy);

typedef struct
{
  const TfTable *table;
  TfRecord      *copy;        /* the copy: its own id, its fields as stored */
  char          *original_id; /* the record it conflicts with */
  gboolean       synced;      /* queued or pushed: the server has or will have it */
} TfConflict;

void        tf_conflict_free        (TfConflict    *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfConflict, tf_conflict_free)

/* The live conflict copies of @table (NULL: of every table, in registry
 * order), each table's oldest first: TfConflict*s. */
GPtrArray  *tf_store_list_conflicts (TfStore       *self,
                                     const TfTable *table,
                                     GError       **error);
/* The conflict whose copy is @copy_id, in any table; NULL with
 * TF_STORE_ERROR_NOT_FOUND. */
TfConflict *tf_store_find_conflict  (TfStore       *self,
                                     const char    *copy_id,
                                     GError       **error);

typedef enum
{
  TF_RESOLVE_TAKE_COPY, /* the original becomes @fields (the copy's content, re-encrypted for
                         * the original); the copy goes */
  TF_RESOLVE_DROP_COPY, /* the original stays; the copy goes */
  TF_RESOLVE_KEEP_COPY, /* the copy becomes an ordinary record (@fields replaces its fields when
                         * not NULL); only where conflict_copy_syncs */
} TfResolve;

/* Resolves the conflict whose copy is @copy_id in one transaction; the
 * result is queued.  A copy "goes" as a queued delete when the server has or
 * will have it (see TfConflict.synced), and is simply removed otherwise.
 * TF_STORE_ERROR_NOT_FOUND for an unknown copy; TF_STORE_ERROR_CONSTRAINT
 * when the table cannot keep both. */
gboolean    tf_store_resolve_conflict (TfStore       *self,
                                       const TfTable *table,
                                       const char    *copy_id,
                                       TfResolve      how,
                                       JsonObject    *fields,
                                       GError       **error);

/* --- authors' signatures ------------------------------------------------------
 * Every mutation is signed as it is queued (tf-store-signed.c): its revision
 * is one more than the highest this device holds or wrote of the record, and
 * the sign function, which the layer holding the keys installs, signs the
 * record (a tombstone for a delete) at that revision. */

/* The signature text of @record (record->revision set; record->deleted for
 * a delete), or NULL without @error when there is no key to sign with (the
 * write goes unsigned).  Called inside the write's transaction: it must not
 * write to the store. */
typedef char *(*TfStoreSignFunc) (TfStore        *store,
                                  const TfRecord *record,
                                  gpointer        user_data,
                                  GError        **error);

/* Installs (or with NULL removes) the sign function, like
 * tf_store_set_copy_func(). */
void       tf_store_set_sign_func  (TfStore        *self,
                                    TfStoreSignFunc func,
                                    gpointer        user_data,
                                    GDestroyNotify  destroy);
/* Checks a record the server sent (a pulled one) before the device uses it:
 * TRUE with @out_code and @out_message NULL when it is its author's, TRUE
 * with both set (a short code such as "bad_signature", a translated
 * sentence) when it is refused, FALSE with @error when it cannot be told
 * now (the author's key could not be fetched: the pull fails and is tried
 * again).  Called before the pull's transaction: it may write to the store
 * (pin a key). */
typedef gboolean (*TfStoreVerifyFunc) (TfStore        *store,
                                       const TfRecord *record,
                                       gpointer        user_data,
                                       char          **out_code,
                                       char          **out_message,
                                       GError        **error);

/* For a verify function: record @id of @table as stored, or, while a
 * pulled page is checked, as an earlier record of that page that passed
 * its checks brought it (a session's appointment pulled with it), or NULL.
 * The page's records are in version order, so a parent written before its
 * child comes first. */
TfRecord  *tf_store_get_checked    (TfStore          *self,
                                    const TfTable    *table,
                                    const char       *id);

/* Installs (or with NULL removes) the verify function, like
 * tf_store_set_copy_func().  Without one a pulled record's signature is not
 * checked; its revision is, against the one held (a rollback is refused
 * whoever looks). */
void       tf_store_set_verify_func (TfStore          *self,
                                     TfStoreVerifyFunc func,
                                     gpointer          user_data,
                                     GDestroyNotify    destroy);

/* TRUE when this device holds a record signed by key @key_id
 * (tf_signed_key_id): its author has been seen signing. */
gboolean   tf_store_seen_signed_by (TfStore        *self,
                                    const char     *key_id);

/* The highest revision of record @id this device holds from the server,
 * and its signature (0 and NULL when none); @out_written (may be NULL): the
 * highest it signed itself (0: none). */
gboolean   tf_store_get_revision   (TfStore        *self,
                                    const TfTable  *table,
                                    const char     *id,
                                    gint64         *out_revision,
                                    char          **out_signature,
                                    gint64         *out_written,
                                    GError        **error);

/* --- other users' public keys ------------------------------------------------
 * Looked up once (the therapist directory, /v1/keys/{id}), kept in the
 * profile so that sharing and verifying work offline. */

/* Remembers (or refreshes) @user_id's public keys. */
gboolean    tf_store_remember_key   (TfStore       *self,
                                     const char    *user_id,
                                     const char    *identity_public_key,
                                     const char    *signing_public_key,
                                     const char    *fingerprint,
                                     const char    *email,
                                     GError       **error);
/* {user_id, identity_public_key, signing_public_key, fingerprint, email,
 * fetched_at}; NULL with TF_STORE_ERROR_NOT_FOUND when not known. */
JsonObject *tf_store_lookup_key     (TfStore       *self,
                                     const char    *user_id,
                                     GError       **error);

/* The highest key grant counter seen here for record @record_id of table
 * @table_name and @recipient_id: of the counters raised, and of the grants
 * kept (deleted ones included) but @except_grant_id (may be NULL); 0 for
 * none, -1 on error. */
gint64      tf_store_grant_counter  (TfStore       *self,
                                     const char    *table_name,
                                     const char    *record_id,
                                     const char    *recipient_id,
                                     const char    *except_grant_id,
                                     GError       **error);
/* Raises it to @counter (never lowers it): kept when the grant goes. */
gboolean    tf_store_raise_grant_counter (TfStore  *self,
                                          const char *table_name,
                                          const char *record_id,
                                          const char *recipient_id,
                                          gint64    counter,
                                          GError  **error);

/* Mutations the server refused and the user has not dismissed. */
gint64     tf_store_rejection_count (TfStore      *self,
                                     GError      **error);

/* Mutations the server refused, not yet dismissed, oldest first: objects
 * {mutation_id, table, id, op, code, message, rejected_at}. */
JsonArray *tf_store_list_rejections (TfStore     *self,
                                     GError     **error);
/* Marks every listed rejection as seen by the user. */
gboolean   tf_store_dismiss_rejections (TfStore  *self,
                                        GError  **error);

/* --- what this device refuses from the server (tf-store-refused.c) -----------
 * A record the server sent that a check found wrong (an unsigned or forged
 * key grant, a record changed or rolled back): not used, and the user is
 * told.  One entry per record; a later version of it from the server
 * removes the entry, and the check runs again. */

/* Records the refusal of version @version of record @record_id of @table
 * (@code a short machine word such as "grant_unsigned", @message for the
 * user).  @until_dismissed: a report of what the server did in this
 * account's name, which a later version does not take back (it goes when
 * the user dismisses it).  @out_new (may be NULL): TRUE unless it was
 * already refused at that version with that code, so a check repeated
 * after every sync tells once. */
gboolean   tf_store_add_refused    (TfStore      *self,
                                    const char   *table,
                                    const char   *record_id,
                                    gint64        version,
                                    const char   *code,
                                    const char   *message,
                                    gboolean      until_dismissed,
                                    gboolean     *out_new,
                                    GError      **error);
/* The same for @record as the server sent it, keeping whose the server
 * says it is (its owner, client or therapist column: claimed_by in
 * tf_store_list_refused), so a record this device never held can still be
 * said to be someone's. */
gboolean   tf_store_add_refused_record (TfStore        *self,
                                        const TfRecord *record,
                                        const char     *code,
                                        const char     *message,
                                        gboolean        until_dismissed,
                                        gboolean       *out_new,
                                        GError        **error);
/* The record is good now (a later version verified): its entry goes. */
gboolean   tf_store_clear_refused  (TfStore      *self,
                                    const char   *table,
                                    const char   *record_id,
                                    GError      **error);
/* TRUE when version @version of the record is refused. */
gboolean   tf_store_is_refused     (TfStore      *self,
                                    const char   *table,
                                    const char   *record_id,
                                    gint64        version);
/* How many are refused (@unseen_only: not yet dismissed by the user). */
gint64     tf_store_refused_count  (TfStore      *self,
                                    gboolean      unseen_only,
                                    GError      **error);
/* Every refusal, oldest first: {table, id, version, code, message,
 * refused_at, seen, claimed_by} (claimed_by null when not known). */
JsonArray *tf_store_list_refused   (TfStore      *self,
                                    GError      **error);
/* The user has read the notice: it stays away until something new is
 * refused.  The entries stay (status still lists them), but those kept
 * until dismissed, which go. */
gboolean   tf_store_dismiss_refused (TfStore     *self,
                                     GError     **error);

/* Up to @limit queued mutations in order, in push form ({mutation_id,
 * table, id, op, base_version, fields}); more when the last of them is in
 * an atomic group: a group is never cut (see tf_store_atomic()). */
JsonArray *tf_store_outbox_peek   (TfStore        *self,
                                   guint           limit,
                                   GError        **error);
/* The same, and in @out_groups the atomic groups of the batch as the push
 * says them: [[first mutation id, last mutation id], ...], each of two
 * mutations or more, in order. */
JsonArray *tf_store_outbox_peek_groups (TfStore   *self,
                                        guint      limit,
                                        JsonArray **out_groups,
                                        GError   **error);

/* Writes waiting to be pushed. */
gint64     tf_store_outbox_count  (TfStore        *self,
                                   GError        **error);

/* Mutation ids against the server (tf-store-ids.c).  The highest id ever
 * sent, saved before a push goes out (-2 on a profile that never saved one,
 * -1 on error); the highest id the server acknowledged (0 before any). */
gint64     tf_store_get_sent_mutation  (TfStore   *self,
                                        GError   **error);
gboolean   tf_store_set_sent_mutation  (TfStore   *self,
                                        gint64     mutation_id,
                                        GError   **error);
gint64     tf_store_get_acked_mutation (TfStore   *self,
                                        GError   **error);
gboolean   tf_store_set_acked_mutation (TfStore   *self,
                                        gint64     mutation_id,
                                        GError   **error);
/* Inside an atomic group (tf_store_atomic): gives the mutations of record
 * @id of @table queued in the group under way new ids after every other
 * queued one, so they are pushed last — the end of a care relationship
 * after the re-keys it made (tf-vault.c): a push cut in between leaves the
 * relationship as it was, never ended with a former reader's grant still
 * on the live key.  Does nothing outside a group. */
gboolean   tf_store_outbox_move_to_end (TfStore       *self,
                                        const TfTable *table,
                                        const char    *id,
                                        GError       **error);
/* Gives the queued mutations @ids (gint64, ascending; may be NULL) new ids
 * above @above and above every id given out so far, in order, and makes
 * the next write's id follow them: a restored or copied profile goes on past
 * the ids the server has seen from this device. */
gboolean   tf_store_outbox_renumber    (TfStore   *self,
                                        GArray    *ids,
                                        gint64     above,
                                        GError   **error);

/* The server lost this device's mutations above @above (its bookkeeping
 * went back, tf-store-acked.c): the acknowledged ones still kept go back in
 * the queue, one per record (the oldest base version, the fields of every
 * upsert, the last op), under the record's newest id, so they go before any
 * later write; the records' last synced copies are forgotten, so a conflict
 * on the way makes a copy instead of taking the server's older values.
 * @out_requeued: how many kept mutations were put back; @out_unkept: at
 * most how many ids above @above were no longer kept (0: all were). */
gboolean   tf_store_outbox_requeue_acked (TfStore   *self,
                                          gint64     above,
                                          guint     *out_requeued,
                                          gint64    *out_unkept,
                                          GError   **error);

G_END_DECLS
