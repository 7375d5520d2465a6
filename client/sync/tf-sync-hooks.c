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

const char *
tf_sync_hook_kill_at (void)
{
#ifdef TF_TEST_HOOKS
  return g_getenv ("TF_DEBUG_KILL_AT");
#else
  return NULL;
#endif
}

void
tf_sync_hook_kill_point (const char *point)
{
  const char *kill_at = tf_sync_hook_kill_at ();

  if (kill_at == NULL || strcmp (kill_at, point) != 0)
    return;
  g_debug ("kill point %s: killing myself", point);
  raise (SIGKILL);
}
