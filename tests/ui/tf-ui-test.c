/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-ui-test.c: driving the real widgets as a person would.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "tf-crypto.h"

#include "tf-ui-test.h"

GtkWidget *
tf_ui_find (GtkWidget *root, const char *name)
{
  GtkWidget *child;

  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tf_ui_find (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Runs the main loop until @check holds, for at most 30 s. */
gboolean
tf_ui_wait_for (gboolean (*check) (gpointer), gpointer data)
{
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (!check (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

static gboolean
shown (gpointer data)
{
  Lookup *l = data;
  GtkWidget *w = tf_ui_find (l->window, l->name);

  return w != NULL && gtk_widget_get_mapped (w);
}

GtkWidget *
tf_ui_wait_shown (GtkWidget *window, const char *name)
{
  Lookup l = { window, name };

  g_assert_true (tf_ui_wait_for (shown, &l));
  return tf_ui_find (window, name);
}

void
tf_ui_click (GtkWidget *window, const char *name)
{
  GtkWidget *button = tf_ui_wait_shown (window, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

void
tf_ui_type (GtkWidget *window, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (tf_ui_wait_shown (window, name)), text);
}


void
tf_ui_init (int *argc, char ***argv, const char *locale)
{
  g_assert_nonnull (setlocale (LC_ALL, locale));
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TF_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("TF_KDF_OPSLIMIT", "2", TRUE);
  g_setenv ("TF_KDF_MEMLIMIT_MIB", "64", TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  g_assert_true (tf_crypto_init (NULL));
}

static void
on_created (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;

  g_assert_true (tf_session_create_finish (TF_SESSION (source), result, &recovery, &error));
  g_assert_no_error (error);
  g_assert_nonnull (recovery);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

TfSession *
tf_ui_new_profile (const TfRegistration *reg, char **out_dir)
{
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  TfSession *session;

  *out_dir = g_dir_make_tmp ("tf-ui-XXXXXX", &error);
  g_assert_no_error (error);
  session = tf_session_new (*out_dir, &error);
  g_assert_no_error (error);
  tf_session_create_async (session, reg, NULL, NULL, NULL, on_created, &created);
  g_assert_true (tf_ui_wait_for (is_true, &created));
  g_assert_true (tf_session_is_unlocked (session));
  return session;
}

void
tf_ui_remove_profile (const char *dir)
{
  g_autofree char *db = g_build_filename (dir, "profile.sqlite", NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (db, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (dir);
}

void
tf_ui_pull_records (TfSession *session, GPtrArray *records)
{
  TfStore *store = tf_session_get_store (session);
  g_autoptr(JsonArray) page = json_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 cursor = tf_store_get_cursor (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      TfRecord *record = g_ptr_array_index (records, i);

      record->version = ++cursor;
      json_array_add_element (page, tf_record_to_json (record));
    }
  g_assert_true (tf_store_apply_pull (store, page, cursor, &error));
  g_assert_no_error (error);
}

void
tf_ui_pull (TfSession *session, const char *table, const char *id, JsonObject *fields)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 tf_record_free);
  TfRecord *record = tf_record_new (tf_registry_lookup (table), id);

  json_object_unref (record->fields);
  record->fields = json_object_ref (fields);
  g_ptr_array_add (records, record);
  tf_ui_pull_records (session, records);
}

static void
on_saved (GtkWidget *page, const char *message, TfUiPage *f)
{
  g_free (f->saved);
  f->saved = g_strdup (message);
}

static void
on_failed (GtkWidget *page, const char *message, TfUiPage *f)
{
  g_free (f->failed);
  f->failed = g_strdup (message);
}

void
tf_ui_page_open (TfUiPage *f, const TfRegistration *reg, GtkWidget *(*make) (TfSession *),
                 int width, int height)
{
  f->session = tf_ui_new_profile (reg, &f->dir);
  f->page = make (f->session);
  g_signal_connect (f->page, "saved", G_CALLBACK (on_saved), f);
  g_signal_connect (f->page, "failed", G_CALLBACK (on_failed), f);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_set_child (GTK_WINDOW (f->window), f->page);
  gtk_window_present (GTK_WINDOW (f->window));
}

void
tf_ui_page_close (TfUiPage *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->session);
  tf_ui_remove_profile (f->dir);
  g_free (f->dir);
  g_free (f->saved);
  g_free (f->failed);
}
