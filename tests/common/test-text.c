/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-text.c: the search fold finds Greek as people type it — without
 * accents, in any case, with a final sigma or a plain one, whether the text
 * holds precomposed letters or letters with combining marks.
 */
#define G_LOG_DOMAIN "tf-text"

#include "config.h"

#include <glib.h>

#include "tf-text.h"

static gboolean
finds (const char *text, const char *typed)
{
  g_autofree char *query = tf_text_fold_for_search (typed);

  return tf_text_matches_folded (text, query);
}

static void
test_greek_without_accents (void)
{
  g_assert_true (finds ("Μια μέρα στη θάλασσα", "θαλασσα"));
  g_assert_true (finds ("Νιώθω άγχος πριν τη δουλειά", "αγχος"));
  g_assert_true (finds ("Νιώθω άγχος", "ΑΓΧΟΣ"));
  g_assert_true (finds ("ΆΓΧΟΣ", "αγχος"));
  g_assert_true (finds ("Μαρία Παπαδοπούλου", "μαρια"));
  /* Diaeresis and accent together, and the final sigma typed as σ. */
  g_assert_true (finds ("προϋπόθεση", "προυποθεση"));
  g_assert_true (finds ("Ταΐζω", "ταιζω"));
  g_assert_true (finds ("θάλασσας", "θαλασσασ"));
  /* The accented query finds the text too. */
  g_assert_true (finds ("θαλασσα", "θάλασσα"));
  g_assert_false (finds ("θάλασσα", "βουνο"));
}

static void
test_forms_and_latin (void)
{
  /* "ά" as α + U+0301 COMBINING ACUTE ACCENT. */
  g_assert_true (finds ("\xce\xb1\xcc\x81\xce\xb3\xcf\x87\xce\xbf\xcf\x82", "αγχος"));
  g_assert_true (finds ("Café with FRIENDS", "cafe with friends"));
  g_assert_true (finds (NULL, ""));
  g_assert_false (finds (NULL, "a"));
  /* Not UTF-8: nothing matches, nothing crashes. */
  g_assert_false (finds ("\xff\xfe", "a"));
}

static void
test_fold_itself (void)
{
  g_autofree char *a = tf_text_fold_for_search ("ΘΆΛΑΣΣΑ");
  g_autofree char *b = tf_text_fold_for_search ("Ήρεμη ΜΈΡΑ");

  g_assert_cmpstr (a, ==, "θαλασσα");
  g_assert_cmpstr (b, ==, "ηρεμη μερα");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tf/text/greek-without-accents", test_greek_without_accents);
  g_test_add_func ("/tf/text/forms-and-latin", test_forms_and_latin);
  g_test_add_func ("/tf/text/fold", test_fold_itself);
  return g_test_run ();
}
