/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-migrate.h: forward-only migrations of the canonical PostgreSQL schema.
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct
{
  guint  number;   /* from the file name: 0001-schema.sql -> 1 */
  char  *name;     /* the file name */
  char  *sql;      /* the whole script */
  char  *checksum; /* SHA-256 of the script, recorded when applied */
} TfMigration;

void       tf_migration_free          (TfMigration *migration);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfMigration, tf_migration_free)

TfMigration *tf_migration_new          (const char  *name,
                                        const char  *sql,
                                        GError     **error);

/* The migrations built into this binary (sql/postgres, GResource), in order. */
GPtrArray *tf_migrate_builtin         (GError     **error);

/* Applies every migration of @migrations (sorted by number) that the
 * database has not applied yet, each in its own transaction, recording it in
 * schema_migrations.  A concurrent run waits (advisory lock).  A failed
 * migration is rolled back whole and stops the run.  A database that has a
 * migration this binary does not know, or whose applied script differs from
 * ours, is refused with TF_DB_ERROR_MIGRATION.  @n_applied gets how many ran. */
gboolean   tf_migrate_apply           (PGconn      *conn,
                                       GPtrArray   *migrations,
                                       guint       *n_applied,
                                       GError     **error);

G_END_DECLS
