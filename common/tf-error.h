/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-error.h: the error domains of the common layer.
 *
 * One domain per concern.  The server maps these to HTTP statuses and JSON
 * error codes in one place; the app shows the (translated) message.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TF_PROTOCOL_ERROR (tf_protocol_error_quark ())
#define TF_VALIDATION_ERROR (tf_validation_error_quark ())
#define TF_CRYPTO_ERROR (tf_crypto_error_quark ())

/* Malformed wire data: the request cannot even be understood. */
typedef enum
{
  TF_PROTOCOL_ERROR_BAD_JSON,      /* not JSON, or not UTF-8 */
  TF_PROTOCOL_ERROR_WRONG_TYPE,    /* a member has the wrong JSON type */
  TF_PROTOCOL_ERROR_UNKNOWN_TABLE, /* "table" names no synced table */
  TF_PROTOCOL_ERROR_UNKNOWN_FIELD, /* a field the table does not have */
  TF_PROTOCOL_ERROR_MISSING_FIELD, /* a required member is absent */
  TF_PROTOCOL_ERROR_BAD_VALUE,     /* a member is of the right type but unusable */
  TF_PROTOCOL_ERROR_BAD_SIGNATURE, /* an author's revision or signature malformed (its shape;
                                    * whether it is true only a device can tell) */
} TfProtocolError;

/* Well-formed data that breaks a rule of the schema (a CHECK, a domain). */
typedef enum
{
  TF_VALIDATION_ERROR_REQUIRED,     /* NOT NULL column without a value */
  TF_VALIDATION_ERROR_OUT_OF_RANGE, /* number outside its CHECK range */
  TF_VALIDATION_ERROR_NOT_ALLOWED,  /* enum value not in the list */
  TF_VALIDATION_ERROR_TOO_LONG,     /* more characters than VARCHAR(n) */
  TF_VALIDATION_ERROR_FORMAT,       /* email, phone, money, date, ICD-10 ... */
  TF_VALIDATION_ERROR_INCONSISTENT, /* a rule across fields (end after start) */
  TF_VALIDATION_ERROR_NOT_ENCRYPTED /* plaintext where ciphertext is required */
} TfValidationError;

/* Cryptographic failures: never return garbage, always one of these. */
typedef enum
{
  TF_CRYPTO_ERROR_FAILED,       /* libsodium could not initialise or allocate */
  TF_CRYPTO_ERROR_DECRYPT,      /* authentication failed: wrong key, tampering, moved ciphertext */
  TF_CRYPTO_ERROR_FORMAT,       /* not an envelope / key of the expected shape */
  TF_CRYPTO_ERROR_BAD_SIGNATURE, /* signature does not verify: forged, or what it covers changed */
  TF_CRYPTO_ERROR_WRONG_KEY      /* a signature made by another key than the one trusted */
} TfCryptoError;

GQuark tf_protocol_error_quark (void);
GQuark tf_validation_error_quark (void);
GQuark tf_crypto_error_quark (void);

G_END_DECLS
