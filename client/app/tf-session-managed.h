/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-managed.h: a therapist adds a client who has no app account
 * (a managed client) through the session — the client's account row on
 * the server, then the client's keys, file and records in the store
 * (client/core/tf-managed.h).
 */
#pragma once

#include "tf-managed.h"
#include "tf-session.h"

G_BEGIN_DECLS

/* Checks @client (TF_MANAGED_ERROR_INVALID naming the field, at once),
 * makes the client's keys, asks the server for their account row (in a
 * worker thread), then writes the therapist's file on the client and the
 * client's profile, details and care relationship, and syncs.  Errors as
 * tf_managed_add(), and TF_ACCOUNT_ERROR_NO_ACCOUNT when the session is
 * locked or signed out of the server. */
void   tf_session_add_client_async  (TfSession             *self,
                                     const TfManagedClient *client,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data);
/* The new client's user id (owned), or NULL. */
char  *tf_session_add_client_finish (TfSession             *self,
                                     GAsyncResult          *result,
                                     GError               **error);

G_END_DECLS
