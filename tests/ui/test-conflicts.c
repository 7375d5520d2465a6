/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-conflicts.c: the conflicts page in a real window under Xvfb, on a
 * client's profile made on this computer only.  Conflicts are made the way
 * a sync makes them (as tests/store/test-vault.c does): a record written
 * here and applied by the server, then changed here while another device
 * changed the same field; the push's "conflict" answer is merged by the
 * store, which keeps this device's edit as a conflict copy; then the
 * session's ::synced tells the page, as after a real sync.
 *
 * What a person would see: nothing to do at first; then each conflict named
 * for what it is, both texts side by side with the differing field marked;
 * "Keep both" only where two records may exist; keeping both leaves two
 * journal entries, keeping the server's drops this device's text after a
 * confirmation, keeping this device's replaces the other; and in a 360 px
 * window the two versions stand one above the other and nothing sticks out.
 * GTK warnings are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-conflicts-page.h"
#include "tf-crypto.h"
#include "tf-ui-test.h"

#define PASSWORD "σωστός κωδικός"

typedef TfUiPage Fixture;

static void
fixture_set_up (Fixture *f, int width)
{
  TfRegistration reg = { PASSWORD, "client", "Ελένη", "Π.", NULL };

  tf_ui_page_open (f, &reg, tf_conflicts_page_new, width, 700);
}

/* --- making conflicts ---------------------------------------------------- */

/* The newest queued mutation of record @id. */
static gint64
last_mutation (TfStore *store, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) outbox = tf_store_outbox_peek (store, 1000, &error);
  gint64 last = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (outbox); i++)
    {
      JsonObject *m = json_array_get_object_element (outbox, i);

      if (g_strcmp0 (json_object_get_string_member (m, "id"), id) == 0)
        last = MAX (last, json_object_get_int_member (m, "mutation_id"));
    }
  g_assert_cmpint (last, >, 0);
  return last;
}

static void
put_ok (Fixture *f, const char *table_name, const char *id, JsonObject *plain)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_vault_put (tf_ui_page_vault (f), tf_registry_lookup (table_name), id, plain,
                               &error));
  g_assert_no_error (error);
}

/* @plain written here and applied by the server (version 1); then another
 * device set @column to @server_text (version 2) while this one set it to
 * @local_text, and the push met the conflict.  Returns the copy's id (the
 * conflict's id); @out_id receives the record's. */
static char *
make_conflict (Fixture *f, const char *table_name, JsonObject *plain, const char *column,
               const char *server_text, const char *local_text, char **out_id)
{
  const TfTable *table = tf_registry_lookup (table_name);
  TfStore *store = tf_session_get_store (f->session);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *results_json = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(TfRecord) base = NULL;
  g_autoptr(JsonNode) server = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  TfMergeOutcome outcome;
  char *copy_id = NULL;

  put_ok (f, table_name, id, plain);
  results_json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\":"
                                  " \"applied\", \"version\": 1}]", last_mutation (store, id));
  results = json_from_string (results_json, NULL);
  g_assert_true (tf_store_apply_push_results (store, json_node_get_array (results), NULL,
                                              &error));
  g_assert_no_error (error);

  /* The other device's version, as the server holds it. */
  base = tf_store_get (store, table, id, &error);
  g_assert_no_error (error);
  if (tf_table_get_column (table, column)->flags & TF_COLUMN_ENCRYPTED)
    {
      g_autoptr(TfSecret) key = NULL;
      g_autofree char *envelope = NULL;

      key = tf_keys_open_data_key (tf_vault_get_keys (tf_ui_page_vault (f)),
                                   json_object_get_string_member (base->fields, "enc_key"),
                                   &error);
      g_assert_no_error (error);
      envelope = tf_crypto_encrypt_field (key, table_name, id, column, server_text, &error);
      g_assert_no_error (error);
      json_object_set_string_member (base->fields, column, envelope);
    }
  else
    json_object_set_string_member (base->fields, column, server_text);
  base->version = 2;
  server = tf_record_to_json (base);

  /* This device's edit of the same field, and the push's conflict. */
  edit = tf_vault_get (tf_ui_page_vault (f), table, id, &error);
  g_assert_no_error (error);
  json_object_set_string_member (edit, column, local_text);
  put_ok (f, table_name, id, edit);
  g_assert_true (tf_store_merge_conflict (store, last_mutation (store, id), server, &outcome,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, TF_MERGE_CONFLICT_COPY);

  conflicts = tf_vault_list_conflicts (tf_ui_page_vault (f), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      JsonObject *c = g_ptr_array_index (conflicts, i);

      if (g_strcmp0 (json_object_get_string_member (c, "original_id"), id) == 0)
        copy_id = g_strdup (json_object_get_string_member (c, "id"));
    }
  g_assert_nonnull (copy_id);
  *out_id = g_steal_pointer (&id);
  return copy_id;
}

