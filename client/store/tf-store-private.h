/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-private.h: what the files of the store share and nobody else
 * sees — the object's fields and the statement layer of tf-store.c.
 *
 * The store is split by concern: tf-store.c (the object, statements,
 * transactions), tf-store-rows.c (local writes, reads, the server's rows),
 * tf-store-outbox.c (the queue and the server's answers to a push),
 * tf-store-state.c (sync_state), tf-store-ids.c (mutation ids against the
 * server), tf-store-acked.c (acknowledged mutations kept for a server that
 * loses them), tf-store-conflicts.c (merging a conflict, conflict copies and
 * their resolution), tf-store-keys.c (other users' public keys),
 * tf-store-signed.c (authors' revisions and signatures), tf-store-refused.c
 * (what this device refuses from the server).  All of them write only
 * through these helpers, so every statement is prepared from registry names
 * and bound, and every write that belongs together runs in one
 * tf_store_in_transaction().
 *
 * Locking: a TfStore is used from one thread at a time; SQLite's own lock
 * (BEGIN IMMEDIATE) keeps two processes on one profile apart.
 */
#pragma once

#include "tf-store-db.h"
#include "tf-store.h"

G_BEGIN_DECLS

struct _TfStore
{
  GObject          parent_instance;
  sqlite3         *db;           /* the profile's connection, owned */
  TfStoreCopyFunc  copy_func;    /* rewrites a new conflict copy (the vault), or NULL */
  gpointer         copy_data;    /* for copy_func */
  GDestroyNotify   copy_destroy; /* frees copy_data, or NULL */
  TfStoreSignFunc  sign_func;    /* signs what is queued (the vault), or NULL */
  gpointer         sign_data;    /* for sign_func */
  GDestroyNotify   sign_destroy; /* frees sign_data, or NULL */
  guint            depth;        /* transactions open: 0, 1 (BEGIN), more (savepoints) */
  gint64           group;        /* the atomic group queued mutations join, 0: none */
  guint            one_group;    /* tf_store_atomic_one_group() calls under way: nested
                                  * tf_store_atomic() calls join the group, not make theirs */
  TfStoreVerifyFunc verify_func;  /* checks pulled records (the vault), or NULL */
  gpointer         verify_data;   /* for verify_func */
  GDestroyNotify   verify_destroy; /* frees verify_data, or NULL */
  GHashTable      *pulled;        /* while a pulled page is checked: "table\nid" ->
                                   * TfRecord* (borrowed) of the page's records that
                                   * passed so far, for tf_store_get_checked; else NULL */
};

/* One prepared statement, finalized when it goes out of scope:
 * g_auto(TfStoreStmt) s = { NULL }; */
typedef struct
{
  sqlite3_stmt *stmt;
} TfStoreStmt;

void       tf_store_stmt_clear       (TfStoreStmt    *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TfStoreStmt, tf_store_stmt_clear)

/* Prepares @sql into @s (a TF_STORE_ERROR on failure). */
gboolean   tf_store_prepare          (TfStore        *self,
                                      TfStoreStmt    *s,
                                      const char     *sql,
                                      GError        **error);
/* Steps @s once; a row or the end are both success. */
gboolean   tf_store_step_done        (TfStore        *self,
                                      TfStoreStmt    *s,
                                      GError        **error);
/* Runs @sql with @n text parameters (a NULL one binds SQL NULL). */
gboolean   tf_store_exec_bound       (TfStore        *self,
                                      const char     *sql,
                                      const char * const *texts,
                                      guint           n,
                                      GError        **error);
/* The first column of the first row of @sql (one optional text parameter),
 * @fallback when there is no row, -1 with @error on failure. */
gint64     tf_store_query_int        (TfStore        *self,
                                      const char     *sql,
                                      const char     *param,
                                      gint64          fallback,
                                      GError        **error);

/* The rows of @sql (one optional text parameter) as objects with members
 * @names, one per column in order: strings, but an integer for a name
 * written "i:name" and a boolean for "b:name" (SQL NULL as null). */
GPtrArray *tf_store_query_objects    (TfStore        *self,
                                      const char     *sql,
                                      const char     *param,
                                      const char * const *names,
                                      guint           n_names,
                                      GError        **error);
/* The same rows (no parameter) as a new JsonArray, e.g. for --json. */
JsonArray *tf_store_query_array      (TfStore        *self,
                                      const char     *sql,
                                      const char * const *names,
                                      guint           n_names,
                                      GError        **error);

/* BEGIN IMMEDIATE; @body; COMMIT — or ROLLBACK when @body fails.  Inside
 * another one (tf_store_atomic), a savepoint instead: all of it is still
 * one transaction. */
gboolean   tf_store_in_transaction   (TfStore        *self,
                                      TfStoreBody     body,
                                      gpointer        data,
                                      GError        **error);

/* "SELECT version, deleted, <every registry column> FROM <table> <where>",
 * the shape tf_store_row_to_record() reads. */
char      *tf_store_select_sql       (const TfTable  *table,
                                      const char     *where);
TfRecord  *tf_store_row_to_record    (const TfTable  *table,
                                      sqlite3_stmt   *stmt);

/* Inserts or updates the row of @table with the columns present in @fields
 * (wire form; the tombstone cleared); the one registry-built upsert of the
 * store.  @conflict_of, when not NULL, is written in the same statement. */
gboolean   tf_store_upsert_row       (TfStore        *self,
                                      const TfTable  *table,
                                      JsonObject     *fields,
                                      const char     *conflict_of,
                                      GError        **error);
/* Queues @op ("upsert" with @fields, "delete" with NULL) for record @id, its
 * base version being the row's version now. */
gboolean   tf_store_append_outbox    (TfStore        *self,
                                      const TfTable  *table,
                                      const char     *id,
                                      const char     *op,
                                      JsonObject     *fields,
                                      GError        **error);
/* The revision and signature of a mutation of @id about to be queued
 * (@fields NULL: a delete), both 0/NULL when there is no signer or @table
 * has none (tf-store-signed.c). */
gboolean   tf_store_sign_queued      (TfStore        *self,
                                      const TfTable  *table,
                                      const char     *id,
                                      JsonObject     *fields,
                                      gint64         *out_revision,
                                      char          **out_signature,
                                      GError        **error);
/* Checks pulled @record (tf_store_set_verify_func, and its revision
 * against the held one): @out_code and @out_message set when refused. */
gboolean   tf_store_check_pulled     (TfStore        *self,
                                      const TfRecord *record,
                                      char          **out_code,
                                      char          **out_message,
                                      GError        **error);
/* Checks the "record" a push answer's @result carries (a conflict's server
 * copy, an applied write's stored record, a duplicate's holder) as a
 * pulled one is checked (tf_store_check_pulled): refused, it is recorded
 * in sync_refused and removed from @result, which is marked
 * "record_refused" (TRUE).  FALSE only on a failure of the store. */
gboolean   tf_store_check_answered   (TfStore        *self,
                                      JsonObject     *result,
                                      GError        **error);
/* @fields with every signed column it leaves out set to the row's value
 * (a default SQLite filled in, as PostgreSQL fills the same one): what is
 * signed and sent is then what both ends store.  A new object. */
JsonObject *tf_store_complete_signed (TfStore        *self,
                                      const TfTable  *table,
                                      const char     *id,
                                      JsonObject     *fields);
/* Raises the highest revision of @id this device wrote (or must write
 * above: a conflict's record) to @revision. */
gboolean   tf_store_raise_written    (TfStore        *self,
                                      const TfTable  *table,
                                      const char     *id,
                                      gint64          revision,
                                      GError        **error);
/* Raises the revision of @id held from the server to @revision with
 * @signature (never lowers it; nothing when @signature is NULL). */
gboolean   tf_store_hold_revision    (TfStore        *self,
                                      const TfTable  *table,
                                      const char     *id,
                                      gint64          revision,
                                      const char     *signature,
                                      GError        **error);
/* Saves @record as the last synced copy (the base of three-way merges). */
gboolean   tf_store_save_base        (TfStore        *self,
                                      const TfRecord *record,
                                      GError        **error);
/* Writes @record as the row, with its server version (no outbox entry). */
gboolean   tf_store_write_remote_row (TfStore        *self,
                                      const TfRecord *record,
                                      GError        **error);

/* The server refused record @id as a duplicate of @holder (wire form), the
 * live record that holds the same unique values under another id (the same
 * day's mark of a goal written on two devices).  Where the two agree in what
 * their authors chose, @id goes and @holder takes its place; otherwise @id
 * stays as a conflict copy of @holder, for the user to choose (@copied). */
gboolean   tf_store_meet_duplicate   (TfStore        *self,
                                      const TfTable  *table,
                                      const char     *id,
                                      JsonNode       *holder,
                                      gboolean       *copied,
                                      GError        **error);

/* Raises the integer state @key to @value (never lowers it). */
gboolean   tf_store_raise_state      (TfStore        *self,
                                      const char     *key,
                                      gint64          value,
                                      GError        **error);

/* Keeps the outbox entry @mutation (its id as text) that the server
 * acknowledged as applied (tf-store-acked.c), before it leaves the outbox. */
gboolean   tf_store_keep_acked       (TfStore        *self,
                                      const char     *mutation,
                                      GError        **error);
/* Drops kept mutations past their time or count. */
gboolean   tf_store_prune_acked      (TfStore        *self,
                                      GError        **error);

/* A version of record @record_id above @version arrived (or the record
 * went): a refusal of an older one no longer stands (tf-store-refused.c). */
gboolean   tf_store_forget_refused_below (TfStore     *self,
                                          const char  *table,
                                          const char  *record_id,
                                          gint64       version,
                                          GError     **error);

/* Emits TfStore::changed. */
void       tf_store_emit_changed     (TfStore        *self,
                                      const char     *table,
                                      const char     *id);

/* The conflict whose live copy is @copy_id in @table, or NULL (with
 * @error only on a failure of the store); tf-store-conflicts.c. */
TfConflict *tf_store_load_conflict     (TfStore        *self,
                                        const TfTable  *table,
                                        const char     *copy_id,
                                        GError        **error);

G_END_DECLS
