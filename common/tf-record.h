/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-record.h: records and mutations, and their JSON wire form (DESIGN.md §3).
 *
 *   record    {"table": "mood_entries", "id": "<uuid>", "version": 7,
 *              "deleted": false, "revision": 3, "signature": "tfs1:...",
 *              "fields": {...}}
 *   mutation  {"mutation_id": 12, "table": "...", "id": "<uuid>",
 *              "op": "upsert" | "delete", "base_version": 6,
 *              "revision": 3, "signature": "tfs1:...", "fields": {...}}
 *
 * "revision" and "signature" are the author's (tf-signed.h): present
 * together or not at all (a record written before signatures, or a key
 * grant, which is signed apart); their shape is checked here
 * (tf_signed_check_envelope), their truth only by a device that holds the
 * author's key.
 *
 * Decoding checks everything the registry knows (tf-validate.h) and
 * normalises timestamps to UTC "Z" form, so two sides compare equal values
 * as equal strings.  The record id travels as "id"; the table's key column
 * (id, user_id or client_id) is filled from it and, if sent, must match.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-registry.h"

G_BEGIN_DECLS

typedef struct
{
  const TfTable *table;
  char          *id;       /* lower-case UUID */
  gint64         version;  /* server-assigned; 0 = never synced */
  gboolean       deleted;  /* tombstone */
  JsonObject    *fields;   /* column -> wire value; never NULL */
  gint64         revision; /* the author's counter; 0 = unsigned */
  char          *signature; /* "tfs1:..." over the record at revision, or NULL */
} TfRecord;

typedef enum
{
  TF_MUTATION_UPSERT,
  TF_MUTATION_DELETE,
} TfMutationOp;

typedef struct
{
  gint64         mutation_id;  /* strictly increasing per device, >= 1 */
  const TfTable *table;
  char          *id;
  TfMutationOp   op;
  gint64         base_version; /* the version the edit was made on; 0 = new */
  JsonObject    *fields;       /* the whole record for upsert; NULL for delete */
  gint64         revision;     /* the author's counter; 0 = unsigned */
  char          *signature;    /* "tfs1:..." of the record (or tombstone), or NULL */
} TfMutation;

TfRecord   *tf_record_new           (const TfTable    *table,
                                     const char       *id);
TfRecord   *tf_record_copy          (const TfRecord   *record);
void        tf_record_free          (TfRecord         *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfRecord, tf_record_free)

/* NULL with a TF_PROTOCOL_ERROR or TF_VALIDATION_ERROR naming what is wrong. */
TfRecord   *tf_record_from_json     (JsonNode         *node,
                                     GError          **error);
JsonNode   *tf_record_to_json       (const TfRecord   *record);

void        tf_mutation_free        (TfMutation       *mutation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfMutation, tf_mutation_free)

TfMutation *tf_mutation_from_json   (JsonNode         *node,
                                     GError          **error);
/* The same, telling the mutation's own problems (NULL and @error: its id,
 * table, op ... are unusable) from its record's (a mutation with NULL
 * fields and @field_error: it can be answered "rejected"). */
TfMutation *tf_mutation_from_json_split (JsonNode     *node,
                                         GError      **field_error,
                                         GError      **error);
JsonNode   *tf_mutation_to_json     (const TfMutation *mutation);
const char *tf_mutation_op_to_string (TfMutationOp     op);

/* The largest document tf_json_parse reads: a pull answer of 500 records
 * with large encrypted fields fits; a server's own body limit is lower. */
#define TF_JSON_MAX_SIZE (128 << 20)

/* Parses a JSON document that passed tf_json_check (tf-json-check.h):
 * bad JSON, invalid UTF-8, nesting too deep or a document over
 * TF_JSON_MAX_SIZE is TF_PROTOCOL_ERROR_BAD_JSON; a string with U+0000 or
 * a lone surrogate, or a number out of range, is TF_PROTOCOL_ERROR_BAD_VALUE
 * naming the member.  @len -1 for NUL-terminated.  Every JSON text from the
 * network or from another person's device goes through this. */
JsonNode   *tf_json_parse           (const char       *data,
                                     gssize            len,
                                     GError          **error);
char       *tf_json_to_string       (JsonNode         *node);

/* A deep copy of @object (json_node_copy() only takes a reference on an
 * object: changing such a "copy" changes the original). */
JsonObject *tf_json_object_dup (JsonObject *object);
/* The string member @member of @object (either may be NULL), or NULL when it
 * is absent, null or not a string. */
const char *tf_json_get_string (JsonObject *object,
                                const char *member);

G_END_DECLS
