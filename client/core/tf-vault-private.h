/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-private.h: what the files of the vault share.
 *
 *   tf-vault.c            the object; plain form <-> wire form; data keys;
 *                         put, get, list, delete; other users' keys
 *   tf-vault-share.c      who should read a record, key grants, re-keying
 *   tf-vault-grants.c     making a signed key grant; checking one before use
 *   tf-vault-notes.c      locked session notes: signing and verifying
 *   tf-vault-conflicts.c  the store's copy function; listing and resolving
 *                         conflict copies
 *   tf-vault-legacy.c     plaintext left in columns encrypted later
 *   tf-vault-adopt.c      a managed client's records re-keyed under the
 *                         account that took them over
 *   tf-vault-verify.c     the store's verify function: authors' signatures
 */
#pragma once

#include "tf-sync-hooks.h"
#include "tf-vault.h"

G_BEGIN_DECLS

struct _TfVault
{
  GObject  parent_instance;
  TfStore *store;    /* owned reference */
  char    *user_id;  /* the account */
  TfKeys  *keys;     /* the account's unlocked keys, owned */
  gboolean rekeyed;  /* a record was re-keyed in the write under way (tf_vault_rekey_step) */
  guint    atomic_depth; /* tf_vault_atomic() calls under way */
  GHashTable *keys_refetched; /* user ids whose keys a failed signature made this vault
                               * ask the server for again (once each: a rotation) */
  /* A managed client's vault (tf_vault_new_managed): the therapist's vault
   * it writes beside, owned; NULL for an account's own vault. */
  TfVault *principal;
  /* The keys a managed client's vault writes with while it writes
   * (tf_vault_atomic), so the store's sign function, which is this vault's,
   * signs in the client's name; borrowed, NULL otherwise. */
  TfKeys  *acting_keys;
};

/* --- tf-vault.c ----------------------------------------------------------- */

/* TRUE for an encrypted column that holds content (every encrypted column
 * but enc_key, the wrapped data key). */
gboolean    tf_vault_is_content_column (const TfColumn *column);
/* TRUE when @table has content columns (tf_table_has_encrypted() also
 * counts enc_key). */
gboolean    tf_vault_has_content       (const TfTable  *table);

/* TRUE when some content column of @fields holds a ciphertext. */
gboolean    tf_vault_has_ciphertext    (const TfTable  *table,
                                        JsonObject     *fields);
/* The string member @name of @fields, or NULL (absent, null, not a string). */
/* A deep copy. */

/* The live key grants (TfRecord*) of record @record_id of @table: those
 * sealed to this account (@to_me) or those this account made (!@to_me). */
GPtrArray  *tf_vault_list_grants       (TfVault        *self,
                                        const TfTable  *table,
                                        const char     *record_id,
                                        gboolean        to_me,
                                        GError        **error);

/* The data key of a record: unwrapped from @enc_key when this account
 * wrapped it (@out_own TRUE), else opened from a grant sealed to this
 * account for record @grant_id of @table.  TF_VAULT_ERROR_NO_KEY when
 * neither works. */
TfSecret   *tf_vault_open_key          (TfVault        *self,
                                        const TfTable  *table,
                                        const char     *grant_id,
                                        const char     *enc_key,
                                        gboolean       *out_own,
                                        GError        **error);

/* TRUE when @table has columns under the care key (TF_COLUMN_CARE_KEY). */
gboolean    tf_vault_has_care_columns  (const TfTable  *table);

/* The keys for the columns of a record of @table from @key (tf-vault.c):
 * with @own every column opens, the care columns under the care key
 * derived from it; else @key is what a grant gave. */
void        tf_vault_split_keys        (const TfTable  *table,
                                        const TfSecret *key,
                                        gboolean        own,
                                        const TfSecret **out_data,
                                        TfSecret      **out_care);
/* TF_VAULT_ERROR_NO_KEY: not shared with this account, or no longer. */
void        tf_vault_set_no_key_error  (GError        **error);

/* Plain form -> wire form for record @id: every content column encrypted
 * for @id (its plaintext validated first), enc_key set to @enc_key, any
 * enc_key in @plain ignored.  @key is the data key when @own (it came from
 * this account's enc_key, or is new), else what a grant gave: in a table
 * with care columns the care key, which writes those columns only
 * (TF_VAULT_ERROR_NO_KEY for another). */
