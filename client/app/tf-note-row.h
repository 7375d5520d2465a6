/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-row.h: one session note in a client's Notes — its approach,
 * when it was written and signed, whether the signature verifies, a
 * raised risk and its first words; or, when its key is not on this
 * device, that it cannot be opened.
 */
#pragma once

#include <adwaita.h>

#include "tf-repository.h"

G_BEGIN_DECLS

#define TF_TYPE_NOTE_ROW (tf_note_row_get_type ())
G_DECLARE_FINAL_TYPE (TfNoteRow, tf_note_row, TF, NOTE_ROW, AdwActionRow)

/* The row of @note (a session_notes item) of the appointment
 * @appointment_id, named note-ID; activatable unless the note cannot be
 * read here. */
GtkWidget  *tf_note_row_new                (TfItem     *note,
                                            const char *appointment_id);
TfItem     *tf_note_row_get_note           (TfNoteRow  *self);
const char *tf_note_row_get_appointment_id (TfNoteRow  *self);

G_END_DECLS
