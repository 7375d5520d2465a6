/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-clients.c: a therapist's clients page in a real window under Xvfb,
 * on a therapist profile made on this computer only.  Other people's
 * records reach the profile as a sync would bring them: applied as a
 * pulled page (tf_store_apply_pull).  Where the content must be encrypted
 * for real — a journal entry a client shares, an intake a client wrote —
 * the client is a second profile with keys of their own, and their records
 * and key grants are carried over as pulled records.
 *
 * What is checked: the list names each client from their profile (active
 * first, ended care marked), search ignores case and Greek accents, a row
 * opens the detail (one pane at a time at 360 px, with a way back); the
 * history forms are saved, encrypted, and read again by a new page; an
 * invalid emergency phone is refused with a message and nothing typed is
 * lost or stored; an intake the client wrote is said to be unreadable and
 * cannot be overwritten; a journal entry shared while the page is open
 * appears in the same list; mood not shared is said so.  GTK warnings are
 * fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tf-client-detail.h"
#include "tf-clients-page.h"
#include "tf-crypto.h"
#include "tf-keys.h"
#include "tf-time.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

typedef TfUiPage Fixture;

static void
fixture_set_up (Fixture *f, int width)
{
  TfRegistration reg = { PASSWORD, "therapist", "Άννα", "Κ.", "ΑΜ-12345" };

  tf_ui_page_open (f, &reg, tf_clients_page_new, width, 760);
  g_assert_cmpstr (tf_session_get_role (f->session), ==, "therapist");
}

static const char *
me (Fixture *f)
{
  return tf_vault_get_user_id (tf_session_get_vault (f->session));
}

/* --- records as a sync brings them ------------------------------------------ */

static JsonObject *
care_fields (Fixture *f, const char *id, const char *client_id, gboolean active,
             gboolean share_mood)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "therapist_id", me (f));
  json_object_set_string_member (o, "client_id", client_id);
  json_object_set_string_member (o, "status", active ? "active" : "ended");
  json_object_set_boolean_member (o, "share_mood", share_mood);
  json_object_set_boolean_member (o, "share_goals", FALSE);
  json_object_set_string_member (o, "started_at", "2026-09-01T09:00:00Z");
  if (active)
    {
      json_object_set_null_member (o, "ended_at");
      json_object_set_null_member (o, "ended_by");
    }
  else
    {
      json_object_set_string_member (o, "ended_at", "2026-10-15T09:00:00Z");
      json_object_set_string_member (o, "ended_by", client_id);
    }
  return o;
}

static JsonObject *
profile_fields (const char *user_id, const char *first, const char *last, const char *display)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "user_id", user_id);
  json_object_set_string_member (o, "first_name", first);
  json_object_set_string_member (o, "last_name", last);
  if (display != NULL)
    json_object_set_string_member (o, "display_name", display);
  json_object_set_string_member (o, "language", "el");
  json_object_set_string_member (o, "created_at", "2026-09-01T08:00:00Z");
  return o;
}

/* A client in active care, with a profile, as a sync brings them. */
static char *
pull_client (Fixture *f, const char *first, const char *last, const char *display)
{
  char *client_id = g_uuid_string_random ();
  g_autofree char *care_id = g_uuid_string_random ();
  g_autoptr(JsonObject) care = care_fields (f, care_id, client_id, TRUE, FALSE);
  g_autoptr(JsonObject) profile = profile_fields (client_id, first, last, display);

  tf_ui_pull (f->session, "care_relationships", care_id, care);
  tf_ui_pull (f->session, "profiles", client_id, profile);
  return client_id;
}

/* --- a client with keys of their own --------------------------------------- */

typedef struct
{
  char    *dir;
  char    *path;
  char    *id;
  TfStore *store;
  TfVault *vault;
} Client;

/* A client account on a profile of its own, that knows the therapist's
 * public keys (as it would from the directory) and whose keys the
 * therapist's device knows, in active care with them
 * (its own write, pulled by the therapist), with a profile. */
