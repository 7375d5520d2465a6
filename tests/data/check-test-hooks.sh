#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-test-hooks: the test hooks (client/sync/tf-sync-hooks.h,
# client/core/tf-account-hooks.h) are in the test builds only.  Every
# argument is "shipped:PATH" (a binary that is installed: no hook name may be
# in it) or "test:PATH" (a test-only binary the e2e or ui tests drive: it
# must still have them, or the crash tests would pass without ever crashing
# and the ui tests would make every key at the full Argon2id cost).  Prints TAP, one line per binary.
set -euo pipefail

# The environment variables that switch a hook on: a kill point of the sync,
# a smaller push (to cut a sync between two pushes), and a lower Argon2id cost for new keys (a shipped app must not derive
# keys more cheaply than its defaults, whatever its environment says);
# and the names of the kill points (client/sync/tf-sync-hooks.c), which
# exist in a test build only.
hooks=(TF_DEBUG_KILL_AT TF_DEBUG_PUSH_BATCH TF_KDF_OPSLIMIT TF_KDF_MEMLIMIT_MIB
       push-sent push-applied pull-received pull-applied
       rekey-sealed rekey-grants-deleted rekey-committed rotate-answered)

echo "1..$#"
n=0
rc=0
for arg in "$@"; do
  n=$((n + 1))
  kind=${arg%%:*}
  path=${arg#*:}
  found=()
  for h in "${hooks[@]}"; do
    if grep -qaF -- "$h" "$path"; then
      found+=("$h")
    fi
  done
  if [ "$kind" = shipped ] && [ ${#found[@]} -eq 0 ]; then
    echo "ok $n - $(basename "$path") ships without test hooks"
  elif [ "$kind" = test ] && [ ${#found[@]} -eq ${#hooks[@]} ]; then
    echo "ok $n - $(basename "$path") has the test hooks"
  elif [ "$kind" = shipped ]; then
    echo "not ok $n - $(basename "$path") ships with test hooks: ${found[*]}"
    rc=1
  else
    echo "not ok $n - $(basename "$path") lacks test hooks (has: ${found[*]:-none})"
    rc=1
  fi
done
exit $rc
