/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-icd10.c: the common ICD-10 F-codes of psychotherapy practice.
 *
 * The wording follows the WHO's ICD-10 (2019) titles, shortened where the
 * official one is long; the Greek comes from the catalogue like every other
 * string, so the list is searched in the language the therapist reads.
 * Codes are kept as the WHO writes them (F42 has no subdivision here;
 * adjustment disorders take their fifth character, F43.20–F43.23).
 */
#define G_LOG_DOMAIN "tf-icd10"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-icd10.h"

static const TfIcd10Code common_codes[] = {
  { "F10.2", N_("Alcohol dependence syndrome") },
  { "F31.9", N_("Bipolar affective disorder, unspecified") },
  { "F32.0", N_("Mild depressive episode") },
  { "F32.1", N_("Moderate depressive episode") },
  { "F32.2", N_("Severe depressive episode without psychotic symptoms") },
  { "F32.3", N_("Severe depressive episode with psychotic symptoms") },
  { "F32.9", N_("Depressive episode, unspecified") },
  { "F33.0", N_("Recurrent depressive disorder, current episode mild") },
  { "F33.1", N_("Recurrent depressive disorder, current episode moderate") },
  { "F33.2", N_("Recurrent depressive disorder, current episode severe without psychotic "
                "symptoms") },
  { "F33.4", N_("Recurrent depressive disorder, currently in remission") },
  { "F34.1", N_("Dysthymia") },
  { "F40.0", N_("Agoraphobia") },
  { "F40.1", N_("Social phobias") },
  { "F40.2", N_("Specific (isolated) phobias") },
  { "F41.0", N_("Panic disorder") },
  { "F41.1", N_("Generalized anxiety disorder") },
  { "F41.2", N_("Mixed anxiety and depressive disorder") },
  { "F42", N_("Obsessive-compulsive disorder") },
  { "F43.0", N_("Acute stress reaction") },
  { "F43.1", N_("Post-traumatic stress disorder") },
  { "F43.20", N_("Adjustment disorder, brief depressive reaction") },
  { "F43.21", N_("Adjustment disorder, prolonged depressive reaction") },
  { "F43.22", N_("Adjustment disorder, mixed anxiety and depressive reaction") },
  { "F43.23", N_("Adjustment disorder with predominant disturbance of other emotions") },
  { "F45.0", N_("Somatization disorder") },
  { "F50.0", N_("Anorexia nervosa") },
  { "F50.1", N_("Atypical anorexia nervosa") },
  { "F50.2", N_("Bulimia nervosa") },
  { "F50.3", N_("Atypical bulimia nervosa") },
  { "F50.9", N_("Eating disorder, unspecified") },
  { "F51.0", N_("Nonorganic insomnia") },
  { "F60.3", N_("Emotionally unstable personality disorder") },
  { "F90.0", N_("Disturbance of activity and attention (ADHD)") },
};

const TfIcd10Code *
tf_icd10_get_common (guint *n_codes)
{
  if (n_codes != NULL)
    *n_codes = G_N_ELEMENTS (common_codes);
  return common_codes;
}

const TfIcd10Code *
tf_icd10_lookup (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (common_codes); i++)
    if (g_ascii_strcasecmp (common_codes[i].code, code) == 0)
      return &common_codes[i];
  return NULL;
}

/* Lower case, without accents or other marks: "Κατάθλιψη" -> "καταθλιψη". */
static char *
fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autofree char *lower = g_utf8_casefold (decomposed != NULL ? decomposed : "", -1);
  GString *out = g_string_sized_new (strlen (lower));

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

GPtrArray *
tf_icd10_search (const char *query, guint max)
{
  GPtrArray *found = g_ptr_array_new ();
  g_autofree char *trimmed = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (query != NULL, found);

  trimmed = g_strstrip (g_strdup (query));
  if (*trimmed == '\0' || max == 0)
    return found;
  folded = fold (trimmed);
  for (guint i = 0; i < G_N_ELEMENTS (common_codes) && found->len < max; i++)
    {
      const TfIcd10Code *entry = &common_codes[i];
      g_autofree char *description = fold (_(entry->description));

      if (g_ascii_strncasecmp (entry->code, trimmed, strlen (trimmed)) == 0 ||
          strstr (description, folded) != NULL)
        g_ptr_array_add (found, (gpointer) entry);
    }
  return found;
}
