/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-addenda.h: the addenda of a signed session note, shown below it
 * in the note editor, and the field to add one.
 *
 * ::saved (message) after an addendum is added and signed, ::failed
 * (message) when it could not be; what was typed stays until it is added.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_NOTE_ADDENDA (tf_note_addenda_get_type ())
G_DECLARE_FINAL_TYPE (TfNoteAddenda, tf_note_addenda, TF, NOTE_ADDENDA, GtkWidget)

/* Shows the addenda of signed note @note_id of @session's account, and
 * adds to it; @note_id NULL shows none. */
void      tf_note_addenda_set_note (TfNoteAddenda *self,
                                    TfSession     *session,
                                    const char    *note_id);
/* Whether an addendum is typed and not added yet. */
gboolean  tf_note_addenda_has_text (TfNoteAddenda *self);

G_END_DECLS
