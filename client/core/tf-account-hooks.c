/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-hooks.c: the test hooks of the account (see
 * tf-account-hooks.h).  Built once with TF_TEST_HOOKS for the tests, where
 * keys made at the full Argon2id cost would take seconds each, and once
 * without for the shipped binaries, where a weak cost must not be settable
 * at all: tests/data/check-test-hooks.sh checks both builds.
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include "tf-account-hooks.h"

void
tf_account_hook_kdf_cost (guint64 *out_opslimit, gsize *out_memlimit)
{
#ifdef TF_TEST_HOOKS
  const char *ops = g_getenv ("TF_KDF_OPSLIMIT");
  const char *mib = g_getenv ("TF_KDF_MEMLIMIT_MIB");

  *out_opslimit = ops != NULL ? g_ascii_strtoull (ops, NULL, 10) : 0;
  *out_memlimit = mib != NULL ? (gsize) g_ascii_strtoull (mib, NULL, 10) * 1024 * 1024 : 0;
#else
  *out_opslimit = 0;
  *out_memlimit = 0;
#endif
}
