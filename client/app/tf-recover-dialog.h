/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-recover-dialog.h: "Forgot your password?" on the unlock page — the
 * recovery key and a new password.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_RECOVER_DIALOG (tf_recover_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TfRecoverDialog, tf_recover_dialog, TF, RECOVER_DIALOG, AdwMessageDialog)

/* Asks over @parent for the recovery key and a new password, sets it
 * (tf_session_recover_async) and unlocks; a failure asks again, saying
 * why.  @unlocked runs with @parent (kept till then) once unlocked.
 * Returns the dialog (named "recover"), owned by GTK. */
GtkWidget *tf_recover_dialog_present (GtkWindow  *parent,
                                      TfSession  *session,
                                      void      (*unlocked) (GtkWindow *parent));

G_END_DECLS
