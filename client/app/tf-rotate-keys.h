/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-rotate-keys.h: "Replace Identity Keys…" — what it does, asked before
 * it is done, done through the session.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

/* Told when it is over: @message is a toast's few words when it was done,
 * NULL when the person answered no or it failed (a dialog named
 * "rotate-keys-failed" then says why). */
typedef void (*TfRotateKeysDone) (GtkWidget  *from,
                                  const char *message);

/* Says over @from's window what replacing the account's identity keys does
 * and asks (a dialog named "rotate-keys-dialog", answers "cancel" and
 * "rotate"); on "rotate" runs tf_session_rotate_keys_async on @session and
 * calls @done with the outcome in words. */
void tf_rotate_keys_ask     (GtkWidget        *from,
                             TfSession        *session,
                             TfRotateKeysDone  done);

/* The sentence for a rotation that failed with @error. */
char *tf_rotate_keys_describe_error (const GError *error);

G_END_DECLS
