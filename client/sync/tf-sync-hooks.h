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

/* The kill point a test asked for (TF_DEBUG_KILL_AT, see
 * tf_sync_client_sync()), or NULL: always NULL in a shipped build. */
const char *tf_sync_hook_kill_at (void);

/* Kills this process (SIGKILL, nothing cleaned up, as a crash or a pulled
 * plug) when TF_DEBUG_KILL_AT names @point; the core's steps call it too
 * (the re-key of a share that ends, tf-vault-share.c). */
void        tf_sync_hook_kill_point (const char *point);

G_END_DECLS
