/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-keyring.h: the password of a profile in the desktop keyring (libsecret),
 * only when the user asked for it in the preferences (off by default).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Looks up the remembered password of the profile at @profile (its database
 * path); _finish returns NULL with no error when there is none. */
void  tf_keyring_lookup_async  (const char          *profile,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
char *tf_keyring_lookup_finish (GAsyncResult        *result,
                                GError             **error);
/* Remembers it; _finish fails (no keyring running, a locked one the user
 * would not open) with libsecret's error, which the app tells the user:
 * they asked for it and will be asked for the password at start. */
void      tf_keyring_store_async  (const char          *profile,
                                   const char          *password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean  tf_keyring_store_finish (GAsyncResult        *result,
                                   GError             **error);
/* Forgets it.  A failure is only logged: nothing is kept to worry about. */
void  tf_keyring_clear         (const char          *profile);
/* Frees a password that came from the keyring, wiping it first. */
void  tf_keyring_free_password (char                *password);

G_END_DECLS
