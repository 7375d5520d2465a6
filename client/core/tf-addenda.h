/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-addenda.h: addenda to locked session notes, the app's and the CLI's
 * one way to add to a note that can no longer change (issue 12).
 *
 * An addendum is written once, locked and signed by its author as it is
 * written (tf_vault_put_locked), and appended to a locked note of the same
 * therapist; the note itself stays untouched.  Both signatures are checked
 * whenever they are read: each addendum a list gives carries
 * "signature_valid".
 */
#pragma once

#include "tf-repository.h"

G_BEGIN_DECLS

/* The most characters an addendum holds. */
#define TF_ADDENDUM_MAX_CHARS 20000

/* Appends an addendum saying @content to session note @note_id, under the
 * id @id its caller chose and keeps (so a retry after an error never adds a
 * second one).  The note must be this account's (TF_VAULT_ERROR_NOT_OWNER),
 * locked (an unlocked note is still edited instead:
 * TF_VALIDATION_ERROR_INCONSISTENT) and its signature valid
 * (TF_VAULT_ERROR_BAD_SIGNATURE); @content must say something, in at most
 * TF_ADDENDUM_MAX_CHARS characters (TF_VALIDATION_ERROR_REQUIRED,
 * TF_VALIDATION_ERROR_TOO_LONG).  An @id already written is
 * TF_VAULT_ERROR_LOCKED_NOTE.  Nothing is stored when it fails. */
gboolean   tf_addendum_add          (TfVault    *vault,
                                     const char *id,
                                     const char *note_id,
                                     const char *content,
                                     GError    **error);

/* The addenda of session note @note_id on this device, oldest first, in
 * their plain forms (content, created_at, locked_at, signature_valid; an
 * addendum whose key is not here has "unreadable": true). */
GPtrArray *tf_addendum_list         (TfVault    *vault,
                                     const char *note_id,
                                     GError    **error);

/* The addenda of @note_id as tf_addendum_list gives them, live: a
 * repository (tf-repository.h) that reloads by itself when an addendum
 * is written here or arrives with a sync. */
TfRepository *tf_addenda_list_new   (TfVault    *vault,
                                     const char *note_id);

/* Whether session note @note (a plain form as tf_vault_list gives it) is
 * signed and every one of @addenda verifies: what a printout or a reader
 * can trust as the whole record. */
gboolean   tf_addendum_all_verified (JsonObject *note,
                                     GPtrArray  *addenda);

G_END_DECLS
