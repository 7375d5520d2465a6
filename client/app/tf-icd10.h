/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-icd10.h: the ICD-10 codes a psychotherapist uses most (chapter V, F),
 * with their descriptions, for suggestions while typing a diagnosis.  Any
 * valid code can still be written (tf_validate_icd10_code decides); this
 * is a shortcut, not a limit.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *code;         /* "F32.1" */
  const char *description;  /* English, marked N_(): show it through _() */
} TfIcd10Code;

/* The built-in list, in code order. */
const TfIcd10Code *tf_icd10_get_common (guint      *n_codes);

/* The entry of @code in the list (letters in any case), or NULL. */
const TfIcd10Code *tf_icd10_lookup     (const char *code);

/* The entries whose code starts with @query, or whose translated
 * description contains it (ignoring case and accents: "καταθλιψη" finds
 * "κατάθλιψη"), at most @max of them, in code order.  The array holds
 * borrowed TfIcd10Code pointers. */
GPtrArray         *tf_icd10_search     (const char *query,
                                        guint       max);

G_END_DECLS