JsonObject *tf_vault_seal_fields       (const TfTable  *table,
                                        const char     *id,
                                        JsonObject     *plain,
                                        const TfSecret *key,
                                        gboolean        own,
                                        const char     *enc_key,
                                        GError        **error);
/* Wire form -> plain form; ciphertexts are opened as bound to @id.  @key
 * and @own as for tf_vault_seal_fields(); with only the care key, columns
 * under the data key come out null. */
JsonObject *tf_vault_open_fields       (const TfTable  *table,
                                        const char     *id,
                                        JsonObject     *fields,
                                        const TfSecret *key,
                                        gboolean        own,
                                        GError        **error);
/* Plain form of a record that cannot be opened: content null, "unreadable". */
JsonObject *tf_vault_unreadable_fields (const TfTable  *table,
                                        JsonObject     *fields);

/* The wire form to store for plain form @plain of record @id: the data key
 * is the record's own (a new one for a new record, or when @out_rekeyed is
 * set: the write takes a reader away, see tf-vault-share.c). */
JsonObject *tf_vault_prepare_write     (TfVault        *self,
                                        const TfTable  *table,
                                        const char     *id,
                                        JsonObject     *plain,
                                        gboolean       *out_rekeyed,
                                        GError        **error);

/* Plain form of a stored record for a list: never fails for want of a key
 * (the record comes back "unreadable"); a locked note carries
 * "signature_valid". */
JsonObject *tf_vault_plain_for_list    (TfVault        *self,
                                        const TfRecord *record);

/* --- tf-vault-share.c ------------------------------------------------------ */

/* TRUE when writing @fields (plain or wire form) as record @id would take
 * access away from someone who has a grant: the write needs a new data key. */
gboolean    tf_vault_write_revokes     (TfVault        *self,
                                        const TfTable  *table,
                                        const char     *id,
                                        JsonObject     *fields,
                                        gboolean       *out_revokes,
                                        GError        **error);
/* A step of a re-key is done (@point: TF_KILL_REKEY_SEALED, the record
 * under its new key; TF_KILL_REKEY_GRANTS_DELETED, the former readers'
 * grants gone): a test build may be asked to crash here (TF_DEBUG_KILL_AT,
 * "rekey-sealed", "rekey-grants-deleted"), inside the write's one
 * transaction. */
void        tf_vault_rekey_step        (TfVault        *self,
                                        TfKillPoint     point);
/* Runs @body (given @self's store) in one store transaction whose queued
 * mutations are one atomic group (tf_store_atomic); after the outermost one
 * committed a re-key, kill point "rekey-committed". */
gboolean    tf_vault_atomic            (TfVault        *self,
                                        TfStoreBody     body,
                                        gpointer        data,
                                        GError        **error);
/* The same, every write inside — each tf_vault_put() too — in the one
 * atomic group (tf_store_atomic_one_group): a series of appointments. */
gboolean    tf_vault_atomic_one_group  (TfVault        *self,
                                        TfStoreBody     body,
                                        gpointer        data,
                                        GError        **error);
/* Brings the grants of record @id in line (see tf-vault.h); @rekeyed: the
 * record was just written with a new data key, so every remaining grant is
 * sealed again.  Adds to @n_pending (optional). */
gboolean    tf_vault_reconcile_record  (TfVault        *self,
                                        const TfTable  *table,
                                        const char     *id,
                                        gboolean        rekeyed,
                                        guint          *n_pending,
                                        GError        **error);

/* --- tf-vault-grants.c ----------------------------------------------------- */

/* The one way a key grant is made (@grant_id NULL: a new one) or sealed
 * again (@grant_id: that grant, its created_at kept): @sealed, the record
 * key sealed to @recipient, for record @record_id of @table, signed by this
 * account at one more than the highest counter seen for that record and
 * recipient, and queued. */
gboolean    tf_vault_put_grant         (TfVault        *self,
                                        const char     *grant_id,
                                        const TfTable  *table,
                                        const char     *record_id,
                                        const char     *recipient,
                                        const char     *sealed,
                                        GError        **error);
