/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-section-group.h: one section of a session note in the editor.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_NOTE_SECTION_GROUP (tf_note_section_group_get_type ())
G_DECLARE_FINAL_TYPE (TfNoteSectionGroup, tf_note_section_group, TF, NOTE_SECTION_GROUP,
                      AdwPreferencesGroup)

/* A group titled @title with the description @hint (or none) holding
 * @text, for the section @key; its text view is named "note-section-@key"
 * and labelled @title for assistive technologies. */
GtkWidget   *tf_note_section_group_new          (const char         *key,
                                                 const char         *title,
                                                 const char         *hint,
                                                 const char         *text);
const char  *tf_note_section_group_get_key      (TfNoteSectionGroup *self);
GtkTextView *tf_note_section_group_get_view     (TfNoteSectionGroup *self);
/* What is written in the section (owned). */
char        *tf_note_section_group_dup_text     (TfNoteSectionGroup *self);
void         tf_note_section_group_set_editable (TfNoteSectionGroup *self,
                                                 gboolean            editable);

G_END_DECLS
