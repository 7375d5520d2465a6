/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-keys-private.h: what tf-keys.c and tf-keys-managed.c share — the
 * unlocked keys' struct.
 */
#pragma once

#include "tf-keys.h"

G_BEGIN_DECLS

/* The wrap purpose of a master key of before (previous_keys[].wrapped_master_key). */
#define TF_KEYS_PREVIOUS_MASTER "previous-master"

struct _TfKeys
{
  TfSecret *master;
  TfSecret *identity_secret;
  TfSecret *signing_secret;
  char     *identity_public;
  char     *signing_public;
  /* Keys this account had before it rotated them (tf_keys_rotate), newest
   * first: the identity secrets still open grants sealed to them until
   * their granters seal again; the signing keys verify what was signed
   * with them. */
  GPtrArray *previous_identity_secret;  /* TfSecret* */
  GPtrArray *previous_identity_public;  /* char* */
  GPtrArray *previous_signing_public;   /* char* */
  /* Master keys this account took over (a managed client's, made by their
   * therapist's device: tf_keys_adopt), newest first: they still open the
   * data keys wrapped under them until each record is re-keyed. */
  GPtrArray *previous_master;           /* TfSecret* */
};

/* Makes the lists of previous keys (empty) where they are missing. */
void tf_keys_init_previous (TfKeys *self);

/* Unwraps the key pairs of the "keys" object @keys (and its previous_keys)
 * under the master key already in @self. */
gboolean tf_keys_open_pairs (TfKeys *self, JsonObject *keys, GError **error);

G_END_DECLS
