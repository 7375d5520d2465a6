/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-db.h: the thin libpq layer of the server.
 *
 * Connections, parameterised queries and the one place where libpq and
 * SQLSTATE codes become TF_DB_ERROR codes.  SQL is never built from input:
 * every value goes through $n parameters.
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define TF_DB_ERROR (tf_db_error_quark ())

typedef enum
{
  TF_DB_ERROR_UNAVAILABLE,   /* cannot connect, connection lost, server shutting down */
  TF_DB_ERROR_CONSTRAINT,    /* a CHECK, domain, NOT NULL or trigger refused the data */
  TF_DB_ERROR_UNIQUE,        /* a unique key is taken */
  TF_DB_ERROR_FOREIGN_KEY,   /* a referenced row is missing or still referenced */
  TF_DB_ERROR_SERIALIZATION, /* serialization failure or deadlock: retry */
  TF_DB_ERROR_MIGRATION,     /* the schema history is not what this binary expects */
  TF_DB_ERROR_FAILED,        /* anything else */
} TfDbError;

GQuark    tf_db_error_quark        (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Connects with @conninfo (a libpq connection string or URI); sets the
 * session to UTC, quiet notices and synchronous_commit on, and checks that it
 * is on (tf_db_check_durable).  NULL with TF_DB_ERROR_UNAVAILABLE. */
PGconn   *tf_db_connect            (const char  *conninfo,
                                    GError     **error);

/* FALSE with TF_DB_ERROR_UNAVAILABLE when a commit on @conn would return
 * before it is on disk (synchronous_commit off). */
gboolean  tf_db_check_durable      (PGconn      *conn,
                                    GError     **error);

/* Commits the open transaction with synchronous_commit on for it, so what
 * the caller acknowledges next is on disk. */
gboolean  tf_db_commit_durable     (PGconn      *conn,
                                    GError     **error);

/* Runs @sql (one or more statements, no parameters).  FALSE with a mapped error. */
gboolean  tf_db_exec               (PGconn      *conn,
                                    const char  *sql,
                                    GError     **error);

/* Runs a parameterised statement (text parameters, NULL for SQL NULL).
 * Returns the result on PGRES_COMMAND_OK / PGRES_TUPLES_OK, else NULL with a
 * mapped error. */
PGresult *tf_db_query              (PGconn             *conn,
                                    const char         *sql,
                                    int                 n_params,
                                    const char * const *params,
                                    GError            **error);

/* One statement of a pipeline: SQL and its text parameters (NULL = SQL NULL). */
typedef struct
{
  char      *sql;
  GPtrArray *params;  /* char*, owned */
} TfDbStatement;

TfDbStatement *tf_db_statement_new  (const char    *sql,
                                     ...) G_GNUC_NULL_TERMINATED;
/* Adds a parameter (copied; NULL for SQL NULL). */
void      tf_db_statement_add       (TfDbStatement *statement,
                                     const char    *param);
void      tf_db_statement_free      (TfDbStatement *statement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfDbStatement, tf_db_statement_free)

/* Sends @statements[@first..] in one round trip (libpq pipeline mode) and
 * reads every result.  Returns -1 when all succeeded, else the index of the
 * first that failed (@error says why; later ones did not run).  Inside a
 * transaction a failure leaves it aborted: roll back to a savepoint. */
int       tf_db_pipeline            (PGconn        *conn,
                                     GPtrArray     *statements,
                                     guint          first,
                                     GError       **error);

/* Fills @error from a failed result (or from the connection when @result is
 * NULL); @context prefixes the message.  The only libpq -> GError mapping. */
void      tf_db_set_error          (GError     **error,
                                    PGconn      *conn,
                                    PGresult    *result,
                                    const char  *context);

G_END_DECLS
