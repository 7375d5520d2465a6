/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-safety-dialog.h: "Verify Safety Number" — the safety number of this
 * account and another person (a client, or the client's therapist) as
 * digits, words in the app's language and a QR code, marked verified here,
 * with a plain warning when the server presents other keys for them
 * (client/core/tf-verify.h has the rules, shared with the CLI).
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_SAFETY_DIALOG (tf_safety_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TfSafetyDialog, tf_safety_dialog, TF, SAFETY_DIALOG, AdwWindow)

/* The dialog for the safety number with @other_id, called @name, over
 * @parent (may be NULL).  Emits ::verified when the person marks it. */
GtkWidget  *tf_safety_dialog_new        (TfSession  *session,
                                         const char *other_id,
                                         const char *name,
                                         GtkWindow  *parent);

/* Whether @other_id's keys changed since this device pinned them and the
 * person has not compared the new number yet (for a warning elsewhere). */
gboolean    tf_safety_keys_changed      (TfSession  *session,
                                         const char *other_id);

/* One line on the state of the safety number with @other_id: verified,
 * not verified, or their keys changed. */
char       *tf_safety_state_text        (TfSession  *session,
                                         const char *other_id);

G_END_DECLS
