/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-history-form.h: the four Greek history forms of a client — family
 * (Οικογενειακό Ιστορικό), psychiatric (Ψυχιατρικό Ιστορικό), social
 * (Κοινωνικό Ιστορικό) and medical (Ιστορικό Ασθενούς) — kept by the
 * therapist in client_histories, encrypted, one record per client.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_HISTORY_FORM (tf_history_form_get_type ())
G_DECLARE_FINAL_TYPE (TfHistoryForm, tf_history_form, TF, HISTORY_FORM, GtkWidget)

/* The history of @client_id kept by the unlocked @session's therapist.
 * Each form is stored as a JSON object keyed by stable English field ids
 * (family_history.composition, psychiatric_history.self_harm ...); members
 * this version does not know are kept as they are.  It follows syncs until
 * something is typed.  ::saved (message) and ::failed (message) tell the
 * window what to say; a failed save keeps what was typed. */
GtkWidget *tf_history_form_new (TfSession  *session,
                                const char *client_id);

G_END_DECLS
