/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-ui-test.c: driving the real widgets as a person would.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-signed.h"
#include "tf-time.h"

#include "tf-ui-test.h"
#include "tf-window.h"

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

GtkWidget *
tf_ui_find_shown (GtkWidget *root, const char *name)
{
  GtkWidget *widget = tf_ui_find (root, name);

  for (GtkWidget *w = widget; w != NULL && w != root; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w))
      return NULL;
  return widget;
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

static gboolean
triggered_by (GtkShortcut *shortcut, guint keyval, GdkModifierType mods)
{
  GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

  return GTK_IS_KEYVAL_TRIGGER (trigger) &&
         gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
         gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods;
}

gboolean
tf_ui_press (GtkWidget *widget, guint keyval, GdkModifierType mods)
{
  gtk_widget_grab_focus (widget);
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller),
                                                                       k);

              if (triggered_by (shortcut, keyval, mods) &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                GTK_SHORTCUT_ACTION_EXCLUSIVE, w,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }
  return FALSE;
}

void
tf_ui_type (GtkWidget *window, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (tf_ui_wait_shown (window, name)), text);
}


void
tf_ui_init (int *argc, char ***argv, const char *locale)
{
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TF_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("TF_KDF_OPSLIMIT", "2", TRUE);
  g_setenv ("TF_KDF_MEMLIMIT_MIB", "64", TRUE);
  gtk_test_init (argc, argv, NULL);
  /* After gtk_test_init, which sets en_US.UTF-8: a Greek run's weekdays
   * and dates were American ("Mon", 12/02/2026) under Greek words. */
  g_assert_nonnull (setlocale (LC_ALL, locale));
  adw_init ();
  g_assert_true (tf_crypto_init (NULL));
}

gboolean
tf_ui_init_language (int *argc, char ***argv)
{
  gboolean greek = *argc > 1 && strcmp ((*argv)[1], "--greek") == 0;

  if (greek)
    {
      g_setenv ("LANGUAGE", "el", TRUE);
      (*argv)[1] = (*argv)[0];
      (*argc)--;
      (*argv)++;
    }
  tf_ui_init (argc, argv, greek ? "el_GR.UTF-8" : "C.UTF-8");
  return greek;
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

gboolean
tf_ui_is_true (gpointer data)
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
  g_assert_true (tf_ui_wait_for (tf_ui_is_true, &created));
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

/* --- other people, as their devices sign ----------------------------------- */

typedef struct
{
  char     *identity;
  char     *signing;
  TfSecret *secret;
} OtherKeys;

static void
other_keys_free (OtherKeys *keys)
{
  g_free (keys->identity);
  g_free (keys->signing);
  tf_secret_free (keys->secret);
  g_free (keys);
}

/* The keys this process made for @user_id, another person of the tests,
 * made the first time; pinned in @session the way a contact's are
 * (/v1/keys/{id}, tf_vault_remember_key) when it knows none for them. */
static OtherKeys *
other_keys (TfSession *session, const char *user_id)
{
  static GHashTable *made;
  g_autoptr(JsonObject) known = NULL;
  g_autoptr(GError) error = NULL;
  OtherKeys *keys;

  if (made == NULL)
    made = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) other_keys_free);
  keys = g_hash_table_lookup (made, user_id);
  if (keys == NULL)
    {
      g_autoptr(TfSecret) identity_secret = NULL;

      keys = g_new0 (OtherKeys, 1);
      g_assert_true (tf_crypto_box_keypair (&keys->identity, &identity_secret, &error));
      g_assert_true (tf_crypto_sign_keypair (&keys->signing, &keys->secret, &error));
      g_assert_no_error (error);
      g_hash_table_insert (made, g_strdup (user_id), keys);
    }
  known = tf_store_lookup_key (tf_session_get_store (session), user_id, NULL);
  if (known == NULL)
    {
      const char *publics[] = { keys->identity, keys->signing, NULL };
      g_autofree char *fingerprint = tf_crypto_fingerprint (publics);

      g_assert_true (tf_vault_remember_key (tf_session_get_vault (session), user_id,
                                            keys->identity, keys->signing, fingerprint, NULL,
                                            &error));
      g_assert_no_error (error);
    }
  else if (g_strcmp0 (tf_json_get_string (known, "signing_public_key"), keys->signing) != 0)
    g_error ("%s has keys of their own in this session: their records must come signed "
             "(tf_ui_sign_as_queued)", user_id);
  return keys;
}

/* Who the test says wrote @record: the first of its owner, client and
 * therapist (or its parent's) that is not @me; NULL when only @me. */
