/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-private.h: what the files of TfSession share — its fields,
 * and the functions one file gives the other.  tf-session.c holds the
 * object, the vault and the account's steps (unlocking, signing in and
 * out); tf-session-sync.c the syncs and the sync state they leave.
 */
#pragma once

#include "tf-session.h"
#include "tf-sync-watch.h"

G_BEGIN_DECLS

struct _TfSession
{
  GObject      parent_instance;
  char        *path;
  TfStore     *store;
  TfVault     *vault;
  char        *role;
  TfSyncState  sync_state;
  TfSignedOut  signed_out;  /* why, while sync_state is TF_SYNC_STATE_SIGNED_OUT */
  gboolean     keys_replaced; /* TF_SIGNED_OUT_REFUSED by a key rotation elsewhere */
  gboolean     signing_out; /* the person's sign-out runs */
  char        *sync_error;
  gboolean     syncing;
  gboolean     sync_again;  /* asked for while a sync ran */
  guint        settle_rounds;  /* syncs in a row asked for by settling: a few at most */
  TfSyncWatch *watch;       /* live updates while unlocked with a server */
};

/* Sets the sync state (TF_SYNC_STATE_SIGNED_OUT: tf_session_set_signed_out)
 * and notifies it. */
void tf_session_set_sync_state (TfSession   *self,
                                TfSyncState  state);
/* Signed out, for @why: the reason is set before the state is notified. */
void tf_session_set_signed_out (TfSession   *self,
                                TfSignedOut  why);
/* Live updates again with the open vault's session, if it has one. */
void tf_session_start_watch    (TfSession   *self);
/* Emits ::synced. */
void tf_session_emit_synced    (TfSession   *self);

G_END_DECLS
