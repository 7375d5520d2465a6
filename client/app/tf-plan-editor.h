/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-plan-editor.h: a therapist's treatment plan for one client — ICD-10
 * diagnoses, goals, interventions, the review date and the plan's status —
 * for the client's detail view.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_PLAN_EDITOR (tf_plan_editor_get_type ())
G_DECLARE_FINAL_TYPE (TfPlanEditor, tf_plan_editor, TF, PLAN_EDITOR, GtkWidget)

/* The treatment plan of the unlocked @session's therapist for @client_id
 * (live: it follows writes and syncs), or the way to create one.
 * ::saved (message) and ::failed (message) tell the window what to say. */
GtkWidget *tf_plan_editor_new (TfSession  *session,
                               const char *client_id);

G_END_DECLS
