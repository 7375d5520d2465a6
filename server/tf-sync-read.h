/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-read.h: reading records of the seed tables in their wire form.
 *
 * The SELECT and the JSON conversion are derived from the registry: a table
 * added there is readable here without new code.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "tf-record.h"

G_BEGIN_DECLS

/* Reads the records of @table whose key is in @ids (lower-case UUIDs).
 * Returns id -> TfRecord* (tombstones included, with their last fields).
 * Versions are the record's own (the version column). */
GHashTable *tf_sync_read_records (PGconn         *conn,
                                  const TfTable  *table,
                                  GPtrArray      *ids,
                                  GError        **error);

/* Builds "{a,b,c}" for a uuid[]/text[] parameter.  Values must not contain
 * quotes, braces, commas or backslashes (UUIDs and table names). */
char       *tf_sync_array_literal (GPtrArray     *values);

G_END_DECLS
