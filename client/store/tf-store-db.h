/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-db.h: opening a profile's SQLite file and bringing its schema up
 * to date.  The only file of the client that knows how a store is migrated;
 * everything above it sees repositories, never SQL.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "tf-store.h"

G_BEGIN_DECLS

/* TF_STORE_ERROR, the store's error domain, is in tf-store.h. */

/* One step of the device schema: PRAGMA user_version becomes @version. */
typedef struct
{
  guint       version;
  const char *name;
  const char *sql;
} TfStoreStep;

/* Opens (creating if needed) the store at @path in WAL mode and applies the
 * built-in schema steps (sql/sqlite) it lacks, all in one transaction.  A
 * file from a newer app is refused with TF_STORE_ERROR_TOO_NEW and left
 * untouched. */
sqlite3 *tf_store_db_open          (const char        *path,
                                    GError           **error);

/* The same with explicit steps (tests, and future tooling). */
sqlite3 *tf_store_db_open_with_steps (const char        *path,
                                      const TfStoreStep *steps,
                                      guint              n_steps,
                                      GError           **error);

/* Number of the newest built-in step. */
guint    tf_store_db_schema_version (void);

/* Fills @error from SQLite's state on @db after a failed call that returned
 * @rc; the only sqlite -> GError mapping. */
void     tf_store_set_error        (GError          **error,
                                    sqlite3          *db,
                                    int               rc,
                                    const char       *context);

G_END_DECLS