static void
client_open (Client *c, Fixture *f, gboolean share_mood)
{
  g_autoptr(JsonObject) kdf = tf_keys_new_kdf (TF_KEYS_KDF_OPSLIMIT_FLOOR,
                                               TF_KEYS_KDF_MEMLIMIT_FLOOR);
  g_autoptr(JsonObject) keys_json = NULL;
  g_autoptr(TfSecret) auth = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *care_id = g_uuid_string_random ();
  g_autoptr(JsonObject) care = NULL;
  g_autoptr(JsonObject) profile = NULL;
  g_autoptr(GError) error = NULL;
  TfKeys *therapist_keys = tf_vault_get_keys (tf_session_get_vault (f->session));
  TfKeys *keys;

  g_assert_true (tf_keys_derive (kdf, "ο κωδικός της πελάτισσας", &auth, &kek, &error));
  g_assert_no_error (error);
  keys = tf_keys_create (kdf, kek, &keys_json, &recovery, NULL, &error);
  g_assert_no_error (error);

  c->dir = g_dir_make_tmp ("tf-ui-client-XXXXXX", &error);
  g_assert_no_error (error);
  c->path = g_build_filename (c->dir, "client.sqlite", NULL);
  c->store = tf_store_open (c->path, &error);
  g_assert_no_error (error);
  c->id = g_uuid_string_random ();
  c->vault = tf_vault_new (c->store, c->id, keys);
  g_assert_true (tf_vault_remember_key (c->vault, me (f),
                                        tf_keys_get_identity_public (therapist_keys),
                                        tf_keys_get_signing_public (therapist_keys), NULL,
                                        "anna@example.gr", &error));
  g_assert_no_error (error);
  /* And the therapist's device the client's, which the client's key grants
   * are checked with (as a sync fetches them for those in care). */
  g_assert_true (tf_vault_remember_key (tf_session_get_vault (f->session), c->id,
                                        tf_keys_get_identity_public (keys),
                                        tf_keys_get_signing_public (keys), NULL, NULL, &error));
  g_assert_no_error (error);

  care = care_fields (f, care_id, c->id, TRUE, share_mood);
  g_assert_true (tf_vault_put (c->vault, tf_registry_lookup ("care_relationships"), care_id,
                               care, &error));
  g_assert_no_error (error);
  profile = profile_fields (c->id, "Μαρία", "Παπαδοπούλου", NULL);
  g_assert_true (tf_vault_put (c->vault, tf_registry_lookup ("profiles"), c->id, profile,
                               &error));
  g_assert_no_error (error);
}

static void
client_close (Client *c)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_finalize_object (c->vault);
  g_assert_finalize_object (c->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (c->path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (c->dir);
  g_free (c->dir);
  g_free (c->path);
  g_free (c->id);
}

/* Carries the client's records @ids of @table (NULL-terminated pairs of
 * table and id), and the key grants of each, to the therapist as one
 * pulled page. */
static void
deliver (Client *c, Fixture *f, ...)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 tf_record_free);
  g_autoptr(GError) error = NULL;
  const char *table;
  va_list args;

  va_start (args, f);
  while ((table = va_arg (args, const char *)) != NULL)
    {
      const char *id = va_arg (args, const char *);
      g_autoptr(GPtrArray) grants = tf_store_list (c->store, tf_registry_lookup ("key_grants"),
                                                   "record_id", id, &error);
      TfRecord *record;

      g_assert_no_error (error);
      for (guint i = 0; i < grants->len; i++)
        g_ptr_array_add (records, tf_record_copy (g_ptr_array_index (grants, i)));
      record = tf_store_get (c->store, tf_registry_lookup (table), id, &error);
      g_assert_no_error (error);
      tf_ui_sign_as_queued (c->store, record);
      g_ptr_array_add (records, record);
    }
  va_end (args);
  tf_ui_pull_records (f->session, records);
}

/* @c's record @id of @table alone, without the key grants of it: what a
 * therapist's device holds before the grant reaches it. */
