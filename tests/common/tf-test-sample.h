/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-sample.h: a complete, valid record of any synced table, and
 * text of a given length.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-registry.h"

G_BEGIN_DECLS

/* The id encrypted samples are bound to, and the id every UUID column refers to. */
#define TF_TEST_SAMPLE_ID     "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10"
#define TF_TEST_SAMPLE_REF_ID "5a0c2f11-6f0b-4d8e-8b6e-0f3c6f1d2a77"

/* A valid wire value of @column (an envelope under a random key when it is
 * encrypted). */
JsonNode   *tf_test_sample_value  (const TfColumn *column);
/* Every column with its sample value (the ones a first state leaves NULL,
 * NULL), the key column @id: passes tf_validate_fields (TF_VALIDATE_FULL). */
JsonObject *tf_test_sample_fields (const TfTable  *table,
                                   const char     *id);

/* @n copies of @unit (a character of any width, or more), for a text
 * exactly at a length cap or over it (g_free). */
char       *tf_test_repeat        (const char     *unit,
                                   guint           n);

G_END_DECLS
