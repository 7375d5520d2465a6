/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-intake-form.h: a client's intake as their therapist sees and edits it —
 * the emergency contact, medical conditions, current medications,
 * allergies and previous therapy (client_intakes, one record per client).
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_INTAKE_FORM (tf_intake_form_get_type ())
G_DECLARE_FINAL_TYPE (TfIntakeForm, tf_intake_form, TF, INTAKE_FORM, GtkWidget)

/* The intake of @client_id, read and saved through the unlocked @session's
 * vault; it follows syncs until something is typed.  An intake this device
 * cannot open (the client wrote it for themselves) is said to be so, shown
 * read-only and never overwritten.  ::saved (message) and ::failed
 * (message) tell the window what to say; a failed save keeps what was
 * typed. */
GtkWidget *tf_intake_form_new (TfSession  *session,
                               const char *client_id);

G_END_DECLS