static void
deliver_without_grants (Client *c, Fixture *f, const char *table, const char *id)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 tf_record_free);
  g_autoptr(GError) error = NULL;
  TfRecord *record = tf_store_get (c->store, tf_registry_lookup (table), id, &error);

  g_assert_no_error (error);
  tf_ui_sign_as_queued (c->store, record);
  g_ptr_array_add (records, record);
  tf_ui_pull_records (f->session, records);
}

static void
deliver_care (Client *c, Fixture *f)
{
  g_autoptr(GPtrArray) care = tf_store_list (c->store, tf_registry_lookup ("care_relationships"),
                                             NULL, NULL, NULL);

  g_assert_cmpuint (care->len, ==, 1);
  deliver (c, f, "care_relationships", ((TfRecord *) g_ptr_array_index (care, 0))->id,
           "profiles", c->id, NULL);
}

static char *
client_writes_entry (Client *c, const char *title, const char *content, const char *created_at,
                     gboolean shared)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id = g_uuid_string_random ();

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "user_id", c->id);
  json_object_set_string_member (o, "title", title);
  json_object_set_string_member (o, "content", content);
  json_object_set_boolean_member (o, "therapist_shared", shared);
  json_object_set_boolean_member (o, "is_private", !shared);
  json_object_set_string_member (o, "created_at", created_at);
  json_object_set_string_member (o, "updated_at", created_at);
  g_assert_true (tf_vault_put (c->vault, tf_registry_lookup ("journal_entries"), id, o,
                               &error));
  g_assert_no_error (error);
  return id;
}

/* --- looking at the window ------------------------------------------------- */

typedef struct
{
  GtkWidget  *window;
  const char *shown;
  const char *hidden;
} Filtered;

static gboolean
is_filtered (gpointer data)
{
  Filtered *w = data;
  GtkWidget *shown = tf_ui_find (w->window, w->shown);
  GtkWidget *hidden = tf_ui_find (w->window, w->hidden);

  return shown != NULL && gtk_widget_get_mapped (shown) &&
         (hidden == NULL || !gtk_widget_get_mapped (hidden));
}

/* Whether a widget @name is under @window and on screen: a row the search
 * filters out is not in the list at all. */
static gboolean
is_on_screen (GtkWidget *window, const char *name)
{
  GtkWidget *widget = tf_ui_find (window, name);

  return widget != NULL && gtk_widget_get_mapped (widget);
}

/* Waits until the row @shown is on screen and @hidden is not. */
static void
wait_filtered (GtkWidget *window, const char *shown, const char *hidden)
{
  Filtered w = { window, shown, hidden };

  g_assert_true (tf_ui_wait_for (is_filtered, &w));
}

static char *
row_name (const char *client_id)
{
  return g_strdup_printf ("client-%s", client_id);
}

static const char *
row_title (Fixture *f, const char *client_id)
{
  g_autofree char *name = row_name (client_id);
  GtkWidget *row = tf_ui_find (f->window, name);

  g_assert_nonnull (row);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static void
open_client (GtkWidget *window, const char *client_id)
{
  g_autofree char *name = row_name (client_id);
  GtkWidget *row = tf_ui_wait_shown (window, name);

  g_signal_emit_by_name (tf_ui_find (window, "clients-list"), "row-activated", row);
  tf_ui_wait_shown (window, "client-detail-title");
}

static void
show_section (GtkWidget *window, const char *section)
{
  GtkWidget *stack = tf_ui_wait_shown (window, "client-detail-stack");

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), section);
}

static void
set_view_text (GtkWidget *window, const char *name, const char *text)
{
  GtkWidget *view = tf_ui_find (window, name);

  g_assert_true (GTK_IS_TEXT_VIEW (view));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static char *
view_text (GtkWidget *window, const char *name)
{
  GtkWidget *view = tf_ui_find (window, name);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_true (GTK_IS_TEXT_VIEW (view));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
entry_text (GtkWidget *window, const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (window, name)));
}

static guint
count_stored (Fixture *f, const char *table, const char *client_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = tf_vault_list (tf_session_get_vault (f->session),
                                             tf_registry_lookup (table), "client_id", client_id,
                                             &error);

  g_assert_no_error (error);
  return rows->len;
}

