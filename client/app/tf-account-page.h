/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-page.h: the Account page of Preferences — the devices signed
 * in to the account (one can be signed out), the password, the two-step
 * sign-in with an authenticator app; for an account on this computer only,
 * what that means and the way to a server.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_ACCOUNT_PAGE (tf_account_page_get_type ())
G_DECLARE_FINAL_TYPE (TfAccountPage, tf_account_page, TF, ACCOUNT_PAGE, AdwPreferencesPage)

/* The page for @session, which must be unlocked.  It lists the devices
 * once shown; "Sync With a Server…" (local-only) emits ::publish. */
GtkWidget *tf_account_page_new (TfSession *session);

G_END_DECLS
