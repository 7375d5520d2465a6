/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-error.c: error quarks of the common layer.
 */
#include "config.h"

#include "tf-error.h"

G_DEFINE_QUARK (tf-protocol-error-quark, tf_protocol_error)
G_DEFINE_QUARK (tf-validation-error-quark, tf_validation_error)
G_DEFINE_QUARK (tf-crypto-error-quark, tf_crypto_error)
