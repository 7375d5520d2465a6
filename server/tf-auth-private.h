/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth-private.h: what the files of the accounts subsystem share — the
 * job a request becomes and the reply a worker makes of it, and the steps
 * more than one operation takes (hashing and checking secrets, the account
 * lock, throttling, audit entries, new sessions, the TOTP check).
 *
 * tf-auth.c holds the routes, the job plumbing and these shared steps;
 * tf-auth-parse.c reads request bodies into jobs; tf-auth-session.c tokens,
 * sign-in and sessions; tf-auth-register.c registration; tf-auth-recover.c
 * password change and recovery; tf-auth-mfa.c the TOTP second factor.  The
 * design essay is at the top of tf-auth.c.  Nothing here is for other
 * subsystems: they use tf-auth.h.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "tf-auth.h"
#include "tf-crypto.h"
#include "tf-http.h"

G_BEGIN_DECLS

#define AUTH_KEY_BYTES        TF_CRYPTO_KEY_BYTES
#define ACCOUNT_LOCK_CLASS    0x7466  /* "tf": first key of the two-key advisory lock */
#define REGISTER_LOCK_CLASS   0x7467  /* the same, for registrations from one address */
#define SESSION_PATH          "/v1/auth/sessions/"

typedef struct
{
  char   *salt;      /* standard base64 of TF_CRYPTO_SALT_BYTES */
  gint64  opslimit;
  gint64  memlimit;
} Kdf;

typedef struct _AuthJob AuthJob;
typedef struct _AuthReply AuthReply;

/* Runs on a worker inside the request's transaction.  NULL with @error
 * rolls back; a reply (even one carrying an error) commits. */
typedef AuthReply *(*AuthOp) (PGconn *conn, AuthJob *job, GError **error);

/* Everything a worker needs, copied from the request on the main context:
 * the worker never touches the TfRequest. */
struct _AuthJob
{
  AuthOp          op;
  const TfConfig *config;              /* borrowed: outlives the server and its pool */
  gboolean        needs_caller;        /* check the bearer token first */
  char           *token;
  char           *address;
  char           *user_agent;
  TfCaller        caller;              /* filled on the worker when needs_caller */

  char           *email;               /* as sent */
  char           *email_key;           /* lower case: what accounts and throttling match */
  char           *role;
  TfSecret       *auth_key;            /* raw 32 bytes; the current one for a change */
  TfSecret       *new_auth_key;
  TfSecret       *recovery_auth_key;   /* raw 32 bytes: register (optional), recover */
  Kdf             kdf;
  char           *wrapped_master_key;
  char           *wrapped_recovery_key;
  char           *identity_public_key;
  char           *wrapped_identity_key;
  char           *signing_public_key;
  char           *wrapped_signing_key;
  char           *device_id;
  char           *device_name;
  char           *first_name;
  char           *last_name;
  char           *license_number;
  char           *chosen_user_id;  /* register: an id the device made offline, or NULL */
  char           *invite_id;       /* register: the invitation of a managed client taking
                                    * their account over (then chosen_user_id is theirs) */
  JsonObject     *invite_rotation; /* its rotation from the managed keys to the new ones */
  char           *previous_keys;   /* JSON text of the keys' previous_keys, or NULL */
  char           *totp;                /* six digits, or NULL */
  char           *session_id;          /* DELETE /v1/auth/sessions/{id} */
  gboolean        end_other_sessions;
};

struct _AuthReply
{
  guint     status;
  JsonNode *body;         /* NULL: no body */
  GError   *error;        /* answered as an error, yet the transaction commits */
  gint64    retry_after;  /* seconds, with a rate_limited error */
};


typedef struct
{
  char *id;
  char *token;       /* unpadded base64url of the 32 random bytes */
  char *expires_at;
} NewSession;


/* --- Jobs and replies (tf-auth.c) ----------------------------------------- */

/* sodium_memzero's @text, then frees it; NULL is fine. */
void        tf_auth_free_secret_string    (char        *text);
AuthReply  *tf_auth_reply_new             (guint        status,
                                           JsonNode    *body);
/* An error reply: answered as @error, yet the transaction commits. */
AuthReply  *tf_auth_reply_new_error       (GError      *error,
                                           gint64       retry_after);

/* --- Secrets (tf-auth.c) -------------------------------------------------- */

/* crypto_pwhash_str() of @key at the server's cost. */
char       *tf_auth_hash_key              (const TfConfig *config,
                                           const TfSecret *key,
                                           GError        **error);
/* TRUE only when @stored is a hash of @key; with @stored NULL spends the
 * same time and returns FALSE. */
gboolean    tf_auth_verify_key            (const TfConfig *config,
                                           const char     *stored,
                                           const TfSecret *key);