static JsonObject *
new_record (Fixture *f, const char *created_at)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "user_id", tf_vault_get_user_id (tf_ui_page_vault (f)));
  json_object_set_string_member (o, "created_at", created_at);
  return o;
}

static char *
journal_conflict (Fixture *f, char **out_id)
{
  g_autoptr(JsonObject) o = new_record (f, "2026-03-01T08:00:00Z");

  json_object_set_string_member (o, "title", "Κυριακή");
  json_object_set_string_member (o, "content", "Αρχικό κείμενο.");
  json_object_set_boolean_member (o, "is_private", TRUE);
  json_object_set_boolean_member (o, "therapist_shared", FALSE);
  return make_conflict (f, "journal_entries", o, "content", "Από το κινητό.",
                        "Από τον υπολογιστή.", out_id);
}

static char *
mood_conflict (Fixture *f, char **out_id)
{
  g_autoptr(JsonObject) o = new_record (f, "2026-11-24T09:00:00Z");

  json_object_set_int_member (o, "mood_value", 6);
  json_object_set_string_member (o, "notes", "πρωί");
  return make_conflict (f, "mood_entries", o, "notes", "βράδυ στο σπίτι", "μεσημέρι στη δουλειά",
                        out_id);
}

/* A goal's mark for a day: one per goal and day, so never "keep both". */
static char *
progress_conflict (Fixture *f, char **out_id)
{
  g_autofree char *goal = g_uuid_string_random ();
  g_autoptr(JsonObject) g = new_record (f, "2026-11-01T08:00:00Z");
  g_autoptr(JsonObject) p = json_object_new ();

  json_object_set_string_member (g, "title", "Περπάτημα");
  put_ok (f, "goals", goal, g);
  json_object_set_string_member (p, "goal_id", goal);
  json_object_set_string_member (p, "completed_date", "2026-11-24");
  json_object_set_string_member (p, "notes", "μισή ώρα");
  return make_conflict (f, "goal_progress", p, "notes", "μία ώρα", "είκοσι λεπτά", out_id);
}

/* --- looking at the page ------------------------------------------------- */

typedef struct
{
  Fixture *f;
  guint    n;
} CountWait;

static gboolean
has_count (gpointer data)
{
  CountWait *w = data;

  return tf_conflicts_page_get_count (TF_CONFLICTS_PAGE (w->f->page)) == w->n;
}

/* As after a sync: the session says so and the page catches up. */
static void
announce_sync (Fixture *f, guint n_expected)
{
  CountWait w = { f, n_expected };

  g_signal_emit_by_name (f->session, "synced");
  g_assert_true (tf_ui_wait_for (has_count, &w));
}

static void
on_count_notify (GObject *page, GParamSpec *pspec, guint *n)
{
  (*n)++;
}

static GtkWidget *
card (Fixture *f, const char *copy_id)
{
  g_autofree char *name = g_strconcat ("conflict-", copy_id, NULL);

  return tf_ui_find (f->window, name);
}

