/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-validate.h: the seed schema's rules, checked before anything is stored.
 *
 * The same checks run on the device (before a write reaches the outbox, so
 * the user hears of a mistake at once) and on the server (before a mutation
 * reaches PostgreSQL, so the answer names the field).  PostgreSQL's own
 * CHECKs stay as the last line.  Messages are translated and name the field.
 *
 * Error domains: a value of the wrong JSON type or an unknown field is a
 * TF_PROTOCOL_ERROR (the sender is broken); a well-formed value that breaks a
 * rule is a TF_VALIDATION_ERROR (the user can fix it).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-registry.h"

G_BEGIN_DECLS

typedef enum
{
  TF_VALIDATE_FULL    = 0,      /* a whole record: required columns must be present */
  TF_VALIDATE_PARTIAL = 1 << 0, /* some columns only: absent ones are not checked */
  TF_VALIDATE_LEGACY  = 1 << 1, /* a record from the server: a TF_COLUMN_WAS_PLAIN column may
                                 * still hold the plaintext of a row older than its encryption */
} TfValidateFlags;

gboolean tf_validate_uuid        (const char     *text);
/* The nil and the max UUID (RFC 9562): never a person's id.  The sync feed
 * once used the nil UUID for "everyone"; registration refuses both. */
gboolean tf_uuid_is_reserved     (const char     *uuid);
gboolean tf_validate_email       (const char     *text,
                                  GError        **error);
gboolean tf_validate_phone       (const char     *text,
                                  GError        **error);
/* ΑΜΚΑ (Greek social security number): exactly 11 digits, the first six a
 * date DDMMYY, the last the Luhn check digit over the eleven.  Spaces or
 * dashes are not stripped: the caller gives the bare digits. */
gboolean tf_validate_amka        (const char     *text,
                                  GError        **error);
/* DECIMAL(10,2) as a string: "50", "50.5", "50.00"; @nonneg for positive_money. */
gboolean tf_validate_money       (const char     *text,
                                  gboolean        nonneg,
                                  GError        **error);
/* One ICD-10 code: letter, two characters, optional dot and up to four more:
 * "F32", "F32.1", "F43.10".  Upper case. */
gboolean tf_validate_icd10_code  (const char     *code,
                                  GError        **error);

/* One wire value of @column (@value NULL or a JSON null means SQL NULL). */
gboolean tf_validate_value       (const TfTable  *table,
                                  const TfColumn *column,
                                  JsonNode       *value,
                                  GError        **error);

/* Every member of @fields: known column, right type, rules; then the
 * table's cross-field rule.  With TF_VALIDATE_FULL also every required
 * column.  Stops at the first problem. */
gboolean tf_validate_fields      (const TfTable  *table,
                                  JsonObject     *fields,
                                  TfValidateFlags flags,
                                  GError        **error);

/* Device side, before encryption: the plaintext of an encrypted column.
 * For JSON columns @plaintext is JSON text and must parse; formats such as
 * TF_FORMAT_ICD10_LIST are checked here because the server cannot; so is the
 * format of an encrypted text column (TF_FORMAT_AMKA). */
gboolean tf_validate_plaintext   (const TfTable  *table,
                                  const TfColumn *column,
                                  const char     *plaintext,
                                  GError        **error);

G_END_DECLS
