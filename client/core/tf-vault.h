/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault.h: records in plaintext for the app and the CLI, ciphertext in
 * the store (DESIGN.md §5).
 *
 * The vault sits on a TfStore and one account's unlocked TfKeys.  Callers
 * give and get records in "plain form": the registry's columns in wire form,
 * except that an encrypted column holds its plaintext value (a string for a
 * text column, any JSON value for a JSONB column) and enc_key is never
 * present.  The vault encrypts with the record's data key (a new one for a
 * new record, wrapped by the master key into enc_key) and decrypts with the
 * owner's enc_key or, for someone else's record, with a key grant sealed to
 * this account.
 *
 * Sharing is reconciled, not commanded: after every write and every sync
 * the vault compares who should be able to read each of the account's
 * shareable records (the therapists in active care, for a journal entry
 * shared with them, for mood while share_mood is on, for goals while
 * share_goals is on) with the key grants that exist, seals the data key to
 * whoever is missing, and for whoever lost access deletes the grant and
 * re-keys the record, so later edits are unreadable to them.
 *
 * Locked session notes: a therapist signs a note with their Ed25519 key;
 * the vault refuses any later change to it, and checks the signature of
 * every locked note it returns.
 */
#pragma once

#include "tf-keys.h"
#include "tf-store.h"

G_BEGIN_DECLS

#define TF_VAULT_ERROR (tf_vault_error_quark ())

typedef enum
{
  TF_VAULT_ERROR_LOCKED_NOTE,     /* a locked note cannot change */
  TF_VAULT_ERROR_NO_KEY,          /* no data key or grant opens this record */
  TF_VAULT_ERROR_UNKNOWN_RECIPIENT, /* no public key known for the recipient */
  TF_VAULT_ERROR_BAD_SIGNATURE,   /* a locked note whose signature does not verify */
  TF_VAULT_ERROR_NOT_OWNER,       /* only the owner can do this */
  TF_VAULT_ERROR_REFUSED_GRANT,   /* a key grant its owner did not sign, or one from before
                                   * brought back: never used (tf-vault-grants.c) */
} TfVaultError;

GQuark tf_vault_error_quark (void);

#define TF_TYPE_VAULT (tf_vault_get_type ())
G_DECLARE_FINAL_TYPE (TfVault, tf_vault, TF, VAULT, GObject)

/* @user_id: the account; @keys is taken over (freed with the vault). */
TfVault    *tf_vault_new            (TfStore        *store,
                                     const char     *user_id,
                                     TfKeys         *keys);
/* The vault of a managed client of @principal's account (a therapist's):
 * @client_id's keys (taken over), made on the therapist's device
 * (tf-managed.h).  It writes the client's own records in their name —
 * encrypted under the client's keys, signed with them, shared with the
 * therapists in care like the client's own — through @principal's store. */
TfVault    *tf_vault_new_managed    (TfVault        *principal,
                                     const char     *client_id,
                                     TfKeys         *keys);
/* The therapist's vault of a managed client's vault, or NULL. */
TfVault    *tf_vault_get_principal  (TfVault        *self);
TfStore    *tf_vault_get_store      (TfVault        *self);
const char *tf_vault_get_user_id    (TfVault        *self);
TfKeys     *tf_vault_get_keys       (TfVault        *self);

/* Creates or replaces a record from plain form (all of its fields; for an
 * edit, the current plain form with the changes applied).  Validates the
 * plaintext against the registry, encrypts, stores and queues it, then
 * reconciles the record's grants.  A locked session note is refused with
 * TF_VAULT_ERROR_LOCKED_NOTE and nothing changes. */
gboolean    tf_vault_put            (TfVault        *self,
                                     const TfTable  *table,
                                     const char     *id,
                                     JsonObject     *plain,
                                     GError        **error);

/* tf_vault_put(), and on success a reference to @plain in @out_plain
 * (when not NULL): what a save hands back to the form that made it. */
gboolean    tf_vault_put_keep       (TfVault        *self,
                                     const TfTable  *table,
                                     const char     *id,
                                     JsonObject     *plain,
                                     JsonObject    **out_plain,
                                     GError        **error);

/* Deletes a record this account may delete (locked notes refused). */
gboolean    tf_vault_delete         (TfVault        *self,
                                     const TfTable  *table,
                                     const char     *id,
                                     GError        **error);

/* The plain form of a live record, or NULL with TF_STORE_ERROR_NOT_FOUND.
 * A record whose content this account cannot open (the share ended, no
 * grant yet) fails with TF_VAULT_ERROR_NO_KEY; a locked note whose
 * signature does not verify with TF_VAULT_ERROR_BAD_SIGNATURE. */
