/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-refusals-dialog.h: the records from the server this device refused,
 * one by one.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_REFUSALS_DIALOG (tf_refusals_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TfRefusalsDialog, tf_refusals_dialog, TF, REFUSALS_DIALOG, AdwWindow)

/* A window (named "refusals-dialog") over @parent listing @session's
 * refused records; it follows the syncs while open.  Not yet shown. */
GtkWidget *tf_refusals_dialog_new (TfSession *session,
                                   GtkWindow *parent);

G_END_DECLS
