/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-move-dialog.h: "Move Appointment", a new day and time for an
 * appointment, with the time it has now.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_MOVE_DIALOG (tf_move_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TfMoveDialog, tf_move_dialog, TF, MOVE_DIALOG, AdwWindow)

/* The dialog over @parent's window moving appointment @id of @session's
 * vault, filled with its time now (in the therapist's zone).  Move writes
 * through tf_booking_move; a refusal stays in the dialog, in words.
 * ::moved (appointment id) when stored; the dialog then closes.  NULL when
 * the appointment cannot be read.  Not presented yet. */
GtkWidget *tf_move_dialog_new (GtkWidget  *parent,
                               TfSession  *session,
                               const char *id);

G_END_DECLS
