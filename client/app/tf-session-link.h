/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-link.h: a client links with a therapist through the session —
 * the directory lookup on the server, then the link in the store.
 */
#pragma once

#include "tf-session.h"

G_BEGIN_DECLS

/* Looks up the therapist @email in the server's directory (in a worker
 * thread), then on the main thread pins their keys and links with them
 * (tf_booking_link_found), sharing mood and goals as @share_mood and
 * @share_goals say, and syncs.  Errors: TF_ACCOUNT_ERROR_NO_ACCOUNT when
 * the session is locked or signed out of the server, TF_SYNC_ERROR_UNAVAILABLE
 * when the server cannot be reached, TF_ACCOUNT_ERROR_REFUSED when nobody by
 * that address is a therapist there; a failure to link says "You were not
 * linked: …". */
void        tf_session_link_therapist_async  (TfSession           *self,
                                              const char          *email,
                                              gboolean             share_mood,
                                              gboolean             share_goals,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* The linked therapist's key fingerprint (owned), for the client to
 * compare out of band; NULL on failure. */
char       *tf_session_link_therapist_finish (TfSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