static GtkWidget *
side (GtkWidget *conflict, const char *which)
{
  GtkWidget *column = tf_ui_find (conflict, which);

  g_assert_nonnull (column);
  return column;
}

static graphene_rect_t
bounds_in (GtkWidget *widget, GtkWidget *window)
{
  graphene_rect_t r;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &r));
  return r;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* Every widget shown under @root lies within the window's width. */
static void
assert_within (GtkWidget *root, GtkWidget *window, int width)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t r;

      if (!gtk_widget_get_mapped (child))
        continue;
      r = bounds_in (child, window);
      if (r.origin.x < -0.5 || r.origin.x + r.size.width > width + 0.5)
        g_error ("%s “%s” lies at %.0f..%.0f in a window %d px wide",
                 G_OBJECT_TYPE_NAME (child), gtk_widget_get_name (child), r.origin.x,
                 r.origin.x + r.size.width, width);
      assert_within (child, window, width);
    }
}

static void
click_in (GtkWidget *conflict, const char *name)
{
  GtkWidget *button = tf_ui_find (conflict, name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* As a click would: the button has the focus when its card goes. */
  gtk_widget_grab_focus (button);
  g_signal_emit_by_name (button, "clicked");
}

/* The live records of @table_name whose @column is @value. */
static guint
count_with (Fixture *f, const char *table_name, const char *column, const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tf_vault_list (tf_ui_page_vault (f),
                                            tf_registry_lookup (table_name), NULL, NULL, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (g_ptr_array_index (all, i),
                                                               column, NULL), value) == 0)
      n++;
  return n;
}

static guint
count_all (Fixture *f, const char *table_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tf_vault_list (tf_ui_page_vault (f),
                                            tf_registry_lookup (table_name), NULL, NULL, &error);

  g_assert_no_error (error);
  return all->len;
}

