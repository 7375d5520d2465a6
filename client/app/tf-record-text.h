/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-record-text.h: a record and its fields as a person reads them — the
 * words the conflicts page shows for two versions of one record.  Plain
 * functions over the registry's tables and a record's plain JSON form;
 * nothing here holds state or touches a widget.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-registry.h"

G_BEGIN_DECLS

/* @column as a person says it ("Mood at the time"), translated; a column
 * without a label is returned as it is. */
const char *tf_record_text_column_label (const char     *column);

/* @node, the value of @column in a record's plain form, as a person reads
 * it; NULL when it is empty. */
char       *tf_record_text_format_value (const TfColumn *column,
                                         JsonNode       *node);

/* What the record is, in a few words: "Journal entry “Sunday”", "Mood
 * check-in of 3 March, 21:40".  @local and @server, its two versions, may
 * each be NULL; what is missing from one is taken from the other. */
char       *tf_record_text_describe     (const TfTable  *table,
                                         JsonObject     *local,
                                         JsonObject     *server);

G_END_DECLS
