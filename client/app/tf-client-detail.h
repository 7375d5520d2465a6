/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-client-detail.h: one client as their therapist sees them — the name,
 * and the intake, history, treatment plan, sessions, the journal entries
 * the client shares and their mood, one section at a time.
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "tf-clients.h"   /* tf_client_name_from_profile */
#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_CLIENT_DETAIL (tf_client_detail_get_type ())
G_DECLARE_FINAL_TYPE (TfClientDetail, tf_client_detail, TF, CLIENT_DETAIL, GtkWidget)

/* The detail of @client_id for the unlocked @session's therapist; every
 * section follows writes and syncs by itself.  ::saved (message) and
 * ::failed (message) carry what its sections say for the window; ::back is
 * emitted by the back button, which shows while :show-back is TRUE (a
 * list/detail view folded to one pane).
 *
 * Sections (the AdwViewStack "client-detail-stack"): "intake", "history",
 * "plan", "sessions", "journal", "mood". */
GtkWidget  *tf_client_detail_new            (TfSession      *session,
                                             const char     *client_id);
const char *tf_client_detail_get_client_id  (TfClientDetail *self);
void        tf_client_detail_set_show_back  (TfClientDetail *self,
                                             gboolean        show_back);
/* Shows section @name (see above). */
void        tf_client_detail_show_section   (TfClientDetail *self,
                                             const char     *name);

/* Whether @draft (tf_drafts_list) is of a form of a client's detail (the
 * intake, the history, the plan, a session note), and opening its section
 * and record, which restores it. */
gboolean    tf_client_detail_owns_draft     (JsonObject     *draft);
gboolean    tf_client_detail_restore_draft  (TfClientDetail *self,
                                             JsonObject     *draft);

G_END_DECLS