JsonObject *tf_vault_get            (TfVault        *self,
                                     const TfTable  *table,
                                     const char     *id,
                                     GError        **error);

/* For a save under an id its caller chose and keeps (the first save makes
 * the record, every later one edits it): in @out_plain a copy of stored
 * record @id of @table to apply the changes to, or NULL when there is none
 * yet (a new record).  A record that @table's owner column says is someone
 * else's fails with TF_VAULT_ERROR_NOT_OWNER and @not_owner (translated)
 * as the message. */
gboolean    tf_vault_dup_own        (TfVault        *self,
                                     const TfTable  *table,
                                     const char     *id,
                                     const char     *not_owner,
                                     JsonObject    **out_plain,
                                     GError        **error);

/* Plain forms of the live records of @table (as tf_store_list), own and
 * shared with this account.  A record that cannot be opened is included
 * with its encrypted columns null and the member "unreadable": true; a
 * locked note whose signature fails has "signature_valid": false (true
 * when it verifies; absent when not locked). */
GPtrArray  *tf_vault_list           (TfVault        *self,
                                     const TfTable  *table,
                                     const char     *column,
                                     const char     *value,
                                     GError        **error);

/* Remembers a user's public keys (from the server's directory or
 * /v1/keys/{id}) so sharing with them works offline, then reconciles the
 * shares (grants that waited for this key are made).  @fingerprint (may be
 * NULL) must be these keys' (tf_crypto_fingerprint of identity, signing),
 * else TF_CRYPTO_ERROR_FORMAT. */
gboolean    tf_vault_remember_key   (TfVault        *self,
                                     const char     *user_id,
                                     const char     *identity_public_key,
                                     const char     *signing_public_key,
                                     const char     *fingerprint,
                                     const char     *email,
                                     GError        **error);

/* What the server says of @user_id's key rotations (the "rotations" of
 * /v1/keys/{id}, oldest first) with the keys it presents: when those are a
 * key change (tf_vault_remember_key refused them) and the rotations lead,
 * each step signed by the key before and after, from the pinned keys to
 * them, the change is marked a signed rotation; when they are the pinned
 * keys, the signing keys they vouch for as predecessors are remembered, so
 * what those signed still verifies.  Anything else is left as it is: a
 * change without such a chain stays an unsigned change. */
gboolean    tf_vault_note_rotations (TfVault        *self,
                                     const char     *user_id,
                                     const char     *identity_public_key,
                                     const char     *signing_public_key,
                                     JsonArray      *rotations,
                                     GError        **error);

/* Brings every key grant of this account's records in line with who should
 * read them (see above; the rules are in tf-vault-share.c).  The grants it
 * makes, changes and deletes, and the re-keyed records, are queued.  Also
 * run by tf_vault_put/tf_vault_delete for their record (for a care
 * relationship: for everything, in the write's one transaction).  Each
 * record is one transaction and one atomic group of its own: its re-key,
 * grant deletions and new seals are on disk and pushed whole or not at all.
 * @n_pending (optional) receives how many grants could not be made because
 * a recipient's key is not known yet. */
gboolean    tf_vault_reconcile_shares (TfVault      *self,
                                       guint        *n_pending,
                                       GError      **error);

/* Seals again, and signs with this account's current signing key, every
 * live grant this account made — only those to @recipient when it is not
 * NULL — to the recipient's pinned identity key: after this account
 * rotated its keys (tf_account_rotate_keys), or after it accepted
 * @recipient's new keys (tf_verify_confirm), so sharing goes on to the new
 * key and stops for the old.  One transaction and one atomic group.
 * @n_resealed (optional) receives how many. */
gboolean    tf_vault_reseal_grants  (TfVault        *self,
                                     const char     *recipient,
                                     guint          *n_resealed,
                                     GError        **error);

/* Replaces the unlocked keys with @keys (taken; the same master key, new
 * pairs: tf_keys_rotate); what is signed from now on is signed with them. */
void        tf_vault_replace_keys   (TfVault        *self,
                                     TfKeys         *keys);

/* The signing keys (char*, base64, newest first) whose signatures count as
 * @user_id's: their pinned key (this account's own for itself), then the
 * ones before it that a signed rotation vouches for (previous_keys; own:
 * the keys object's).  Empty when none is known. */
GPtrArray  *tf_vault_signing_keys   (TfVault        *self,
                                     const char     *user_id);

/* Checks every key grant to or by this account (tf-vault-grants.c): one
 * its owner did not sign (or one from before brought back) is not used and
 * is recorded in the store's refusals (tf_store_list_refused); one that is
 * good again clears its refusal.  Run after every sync, before the shares
 * are brought in line.  Adds the new refusals to @n_refused (optional). */
gboolean    tf_vault_check_grants   (TfVault        *self,
                                     guint          *n_refused,
                                     GError        **error);

