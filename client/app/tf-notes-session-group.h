/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notes-session-group.h: one session of a client in their Notes — when
 * it was, how it stands and how long, its notes (TfNoteRow) and New Note
 * ("new-note").
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_NOTES_SESSION_GROUP (tf_notes_session_group_get_type ())
G_DECLARE_FINAL_TYPE (TfNotesSessionGroup, tf_notes_session_group, TF, NOTES_SESSION_GROUP,
                      AdwPreferencesGroup)

/* The group of the appointment @appointment_id, named notes-session-ID,
 * headed @title (when) and @description; its New Note is notes-new-ID. */
GtkWidget  *tf_notes_session_group_new                (const char          *appointment_id,
                                                       const char          *title,
                                                       const char          *description);
/* Adds @row (a TfNoteRow) below the notes already there. */
void        tf_notes_session_group_append             (TfNotesSessionGroup *self,
                                                       GtkWidget           *row);
const char *tf_notes_session_group_get_appointment_id (TfNotesSessionGroup *self);

G_END_DECLS