static void
on_unlocked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_session_unlock_finish (TF_SESSION (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

/* --- tests --------------------------------------------------------------- */

static void
test_side_by_side (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autofree char *journal = NULL, *journal_copy = NULL;
  g_autofree char *mood = NULL, *mood_copy = NULL;
  g_autofree char *day = NULL, *day_copy = NULL;
  GtkWidget *empty, *conflict, *local, *server, *label;
  graphene_rect_t l, s;
  guint notified = 0;

  fixture_set_up (f, 800);
  g_signal_connect (f->page, "notify::count", G_CALLBACK (on_count_notify), &notified);

  /* Nothing to do yet. */
  empty = tf_ui_wait_shown (f->window, "conflicts-empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Conflicts");
  g_assert_cmpuint (tf_conflicts_page_get_count (TF_CONFLICTS_PAGE (f->page)), ==, 0);

  /* A sync brings three. */
  journal_copy = journal_conflict (f, &journal);
  mood_copy = mood_conflict (f, &mood);
  day_copy = progress_conflict (f, &day);
  announce_sync (f, 3);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_false (gtk_widget_get_mapped (empty));

  /* Each named for what it is. */
  conflict = card (f, journal_copy);
  g_assert_nonnull (conflict);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (conflict)), ==,
                   "Journal entry “Κυριακή”");
  g_assert_true (g_str_has_prefix (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                                     card (f, mood_copy))), "Mood check-in of 24 November"));
  g_assert_nonnull (strstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                              card (f, mood_copy))), "09:00"));
  g_assert_true (g_str_has_prefix (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                                     card (f, day_copy))), "Goal marked done on 24 November"));

  /* Both texts, each in its own column, the changed field marked and the
   * same title not. */
  local = side (conflict, "conflict-local");
  server = side (conflict, "conflict-server");
  g_assert_nonnull (tf_ui_find_label (local, "On this device"));
  g_assert_nonnull (tf_ui_find_label (server, "On the server"));
  g_assert_nonnull (tf_ui_find_label (local, "Από τον υπολογιστή."));
  g_assert_null (tf_ui_find_label (local, "Από το κινητό."));
  g_assert_nonnull (tf_ui_find_label (server, "Από το κινητό."));
  g_assert_null (tf_ui_find_label (server, "Από τον υπολογιστή."));
  g_assert_nonnull (tf_ui_find_label (local, "Content (differs)"));
  g_assert_nonnull (tf_ui_find_label (server, "Content (differs)"));
  label = tf_ui_find_label (local, "Από τον υπολογιστή.");
  g_assert_true (gtk_widget_has_css_class (label, "conflict-differs"));
  g_assert_nonnull (tf_ui_find_label (local, "Title"));
  g_assert_null (tf_ui_find_label (local, "Title (differs)"));
  label = tf_ui_find_label (local, "Κυριακή");
  g_assert_nonnull (label);
  g_assert_false (gtk_widget_has_css_class (label, "conflict-differs"));
  /* The mood's score is in words a person reads. */
  g_assert_nonnull (tf_ui_find_label (side (card (f, mood_copy), "conflict-local"),
                                      "6 out of 10"));

  /* Side by side in a wide window. */
  g_assert_true (tf_ui_wait_for (is_mapped, server));
  l = bounds_in (local, f->window);
  s = bounds_in (server, f->window);
  g_assert_cmpfloat (l.origin.y, ==, s.origin.y);
  g_assert_cmpfloat (l.origin.x + l.size.width, <=, s.origin.x);

  /* "Keep both" only where two records may exist. */
  g_assert_nonnull (tf_ui_find_shown (conflict, "conflict-keep-both"));
  g_assert_nonnull (tf_ui_find_shown (card (f, mood_copy), "conflict-keep-both"));
  g_assert_null (tf_ui_find_shown (card (f, day_copy), "conflict-keep-both"));
  g_assert_nonnull (tf_ui_find_shown (card (f, day_copy), "conflict-keep-server"));

  /* Keep both: two journal entries, and the conflict is gone. */
  click_in (conflict, "conflict-keep-both");
  g_assert_null (f->failed);
  g_assert_cmpstr (f->saved, ==, "Both versions were kept");
  /* The keyboard is on the next conflict's first choice. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

    g_assert_true (GTK_IS_BUTTON (focus));
    g_assert_true (gtk_widget_is_ancestor (focus, card (f, mood_copy)));
  }
  g_assert_cmpuint (tf_conflicts_page_get_count (TF_CONFLICTS_PAGE (f->page)), ==, 2);
  g_assert_null (card (f, journal_copy));
  g_assert_cmpuint (count_all (f, "journal_entries"), ==, 2);
  g_assert_cmpuint (count_with (f, "journal_entries", "content", "Από τον υπολογιστή."), ==, 1);
  g_assert_cmpuint (count_with (f, "journal_entries", "content", "Από το κινητό."), ==, 1);

  /* Keep this device's, after confirming: the mark's notes are this
   * device's, and there is still one mark. */
  g_clear_pointer (&f->saved, g_free);
  click_in (card (f, day_copy), "conflict-keep-local");
  {
    g_autofree char *heading = tf_ui_answer_dialog ("conflict-confirm-dialog", "keep");
    g_assert_cmpstr (heading, ==, "Replace the Server’s Version?");
  }
  g_assert_null (f->failed);
  g_assert_cmpstr (f->saved, ==, "This device’s version was kept");
  g_assert_cmpuint (tf_conflicts_page_get_count (TF_CONFLICTS_PAGE (f->page)), ==, 1);
  g_assert_null (card (f, day_copy));
  g_assert_cmpuint (count_all (f, "goal_progress"), ==, 1);
  g_assert_cmpuint (count_with (f, "goal_progress", "notes", "είκοσι λεπτά"), ==, 1);
  g_assert_nonnull (card (f, mood_copy));

  /* Locked, nothing of either version is left on screen; unlocked, the
   * conflict is back. */
  tf_session_lock (f->session);
  g_assert_null (card (f, mood_copy));
  g_assert_null (tf_ui_find_label (f->window, "μεσημέρι στη δουλειά"));
  g_assert_cmpuint (tf_conflicts_page_get_count (TF_CONFLICTS_PAGE (f->page)), ==, 0);
  {
    gboolean unlocked = FALSE;
    CountWait w = { f, 1 };

    tf_session_unlock_async (f->session, PASSWORD, NULL, on_unlocked, &unlocked);
    g_assert_true (tf_ui_wait_for (tf_ui_is_true, &unlocked));
    g_assert_true (tf_ui_wait_for (has_count, &w));
  }
  g_assert_nonnull (tf_ui_find_label (side (card (f, mood_copy), "conflict-local"),
                                "μεσημέρι στη δουλειά"));

  tf_ui_page_close (f);
}

