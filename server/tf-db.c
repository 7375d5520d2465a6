/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-db.c: connections, queries and the libpq -> GError mapping.
 *
 * Error mapping follows SQLSTATE classes: 08 (connection) and 57P (operator
 * intervention, e.g. a restarting server) are "unavailable" and make the HTTP
 * layer answer 503; 23 (integrity) is the client's data; 40 is "retry".
 *
 * An answer to a push is an acknowledgement: the device drops what it sent.
 * So every session sets synchronous_commit on (a commit is on disk before
 * COMMIT returns) whatever the database, role or postgresql.conf say, and a
 * connection where it still reads off (a pooler that ignores SET, say) is
 * refused as unavailable: a 503 the device retries, never a lost write.
 */
#define G_LOG_DOMAIN "tf-db"

#include "config.h"

#include <string.h>

#include "tf-db.h"

G_DEFINE_QUARK (tf-db-error-quark, tf_db_error)

static void
ignore_notice (void *arg, const char *message)
{
}

PGconn *
tf_db_connect (const char *conninfo, GError **error)
{
  g_autoptr(PGconn) conn = NULL;

  g_return_val_if_fail (conninfo != NULL, NULL);

  conn = PQconnectdb (conninfo);
  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *reason = g_strdup (conn ? PQerrorMessage (conn) : "out of memory");

      g_set_error (error, TF_DB_ERROR, TF_DB_ERROR_UNAVAILABLE,
                   "cannot connect to PostgreSQL: %s", g_strchomp (reason));
      return NULL;
    }
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  if (!tf_db_exec (conn, "SET TIME ZONE 'UTC'; SET client_min_messages = warning;"
                         " SET synchronous_commit = on", error) ||
      !tf_db_check_durable (conn, error))
    return NULL;
  return g_steal_pointer (&conn);
}

gboolean
tf_db_check_durable (PGconn *conn, GError **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *value;

  g_return_val_if_fail (conn != NULL, FALSE);

  result = tf_db_query (conn, "SELECT current_setting('synchronous_commit')", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  /* on, local, remote_write and remote_apply all flush the local WAL. */
  value = PQgetvalue (result, 0, 0);
  if (g_ascii_strcasecmp (value, "off") == 0)
    {
      g_set_error_literal (error, TF_DB_ERROR, TF_DB_ERROR_UNAVAILABLE,
                           "synchronous_commit is off on this database connection, so a commit "
                           "could be lost in a crash; nothing is acknowledged on it");
      return FALSE;
    }
  return TRUE;
}

gboolean
tf_db_commit_durable (PGconn *conn, GError **error)
{
  g_return_val_if_fail (conn != NULL, FALSE);

  /* SET LOCAL in the transaction itself: behind a pooler in transaction
   * mode the session's SET may have been made on another backend. */
  return tf_db_exec (conn, "SET LOCAL synchronous_commit = on; COMMIT", error);
}

static TfDbError
code_for_sqlstate (const char *state)
{
  if (state == NULL)
    return TF_DB_ERROR_UNAVAILABLE; /* no result at all: the connection is gone */
  if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P") ||
      strcmp (state, "53300") == 0 /* too_many_connections */)
    return TF_DB_ERROR_UNAVAILABLE;
  if (strcmp (state, "23505") == 0)
    return TF_DB_ERROR_UNIQUE;
  if (strcmp (state, "23503") == 0)
    return TF_DB_ERROR_FOREIGN_KEY;
  if (g_str_has_prefix (state, "23") || strcmp (state, "22001") == 0 /* string too long */ ||
      strcmp (state, "22003") == 0 /* numeric out of range */ ||
      strcmp (state, "22P02") == 0 /* invalid text representation */ ||
      strcmp (state, "22007") == 0 || strcmp (state, "22008") == 0 /* datetime */)
    return TF_DB_ERROR_CONSTRAINT;
  if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0)
    return TF_DB_ERROR_SERIALIZATION;
  return TF_DB_ERROR_FAILED;
}

