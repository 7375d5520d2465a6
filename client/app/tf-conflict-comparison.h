/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conflict-comparison.h: the two versions of a record in conflict —
 * this device's and the server's — side by side where there is room and
 * one above the other on a narrow window, every field with its label and
 * the fields that differ marked.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tf-registry.h"

G_BEGIN_DECLS

#define TF_TYPE_CONFLICT_COMPARISON (tf_conflict_comparison_get_type ())
G_DECLARE_FINAL_TYPE (TfConflictComparison, tf_conflict_comparison, TF, CONFLICT_COMPARISON,
                      GtkWidget)

/* @local and @server are the plain forms of the two versions of a record of
 * @table.  A side that cannot be shown (deleted, or not readable with this
 * account's keys) gives, instead of its fields, @local_missing or
 * @server_missing: the words that say why (the side itself may then be
 * NULL); the other side's fields are then shown without marks. */
GtkWidget *tf_conflict_comparison_new (const TfTable *table,
                                       JsonObject    *local,
                                       JsonObject    *server,
                                       const char    *local_missing,
                                       const char    *server_missing);
/* As tf_conflict_comparison_new(), for a comparison made by a template:
 * once only. */
void       tf_conflict_comparison_set_versions (TfConflictComparison *self,
                                                const TfTable        *table,
                                                JsonObject           *local,
                                                JsonObject           *server,
                                                const char           *local_missing,
                                                const char           *server_missing);

G_END_DECLS
