/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cancel-dialog.h: "Cancel Appointment?", asking for the reason the
 * other side reads.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_CANCEL_DIALOG (tf_cancel_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TfCancelDialog, tf_cancel_dialog, TF, CANCEL_DIALOG, AdwMessageDialog)

/* A dialog over @widget's window about appointment @id saying @body, with
 * the responses "keep" (default and close) and "cancel-appointment"
 * (destructive).  Its reason entry is named "@name-reason", its error
 * label "@name-error".  @reason_required: "cancel-appointment" (and Enter)
 * wait until a reason is typed; otherwise Enter answers it whatever is
 * typed, and the caller says what is missing.  Not presented yet. */
GtkWidget  *tf_cancel_dialog_new                (GtkWidget      *widget,
                                                 const char     *id,
                                                 const char     *body,
                                                 const char     *name,
                                                 gboolean        reason_required);
/* Offers the response "cancel-following" too: this appointment and the
 * later ones of its series (destructive, waiting for a reason like
 * "cancel-appointment"). */
void        tf_cancel_dialog_add_following      (TfCancelDialog *self);
const char *tf_cancel_dialog_get_appointment_id (TfCancelDialog *self);
/* The reason as typed (borrowed). */
const char *tf_cancel_dialog_get_typed          (TfCancelDialog *self);
/* The reason without the spaces around it (owned). */
char       *tf_cancel_dialog_dup_reason         (TfCancelDialog *self);
void        tf_cancel_dialog_set_typed          (TfCancelDialog *self,
                                                 const char     *typed);
/* Presents the dialog with the reason focused. */
void        tf_cancel_dialog_present            (TfCancelDialog *self);
/* Shows @problem (NULL: hides it) under the reason. */
void        tf_cancel_dialog_set_problem        (TfCancelDialog *self,
                                                 const char     *problem);

G_END_DECLS