/* Lower-case hex SHA-256 of a recovery proof: user_keys.recovery_auth_hash. */
char       *tf_auth_recovery_hash_hex     (const TfSecret *proof);
/* TRUE only when SHA-256(@proof) is @stored (hex), in constant time. */
gboolean    tf_auth_verify_recovery_proof (const char     *stored,
                                           const TfSecret *proof);

/* --- Database steps (tf-auth.c; worker) ----------------------------------- */

gboolean    tf_auth_db_true               (PGresult    *result,
                                           int          row,
                                           int          column);
/* JSON text of string pairs (key, value, ..., NULL) for audit new_values. */
char       *tf_auth_audit_values          (const char  *first_key,
                                           ...) G_GNUC_NULL_TERMINATED;
gboolean    tf_auth_audit                 (PGconn      *conn,
                                           AuthJob     *job,
                                           const char  *user_id,
                                           const char  *action,
                                           const char  *table,
                                           const char  *record_id,
                                           const char  *values,
                                           GError     **error);
/* The transaction-scoped advisory lock (@lock_class, hashtext (@key)). */
gboolean    tf_auth_lock_key              (PGconn      *conn,
                                           int          lock_class,
                                           const char  *key,
                                           GError     **error);
/* Serialises everything that checks a secret of the account @email_key. */
gboolean    tf_auth_lock_account          (PGconn      *conn,
                                           const char  *email_key,
                                           GError     **error);
/* The same lock for a signed-in caller; sets job->email_key. */
gboolean    tf_auth_lock_caller_account   (PGconn      *conn,
                                           AuthJob     *job,
                                           GError     **error);
/* Sets @out_limited to a rate_limited reply when the account or the address
 * is over its limit, else to NULL.  FALSE when the check itself failed. */
gboolean    tf_auth_check_throttle        (PGconn      *conn,
                                           AuthJob     *job,
                                           AuthReply  **out_limited,
                                           GError     **error);
/* Records a failed attempt and answers 401 (the transaction commits). */
AuthReply  *tf_auth_record_failure        (PGconn      *conn,
                                           AuthJob     *job,
                                           const char  *user_id,
                                           const char  *reason,
                                           GError     **error);
void        tf_auth_add_string            (JsonBuilder *builder,
                                           const char  *name,
                                           const char  *value);
void        tf_auth_add_kdf               (JsonBuilder *builder,
                                           const char  *salt,
                                           gint64       opslimit,
                                           gint64       memlimit);

/* --- Request bodies (tf-auth-parse.c; main context) ----------------------- */

gboolean    tf_auth_parse_prelogin        (TfRequest *req, AuthJob *job, GError **error);
gboolean    tf_auth_parse_register        (TfRequest *req, AuthJob *job, GError **error);
gboolean    tf_auth_parse_login           (TfRequest *req, AuthJob *job, GError **error);
gboolean    tf_auth_parse_recovery_login  (TfRequest *req, AuthJob *job, GError **error);
gboolean    tf_auth_parse_password        (TfRequest *req, AuthJob *job, GError **error);
gboolean    tf_auth_parse_recover         (TfRequest *req, AuthJob *job, GError **error);
gboolean    tf_auth_parse_mfa_code        (TfRequest *req, AuthJob *job, GError **error);
gboolean    tf_auth_parse_session_id      (TfRequest *req, AuthJob *job, GError **error);

/* --- Sessions (tf-auth-session.c) ----------------------------------------- */

void        tf_auth_new_session_clear     (NewSession  *session);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NewSession, tf_auth_new_session_clear)

/* A new session of @user_id for job's device, with the configured lifetimes. */
gboolean    tf_auth_create_session        (PGconn      *conn,
                                           AuthJob     *job,
                                           const char  *user_id,
                                           NewSession  *out,
                                           GError     **error);
/* The members register and login share. */
void        tf_auth_add_session           (JsonBuilder      *builder,
                                           const char       *user_id,
                                           const char       *role,
                                           const NewSession *session);

/* --- TOTP (tf-auth-mfa.c) ------------------------------------------------- */

/* Checks job->totp against users.mfa_secret @stored and, when it is good,
 * consumes its step.  @out_ok FALSE for a wrong or replayed code. */
gboolean    tf_auth_consume_totp          (PGconn      *conn,
                                           AuthJob     *job,
                                           const char  *user_id,
                                           const char  *stored,
                                           gboolean    *out_ok,
                                           GError     **error);

/* --- The operations (worker, inside the request's transaction) ------------ */

AuthReply  *tf_auth_op_prelogin           (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_login              (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_recovery_login     (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_logout             (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_own_keys           (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_list_sessions      (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_revoke_session     (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_register           (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_change_password    (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_recover_password   (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_mfa_setup          (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_mfa_enable         (PGconn *conn, AuthJob *job, GError **error);
AuthReply  *tf_auth_op_mfa_disable        (PGconn *conn, AuthJob *job, GError **error);

G_END_DECLS
