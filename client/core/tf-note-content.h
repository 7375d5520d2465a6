/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-content.h: what a session note holds, for the notes view.
 *
 * A note is written by approach.  Its note_content is
 *   {"approach": "soap", "sections": {"subjective": "…", …}}
 * with the approach's sections (tf_note_approaches); a note written by the
 * CLI, {"approach": "…", "text": "…"}, is one text (tf_note_text_section)
 * and keeps that shape.  risk_assessment is {"level": "none" | "low" |
 * "moderate" | "high", "notes": "…"}.  Nothing here touches a widget.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *key;    /* member of "sections" */
  const char *title;  /* N_() */
  const char *hint;   /* N_() */
} TfNoteSection;

typedef struct
{
  const char          *id;     /* approach_type */
  const char          *name;   /* "SOAP": not translated */
  const TfNoteSection *sections;
  guint                n_sections;
} TfNoteApproach;

#define TF_NOTE_N_APPROACHES 4
#define TF_NOTE_N_RISK_LEVELS 4

/* SOAP, DAP, BIRP, CBT: the order of the editor's choices. */
extern const TfNoteApproach tf_note_approaches[TF_NOTE_N_APPROACHES];
/* A note written as one text (by the CLI, or of an unknown shape). */
extern const TfNoteSection  tf_note_text_section;
/* "none", "low", "moderate", "high". */
extern const char *const    tf_note_risk_levels[TF_NOTE_N_RISK_LEVELS];

/* The approach with approach_type @id; NULL for one this app does not know. */
const TfNoteApproach *tf_note_find_approach  (const char *id);
/* "Low risk" for "low"; an unknown level as it is. */
const char           *tf_note_risk_label     (const char *level);
/* The name of approach @id ("SOAP"), @id itself when unknown, "" for NULL. */
const char           *tf_note_approach_name  (const char *id);
/* "Automatic_thoughts" for a section of an approach this app does not know. */
char                 *tf_note_section_title  (const char *key);

/* Member @name of @plain when it is an object, else NULL (@plain may be NULL). */
JsonObject           *tf_note_member_object  (JsonObject *plain,
                                              const char *name);
/* The approach of a note's plain form: its column, else what its content says. */
const char           *tf_note_get_approach   (JsonObject *plain);
/* The note's whole text when it is one text, else NULL. */
char                 *tf_note_dup_text       (JsonObject *plain);
/* The first words of a note (at most 100 characters, on one line), for its
 * row; NULL when it has none. */
char                 *tf_note_dup_preview    (JsonObject *plain);

G_END_DECLS
