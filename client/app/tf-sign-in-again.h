/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sign-in-again.h: the "Sign In Again" dialog, for a device the server
 * no longer accepts.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_SIGN_IN_AGAIN (tf_sign_in_again_get_type ())
G_DECLARE_FINAL_TYPE (TfSignInAgain, tf_sign_in_again, TF, SIGN_IN_AGAIN, AdwMessageDialog)

/* Asks for the current password over @parent and signs @session in again
 * with it (tf_session_sign_in_again_async); a failure asks again, saying
 * why.  Returns the dialog (named "sign-in-again"), owned by GTK. */
GtkWidget *tf_sign_in_again_present (GtkWindow  *parent,
                                     TfSession  *session);

G_END_DECLS
