/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-plan-editor-private.h: what the two files of TfPlanEditor share — its
 * fields, and the functions one file gives the other.  tf-plan-editor.c
 * holds the object, which plan is shown, filling the form from it and
 * saving it; tf-plan-editor-form.c the form's widgets and its lists.
 */
#pragma once

#include "tf-plan-editor.h"

G_BEGIN_DECLS

typedef struct
{
  char *code;
  char *description;  /* NULL: none */
} TfPlanDiagnosis;

struct _TfPlanEditor
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;
  TfRepository *plans;          /* this therapist's plans for the client, current first */
  TfItem       *shown;          /* the plan's record as the form was filled from it */

  char         *plan_id;        /* the plan in the form; NULL: a new one */
  char         *new_id;         /* the id a new plan is saved under: chosen at its first
                                 * Save, kept through failures; NULL: none yet */
  char         *other_status;   /* a status the combo does not name, kept */
  GPtrArray    *diagnoses;      /* TfPlanDiagnosis* */
  GPtrArray    *goals;          /* char* */
  GPtrArray    *interventions;  /* char* */
  gboolean      dirty;          /* changed since loaded or saved */
  gboolean      filling;        /* the form is being filled: not a change */

  /* template (tf-plan-editor.ui) */
  GtkWidget    *stack;          /* "empty", "unreadable" or "plan"; the only child */
  GtkWidget    *draft_notice;   /* TfDraftNotice: shown with restored changes */
  GtkWidget    *heading;
  GtkWidget    *new_plan;       /* "New Plan", after a completed one */
  GtkWidget    *print;        /* shown for a saved plan */
  GtkWidget    *status;         /* AdwComboRow */
  GtkStringList *status_labels; /* the status row's model, which holds it */
  GtkWidget    *review_date;    /* AdwEntryRow, YYYY-MM-DD */
  GtkWidget    *code;           /* AdwEntryRow */
  GtkWidget    *code_description;
  GtkWidget    *code_error;
  GtkWidget    *suggestions;    /* GtkListBox */
  GtkWidget    *diagnoses_list;
  GtkWidget    *goal;
  GtkWidget    *goals_list;
  GtkWidget    *intervention;
  GtkWidget    *interventions_list;
  GtkWidget    *error;
};


/* --- tf-plan-editor.c ----------------------------------------------------- */

/* @description NULL or "": none. */
TfPlanDiagnosis *tf_plan_diagnosis_new           (const char   *code,
                                                  const char   *description);
/* The text of @editable without the spaces around it. */
char            *tf_plan_editor_dup_trimmed      (GtkWidget    *editable);
/* Shows @message in @label (NULL: hides it), and marks @entry (if any)
 * as in error while there is one. */
void             tf_plan_editor_show_error       (GtkWidget    *label,
                                                  GtkWidget    *entry,
                                                  const char   *message);
/* A change by the therapist, not by the form being filled. */
void             tf_plan_editor_mark_changed     (TfPlanEditor *self);
/* "Create" and "New Plan": an empty form, kept through reloads. */
void             tf_plan_editor_create           (TfPlanEditor *self);
/* "Save Plan": the whole plan, with what is typed but not added yet. */
void             tf_plan_editor_save             (TfPlanEditor *self);

/* --- tf-plan-editor-form.c ------------------------------------------------ */

/* The rows of the three lists, from self->diagnoses, goals, interventions. */
void             tf_plan_editor_rebuild_lists    (TfPlanEditor *self);
/* Adds @typed (as typed, or a common code in any case) with @description
 * (NULL: the common one's, if any).  FALSE, with the reason shown under the
 * entry, when it is not a code or already listed. */
gboolean         tf_plan_editor_add_code         (TfPlanEditor *self,
                                                  const char   *typed,
                                                  const char   *description);
/* Adds the text of @entry, if any, to @array (goals or interventions). */
void             tf_plan_editor_add_text         (TfPlanEditor *self,
                                                  GtkWidget    *entry,
                                                  GPtrArray    *array);
/* The combo names the three statuses, and @status when it is none of them
 * (NULL: "active"). */
void             tf_plan_editor_set_status       (TfPlanEditor *self,
                                                  const char   *status);
const char      *tf_plan_editor_get_status       (TfPlanEditor *self);
/* The template (tf-plan-editor.ui): the callbacks tf-plan-editor-form.c
 * holds, and what the template cannot say (the statuses' labels, the review
 * date's calendar button). */
void             tf_plan_editor_class_bind_form  (GtkWidgetClass *widget_class);
void             tf_plan_editor_init_form        (TfPlanEditor   *self);

G_END_DECLS
