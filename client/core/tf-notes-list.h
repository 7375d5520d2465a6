/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notes-list.h: a client's sessions with this therapist and their
 * notes, as the notes view lists them — a repository (tf-repository.h)
 * that reloads by itself when an appointment, a session record or a note
 * changes, a sync's pulled pages included.
 */
#pragma once

#include "tf-repository.h"

G_BEGIN_DECLS

/* The sessions of @client_id with this therapist, live, latest first: a
 * TfItem per appointment of theirs that is confirmed or completed (with a
 * time), its stored fields and "notes", an array of the plain forms of
 * this therapist's notes of it (as tf_vault_list gives them), oldest
 * first.  A note's session is its appointment's session record
 * (tf_vault_session_for). */
TfRepository *tf_notes_sessions_new (TfVault    *vault,
                                     const char *client_id);

G_END_DECLS