static const char *
claimed_writer (TfSession *session, const TfRecord *record, const char *me)
{
  const TfTable *t = record->table;
  const char *columns[] = { t->owner_column, t->client_column, t->therapist_column };
  g_autoptr(TfRecord) parent = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const char *user = columns[i] != NULL ? tf_json_get_string (record->fields, columns[i])
                                            : NULL;
      if (user != NULL && g_strcmp0 (user, me) != 0)
        return g_intern_string (user);
    }
  if (t->parent_table != NULL && tf_json_get_string (record->fields, t->parent_column) != NULL)
    parent = tf_store_get (tf_session_get_store (session), tf_registry_lookup (t->parent_table),
                           tf_json_get_string (record->fields, t->parent_column), NULL);
  return parent != NULL ? claimed_writer (session, parent, me) : NULL;
}

/* Signs unsigned @record as the other person the test says wrote it, at one
 * more than the revision @session holds of it. */
static void
sign_as_writer (TfSession *session, TfRecord *record)
{
  TfStore *store = tf_session_get_store (session);
  const char *writer;
  g_autoptr(GError) error = NULL;
  g_autofree char *held_signature = NULL;
  gint64 held = 0;

  if (record->signature != NULL || !tf_signed_table_has_envelope (record->table) ||
      record->table->writer == TF_WRITER_ADMIN)
    return;
  writer = claimed_writer (session, record, tf_vault_get_user_id (tf_session_get_vault (session)));
  if (writer == NULL)
    return;
  g_assert_true (tf_store_get_revision (store, record->table, record->id, &held,
                                        &held_signature, NULL, &error));
  g_assert_no_error (error);
  record->revision = held + 1;
  record->signature = tf_signed_record_sign (other_keys (session, writer)->secret, record,
                                             record->revision, &error);
  g_assert_no_error (error);
}

void
tf_ui_sign_as_queued (TfStore *from, TfRecord *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) queued = tf_store_outbox_peek (from, 10000, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (queued); i++)
    {
      JsonObject *m = json_array_get_object_element (queued, i);

      if (g_strcmp0 (json_object_get_string_member (m, "id"), record->id) != 0 ||
          !json_object_has_member (m, "signature"))
        continue;
      record->revision = json_object_get_int_member (m, "revision");
      g_free (record->signature);
      record->signature = g_strdup (json_object_get_string_member (m, "signature"));
    }
}

