/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-text.h: text as people search it.
 *
 * Encrypted content cannot be searched in SQL, so the device searches the
 * decrypted text it holds.  People type Greek without its accents and in any
 * case ("θαλασσα" for "θάλασσα", "ΑΓΧΟΣ" for "άγχος"), and the same accented
 * letter can arrive precomposed or as a letter and a combining mark.  Both
 * the query and the text are folded the same way and then compared as
 * substrings.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text (NULL is "") decomposed (NFKD), stripped of combining marks and
 * case-folded: "Μαρία", "ΜΑΡΙΑ" and "μαρια" all become "μαρια", and a final
 * sigma folds to σ.  Free with g_free(). */
char     *tf_text_fold_for_search (const char *text);

/* TRUE when folded @query (from tf_text_fold_for_search()) occurs in @text. */
gboolean  tf_text_matches_folded  (const char *text,
                                   const char *query);

G_END_DECLS
