/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-verify.h: verified identities — the safety number of this account and
 * someone it shares with, marking it verified, and the warning when the
 * server presents other keys for them (docs/encryption.md, "Safety
 * numbers"; the number itself is common/tf-safety.h's).
 *
 * Shared by the CLI (therapist verify, client verify, keys fingerprint) and
 * the app's Verify Safety Number dialog, so both show the same number for
 * the same pair.  Everything but tf_verify_refresh() works offline on the
 * profile's store.
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* How long a contact's keys count as checked: a sync asks the server again
 * for keys older than this (tf_account_fetch_missing_keys), so a change is
 * noticed within a day even when nobody opens the safety number. */
#define TF_VERIFY_REFRESH_SECONDS (24 * 60 * 60)

/* The language of the words this process shows ("el" or "en"), from the
 * same environment gettext reads (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). */
const char *tf_verify_language    (void);

/* This account's own fingerprint (its identity and signing keys', as the
 * server's directory shows it). */
char       *tf_verify_own_fingerprint (TfVault   *vault);

/* What this account compares with @other_id, as an object:
 *   user_id, email (or null), fingerprint (theirs: the keys the number is
 *   made of), safety_number, digits, words (array, in @language), language,
 *   qr (tf_safety_qr_text), verified (bool), verified_at (or null),
 *   key_changed (bool), and when it is true previous_fingerprint and
 *   changed_at: the server presents keys other than the pinned ones, the
 *   number shown is of the new keys, and nothing is shared with them until
 *   the person compares it and accepts.
 * TF_STORE_ERROR_NOT_FOUND when this device knows no keys of @other_id. */
JsonObject *tf_verify_describe    (TfVault     *vault,
                                   const char  *other_id,
                                   const char  *language,
                                   GError     **error);

/* Marks the safety number with @other_id verified.  @shown (may be NULL) is
 * the number the person compared: when it is no longer the current one
 * (keys changed meanwhile) nothing is marked, TF_STORE_ERROR_KEY_CHANGED.
 * With a key change waiting, this accepts the new keys (they are pinned and
 * shares are brought in line with them). */
gboolean    tf_verify_confirm     (TfVault     *vault,
                                   const char  *other_id,
                                   const char  *shown,
                                   GError     **error);

/* Asks the server for @other_id's keys now (network; blocks): unknown keys
 * are pinned, changed ones recorded as a key change (not an error). */
gboolean    tf_verify_refresh     (TfVault     *vault,
                                   const char  *other_id,
                                   GError     **error);

/* The key changes waiting for the person, oldest first: objects {user_id,
 * email, old_fingerprint, fingerprint, first_seen_at, seen_at, ...}. */
GPtrArray  *tf_verify_list_changes (TfStore    *store,
                                    GError    **error);

/* One line telling the person @change (an object of the list above) in
 * plain words, with @name for them (or their e-mail or id when NULL). */
char       *tf_verify_change_message (JsonObject *change,
                                      const char *name);

G_END_DECLS