static void
test_narrow_keep_server (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autofree char *mood = NULL, *mood_copy = NULL;
  GtkWidget *conflict, *local, *server;
  graphene_rect_t l, s;
  int min_width = 0;

  fixture_set_up (f, 360);
  tf_ui_wait_shown (f->window, "conflicts-empty");
  mood_copy = mood_conflict (f, &mood);
  announce_sync (f, 1);

  /* One above the other, and nothing wider than the window. */
  conflict = card (f, mood_copy);
  local = side (conflict, "conflict-local");
  server = side (conflict, "conflict-server");
  g_assert_true (tf_ui_wait_for (is_mapped, server));
  g_assert_nonnull (tf_ui_find_label (local, "μεσημέρι στη δουλειά"));
  g_assert_nonnull (tf_ui_find_label (server, "βράδυ στο σπίτι"));
  l = bounds_in (local, f->window);
  s = bounds_in (server, f->window);
  g_assert_cmpfloat (l.origin.x, ==, s.origin.x);
  g_assert_cmpfloat (l.origin.y + l.size.height, <=, s.origin.y);
  gtk_widget_measure (f->window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (f->window), ==, 360);
  assert_within (f->window, f->window, 360);

  /* Keep the server's: nothing happens without confirming. */
  click_in (conflict, "conflict-keep-server");
  {
    g_autofree char *heading = tf_ui_answer_dialog ("conflict-confirm-dialog", "cancel");
    g_assert_cmpstr (heading, ==, "Discard This Device’s Version?");
  }
  g_assert_null (f->saved);
  g_assert_cmpuint (tf_conflicts_page_get_count (TF_CONFLICTS_PAGE (f->page)), ==, 1);
  g_assert_nonnull (card (f, mood_copy));

  /* Confirmed: this device's text is gone, the server's stays. */
  click_in (conflict, "conflict-keep-server");
  g_free (tf_ui_answer_dialog ("conflict-confirm-dialog", "keep"));
  g_assert_null (f->failed);
  g_assert_cmpstr (f->saved, ==, "The server’s version was kept");
  g_assert_cmpuint (tf_conflicts_page_get_count (TF_CONFLICTS_PAGE (f->page)), ==, 0);
  g_assert_null (card (f, mood_copy));
  g_assert_cmpuint (count_all (f, "mood_entries"), ==, 1);
  g_assert_cmpuint (count_with (f, "mood_entries", "notes", "βράδυ στο σπίτι"), ==, 1);
  g_assert_cmpuint (count_with (f, "mood_entries", "notes", "μεσημέρι στη δουλειά"), ==, 0);
  tf_ui_wait_shown (f->window, "conflicts-empty");

  tf_ui_page_close (f);
}

int
main (int argc, char **argv)
{
  tf_ui_init (&argc, &argv, "C.UTF-8");

  g_test_add_func ("/ui/conflicts/side-by-side-keep-both-keep-local", test_side_by_side);
  g_test_add_func ("/ui/conflicts/narrow-stacked-keep-server", test_narrow_keep_server);
  return g_test_run ();
}
