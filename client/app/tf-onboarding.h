/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-onboarding.h: the first run — this computer only, a new account on a
 * server, or signing in to an existing one — and the recovery key, shown
 * once with a plain warning.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_ONBOARDING (tf_onboarding_get_type ())
G_DECLARE_FINAL_TYPE (TfOnboarding, tf_onboarding, TF, ONBOARDING, GtkWidget)

/* ::done is emitted once the session is unlocked and the user has seen
 * the recovery key (when one was made). */
GtkWidget *tf_onboarding_new (TfSession *session);

G_END_DECLS
