/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notes-view.h: the sessions of one client with this therapist, newest
 * first, each with its session notes — written by approach (SOAP, DAP,
 * BIRP, CBT) with a risk assessment, edited while unlocked, then locked and
 * signed — for the client's detail view.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_NOTES_VIEW (tf_notes_view_get_type ())
G_DECLARE_FINAL_TYPE (TfNotesView, tf_notes_view, TF, NOTES_VIEW, GtkWidget)

/* The sessions and notes of @client_id with the unlocked @session's
 * therapist (live).  ::saved (message) and ::failed (message) tell the
 * window what to say. */
GtkWidget *tf_notes_view_new           (TfSession   *session,
                                        const char  *client_id);
/* Opens the note of @draft (a "session_notes" draft of tf_drafts_list) in
 * the editor, which shows the draft; FALSE when the note is not one of
 * this view's sessions any more. */
gboolean   tf_notes_view_restore_draft (TfNotesView *self,
                                        JsonObject  *draft);

G_END_DECLS
