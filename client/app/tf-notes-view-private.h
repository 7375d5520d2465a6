/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notes-view-private.h: what the two files of TfNotesView share — its
 * fields, and the functions one file gives the other.  tf-notes-view.c
 * holds the object, its signals and the list of sessions; the editor of one
 * note is in tf-notes-view-editor.c.
 */
#pragma once

#include "tf-notes-view.h"

G_BEGIN_DECLS

struct _TfNotesView
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;
  TfRepository *appointments;   /* the client's, live */
  TfRepository *sessions;       /* every session this account holds, live */
  TfRepository *notes;          /* this therapist's notes, live */

  /* The editor's note. */
  char         *appointment_id; /* of the note in the editor */
  char         *note_id;        /* NULL: a new note */
  gboolean      text_note;      /* one text, not sections */
  gboolean      locked;
  gboolean      dirty;
  gboolean      filling;
  GHashTable   *drafts;         /* section key -> text, across approach changes */

  GPtrArray    *section_views;  /* GtkTextView*, key in "tf-key" */

  /* template (tf-notes-view.ui) */
  GtkWidget    *stack;          /* "list" or "editor"; the only child */
  GtkWidget    *sessions_box;   /* one group per session; rebuilt */
  GtkWidget    *empty;
  GtkWidget    *heading;
  GtkWidget    *signed_label;
  GtkWidget    *warning;
  GtkWidget    *approach;       /* AdwComboRow */
  GtkWidget    *sections_box;   /* the section groups; rebuilt per approach */
  GtkWidget    *risk_level;     /* AdwComboRow */
  GtkWidget    *risk_notes;     /* GtkTextView */
  GtkWidget    *error;
  GtkWidget    *save;
  GtkWidget    *lock;
};

/* --- tf-notes-view.c ------------------------------------------------------ */

/* @timestamp (RFC 3339) in local time by g_date_time_format() @format; NULL
 * when it is not a timestamp. */
char      *tf_notes_view_format_local     (const char  *timestamp,
                                           const char  *format);
void       tf_notes_view_emit_saved       (TfNotesView *self,
                                           const char  *message);
void       tf_notes_view_emit_failed      (TfNotesView *self,
                                           const char  *message);

/* --- tf-notes-view-editor.c ----------------------------------------------- */

/* Binds the template callbacks of the editor, which this file holds. */
void       tf_notes_view_class_bind_editor (GtkWidgetClass *widget_class);
/* What the editor's template cannot say: the risk levels' labels. */
void       tf_notes_view_init_editor       (TfNotesView    *self);
/* Shows the editor for @plain (a note's plain form), or for a new note of
 * appointment @appointment_id when @plain is NULL. */
void       tf_notes_view_edit             (TfNotesView *self,
                                           JsonObject  *plain,
                                           const char  *appointment_id);
/* Ctrl+S: saves the note in the editor when it shows an unlocked one. */
gboolean   tf_notes_view_shortcut_save    (GtkWidget   *widget,
                                           GVariant    *args,
                                           gpointer     data);

G_END_DECLS
