/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-hooks.h: the account's test hooks, compiled into test builds
 * only, as the sync engine's are (tf-sync-hooks.h): tf-account-hooks.c is
 * built inert into the shipped binaries and live into the test-only ones
 * (therapy-field-cli-test, the test programs, the ui tests' app).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The Argon2id cost a test asked for new keys (TF_KDF_OPSLIMIT, and
 * TF_KDF_MEMLIMIT_MIB in MiB), each 0 when it asked for none: always 0 in
 * a shipped build, so no environment can make a shipped app derive keys
 * more cheaply than the defaults. */
void tf_account_hook_kdf_cost (guint64 *out_opslimit,
                               gsize   *out_memlimit);

G_END_DECLS
