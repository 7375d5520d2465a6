/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push-private.h: what the files of one push share.
 *
 * A push (tf-sync-push.c) is decided in memory and written at the end.
 * Push holds what it loaded from the database (tf-sync-push-load.c) and a
 * Decision per mutation; the decisions (tf-sync-push-apply.c) ask who may
 * write what (tf-sync-push-access.c) and the scheduling rules
 * (tf-sync-rules.c), and the applied ones go to the feed
 * (tf-sync-push-feed.c).  All of it runs on one worker thread with one
 * connection inside the push's transaction: nothing here is locked.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "tf-auth.h"
#include "tf-record.h"
#include "tf-sync-push.h"

G_BEGIN_DECLS

/* What the push knows of one record: the database's state, then the batch's. */
typedef struct
{
  gint64    version;   /* 0 = no such record */
  gboolean  existed;   /* the database had the row before this batch */
  gboolean  deleted;
  char     *owner;
  TfRecord *row;       /* current fields, or NULL */
} State;

typedef struct
{
  char     *therapist;
  char     *client;
  gboolean  share_mood;
  gboolean  share_goals;
} Care;

typedef enum { OUTCOME_UNDECIDED, OUTCOME_RETRY, OUTCOME_APPLY, OUTCOME_CONFLICT, OUTCOME_REJECT } Outcome;

typedef struct
{
  TfPushItem *item;
  Outcome     outcome;
  gint64      version;     /* when applied */
  char       *owner;
  GPtrArray  *recipients;  /* when applied */
  JsonNode   *result;
  Outcome     kept_outcome; /* its atomic group failed: what it was then, and its answer */
  JsonNode   *kept_result;  /*   (NULL: it would have been applied) */
} Decision;

typedef struct
{
  PGconn     *conn;
  TfPushJob  *job;
  TfCaller    caller;
  GHashTable *states;          /* "table/id" -> State* */
  GHashTable *parents;         /* "table/id" -> TfRecord* from the database */
  GHashTable *roles;           /* user id -> role */
  GPtrArray  *care;            /* Care* */
  GHashTable *managed;         /* the managed clients of the caller (users.managed_by): whose
                                * own records the caller may write in their name */
  GHashTable *old_recipients;  /* "table/id" -> GPtrArray of user ids */
  GPtrArray  *decisions;       /* Decision* */
  GDateTime  *now;             /* the server's clock for this push (tf-sync-rules.h) */
} Push;

/* --- tf-sync-push.c: keys, lists and answers ------------------------------ */

/* "table/id", the key of Push.states, .parents and .old_recipients. */
char     *tf_push_record_key        (const char *table, const char *id);
gboolean  tf_push_field_true        (JsonObject *fields, const char *name);
/* Adds a copy of @value to @list unless it is NULL or there already. */
void      tf_push_add_unique        (GPtrArray *list, const char *value);

JsonNode *tf_push_result_rejected   (gint64 mutation_id, const char *code, const char *message);
JsonNode *tf_push_result_applied    (gint64 mutation_id, gint64 version);
JsonNode *tf_push_result_applied_as (gint64 mutation_id, gint64 version, const TfRecord *stored);
JsonNode *tf_push_result_conflict   (gint64 mutation_id, const TfRecord *current);
/* Rejected "duplicate", with the live record that holds the same unique
 * values under another id (the device keeps its own as a conflict copy). */
JsonNode *tf_push_result_duplicate  (gint64 mutation_id, const char *message,
                                     const TfRecord *holder);
/* Decides @d rejected with a typed @code and a message for the device. */
void      tf_push_reject            (Decision *d, const char *code, const char *format, ...)
                                     G_GNUC_PRINTF (3, 4);

/* --- tf-sync-push-load.c: what the decisions need -------------------------- */

gboolean  tf_push_load_states  (Push *p, GError **error);
gboolean  tf_push_load_parents (Push *p, GError **error);
gboolean  tf_push_load_people  (Push *p, GError **error);

/* The people a record of @t with @fields names: owner, client, therapist. */
void      tf_push_add_people   (GPtrArray *list, const TfTable *t, JsonObject *fields);
gboolean  tf_push_in_care      (Push *p, const char *therapist, const char *client);
/* TRUE when the caller may write as @user: it is the caller, or a managed
 * client of the calling therapist (until the client takes over). */
gboolean  tf_push_acts_for     (Push *p, const char *user);
TfRecord *tf_push_parent_of    (Push *p, const TfTable *table, JsonObject *fields);
const char *tf_push_owner_of   (Push *p, const TfTable *table, JsonObject *fields);

/* --- tf-sync-push-access.c: who may write what ------------------------------ */

/* NULL when the caller may write @fields over @current; else the reason.
 * With @party_only, only whether the caller is a party to the record. */
const char *tf_push_authorize             (Push *p, const TfTable *t, JsonObject *fields,
                                           TfRecord *current, gboolean party_only);
gboolean    tf_push_is_admin              (Push *p);
const char *tf_push_changed_immutable     (const TfTable *t, JsonObject *fields,
                                           TfRecord *current);
const char *tf_push_changed_by_admin_only (Push *p, const TfTable *t, JsonObject *fields,
                                           TfRecord *current);
const char *tf_push_locked_since          (const TfTable *t, const State *state);

/* --- tf-sync-rules.c: appointments ------------------------------------------ */

const char *tf_push_changed_by_client  (Push *p, JsonObject *fields, TfRecord *current);
gboolean    tf_push_check_appointment  (Push *p, Decision *d, JsonObject *fields,
                                        TfRecord *current, GError **error);
gboolean    tf_push_check_booking      (Push *p, Decision *d, JsonObject *fields,
                                        TfRecord *current, gboolean hours,
                                        gboolean *corrected, GError **error);

/* --- tf-sync-push-apply.c: deciding and writing ----------------------------- */

gboolean  tf_push_decide     (Push *p, Decision *d, gint64 version, GError **error);
gboolean  tf_push_write_rows (Push *p, GError **error);

/* --- tf-sync-push-feed.c: who receives it, and the bookkeeping -------------- */

GPtrArray *tf_push_recipients_of     (Push *p, const TfTable *t, JsonObject *fields,
                                      const char *owner);
gboolean   tf_push_record_bookkeeping (Push *p, const char *device_id,
                                       gint64 last_mutation_id, GError **error);

G_END_DECLS