/* --- the list, search and detail at phone width ---------------------------- */

static void
test_list_search_detail (void)
{
  Fixture f = { 0 };
  g_autofree char *maria = NULL, *kostas = NULL, *stranger = g_uuid_string_random ();
  g_autofree char *care_id = g_uuid_string_random ();
  g_autofree char *maria_row = NULL, *kostas_row = NULL, *stranger_row = NULL;
  g_autoptr(JsonObject) ended = NULL;
  GtkWidget *list, *title;

  fixture_set_up (&f, 360);
  /* No clients: said so. */
  tf_ui_wait_shown (f.window, "clients-empty");

  /* Clients arrive while the page is open: a Greek name, a display name,
   * and someone whose care ended and whose profile never reached us. */
  maria = pull_client (&f, "Μαρία", "Παπαδοπούλου", NULL);
  kostas = pull_client (&f, "Κωνσταντίνος", "Δημητρίου", "Kostas D.");
  ended = care_fields (&f, care_id, stranger, FALSE, FALSE);
  tf_ui_pull (f.session, "care_relationships", care_id, ended);
  maria_row = row_name (maria);
  kostas_row = row_name (kostas);
  stranger_row = row_name (stranger);
  tf_ui_wait_shown (f.window, maria_row);
  tf_ui_wait_shown (f.window, kostas_row);
  tf_ui_wait_shown (f.window, stranger_row);
  g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "clients-empty")));
  g_assert_cmpstr (row_title (&f, maria), ==, "Μαρία Παπαδοπούλου");
  g_assert_cmpstr (row_title (&f, kostas), ==, "Kostas D.");
  g_assert_cmpstr (row_title (&f, stranger), ==, "Unknown client");
  /* Active first (alphabetically), the ended one last and marked. */
  list = tf_ui_find (f.window, "clients-list");
  g_assert_true (gtk_widget_get_first_child (list) == tf_ui_find (f.window, kostas_row));
  g_assert_true (gtk_widget_get_last_child (list) == tf_ui_find (f.window, stranger_row));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (tf_ui_find (f.window,
                                                                          stranger_row),
                                                              "client-ended"))), ==, "Ended");
  g_assert_null (tf_ui_find (tf_ui_find (f.window, maria_row), "client-ended"));

  /* Search without accents or case finds the Greek name only.  (Typing
   * replaces the text, which passes through empty and shows everyone for
   * a moment: each step waits for its own result.) */
  tf_ui_type (f.window, "clients-search", "μαρια");
  wait_filtered (f.window, maria_row, kostas_row);
  g_assert_false (is_on_screen (f.window, stranger_row));
  tf_ui_type (f.window, "clients-search", "kostas");
  wait_filtered (f.window, kostas_row, maria_row);
  tf_ui_type (f.window, "clients-search", "ΠΑΠΑΔΟΠΟΎΛΟΥ");
  wait_filtered (f.window, maria_row, kostas_row);
  /* Nobody: said so. */
  tf_ui_type (f.window, "clients-search", "Ξενοφών");
  tf_ui_wait_shown (f.window, "clients-no-match");
  g_assert_false (is_on_screen (f.window, maria_row));
  tf_ui_type (f.window, "clients-search", "μαρια");
  wait_filtered (f.window, maria_row, kostas_row);
  g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "clients-no-match")));

  /* Selecting opens the detail with the name, alone at this width, with a
   * way back. */
  open_client (f.window, maria);
  title = tf_ui_find (f.window, "client-detail-title");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), ==,
                   "Μαρία Παπαδοπούλου");
  {
    g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 9, 1, 9, 0, 0);
    g_autoptr(GDateTime) local = g_date_time_to_local (started);
    g_autofree char *date = g_date_time_format (local, "%x");
    g_autofree char *since = g_strdup_printf ("In care since %s", date);

    g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, since);
  }
  tf_ui_wait_mapped (f.window, "clients-search", FALSE);
  tf_ui_click (f.window, "client-detail-back");
  tf_ui_wait_shown (f.window, "clients-search");
  tf_ui_wait_mapped (f.window, "client-detail-title", FALSE);

  /* Not the window's size: none of it is wider than a phone. */
  g_assert_cmpint (gtk_widget_get_width (f.window), <=, 360);
  tf_ui_page_close (&f);
}

