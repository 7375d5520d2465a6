/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-record-dialog.h: "Session Record", what happened in a held
 * session — when it began and ended, who attended, technical problems, the
 * therapist's own notes, and the summary, homework and plan the client
 * reads once they are shared (client/core/tf-session-record.h).
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_SESSION_RECORD_DIALOG (tf_session_record_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TfSessionRecordDialog, tf_session_record_dialog, TF,
                      SESSION_RECORD_DIALOG, AdwWindow)

/* The dialog over @parent's window for the session of appointment @id of
 * @session's vault, filled from its record (or, for a new one, the
 * appointment's time and length).  Save (session-record.save, Ctrl+S)
 * writes through tf_session_record_save; a refusal stays in the dialog, in
 * words.  ::saved (message) when stored; the dialog then closes.  Not
 * presented yet. */
GtkWidget *tf_session_record_dialog_new (GtkWidget  *parent,
                                         TfSession  *session,
                                         const char *id);

G_END_DECLS
