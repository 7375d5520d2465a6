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
 * why.  The person asked for it: shown even after a "Not Now".  Returns the
 * dialog (named "sign-in-again"), owned by GTK, or the one already showing
 * for @session. */
GtkWidget *tf_sign_in_again_present (GtkWindow  *parent,
                                     TfSession  *session);

/* The same when a sync found the device signed out, unless a dialog for
 * @session is showing or the person answered "Not Now" since it last signed
 * in: then nothing (the header's Sign In button stays).  NULL when not
 * shown. */
GtkWidget *tf_sign_in_again_offer   (GtkWindow  *parent,
                                     TfSession  *session);

G_END_DECLS
