/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-signed.h: what an author signs of a record or a key grant, and the
 * Ed25519 signatures over it (issue 19; docs/encryption.md, "Against the
 * server itself").
 *
 * The signed bytes are a canonical, deterministic encoding: the same record
 * gives the same bytes on every device and after every round trip through
 * PostgreSQL and SQLite, and two different records never give the same
 * bytes.  Format version 1 (TF_SIGNED_FORMAT_VERSION):
 *
 *   header   "TFSIGNED" 0x01 kind          kind 'R' record, 'D' tombstone,
 *                                          'G' key grant
 *   record   header S(table) S(record id) I(revision)
 *            C(n) { S(column) value } * n  the signed columns, registry order
 *   tombstone header S(table) S(record id) I(revision)
 *                                          a deletion: a revision of its own,
 *                                          signed under its own kind, so the
 *                                          server can neither delete nor
 *                                          undelete unnoticed
 *   grant    header S(table_name) S(record_id) S(recipient_id)
 *            H(BLAKE2b-256 of the decoded sealed key) S(grant id) I(counter)
 *
 *   S(x)  'S' u32be(len) UTF-8 bytes      N     'N'  (NULL or absent)
 *   I(x)  'I' i64be (two's complement)     B(x)  'B' 0x00 | 0x01
 *   H(x)  'H' u32be(len) bytes             C(n)  'C' u32be(n)
 *   J(x)  'J' u32be(len) canonical JSON (below)
 *
 * A value is N when the member is NULL or absent (so NULL is never ""),
 * I for an INTEGER column, B for a BOOLEAN, J for a JSON column (its
 * envelope too, when encrypted) and S for every other column; a TIMESTAMP
 * in its one UTC spelling (tf_time_format_timestamp), whatever offset it
 * came with.  Encrypted columns are signed as their envelopes, so anyone
 * holding the record and the author's public key can verify it unread.
 * Canonical JSON: 'n'; 'b' byte; 'i' i64be (also a double that is a whole
 * number in range, since PostgreSQL's jsonb may spell 1e2 as 100); 'd'
 * IEEE-754 binary64 big-endian; 's' u32be(len) bytes; 'a' u32be(n) items;
 * 'o' u32be(n) then members sorted by key bytes, each u32be(len) key value.
 *
 * Signed columns are the ones the author chooses (tf_signed_column_is_signed):
 * not TF_COLUMN_SERVER_CLOCK, TF_COLUMN_ADMIN_ONLY or TF_COLUMN_SERVER_DECIDED
 * columns, and never the sync envelope (version, deleted) nor a device's
 * conflict bookkeeping, which are not columns of the registry.
 *
 * Signature text: "tfs1:" KEYID ":" base64(Ed25519 detached signature),
 * KEYID being the signer's tf_crypto_fingerprint() without spaces (40
 * upper-case hex digits), so a verifier tells a signature by another key
 * (TF_CRYPTO_ERROR_WRONG_KEY) from a forged one (TF_CRYPTO_ERROR_BAD_SIGNATURE);
 * anything else is TF_CRYPTO_ERROR_FORMAT.  The key id is only a label:
 * the signature is always checked against the key the caller trusts.
 */
#pragma once

#include <glib.h>

#include "tf-crypto.h"
#include "tf-record.h"

G_BEGIN_DECLS

#define TF_SIGNED_FORMAT_VERSION 1
#define TF_SIGNED_PREFIX "tfs1:"
/* The envelope's bounds: a revision a JSON number holds exactly, and the
 * one length of a signature text: "tfs1:", 40 hex digits, ":" and 88
 * characters of base64 (tf_signed_text_is_well_formed). */
#define TF_SIGNED_MAX_REVISION ((G_GINT64_CONSTANT (1) << 53) - 1)
#define TF_SIGNED_TEXT_CHARS 134

/* The key id a signature by @public_b64 carries ("tfs1:" KEYID ":"), or
 * NULL when it is no key. */
char     *tf_signed_key_id           (const char     *public_b64);

/* TRUE when @table's records carry the record envelope's revision and
 * signature: all but key grants, which are signed apart
 * (tf_signed_grant_*). */
gboolean  tf_signed_table_has_envelope (const TfTable *table);

/* TRUE when @text has the shape of tf_signed_*_sign()'s text: "tfs1:",
 * a key id of 40 upper-case hex digits, ":" and a 64-byte Ed25519
 * signature in padded base64 (134 characters in all).  The one shape check
 * of a signature text: the record envelope's (tf_signed_check_envelope)
 * and a signature column's (TF_FORMAT_SIGNATURE, tf-validate.c). */
gboolean  tf_signed_text_is_well_formed (const char *text);

/* Checks the shape of a record envelope's "revision" and "signature" (not
 * whether the signature is true): both absent (@revision 0, @signature
 * NULL), or a revision 1..TF_SIGNED_MAX_REVISION with a signature text of
 * tf_signed_text_is_well_formed()'s shape, on a table that has them; else
 * TF_PROTOCOL_ERROR_BAD_SIGNATURE naming the member. */
gboolean  tf_signed_check_envelope   (const TfTable  *table,
                                      gint64          revision,
                                      const char     *signature,
                                      GError        **error);

/* TRUE when @column of @table is signed by the record's author. */
gboolean  tf_signed_column_is_signed (const TfColumn *column);

/* The bytes an author signs of @record at @revision (its tombstone when
 * @record->deleted), or NULL with
 * TF_CRYPTO_ERROR_FORMAT when a value does not fit its column's type (an
 * integer column holding text, a timestamp that does not parse, text that
 * is not UTF-8). */
GBytes   *tf_signed_record_encode    (const TfRecord *record,
                                      gint64          revision,
                                      GError        **error);
/* The bytes the granting user signs of @grant, a key_grants record, at
 * @counter; TF_CRYPTO_ERROR_FORMAT when a member is missing or its
 * sealed_key is not a sealed key. */
GBytes   *tf_signed_grant_encode     (const TfRecord *grant,
                                      gint64          counter,
                                      GError        **error);

/* Signs the encoding with @signing_secret (an Ed25519 secret key, as
 * tf_crypto_sign_keypair() makes): the signature text above. */
char     *tf_signed_record_sign      (const TfSecret *signing_secret,
                                      const TfRecord *record,
                                      gint64          revision,
                                      GError        **error);
char     *tf_signed_grant_sign       (const TfSecret *signing_secret,
                                      const TfRecord *grant,
                                      gint64          counter,
                                      GError        **error);

/* TRUE when @signature is @signer_public_b64's over the encoding; else
 * FALSE with TF_CRYPTO_ERROR_FORMAT (not a signature text, or the record
 * cannot be encoded), TF_CRYPTO_ERROR_WRONG_KEY (made by another key) or
 * TF_CRYPTO_ERROR_BAD_SIGNATURE (forged, or the signed content changed). */
gboolean  tf_signed_record_verify    (const char     *signer_public_b64,
                                      const TfRecord *record,
                                      gint64          revision,
                                      const char     *signature,
                                      GError        **error);
gboolean  tf_signed_grant_verify     (const char     *signer_public_b64,
                                      const TfRecord *grant,
                                      gint64          counter,
                                      const char     *signature,
                                      GError        **error);

/* TRUE when @record, of a table the server makes a record of at
 * registration (TfTable.server_creates), is as registration makes it: every
 * column its owner signs holds what was typed (any value), the default the
 * row takes, or null, as the registry says (the columns the server decides
 * may hold anything, as in a signed record).  FALSE for a tombstone and
 * for any other table. */
gboolean  tf_signed_is_registered_form (const TfRecord *record);
/* TRUE when @a and @b are the same record with the same signed content
 * (their encodings at one revision are the same bytes). */
gboolean  tf_signed_same_content     (const TfRecord *a,
                                      const TfRecord *b);

G_END_DECLS