/* --- a client arriving while the therapist is in the list ----------------- */

/* A client whose care begins while the therapist is in the list (as a
 * sync brings it) joins it by itself, in its place, and the other rows
 * stay as they were: the row the keyboard is on keeps the focus, and a
 * client's name arriving later changes that client's row only. */
static void
test_arrival_keeps_focus (void)
{
  Fixture f = { 0 };
  g_autofree char *maria = NULL, *kostas = NULL, *maria_row = NULL, *kostas_row = NULL;
  g_autofree char *later = g_uuid_string_random (), *care_id = g_uuid_string_random ();
  g_autofree char *later_row = NULL;
  g_autoptr(JsonObject) care = NULL, profile = NULL;
  GtkWidget *row, *list;

  fixture_set_up (&f, 1000);
  maria = pull_client (&f, "Μαρία", "Παπαδοπούλου", NULL);
  maria_row = row_name (maria);
  row = tf_ui_wait_shown (f.window, maria_row);
  list = tf_ui_find (f.window, "clients-list");
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (gtk_widget_has_focus (row));

  /* Kostas comes before Maria in the list: Maria's row is the same one,
   * still focused. */
  kostas = pull_client (&f, "Κωνσταντίνος", "Δημητρίου", NULL);
  kostas_row = row_name (kostas);
  tf_ui_wait_shown (f.window, kostas_row);
  g_assert_true (gtk_widget_get_first_child (list) == tf_ui_find (f.window, kostas_row));
  g_assert_true (tf_ui_find (f.window, maria_row) == row);
  g_assert_true (gtk_widget_has_focus (row));

  /* Care first, the name later: "Unknown client" until it comes. */
  care = care_fields (&f, care_id, later, TRUE, FALSE);
  tf_ui_pull (f.session, "care_relationships", care_id, care);
  later_row = row_name (later);
  tf_ui_wait_shown (f.window, later_row);
  g_assert_cmpstr (row_title (&f, later), ==, "Unknown client");
  profile = profile_fields (later, "Ελένη", "Αθανασίου", NULL);
  tf_ui_pull (f.session, "profiles", later, profile);
  tf_ui_wait_title (f.window, later_row, "Ελένη Αθανασίου");
  g_assert_true (gtk_widget_get_first_child (list) == tf_ui_find (f.window, later_row));
  g_assert_true (tf_ui_find (f.window, maria_row) == row);
  g_assert_true (gtk_widget_has_focus (row));
  tf_ui_page_close (&f);
}

/* --- the history forms ------------------------------------------------------ */

