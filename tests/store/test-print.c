/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-print.c: printouts on pages (client/print/tf-print-render.h), as a
 * PDF read back with pdftotext.  A short note is one page with the
 * practice's header, its title, facts and sections, Greek as written; a
 * long one goes on over pages, each with the header and "Page n of m", no
 * line lost; a path that cannot be written is an error, not a crash.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tf-print-doc.h"
#include "tf-print-render.h"

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  g_autofree char *err = NULL;
  char *text = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &text, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return text;
}

static guint
count (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static TfPrintDoc *
practice_doc (void)
{
  TfPrintDoc *doc = tf_print_doc_new ("SOAP Note");

  tf_print_doc_add_header (doc, "Ελένη Παπαδοπούλου");
  tf_print_doc_add_header (doc, "Licence no. ΑΜ-12345");
  tf_print_doc_add_header (doc, "Σόλωνος 10, Αθήνα");
  tf_print_doc_add_fact (doc, "Client: Νίκος Γεωργίου");
  tf_print_doc_add_fact (doc, "Signed 3 December 2026, 10:00; the signature verifies");
  return doc;
}

static void
test_one_page (void)
{
  g_autoptr(TfPrintDoc) doc = practice_doc ();
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "tf-test-print-one.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint pages = 0;

  tf_print_doc_add_block (doc, "Subjective", "Αναφέρει λιγότερο άγχος στη δουλειά.");
  tf_print_doc_add_block (doc, "Plan", "Έκθεση σε βήματα.");
  tf_print_doc_add_block (doc, "Empty", "   ");
  g_assert_true (tf_print_doc_save_pdf (doc, path, &pages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pages, ==, 1);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "Ελένη Παπαδοπούλου"));
  g_assert_nonnull (strstr (text, "Σόλωνος 10, Αθήνα"));
  g_assert_nonnull (strstr (text, "SOAP Note"));
  g_assert_nonnull (strstr (text, "Client: Νίκος Γεωργίου"));
  g_assert_nonnull (strstr (text, "Αναφέρει λιγότερο άγχος στη δουλειά."));
  g_assert_nonnull (strstr (text, "Έκθεση σε βήματα."));
  /* A blank section is not printed. */
  g_assert_null (strstr (text, "Empty"));
  g_assert_nonnull (strstr (text, "Page 1 of 1"));
  g_assert_nonnull (strstr (text, "Printed "));
  g_unlink (path);
}

static void
test_many_pages (void)
{
  g_autoptr(TfPrintDoc) doc = practice_doc ();
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "tf-test-print-many.pdf", NULL);
  g_autofree char *text = NULL, *last = NULL, *page_of = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint pages = 0;

  for (int i = 1; i <= 150; i++)
    g_string_append_printf (long_text, "Γραμμή %d της συνεδρίας.\n", i);
  tf_print_doc_add_block (doc, "Subjective", long_text->str);
  tf_print_doc_add_block (doc, "Plan", "Τέλος.");
  g_assert_true (tf_print_doc_save_pdf (doc, path, &pages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pages, >=, 3);
  text = pdf_text (path);
  /* Every line is there, once, and the header and page number on each page. */
  for (int i = 1; i <= 150; i++)
    {
      g_autofree char *line = g_strdup_printf ("Γραμμή %d της συνεδρίας.", i);

      g_assert_cmpuint (count (text, line), ==, 1);
    }
  g_assert_cmpuint (count (text, "Σόλωνος 10, Αθήνα"), ==, pages);
  last = g_strdup_printf ("Page %u of %u", pages, pages);
  g_assert_nonnull (strstr (text, last));
  page_of = g_strdup_printf ("of %u", pages);
  g_assert_cmpuint (count (text, page_of), ==, pages);
  /* The title once, on the first page. */
  g_assert_cmpuint (count (text, "SOAP Note"), ==, 1);
  g_unlink (path);
}

static void
test_unwritable (void)
{
  g_autoptr(TfPrintDoc) doc = practice_doc ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tf_print_doc_save_pdf (doc, "/nonexistent-folder/note.pdf", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent-folder/note.pdf"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tf/print/one-page", test_one_page);
  g_test_add_func ("/tf/print/many-pages", test_many_pages);
  g_test_add_func ("/tf/print/unwritable", test_unwritable);
  return g_test_run ();
}
