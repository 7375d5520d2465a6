/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-fuzz.h: what the libFuzzer targets of tests/fuzz share.
 *
 * Each target is one LLVMFuzzerTestOneInput over one of the parsers that
 * read what another machine sent (build-aux/fuzz builds and runs them).  A
 * target crashes, so the fuzzer stops and keeps the input, on anything a
 * user would call a bug: a sanitizer report, a GLib critical or warning,
 * or a broken promise of the code under test (an error without a GError, a
 * decoded record that does not decode again to itself).
 *
 * The keys here are fixed, so that the seed corpus (tests/fuzz/make-corpus.c)
 * can hold envelopes and key sets that open, and the fuzzer can start from
 * inputs that reach past the authentication of a ciphertext.
 */
#pragma once

#include <glib.h>

#include "tf-crypto.h"

G_BEGIN_DECLS

/* The record id and column names the fixed envelopes are bound to. */
#define TF_FUZZ_TABLE     "journal_entries"
#define TF_FUZZ_RECORD_ID "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10"
#define TF_FUZZ_COLUMN    "content"

/* The local edits in fuzz-answer's store, outbox mutation ids 1, 2 and 3. */
#define TF_FUZZ_MOOD_ID    "6f1c2b3a-1111-4a2b-8c3d-4e5f60718293"
#define TF_FUZZ_JOURNAL_ID "6f1c2b3a-2222-4a2b-8c3d-4e5f60718293"
#define TF_FUZZ_GOAL_ID    "6f1c2b3a-3333-4a2b-8c3d-4e5f60718293"

/* Once per process: criticals and warnings (unless @allow_warnings) abort,
 * libsodium ready. */
void            tf_fuzz_init              (gboolean      allow_warnings);

/* @data as a NUL-terminated string (the fuzzer's buffer is not). */
char           *tf_fuzz_strndup           (const guint8 *data,
                                           gsize         size);

/* The fixed keys: a data key for fields, a key-encryption key, a recovery
 * key (and its printed form), an X25519 and an Ed25519 pair.  Borrowed. */
const TfSecret *tf_fuzz_data_key          (void);
const TfSecret *tf_fuzz_kek               (void);
const TfSecret *tf_fuzz_recovery_key      (void);
const char     *tf_fuzz_recovery_text     (void);
const char     *tf_fuzz_identity_public   (void);
const TfSecret *tf_fuzz_identity_secret   (void);
const char     *tf_fuzz_signing_public    (void);
const TfSecret *tf_fuzz_signing_secret    (void);

G_END_DECLS
