/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-drafts.h: what a person typed into a form and has not saved yet,
 * kept encrypted on this device through a lock and given back after the
 * unlock (issue 11).
 *
 * A draft is a JSON object of the form's own choosing (what it needs to
 * show itself again: the record it edits, what it belongs to, the values
 * in its fields), stored for the vault's account under (@form, @record_key):
 * @form is the registry table the form writes ("session_notes",
 * "journal_entries" ...), @record_key the id of the record being edited,
 * or for a new record a key the form makes ("new:" and what the record
 * belongs to, e.g. "new:<appointment id>" for a new note of an
 * appointment).  The content is a "tf1:" envelope, XChaCha20-Poly1305
 * under a key derived from the master key ("tf1|drafts"), bound to the
 * account, form and record key, so a draft cannot be passed off as
 * another's.  Drafts never sync, and a locked session note has none: it
 * can no longer change.
 *
 * A form saves its draft when the session locks (TfSession::locking) and
 * discards it when the record is saved or the person drops the changes.
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* Keeps @content as the draft of @form for @record_key, replacing the one
 * there was.  TF_VAULT_ERROR_LOCKED_NOTE for a locked session note;
 * TF_STORE_ERROR_CONSTRAINT for a @form that names no table. */
gboolean    tf_drafts_save        (TfVault     *vault,
                                   const char  *form,
                                   const char  *record_key,
                                   JsonObject  *content,
                                   GError     **error);
/* The draft, or NULL with TF_STORE_ERROR_NOT_FOUND when there is none. */
JsonObject *tf_drafts_load        (TfVault     *vault,
                                   const char  *form,
                                   const char  *record_key,
                                   GError     **error);
/* Forgets the draft (none is no error). */
gboolean    tf_drafts_discard     (TfVault     *vault,
                                   const char  *form,
                                   const char  *record_key,
                                   GError     **error);
/* The account's drafts, oldest first, as objects {form, record_key,
 * saved_at, content (the draft object)}; a draft that no longer opens is
 * left out. */
GPtrArray  *tf_drafts_list        (TfVault     *vault,
                                   GError     **error);
/* Forgets every draft of the account (signing out). */
gboolean    tf_drafts_discard_all (TfVault     *vault,
                                   GError     **error);

G_END_DECLS