static void
test_history_saved (void)
{
  Fixture f = { 0 };
  g_autofree char *maria = NULL, *composition = NULL, *self_harm = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *family, *psychiatric;
  GtkWidget *second;

  fixture_set_up (&f, 1000);
  maria = pull_client (&f, "Μαρία", "Παπαδοπούλου", NULL);
  open_client (f.window, maria);
  /* Wide: the list stays beside the detail, no back button. */
  g_assert_true (gtk_widget_get_mapped (tf_ui_find (f.window, "clients-list")));
  g_assert_false (gtk_widget_get_visible (tf_ui_find (f.window, "client-detail-back")));

  show_section (f.window, "history");
  tf_ui_wait_shown (f.window, "history-family-composition");
  g_assert_cmpuint (count_stored (&f, "client_histories", maria), ==, 0);
  set_view_text (f.window, "history-family-composition",
                 "Ζει με τη μητέρα της και τον μικρότερο αδελφό.");
  /* Another form, not on screen: saved with the rest. */
  set_view_text (f.window, "history-psychiatric-self-harm",
                 "Αυτοκτονικός ιδεασμός στα 19, χωρίς απόπειρα.");
  tf_ui_click (f.window, "history-save");
  g_assert_null (f.failed);
  g_assert_cmpstr (f.saved, ==, "History saved");

  /* Stored as objects keyed by field id, encrypted in the store. */
  stored = tf_vault_get (tf_session_get_vault (f.session),
                         tf_registry_lookup ("client_histories"), maria, &error);
  g_assert_no_error (error);
  family = json_object_get_object_member (stored, "family_history");
  psychiatric = json_object_get_object_member (stored, "psychiatric_history");
  g_assert_cmpstr (json_object_get_string_member (family, "composition"), ==,
                   "Ζει με τη μητέρα της και τον μικρότερο αδελφό.");
  g_assert_cmpstr (json_object_get_string_member (psychiatric, "self_harm"), ==,
                   "Αυτοκτονικός ιδεασμός στα 19, χωρίς απόπειρα.");
  g_assert_true (json_object_get_null_member (stored, "social_history"));
  {
    g_autoptr(TfRecord) raw = tf_store_get (tf_session_get_store (f.session),
                                            tf_registry_lookup ("client_histories"), maria,
                                            &error);
    g_assert_no_error (error);
    g_assert_true (tf_crypto_is_envelope (json_object_get_string_member (raw->fields,
                                                                         "family_history")));
  }

  /* Saved again with one more field, with Ctrl+S from it: the record is
   * updated, what was there stays. */
  set_view_text (f.window, "history-social-support-network", "Δύο στενές φίλες, η θεία της.");
  g_clear_pointer (&f.saved, g_free);
  g_assert_true (tf_ui_press (tf_ui_find (f.window, "history-social-support-network"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_null (f.failed);
  g_assert_cmpstr (f.saved, ==, "History saved");
  g_clear_pointer (&stored, json_object_unref);
  stored = tf_vault_get (tf_session_get_vault (f.session),
                         tf_registry_lookup ("client_histories"), maria, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                                                    stored, "social_history"),
                                                  "support_network"), ==,
                   "Δύο στενές φίλες, η θεία της.");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                                                    stored, "family_history"),
                                                  "composition"), ==,
                   "Ζει με τη μητέρα της και τον μικρότερο αδελφό.");
  g_assert_cmpuint (count_stored (&f, "client_histories", maria), ==, 1);

  /* A new page reads it back. */
  second = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (second), 1000, 760);
  gtk_window_set_child (GTK_WINDOW (second), tf_clients_page_new (f.session));
  gtk_window_present (GTK_WINDOW (second));
  tf_clients_page_show_client (TF_CLIENTS_PAGE (gtk_window_get_child (GTK_WINDOW (second))),
                               maria);
  show_section (second, "history");
  tf_ui_wait_shown (second, "history-family-composition");
  composition = view_text (second, "history-family-composition");
  self_harm = view_text (second, "history-psychiatric-self-harm");
  g_assert_cmpstr (composition, ==, "Ζει με τη μητέρα της και τον μικρότερο αδελφό.");
  g_assert_cmpstr (self_harm, ==, "Αυτοκτονικός ιδεασμός στα 19, χωρίς απόπειρα.");
  gtk_window_destroy (GTK_WINDOW (second));
  tf_ui_page_close (&f);
}

/* --- the intake ------------------------------------------------------------- */

