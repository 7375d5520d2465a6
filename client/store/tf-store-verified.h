/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-verified.h: safety numbers marked verified on this device, and
 * key changes of other people it has seen (tables verified_keys and
 * key_changes, SQLite 0014).  Neither ever syncs.
 */
#pragma once

#include "tf-store.h"

G_BEGIN_DECLS

/* Marks @safety_number (tf-safety.h) as verified with @user_id, now. */
gboolean    tf_store_mark_verified     (TfStore     *self,
                                        const char  *user_id,
                                        const char  *safety_number,
                                        GError     **error);
/* {user_id, safety_number, verified_at}, or NULL (TF_STORE_ERROR_NOT_FOUND
 * when never verified or the mark dropped with a key change). */
JsonObject *tf_store_lookup_verified   (TfStore     *self,
                                        const char  *user_id,
                                        GError     **error);

/* Records that the server presents @identity/@signing (@fingerprint) for
 * @user_id, whose pinned keys have @old_fingerprint, and drops the verified
 * mark, in one transaction; the pinned keys stay.  Called by
 * tf_store_remember_key(). */
gboolean    tf_store_record_key_change (TfStore     *self,
                                        const char  *user_id,
                                        const char  *old_fingerprint,
                                        const char  *identity_public_key,
                                        const char  *signing_public_key,
                                        const char  *fingerprint,
                                        GError     **error);
/* {user_id, old_fingerprint, identity_public_key, signing_public_key,
 * fingerprint, first_seen_at, seen_at, rotation_signed ("1" or "0")}, or NULL (TF_STORE_ERROR_NOT_FOUND
 * when there is none). */
JsonObject *tf_store_lookup_key_change (TfStore     *self,
                                        const char  *user_id,
                                        GError     **error);
/* Every key change not yet accepted, oldest first (objects as above). */
GPtrArray  *tf_store_list_key_changes  (TfStore     *self,
                                        GError     **error);
/* Pins the keys of @user_id's key change in known_keys, forgets the change
 * and marks @safety_number verified (unless NULL: a managed client's
 * hand-over, which compared nothing), in one transaction; NOT_FOUND when
 * there is no change, CONSTRAINT when the change's keys are no longer
 * @identity/@signing (another change came in meanwhile). */
gboolean    tf_store_accept_key_change (TfStore     *self,
                                        const char  *user_id,
                                        const char  *identity_public_key,
                                        const char  *signing_public_key,
                                        const char  *safety_number,
                                        GError     **error);

/* Marks @user_id's key change to @fingerprint as a signed rotation: the
 * server showed a chain of rotation statements from the pinned keys to
 * them (SQLite 0015).  Accepting such a change keeps the pinned signing
 * key as a previous one. */
gboolean    tf_store_set_key_change_signed (TfStore    *self,
                                            const char *user_id,
                                            const char *fingerprint,
                                            GError    **error);
/* Remembers a signing key @user_id had before a signed rotation. */
gboolean    tf_store_add_previous_key   (TfStore     *self,
                                         const char  *user_id,
                                         const char  *signing_public_key,
                                         const char  *identity_public_key,
                                         GError     **error);
/* @user_id's previous signing keys (char*), newest first. */
GPtrArray  *tf_store_list_previous_signing (TfStore    *self,
                                            const char *user_id,
                                            GError    **error);

G_END_DECLS
