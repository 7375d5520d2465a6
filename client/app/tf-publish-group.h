/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-publish-group.h: the Preferences group that puts a "this computer only"
 * profile on a server.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_PUBLISH_GROUP (tf_publish_group_get_type ())
G_DECLARE_FINAL_TYPE (TfPublishGroup, tf_publish_group, TF, PUBLISH_GROUP, AdwPreferencesGroup)

/* The group (server address, e-mail, password, a button) for @session's
 * local-only profile; once published it hides itself and @server_row
 * (an AdwActionRow) shows the server. */
GtkWidget *tf_publish_group_new (TfSession *session,
                                 GtkWidget *server_row);

G_END_DECLS