static void
test_intake_phone_refused (void)
{
  Fixture f = { 0 };
  g_autofree char *maria = NULL, *conditions = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *message;
  JsonArray *list;

  fixture_set_up (&f, 1000);
  maria = pull_client (&f, "Μαρία", "Παπαδοπούλου", NULL);
  open_client (f.window, maria);
  show_section (f.window, "intake");
  tf_ui_wait_shown (f.window, "intake-contact-phone");

  tf_ui_type (f.window, "intake-contact-name", "Ελένη Παπαδοπούλου");
  tf_ui_type (f.window, "intake-contact-phone", "210 12Ο 4567");  /* a Greek Ο, not a zero */
  tf_ui_type (f.window, "intake-contact-relationship", "Αδελφή");
  set_view_text (f.window, "intake-conditions", "Υπέρταση\n\n  Άσθμα  ");
  tf_ui_click (f.window, "intake-save");

  /* Refused, said next to the fields, nothing stored, nothing lost. */
  g_assert_null (f.saved);
  g_assert_nonnull (f.failed);
  g_assert_nonnull (strstr (f.failed, "is not a phone number"));
  message = tf_ui_find (f.window, "intake-error");
  g_assert_true (gtk_widget_get_mapped (message));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==, f.failed);
  g_assert_true (gtk_widget_has_css_class (tf_ui_find (f.window, "intake-contact-phone"),
                                           "error"));
  g_assert_cmpuint (count_stored (&f, "client_intakes", maria), ==, 0);
  g_assert_cmpstr (entry_text (f.window, "intake-contact-phone"), ==, "210 12Ο 4567");
  g_assert_cmpstr (entry_text (f.window, "intake-contact-name"), ==, "Ελένη Παπαδοπούλου");
  conditions = view_text (f.window, "intake-conditions");
  g_assert_cmpstr (conditions, ==, "Υπέρταση\n\n  Άσθμα  ");

  /* Corrected: saved, the lines as a list, the message gone. */
  tf_ui_type (f.window, "intake-contact-phone", "+30 210 1234567");
  tf_ui_click (f.window, "intake-save");
  g_assert_cmpstr (f.saved, ==, "Intake saved");
  g_assert_false (gtk_widget_get_visible (message));
  stored = tf_vault_get (tf_session_get_vault (f.session), tf_registry_lookup ("client_intakes"),
                         maria, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (stored, "emergency_contact_phone"), ==,
                   "+30 210 1234567");
  g_assert_cmpstr (json_object_get_string_member (stored, "emergency_contact_relationship"), ==,
                   "Αδελφή");
  list = json_object_get_array_member (stored, "medical_conditions");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (list, 0), ==, "Υπέρταση");
  g_assert_cmpstr (json_array_get_string_element (list, 1), ==, "Άσθμα");

  /* Changed again, saved with Ctrl+S from the phone: the phone changes,
   * the untouched list stays. */
  tf_ui_type (f.window, "intake-contact-phone", "6944 123456");
  g_clear_pointer (&f.saved, g_free);
  g_assert_true (tf_ui_press (tf_ui_find (f.window, "intake-contact-phone"), GDK_KEY_s,
                              GDK_CONTROL_MASK));
  g_assert_cmpstr (f.saved, ==, "Intake saved");
  g_clear_pointer (&stored, json_object_unref);
  stored = tf_vault_get (tf_session_get_vault (f.session), tf_registry_lookup ("client_intakes"),
                         maria, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (stored, "emergency_contact_phone"), ==,
                   "6944 123456");
  list = json_object_get_array_member (stored, "medical_conditions");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  tf_ui_page_close (&f);
}

/* --- what the client shares -------------------------------------------------- */

