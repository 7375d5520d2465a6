/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-rules.h: what the server decides in a pushed record, whatever
 * the device sent (DESIGN.md §4: "the server decides what it can").
 *
 * tf-sync-push.c decides whether a mutation may be applied; these rules
 * then correct the record it applies: a verification that no longer holds
 * is cleared.  The push answers a corrected record with the stored fields,
 * so the device takes the server's values at once.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-record.h"

G_BEGIN_DECLS

/* Whether column @column has the same value in @a and @b (absent = null). */
gboolean tf_sync_rules_same_value (JsonObject     *a,
                                   JsonObject     *b,
                                   const char     *column);

/* Corrects @fields (a mutation's upsert of @table, changed in place) over
 * @current (the stored row, or NULL for a new record).  @admin: the caller
 * is an administrator, whose verification flags stand as sent.  Returns
 * TRUE when @fields now differ from what the device sent. */
gboolean tf_sync_rules_correct (const TfTable  *table,
                                JsonObject     *fields,
                                const TfRecord *current,
                                gboolean        admin);

/* The record as it will be stored: @current's fields with @fields over
 * them, at @version. */
TfRecord *tf_sync_rules_stored (const TfTable  *table,
                                const char     *id,
                                JsonObject     *fields,
                                const TfRecord *current,
                                gint64          version);

G_END_DECLS