void
tf_ui_pull_records (TfSession *session, GPtrArray *records)
{
  TfStore *store = tf_session_get_store (session);
  g_autoptr(JsonArray) page = json_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 cursor = tf_store_get_cursor (store, &error);
  guint refused = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      TfRecord *record = g_ptr_array_index (records, i);

      sign_as_writer (session, record);
      record->version = ++cursor;
      json_array_add_element (page, tf_record_to_json (record));
    }
  g_assert_true (tf_store_apply_pull_checked (store, page, cursor, &refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (refused, ==, 0);
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

char *
tf_ui_pull_client (TfSession *session, const char *first_name, const char *last_name)
{
  char *client_id = g_uuid_string_random ();
  g_autofree char *care_id = g_uuid_string_random ();
  g_autoptr(JsonObject) care = json_object_new ();
  g_autoptr(JsonObject) profile = json_object_new ();

  json_object_set_string_member (care, "id", care_id);
  json_object_set_string_member (care, "therapist_id",
                                 tf_vault_get_user_id (tf_session_get_vault (session)));
  json_object_set_string_member (care, "client_id", client_id);
  json_object_set_string_member (care, "status", "active");
  json_object_set_boolean_member (care, "share_mood", FALSE);
  json_object_set_boolean_member (care, "share_goals", FALSE);
  json_object_set_string_member (care, "started_at", "2026-09-01T09:00:00Z");
  json_object_set_null_member (care, "ended_at");
  json_object_set_null_member (care, "ended_by");
  tf_ui_pull (session, "care_relationships", care_id, care);
  json_object_set_string_member (profile, "user_id", client_id);
  json_object_set_string_member (profile, "first_name", first_name);
  json_object_set_string_member (profile, "last_name", last_name);
  json_object_set_string_member (profile, "language", "el");
  json_object_set_string_member (profile, "created_at", "2026-09-01T08:00:00Z");
  tf_ui_pull (session, "profiles", client_id, profile);
  return client_id;
}

void
tf_ui_unlock (GtkWidget *window, TfSession *session, const char *password)
{
  tf_ui_wait_shown (window, "unlock-password");
  tf_ui_type (window, "unlock-password", password);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for ((gboolean (*) (gpointer)) tf_session_is_unlocked, session));
  /* The window shows its pages once its unlock callback ran. */
  tf_ui_wait_shown (window, "main-views");
}

GtkWidget *
tf_ui_open_unlocked (TfSession *session, const char *password, int width, int height)
{
  GtkWidget *window;

  tf_session_lock (session);
  window = GTK_WIDGET (tf_window_new (NULL, session));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_unlock (window, session, password);
  return window;
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

static void
follow_page (TfUiPage *f, GtkWidget *page)
{
  f->page = page;
  g_signal_connect (f->page, "saved", G_CALLBACK (on_saved), f);
  g_signal_connect (f->page, "failed", G_CALLBACK (on_failed), f);
}

void
tf_ui_page_open (TfUiPage *f, const TfRegistration *reg, GtkWidget *(*make) (TfSession *),
                 int width, int height)
{
  f->session = tf_ui_new_profile (reg, &f->dir);
  follow_page (f, make (f->session));
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_set_child (GTK_WINDOW (f->window), f->page);
  gtk_window_present (GTK_WINDOW (f->window));
}

void
tf_ui_page_replace (TfUiPage *f, GtkWidget *page)
{
  follow_page (f, page);
  gtk_window_set_child (GTK_WINDOW (f->window), f->page);
}

TfVault *
tf_ui_page_vault (TfUiPage *f)
{
  return tf_session_get_vault (f->session);
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

/* --- what a person sees --------------------------------------------------- */

GtkWidget *
tf_ui_find_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tf_ui_find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;
  GtkWidget *label = tf_ui_find_label (w->root, w->text);

  return label != NULL && gtk_widget_get_mapped (label);
}

GtkWidget *
tf_ui_wait_label (GtkWidget *root, const char *text)
{
  LabelWait w = { root, text };

  g_assert_true (tf_ui_wait_for (label_shown, &w));
  return tf_ui_find_label (root, text);
}

typedef struct
{
  GtkWidget  *window;
  const char *row;
  const char *text;
} SubtitleWait;

static gboolean
subtitle_has (gpointer data)
{
  SubtitleWait *w = data;
  GtkWidget *row = tf_ui_find (w->window, w->row);

  return row != NULL && gtk_widget_get_mapped (row) &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), w->text) != NULL;
}

void
tf_ui_wait_subtitle (GtkWidget *window, const char *row, const char *text)
{
  SubtitleWait w = { window, row, text };

  g_assert_true (tf_ui_wait_for (subtitle_has, &w));
}

static gboolean
title_is (gpointer data)
{
  SubtitleWait *w = data;
  GtkWidget *row = tf_ui_find (w->window, w->row);

  return row != NULL &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), w->text) == 0;
}

void
tf_ui_wait_title (GtkWidget *window, const char *row, const char *title)
{
  SubtitleWait w = { window, row, title };

  g_assert_true (tf_ui_wait_for (title_is, &w));
}

/* --- message dialogs ------------------------------------------------------ */

typedef struct
{
  GtkWidget *not_this;  /* a dialog already seen, or NULL */
  GtkWidget *found;     /* a reference */
} DialogWait;

static gboolean
dialog_shown (gpointer data)
{
  DialogWait *w = data;
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (w->found == NULL && ADW_IS_MESSAGE_DIALOG (window) &&
          GTK_WIDGET (window) != w->not_this && gtk_widget_get_mapped (GTK_WIDGET (window)))
        w->found = g_object_ref (GTK_WIDGET (window));  /* it outlives its closing */
    }
  return w->found != NULL;
}

GtkWidget *
tf_ui_wait_dialog (GtkWidget *not_this)
{
  DialogWait w = { not_this, NULL };

  g_assert_true (tf_ui_wait_for (dialog_shown, &w));
  return w.found;
}

/* Without ImageMagick's import: each window shown, as GTK renders it, in
 * @dir/@name-N.png. */
static void
shot_windows (const char *dir, const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      g_autoptr(GdkPaintable) paintable = NULL;
      g_autoptr(GtkSnapshot) snapshot = NULL;
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *path = NULL;

      if (!gtk_widget_get_mapped (window))
        continue;
      paintable = gtk_widget_paintable_new (window);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                              gtk_widget_get_height (window));
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        continue;
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                             NULL);
      path = g_strdup_printf ("%s/%s-%u.png", dir, name, i);
      gdk_texture_save_to_png (texture, path);
    }
}