/* Encrypts what older versions left in plaintext in columns encrypted
 * since (TF_COLUMN_WAS_PLAIN): every record this account owns whose such a
 * column still holds plaintext is written again through the vault —
 * encrypted with its data key, stored and queued, so the server gets the
 * envelope with the next push.  Run on unlock and after every sync (a pull
 * can bring old rows).  A record whose old plaintext no longer validates
 * stays as it is.  @n_encrypted (optional) receives how many were written. */
gboolean    tf_vault_encrypt_legacy (TfVault        *self,
                                     guint          *n_encrypted,
                                     GError        **error);

/* Re-keys under this account's own master key every record still under a
 * master key it took over as a managed client (tf_keys_adopt;
 * tf-vault-adopt.c): each written again under a new data key, its grants
 * sealed again.  Nothing to do for an account that never was managed.  Run
 * after every sync.  @n_rekeyed (optional) receives how many. */
gboolean    tf_vault_rekey_adopted  (TfVault        *self,
                                     guint          *n_rekeyed,
                                     GError        **error);

/* Locks session note @id: sets locked_at (now, whole seconds, UTC) and the
 * signature, and queues it.  Only its author can (TF_VAULT_ERROR_NOT_OWNER);
 * a locked note stays as it is (TF_VAULT_ERROR_LOCKED_NOTE). */
gboolean    tf_vault_lock_note      (TfVault        *self,
                                     const char     *id,
                                     GError        **error);

/* The session of appointment @appointment_id, the record its notes belong
 * to: the one already stored (when two devices each made one before they
 * synced, the oldest), else a new one, stored and queued now.  The
 * appointment must be this account's as its therapist
 * (TF_VAULT_ERROR_NOT_OWNER); an unknown one fails with
 * TF_STORE_ERROR_NOT_FOUND.  Returns the session's id. */
char       *tf_vault_session_for    (TfVault        *self,
                                     const char     *appointment_id,
                                     GError        **error);

/* What a lock signs, from a note's wire form (stored ciphertext, not
 * plaintext, so that anyone holding the record can verify it):
 *   "tf1|note|" id "|" session_id "|" therapist_id "|" approach_type "|"
 *   note_content "|" risk_assessment "|" locked_at
 * with "" for a null member and locked_at in its canonical UTC spelling. */
GBytes     *tf_vault_note_signed_bytes (JsonObject  *fields);

/* What the lock of a record of lockable @table (session_notes,
 * note_addenda) signs.  An addendum's:
 *   "tf1|addendum|" id "|" note_id "|" therapist_id "|" content "|" locked_at */
GBytes     *tf_vault_lock_signed_bytes (const TfTable *table,
                                        JsonObject    *fields);

/* Writes record @id of lockable @table from @plain (as tf_vault_put), locked
 * and signed as it is written, in one mutation: an addendum is never seen
 * unlocked.  @plain must not hold locked_at or signature.  Refused when @id
 * exists (a locked record is written once: TF_VAULT_ERROR_LOCKED_NOTE). */
gboolean    tf_vault_put_locked     (TfVault        *self,
                                     const TfTable  *table,
                                     const char     *id,
                                     JsonObject     *plain,
                                     GError        **error);

/* --- conflicts ------------------------------------------------------------ */

typedef enum
{
  TF_KEEP_LOCAL,   /* this device's version replaces the other; the copy goes */
  TF_KEEP_SERVER,  /* the other version stays; the copy goes */
  TF_KEEP_BOTH,    /* both stay as separate records */
} TfKeep;

/* Conflict copies waiting for the user, as objects {table, id (the copy),
 * original_id, local (plain form of the copy), server (plain form of the
 * original, or null when it is gone)}, table by table in registry order,
 * oldest first within a table.  A side that cannot be opened is there with
 * "unreadable": true (as in tf_vault_list). */
GPtrArray  *tf_vault_list_conflicts (TfVault        *self,
                                     GError        **error);

/* Resolves the conflict whose copy is @copy_id (in any table).  The result
 * is queued for sync.  An unknown id fails with TF_STORE_ERROR_NOT_FOUND.
 * TF_KEEP_LOCAL: the original takes the copy's content (encrypted again for
 * the original; its sharing stays the original's) — refused with
 * TF_VAULT_ERROR_LOCKED_NOTE when the original is a locked note.
 * TF_KEEP_BOTH: only for tables whose conflict copies may sync
 * (TfTable.conflict_copy_syncs), else TF_STORE_ERROR_CONSTRAINT; the kept
 * copy starts unshared. */
gboolean    tf_vault_resolve_conflict (TfVault      *self,
                                       const char   *copy_id,
                                       TfKeep        keep,
                                       GError      **error);

G_END_DECLS
