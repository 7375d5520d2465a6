/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-application.h: the therapy-field application.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_APPLICATION (tf_application_get_type ())
G_DECLARE_FINAL_TYPE (TfApplication, tf_application, TF, APPLICATION, AdwApplication)

/* What main() does before the application runs: the language and time
 * zone of the preferences, the locale, the catalogue (LOCALEDIR, or
 * TF_LOCALEDIR when set) and libsodium.  The ui test test-launch does the
 * same under build-aux/launch-app, to check what the launched app finds. */
gboolean       tf_application_init_process (GError **error);
TfApplication *tf_application_new          (void);

G_END_DECLS
