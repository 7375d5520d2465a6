/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-text.c: the one fold for accent- and case-insensitive search, shared by
 * the app's client list and journal (tf-text.h says why it is needed).
 *
 * Decomposing first turns "ά" into "α" + U+0301 and "ΐ" into "ι" + two
 * marks, so dropping the marks leaves the bare letters whatever form the
 * text came in; case folding after that also maps the final sigma "ς" to
 * "σ", so a word typed mid-search ("θαλασσ") still matches.
 */
#define G_LOG_DOMAIN "tf-text"

#include "config.h"

#include <string.h>

#include "tf-text.h"

char *
tf_text_fold_for_search (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text != NULL ? text : "", -1,
                                                  G_NORMALIZE_ALL);
  g_autoptr(GString) bare = g_string_new (NULL);

  /* Not valid UTF-8 (g_utf8_normalize gives NULL): nothing to find in it. */
  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, -1);
}

gboolean
tf_text_matches_folded (const char *text, const char *query)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (query != NULL, FALSE);

  folded = tf_text_fold_for_search (text);
  return strstr (folded, query) != NULL;
}
