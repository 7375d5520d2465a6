/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-json-check.h: a strict check of JSON text before json-glib sees it.
 *
 * json-glib 1.6 parses recursively (66,000 "[" overflow the stack) and
 * leniently: single quotes, comments, hex and octal-looking numbers, a
 * second document after the first, a byte order mark, raw control
 * characters, integers that wrap around, and "\u0000" that cuts a string
 * short.  Everything that reaches json_parser_load_from_data() from the
 * network or from another person's device passes this check first
 * (tf_json_parse in tf-record.h does both).
 *
 * What passes is RFC 8259 JSON text, and more narrowly:
 *   - nesting at most TF_JSON_MAX_DEPTH arrays and objects deep;
 *   - UTF-8 throughout, no byte order mark;
 *   - no member name twice in one object (compared after unescaping);
 *   - every string, unescaped, is valid UTF-8 without U+0000: no lone
 *     surrogate escape, no "\u0000";
 *   - integers fit in 64 bits, other numbers in a double.
 *
 * The grammar's faults are TF_PROTOCOL_ERROR_BAD_JSON with the byte offset;
 * a string or number that is well-formed but unusable is
 * TF_PROTOCOL_ERROR_BAD_VALUE naming the member ("mutations[0].fields.title").
 * One pass, no recursion, no allocation but for member names of objects.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deep enough for every document of the protocol (a push is five levels
 * plus a JSONB column's own); far below what overflows a thread's stack. */
#define TF_JSON_MAX_DEPTH 64

gboolean tf_json_check (const char *data,
                        gsize       len,
                        GError    **error);

G_END_DECLS