/* TRUE when @grant (a key_grants record) is signed by its owner (the pinned
 * key, or this account's own) and its counter is not below one seen; else
 * FALSE with TF_VAULT_ERROR_REFUSED_GRANT and @out_code the refusal's code
 * ("grant_unsigned", "grant_signer_unknown", "grant_forged",
 * "grant_rolled_back"), or with a store error and @out_code NULL. */
gboolean    tf_vault_verify_grant      (TfVault        *self,
                                        const TfRecord *grant,
                                        const char    **out_code,
                                        GError        **error);
/* tf_vault_verify_grant() for a reader that only needs yes or no. */
gboolean    tf_vault_grant_usable      (TfVault        *self,
                                        const TfRecord *grant);

/* --- tf-vault-legacy.c ----------------------------------------------------- */

/* TRUE when a TF_COLUMN_WAS_PLAIN column of @fields (wire form) still holds
 * plaintext. */
gboolean    tf_vault_holds_legacy      (const TfTable  *table,
                                        JsonObject     *fields);

/* --- tf-vault-notes.c ------------------------------------------------------ */

/* TRUE when @table's records can be locked (they have locked_at). */
gboolean    tf_vault_is_lockable       (const TfTable  *table);
/* Fails with TF_VAULT_ERROR_LOCKED_NOTE when the stored record @id is a
 * locked note. */
gboolean    tf_vault_check_unlocked    (TfVault        *self,
                                        const TfTable  *table,
                                        const char     *id,
                                        GError        **error);
/* TRUE when @record is not locked or its signature verifies; else
 * TF_VAULT_ERROR_BAD_SIGNATURE. */
/* Sets locked_at (now, whole seconds) and the lock's signature on @wire. */
void        tf_vault_sign_lock         (TfVault        *self,
                                        const TfTable  *table,
                                        JsonObject     *wire);
gboolean    tf_vault_verify_note       (TfVault        *self,
                                        const TfRecord *record,
                                        GError        **error);

/* --- tf-vault-verify.c ------------------------------------------------------ */

/* Asks the server for @user_id's keys again, once per vault: something
 * of theirs is signed by a key this device has not seen for them, as
 * after a rotation (a signed one then counts, tf_vault_signing_keys; any
 * other change is told).  FALSE when it was asked already (or @user_id is
 * this account); a failure is only logged. */
gboolean    tf_vault_refetch_keys_once (TfVault        *self,
                                        const char     *user_id);
/* Checks @record from the server against its writers' signatures
 * (TfStoreVerifyFunc's contract). */
gboolean    tf_vault_verify_record     (TfVault        *self,
                                        const TfRecord *record,
                                        char          **out_code,
                                        char          **out_message,
                                        GError        **error);
/* TRUE when care relationship @care (a stored row) is as its client
 * signed it: the client's own write on this device, or the held signature
 * verifies under the client's key.  Only such a relationship shares
 * (tf-vault-share.c): one the server invented, or the therapist wrote
 * "active, sharing", shares nothing. */
gboolean    tf_vault_care_signed_by_client (TfVault        *self,
                                            const TfRecord *care);
/* TRUE when stored care relationship @care is this client's request as its
 * therapist accepted it: active, its held signature the therapist's
 * (tf-vault-verify.c took it in only over this device's pending request;
 * tf_care_settle then signs it as the client). */
gboolean    tf_vault_care_accepted_by_therapist (TfVault        *self,
                                                 const TfRecord *care);
/* The store's verify function; @user_data is a GWeakRef to the vault. */
gboolean    tf_vault_verify_cb         (TfStore        *store,
                                        const TfRecord *record,
                                        gpointer        user_data,
                                        char          **out_code,
                                        char          **out_message,
                                        GError        **error);

/* --- tf-vault-conflicts.c -------------------------------------------------- */

/* The store's copy function (TfStoreCopyFunc); @user_data is a GWeakRef to
 * the vault, freed by tf_vault_copy_data_free(). */
gboolean    tf_vault_copy_cb           (TfStore        *store,
                                        const TfTable  *table,
                                        const char     *original_id,
                                        const char     *copy_id,
                                        JsonObject     *fields,
                                        gpointer        user_data,
                                        GError        **error);
void        tf_vault_copy_data_free    (gpointer        data);

G_END_DECLS