static void
test_client_shares (void)
{
  Fixture f = { 0 };
  Client c = { 0 };
  g_autofree char *shared = NULL, *latest = NULL, *secret = NULL;
  g_autoptr(JsonObject) intake = json_object_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *list, *detail_title, *label;

  fixture_set_up (&f, 1000);
  client_open (&c, &f, FALSE);
  deliver_care (&c, &f);
  open_client (f.window, c.id);
  detail_title = tf_ui_find (f.window, "client-detail-title");

  /* Mood is not shared: said so. */
  show_section (f.window, "mood");
  tf_ui_wait_shown (f.window, "client-mood-not-shared");

  /* Nothing shared yet. */
  show_section (f.window, "journal");
  tf_ui_wait_shown (f.window, "client-journal-empty");
  list = tf_ui_find (f.window, "client-journal-list");
  g_assert_nonnull (list);

  /* The client shares an entry (and keeps another to themselves); a sync
   * brings both while the page is open.  The shared one shows in the same
   * list, readable; the private one is not listed. */
  shared = client_writes_entry (&c, "Μια δύσκολη εβδομάδα", "Δεν κοιμήθηκα καλά την Τρίτη.",
                                "2026-11-20T19:00:00Z", TRUE);
  secret = client_writes_entry (&c, "Μόνο για μένα", "Κάτι ιδιωτικό.",
                                "2026-11-21T19:00:00Z", FALSE);
  deliver (&c, &f, "journal_entries", shared, "journal_entries", secret, NULL);
  label = tf_ui_wait_label (list, "Μια δύσκολη εβδομάδα");
  g_assert_nonnull (label);
  tf_ui_wait_label (list, "Δεν κοιμήθηκα καλά την Τρίτη.");
  g_assert_null (tf_ui_find_label (list, "Μόνο για μένα"));
  g_assert_true (tf_ui_find (f.window, "client-journal-list") == list);
  g_assert_true (tf_ui_find (f.window, "client-detail-title") == detail_title);
  g_assert_false (gtk_widget_get_mapped (tf_ui_find (f.window, "client-journal-empty")));

  /* An entry whose key has not come: listed, said to be unreadable; the
   * newest first. */
  latest = client_writes_entry (&c, "Χθες βράδυ", "—", "2026-11-25T08:00:00Z", TRUE);
  {
    g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   tf_record_free);

    g_ptr_array_add (records, tf_store_get (c.store, tf_registry_lookup ("journal_entries"),
                                            latest, &error));
    g_assert_no_error (error);
    tf_ui_sign_as_queued (c.store, g_ptr_array_index (records, 0));
    tf_ui_pull_records (f.session, records);
  }
  /* Its title is encrypted like its content: neither shows. */
  tf_ui_wait_label (list, "Untitled");
  g_assert_nonnull (tf_ui_find (list, "client-journal-unreadable"));
  g_assert_null (tf_ui_find_label (list, "Χθες βράδυ"));
  g_assert_null (tf_ui_find_label (list, "—"));
  {
    g_autofree char *first = g_strdup_printf ("client-journal-%s", latest);

    g_assert_cmpstr (gtk_widget_get_name (gtk_widget_get_first_child (list)), ==, first);
  }

  /* An intake the client wrote for themselves is shared with the
   * therapists in care (as a managed client's is, issue 12); until its
   * grant is here it cannot be opened: said so, shown as far as it can be
   * read, and not overwritten. */
  json_object_set_string_member (intake, "client_id", c.id);
  json_object_set_string_member (intake, "emergency_contact_name", "Γιώργος Παπαδόπουλος");
  json_object_set_member (intake, "allergies", json_from_string ("[\"Πενικιλίνη\"]", NULL));
  json_object_set_string_member (intake, "created_at", "2026-11-01T10:00:00Z");
  g_assert_true (tf_vault_put (c.vault, tf_registry_lookup ("client_intakes"), c.id, intake,
                               &error));
  g_assert_no_error (error);
  deliver_without_grants (&c, &f, "client_intakes", c.id);
  show_section (f.window, "intake");
  tf_ui_wait_shown (f.window, "intake-unreadable");
  g_assert_cmpstr (entry_text (f.window, "intake-contact-name"), ==, "Γιώργος Παπαδόπουλος");
  g_assert_false (gtk_widget_is_sensitive (tf_ui_find (f.window, "intake-save")));
  g_assert_false (gtk_widget_is_sensitive (tf_ui_find (f.window, "intake-contact-name")));
  /* The grant arrives: it opens. */
  deliver (&c, &f, "client_intakes", c.id, NULL);
  tf_ui_wait_mapped (f.window, "intake-unreadable", FALSE);

  tf_ui_page_close (&f);
  client_close (&c);
}

int
main (int argc, char **argv)
{
  tf_ui_init (&argc, &argv, "C.UTF-8");

  g_test_add_func ("/tf/clients/list-search-detail", test_list_search_detail);
  g_test_add_func ("/tf/clients/arrival-keeps-focus", test_arrival_keeps_focus);
  g_test_add_func ("/tf/clients/history-saved", test_history_saved);
  g_test_add_func ("/tf/clients/intake-phone-refused", test_intake_phone_refused);
  g_test_add_func ("/tf/clients/client-shares", test_client_shares);
  return g_test_run ();
}
