/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-hooks.h: the sync engine's test hooks, compiled into test builds
 * only.  tf-sync-hooks.c is built twice: without TF_TEST_HOOKS into the
 * shipped binaries (every hook is inert and its name is not in the binary)
 * and with it into the test-only ones (therapy-field-cli-test, the test
 * programs), so the e2e crash tests can still kill a sync at a point.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The points a test may ask a sync or a re-key to crash at.  The code
 * names them by number only: their names (what TF_DEBUG_KILL_AT says,
 * listed in tf_sync_client_sync() and tf_vault_rekey_step()) are in
 * tf-sync-hooks.c's test build alone, so a shipped binary holds neither
 * the variable nor a point's name (tests/data/check-test-hooks.sh). */
typedef enum
{
  TF_KILL_PUSH_SENT,
  TF_KILL_PUSH_APPLIED,
  TF_KILL_PULL_RECEIVED,
  TF_KILL_PULL_APPLIED,
  TF_KILL_REKEY_SEALED,
  TF_KILL_REKEY_GRANTS_DELETED,
  TF_KILL_REKEY_COMMITTED,
  TF_KILL_ROTATE_ANSWERED,  /* the server took new keys; this device has not kept them */
} TfKillPoint;

/* Kills this process (SIGKILL, nothing cleaned up, as a crash or a pulled
 * plug) when TF_DEBUG_KILL_AT names @point; the core's steps call it too
 * (the re-key of a share that ends, tf-vault-share.c).  Does nothing in a
 * shipped build. */
void tf_sync_hook_kill_point (TfKillPoint point);

/* How many mutations a push takes at most: @batch, or fewer when
 * TF_DEBUG_PUSH_BATCH says so, so a test can cut a sync between two
 * pushes (a kill point after the first).  @batch in a shipped build. */
guint tf_sync_hook_push_batch (guint batch);

G_END_DECLS
