/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-hooks.c: the test hooks of the sync engine (see tf-sync-hooks.h).
 * Built once with TF_TEST_HOOKS for the tests and once without for the
 * shipped binaries, where a crash switch in the environment must do
 * nothing: tests/data/check-test-hooks.sh checks both builds.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "tf-sync-hooks.h"

void
tf_sync_hook_kill_point (TfKillPoint point)
{
#ifdef TF_TEST_HOOKS
  static const char *const names[] = {
    [TF_KILL_PUSH_SENT] = "push-sent",
    [TF_KILL_PUSH_APPLIED] = "push-applied",
    [TF_KILL_PULL_RECEIVED] = "pull-received",
    [TF_KILL_PULL_APPLIED] = "pull-applied",
    [TF_KILL_REKEY_SEALED] = "rekey-sealed",
    [TF_KILL_REKEY_GRANTS_DELETED] = "rekey-grants-deleted",
    [TF_KILL_REKEY_COMMITTED] = "rekey-committed",
    [TF_KILL_ROTATE_ANSWERED] = "rotate-answered",
  };
  const char *kill_at = g_getenv ("TF_DEBUG_KILL_AT");

  g_return_if_fail ((guint) point < G_N_ELEMENTS (names));
  if (kill_at == NULL || strcmp (kill_at, names[point]) != 0)
    return;
  g_debug ("kill point %s: killing myself", names[point]);
  raise (SIGKILL);
#else
  (void) point;
#endif
}

guint
tf_sync_hook_push_batch (guint batch)
{
#ifdef TF_TEST_HOOKS
  const char *text = g_getenv ("TF_DEBUG_PUSH_BATCH");
  guint64 asked = text != NULL ? g_ascii_strtoull (text, NULL, 10) : 0;

  return asked >= 1 && asked < batch ? (guint) asked : batch;
#else
  return batch;
#endif
}