void
tf_ui_shot (const char *name)
{
  const char *dir = g_getenv ("TF_UI_SHOTS");
  g_autofree char *command = NULL, *import = g_find_program_in_path ("import");

  if (dir == NULL)
    return;
  /* Long enough for the frame clock to draw what changed (a stack's
   * transition, a list's new rows) before the screen is read. */
  {
    g_autoptr(GTimer) timer = g_timer_new ();

    while (g_timer_elapsed (timer, NULL) < 0.5)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
  }
  if (import == NULL)
    return shot_windows (dir, name);
  command = g_strdup_printf ("import -window root %s/%s.png", dir, name);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

GtkWidget *
tf_ui_find_window (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (w), name) == 0 && gtk_widget_get_visible (w))
        return w;
    }
  return NULL;
}

static gboolean
window_there (gpointer data)
{
  return tf_ui_find_window (data) != NULL;
}

GtkWidget *
tf_ui_wait_window (const char *name)
{
  g_assert_true (tf_ui_wait_for (window_there, (gpointer) name));
  return tf_ui_find_window (name);
}

AdwMessageDialog *
tf_ui_find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && g_strcmp0 (gtk_widget_get_name (w), name) == 0)
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

char *
tf_ui_answer_dialog (const char *name, const char *response)
{
  AdwMessageDialog *dialog = NULL;
  char *heading;

  while (dialog == NULL)
    {
      dialog = tf_ui_find_dialog (name);
      g_main_context_iteration (NULL, FALSE);
    }
  heading = g_strdup (adw_message_dialog_get_heading (dialog));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (tf_ui_find_dialog (name));
  return heading;
}

static void
on_synced (TfSession *session, gpointer data)
{
  *(gboolean *) data = TRUE;
}

void
tf_ui_sync_now (TfSession *session)
{
  gboolean synced = FALSE;
  gulong id = g_signal_connect (session, "synced", G_CALLBACK (on_synced), &synced);

  tf_session_sync (session);
  g_assert_true (tf_ui_wait_for (tf_ui_is_true, &synced));
  g_signal_handler_disconnect (session, id);
  g_assert_null (tf_session_get_sync_error (session));
}

/* --- records -------------------------------------------------------------- */

char *
tf_ui_put_appointment (TfSession *session, const char *client_id, GDateTime *at,
                       const char *status)
{
  return tf_ui_put_appointment_with (session,
                                     tf_vault_get_user_id (tf_session_get_vault (session)),
                                     client_id, at, status);
}

char *
tf_ui_put_appointment_with (TfSession *session, const char *therapist_id, const char *client_id,
                            GDateTime *at, const char *status)
{
  TfVault *vault = tf_session_get_vault (session);
  g_autoptr(GDateTime) booked = g_date_time_add_days (at, -7);
  g_autofree char *at_text = tf_time_format_timestamp (at);
  g_autofree char *booked_text = tf_time_format_timestamp (booked);
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id = g_uuid_string_random ();

  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "therapist_id", therapist_id);
  json_object_set_string_member (plain, "client_id", client_id);
  json_object_set_string_member (plain, "appointment_datetime", at_text);
  json_object_set_int_member (plain, "duration", 50);
  json_object_set_string_member (plain, "status", status);
  json_object_set_string_member (plain, "price", "60.00");
  json_object_set_string_member (plain, "created_at", booked_text);
  json_object_set_string_member (plain, "updated_at", booked_text);
  g_assert_true (tf_vault_put (vault, tf_registry_lookup ("appointments"), id, plain, &error));
  g_assert_no_error (error);
  return id;
}

JsonObject *
tf_ui_get (TfSession *session, const char *table, const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *plain = tf_vault_get (tf_session_get_vault (session), tf_registry_lookup (table),
                                    id, &error);

  g_assert_no_error (error);
  return plain;
}

/* --- a named widget coming and going ------------------------------------- */

typedef struct
{
  GtkWidget  *window;
  const char *name;
  gboolean    mapped;    /* whether to ask for mapped, not merely there */
  gboolean    expected;
} Presence;

static gboolean
presence_is (gpointer data)
{
  Presence *p = data;
  GtkWidget *w = tf_ui_find (p->window, p->name);

  return (w != NULL && (!p->mapped || gtk_widget_get_mapped (w))) == p->expected;
}

void
tf_ui_wait_mapped (GtkWidget *window, const char *name, gboolean mapped)
{
  Presence p = { window, name, TRUE, mapped };

  g_assert_true (tf_ui_wait_for (presence_is, &p));
}

void
tf_ui_wait_present (GtkWidget *window, const char *name, gboolean present)
{
  Presence p = { window, name, FALSE, present };

  g_assert_true (tf_ui_wait_for (presence_is, &p));
}
