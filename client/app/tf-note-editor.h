/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-editor.h: the editor of one session note (the second page of
 * TfNotesView).  ::saved and ::failed (message) say how a save or a lock
 * went; ::closed asks the view to show its list again.
 */
#pragma once

#include <adwaita.h>

#include "tf-repository.h"
#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_NOTE_EDITOR (tf_note_editor_get_type ())
G_DECLARE_FINAL_TYPE (TfNoteEditor, tf_note_editor, TF, NOTE_EDITOR, GtkWidget)

/* What the editor writes with: @session's vault; @client_id: whose notes
 * they are (kept with a draft).  Once. */
void      tf_note_editor_set_session (TfNoteEditor *self,
                                      TfSession    *session,
                                      const char   *client_id);
/* Shows @plain (a note's plain form), or a new note of appointment
 * @appointment_id when @plain is NULL; with the unsaved changes kept for
 * it through a lock, if there are any (tf-drafts.h), and a notice. */
void      tf_note_editor_edit        (TfNoteEditor *self,
                                      JsonObject   *plain,
                                      const char   *appointment_id);
/* Saves the note, as Save does; FALSE when it is locked (nothing to do). */
gboolean  tf_note_editor_save        (TfNoteEditor *self);

G_END_DECLS
