/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-pg.h: helpers for suites that run against the throwaway PostgreSQL
 * that build-aux/tf-pg starts.  There is no skipping: without a database the
 * suite fails and says how to run it.
 */
#pragma once

#include <libpq-fe.h>

#include "tf-db.h"

G_BEGIN_DECLS

/* The cluster's connection string (TF_TEST_DATABASE_URL). */
const char *tf_test_pg_conninfo       (void);
/* Creates database @name (dropping any old one) and returns its conninfo. */
char       *tf_test_pg_create_db      (const char *name);
/* Same, then applies the built-in migrations. */
char       *tf_test_pg_create_migrated_db (const char *name);
PGconn     *tf_test_pg_connect        (const char *conninfo);

/* Runs @sql; fails the test if it fails. */
void        tf_test_pg_exec           (PGconn     *conn,
                                       const char *sql);
/* Runs @sql inside a savepoint, expecting failure with @sqlstate (NULL: any);
 * rolls back to the savepoint. */
void        tf_test_pg_exec_fails     (PGconn     *conn,
                                       const char *sql,
                                       const char *sqlstate);
/* First column of the first row of @sql, as a string (g_free). */
char       *tf_test_pg_value          (PGconn     *conn,
                                       const char *sql);
gint64      tf_test_pg_int            (PGconn     *conn,
                                       const char *sql);

/* What an operator with PostgreSQL's owner rights does to record @id of
 * @table on the database @conninfo: sets @set (SQL, e.g. "mood_value = 2")
 * under a new version fed to everyone who receives it, triggers off. */
void        tf_test_pg_operator_change (const char *conninfo,
                                        const char *table,
                                        const char *id,
                                        const char *set);

/* Runs pg_ctl on the test cluster with @action ("-m fast stop", "start"). */
void        tf_test_pg_ctl            (const char *action);

G_END_DECLS