void
tf_db_set_error (GError **error, PGconn *conn, PGresult *result, const char *context)
{
  const char *state = NULL;
  g_autofree char *message = NULL;

  if (result != NULL)
    {
      state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
      message = g_strdup (PQresultErrorMessage (result));
    }
  if (message == NULL || *message == '\0')
    {
      g_free (message);
      message = g_strdup (conn ? PQerrorMessage (conn) : "no connection");
    }
  if (conn != NULL && PQstatus (conn) == CONNECTION_BAD)
    state = "08006";
  g_strchomp (message);
  g_set_error (error, TF_DB_ERROR, code_for_sqlstate (state), "%s%s%s",
               context ? context : "", context ? ": " : "", message);
}

gboolean
tf_db_exec (PGconn *conn, const char *sql, GError **error)
{
  g_autoptr(PGresult) result = NULL;
  ExecStatusType status;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  result = PQexec (conn, sql);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      tf_db_set_error (error, conn, result, NULL);
      return FALSE;
    }
  return TRUE;
}

PGresult *
tf_db_query (PGconn             *conn,
             const char         *sql,
             int                 n_params,
             const char * const *params,
             GError            **error)
{
  g_autoptr(PGresult) result = NULL;
  ExecStatusType status;

  g_return_val_if_fail (conn != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      tf_db_set_error (error, conn, result, NULL);
      return NULL;
    }
  return g_steal_pointer (&result);
}

TfDbStatement *
tf_db_statement_new (const char *sql, ...)
{
  TfDbStatement *statement = g_new0 (TfDbStatement, 1);

  statement->sql = g_strdup (sql);
  statement->params = g_ptr_array_new_with_free_func (g_free);
  return statement;
}

void
tf_db_statement_add (TfDbStatement *statement, const char *param)
{
  g_ptr_array_add (statement->params, g_strdup (param));
}

void
tf_db_statement_free (TfDbStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->sql);
  g_ptr_array_unref (statement->params);
  g_free (statement);
}

int
tf_db_pipeline (PGconn *conn, GPtrArray *statements, guint first, GError **error)
{
  int failed = -1;
  guint sent = first;
  PGresult *result;

  g_return_val_if_fail (conn != NULL, 0);

  if (first >= statements->len)
    return -1;
  if (!PQenterPipelineMode (conn))
    {
      tf_db_set_error (error, conn, NULL, "cannot enter pipeline mode");
      return (int) first;
    }
  for (; sent < statements->len; sent++)
    {
      TfDbStatement *st = g_ptr_array_index (statements, sent);

      if (!PQsendQueryParams (conn, st->sql, (int) st->params->len, NULL,
                              (const char * const *) st->params->pdata, NULL, NULL, 0))
        {
          tf_db_set_error (error, conn, NULL, NULL);
          failed = (int) sent;
          break;
        }
    }
  if (!PQpipelineSync (conn))
    {
      if (failed < 0)
        {
          tf_db_set_error (error, conn, NULL, NULL);
          failed = (int) first;
        }
      PQexitPipelineMode (conn);
      return failed;
    }

  /* One result and a NULL per statement sent, then the sync result. */
  for (guint i = first; i < sent; i++)
    {
      ExecStatusType status;

      result = PQgetResult (conn);
      if (result == NULL)
        {
          if (failed < 0)
            {
              tf_db_set_error (error, conn, NULL, NULL);
              failed = (int) i;
            }
          break;
        }
      status = PQresultStatus (result);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
          status != PGRES_PIPELINE_ABORTED && failed < 0)
        {
          tf_db_set_error (error, conn, result, NULL);
          failed = (int) i;
        }
      PQclear (result);
      result = PQgetResult (conn);
      PQclear (result);
    }
  while ((result = PQgetResult (conn)) != NULL)
    {
      gboolean is_sync = PQresultStatus (result) == PGRES_PIPELINE_SYNC;
      PQclear (result);
      if (is_sync)
        break;
    }
  PQexitPipelineMode (conn);
  return failed;
}
