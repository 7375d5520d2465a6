/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tf-crypto"
#include "config.h"
#include "tf-crypto.h"
