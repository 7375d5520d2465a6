/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-app.c: the real app's window under Xvfb, driven as a person would:
 * first run on this computer only, a check-in saved and listed, the app
 * closed and opened again, a wrong password refused, the right one finding
 * the check-in; and the window in Greek under a Greek locale.  GTK
 * warnings are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-page.h"
#include "tf-preferences.h"
#include "tf-preferences-window.h"
#include "tf-recover-dialog.h"
#include "tf-safety-dialog.h"
#include "tf-sign-in-again.h"
#include "tf-store.h"
#include "tf-sync-client.h"
#include "tf-ui-test.h"
#include "tf-window.h"

#define PASSWORD "σωστός κωδικός"

static char *data_dir;

static guint
rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      n++;
  return n;
}

static gboolean
has_rows (gpointer data)
{
  Lookup *l = data;
  GtkWidget *list = tf_ui_find (l->window, "checkin-history");

  return list != NULL && rows (list) > 0;
}

static gboolean
label_set (gpointer data)
{
  Lookup *l = data;
  GtkWidget *label = tf_ui_find (l->window, l->name);

  return label != NULL && *gtk_label_get_text (GTK_LABEL (label)) != '\0' &&
         strcmp (gtk_label_get_text (GTK_LABEL (label)), _("Unlocking…")) != 0;
}

static gboolean
locked (gpointer session)
{
  return !tf_session_is_unlocked (session);
}

static GtkWidget *
open_window (TfSession **out_session)
{
  g_autoptr(GError) error = NULL;
  TfSession *session = tf_session_new (data_dir, &error);
  TfWindow *window;

  g_assert_no_error (error);
  window = tf_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  *out_session = session;
  return GTK_WIDGET (window);
}

static void
close_window (GtkWidget *window, TfSession *session)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (session);
}

static void
test_first_run_and_check_in (void)
{
  TfSession *session = NULL;
  GtkWidget *window = open_window (&session);
  GtkWidget *list, *row;
  Lookup recovery = { window, "onboarding-recovery-key" };
  Lookup history = { window, "checkin-history" };
  GtkTextBuffer *note;

  /* First run: this computer only. */
  tf_ui_click (window, "onboarding-local");
  tf_ui_type (window, "onboarding-first-name", "Ελένη");
  tf_ui_type (window, "onboarding-last-name", "Π.");
  tf_ui_type (window, "onboarding-password", PASSWORD);
  tf_ui_type (window, "onboarding-confirm", "something else");
  tf_ui_click (window, "onboarding-continue");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (window, "onboarding-error"))), ==,
                   "The two passwords differ");
  tf_ui_type (window, "onboarding-confirm", PASSWORD);
  tf_ui_click (window, "onboarding-continue");

  /* The recovery key, shown once, and only after saying it is written down
   * can the person go on. */
  g_assert_true (tf_ui_wait_for (label_set, &recovery));
  g_assert_cmpuint (strlen (gtk_label_get_text (GTK_LABEL (tf_ui_find (window,
                                                                 "onboarding-recovery-key")))),
                    >, 50);
  g_assert_false (gtk_widget_is_sensitive (tf_ui_find (window, "onboarding-recovery-done")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (tf_ui_find (window, "onboarding-recovery-check")),
                               TRUE);
  tf_ui_click (window, "onboarding-recovery-done");

  /* A check-in, saved in one action and listed at once. */
  tf_ui_wait_shown (window, "checkin-save");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (window, "sync-status"))), ==,
                   "This computer only");
  gtk_range_set_value (GTK_RANGE (tf_ui_find (window, "checkin-mood")), 7);
  gtk_range_set_value (GTK_RANGE (tf_ui_find (window, "checkin-anxiety")), 3);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (tf_ui_find (window, "emotion-calm")), TRUE);
  note = gtk_text_view_get_buffer (GTK_TEXT_VIEW (tf_ui_find (window, "checkin-note")));
  gtk_text_buffer_set_text (note, "ήρεμη μέρα στη θάλασσα", -1);
  tf_ui_click (window, "checkin-save");
  g_assert_true (tf_ui_wait_for (has_rows, &history));
  list = tf_ui_find (window, "checkin-history");
  g_assert_cmpuint (rows (list), ==, 1);
  row = gtk_widget_get_first_child (list);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Mood 7 · Energy 5 · Anxiety 3");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "ήρεμη μέρα στη θάλασσα"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Calm"));
  /* The form is ready for the next one. */
  g_assert_cmpint ((int) gtk_range_get_value (GTK_RANGE (tf_ui_find (window, "checkin-mood"))), ==, 5);
  close_window (window, session);
}

static void
test_reopen_and_unlock (void)
{
  TfSession *session = NULL;
  GtkWidget *window = open_window (&session);
  Lookup error_label = { window, "unlock-error" };
  Lookup history = { window, "checkin-history" };
  GtkWidget *row;

  /* Started again: locked, nothing decrypted until the password. */
  tf_ui_wait_shown (window, "unlock-password");
  g_assert_null (tf_ui_find (window, "checkin-history"));
  tf_ui_type (window, "unlock-password", "wrong password");
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for (label_set, &error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tf_ui_find (window, "unlock-error"))), ==,
                   "Wrong password");
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for (has_rows, &history));
  row = gtk_widget_get_first_child (tf_ui_find (window, "checkin-history"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "ήρεμη μέρα στη θάλασσα"));

  /* Locking drops the views again. */
  g_assert_true (gtk_widget_activate_action (window, "win.lock", NULL));
  tf_ui_wait_shown (window, "unlock-password");
  g_assert_null (tf_ui_find (window, "checkin-history"));

  /* Left alone, it locks itself. */
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for (has_rows, &history));
  tf_window_set_idle_lock (TF_WINDOW (window), 1);
  g_assert_true (tf_ui_wait_for (locked, session));
  g_assert_null (tf_ui_find (window, "checkin-history"));
  close_window (window, session);
}

/* A window on a new profile of @role, unlocked through its unlock page. */
static GtkWidget *
open_unlocked (const char *role, TfSession **out_session, char **out_dir)
{
  TfRegistration reg = {
    .password = PASSWORD, .role = role, .first_name = "Ελένη", .last_name = "Δήμου",
    .license_number = g_str_equal (role, "therapist") ? "ΑΜ-1077" : NULL,
  };
  TfSession *session = tf_ui_new_profile (&reg, out_dir);
  TfWindow *window;

  tf_session_lock (session);
  window = tf_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_type (GTK_WIDGET (window), "unlock-password", PASSWORD);
  tf_ui_click (GTK_WIDGET (window), "unlock-button");
  g_assert_true (tf_ui_wait_for ((gboolean (*) (gpointer)) tf_session_is_unlocked, session));
  *out_session = session;
  return GTK_WIDGET (window);
}

static AdwViewStack *
views_of (GtkWidget *window)
{
  GtkWidget *views = tf_ui_wait_shown (window, "main-views");

  return ADW_VIEW_STACK (views);
}

static gboolean
has_greek_letter (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x0386 && c <= 0x03ce)
        return TRUE;
    }
  return FALSE;
}

/* Opens a window on a new profile of each role, unlocked, runs @check on it
 * and its main views, and closes it. */
static void
for_each_role (void (*check) (const char *role, GtkWidget *window, AdwViewStack *views))
{
  const char *roles[] = { "client", "therapist" };

  for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
    {
      g_autofree char *dir = NULL;
      TfSession *session = NULL;
      GtkWidget *window = open_unlocked (roles[r], &session, &dir);

      check (roles[r], window, views_of (window));
      close_window (window, session);
      tf_ui_remove_profile (dir);
    }
}

static void
check_greek_views (const char *role, GtkWidget *window, AdwViewStack *views)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (views);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      g_test_message ("%s view: %s", role, adw_view_stack_page_get_title (page));
      g_assert_true (has_greek_letter (adw_view_stack_page_get_title (page)));
    }
  g_assert_true (has_greek_letter (gtk_label_get_text (GTK_LABEL (tf_ui_find (window,
                                                                      "sync-status")))));
}

/* Every view of the main window, for a client and a therapist, is titled
 * in Greek under a Greek locale. */
static void
test_greek_views (void)
{
  for_each_role (check_greek_views);
}

static void
check_pages_by_contract (const char *role, GtkWidget *window, AdwViewStack *views)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (views);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);
      TfPage *view;

      g_test_message ("%s view %s: %s", role, adw_view_stack_page_get_name (page),
                      G_OBJECT_TYPE_NAME (child));
      g_assert_true (TF_IS_PAGE (child));
      view = TF_PAGE (child);
      g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, tf_page_get_name (view));
      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, tf_page_get_title (view));
      g_assert_cmpstr (adw_view_stack_page_get_icon_name (page), ==,
                       tf_page_get_icon_name (view));
      g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), ==,
                        tf_page_get_badge (view));
      g_assert_cmpint (adw_view_stack_page_get_needs_attention (page), ==,
                       tf_page_get_badge (view) > 0);
      if (tf_page_get_needs (view) & TF_PAGE_SHOWN_WITH_BADGE)
        g_assert_cmpint (adw_view_stack_page_get_visible (page), ==,
                         tf_page_get_badge (view) > 0);
      else
        g_assert_true (adw_view_stack_page_get_visible (page));
    }
}

/* The window's views are pages by their contract (TfPage): each view of
 * both roles is a TfPage, named, titled, iconed and badged as the page
 * says, and one shown only with a badge (Conflicts) is hidden at 0. */
static void
test_pages_by_contract (void)
{
  for_each_role (check_pages_by_contract);
}

/* What @widget is, for a message: its type, name and words. */
static char *
describe (GtkWidget *widget)
{
  GString *out = g_string_new (G_OBJECT_TYPE_NAME (widget));
  const char *name = gtk_widget_get_name (widget);

  if (!g_str_equal (name, G_OBJECT_TYPE_NAME (widget)))
    g_string_append_printf (out, " “%s”", name);
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, " «%s»%s%s", gtk_label_get_text (GTK_LABEL (widget)),
                            gtk_label_get_wrap (GTK_LABEL (widget)) ? " wraps" : "",
                            gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE
                              ? " ellipsizes" : "");
  return g_string_free (out, FALSE);
}

/* Says which widgets under @widget, shown, ask for more than @limit px or
 * are laid out wider: the chain down to where the width comes from.  Where
 * no child alone asks for too much, they do side by side: each is listed
 * with what it asks for, and the chain goes on through the widest — so that
 * a view found too wide says why. */
static void
report_too_wide (GtkWidget *widget, int limit, int depth)
{
  int minimum = 0, widest_minimum = -1;
  GtkWidget *widest = NULL;
  gboolean child_too_wide = FALSE;
  g_autofree char *what = NULL;

  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= limit && gtk_widget_get_width (widget) <= limit)
    return;
  what = describe (widget);
  g_test_message ("%*s%s asks for %d px, is %d px wide", depth * 2, "", what, minimum,
                  gtk_widget_get_width (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      int child_minimum = 0;

      if (!gtk_widget_get_visible (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &child_minimum, NULL, NULL, NULL);
      child_too_wide |= child_minimum > limit || gtk_widget_get_width (c) > limit;
      if (child_minimum > widest_minimum)
        {
          widest = c;
          widest_minimum = child_minimum;
        }
    }
  if (child_too_wide)
    {
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        report_too_wide (c, limit, depth + 1);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c) && c != widest)
      {
        g_autofree char *part = describe (c);
        int child_minimum = 0;

        gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &child_minimum, NULL, NULL,
                            NULL);
        g_test_message ("%*s%s asks for %d px beside it", depth * 2 + 2, "", part,
                        child_minimum);
      }
  if (widest != NULL && widest_minimum > 0)
    report_too_wide (widest, widest_minimum - 1, depth + 1);
}

/* The window laid out 360 px wide (its frame takes a few pixels without a
 * window manager), asked again should a late configure event have brought
 * back the size it had, as a person would resize it again. */
static gboolean
laid_out_narrow (gpointer data)
{
  GtkWidget *window = data;
  int width = gtk_widget_get_width (window);

  if (width > 0 && width <= 360 && width >= 340)
    return TRUE;
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  return FALSE;
}

static void
check_narrow (const char *role, GtkWidget *window, AdwViewStack *views)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (views);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  /* Measured before the window took its new width, the header would still
   * have its wide words, which are never cut. */
  g_assert_true (tf_ui_wait_for (laid_out_narrow, window));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      int minimum = 0, natural = 0;

      if (!adw_view_stack_page_get_visible (page))
        continue;  /* conflicts, while there are none */
      adw_view_stack_set_visible_child (views, adw_view_stack_page_get_child (page));
      while (g_main_context_iteration (NULL, FALSE))
        ;
      gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural,
                          NULL, NULL);
      g_test_message ("%s, %s: minimum width %d", role,
                      adw_view_stack_page_get_name (page), minimum);
      if (minimum > 360)
        {
          /* The window's frame takes its part: its content has less. */
          GtkWidget *content = gtk_widget_get_first_child (window);
          int content_minimum = 0;

          gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &content_minimum, NULL,
                              NULL, NULL);
          g_test_message ("%s, %s: wider than the window:", role,
                          adw_view_stack_page_get_name (page));
          report_too_wide (content, 360 - (minimum - content_minimum), 0);
        }
      g_assert_cmpint (minimum, <=, 360);
    }
}

/* At 360 px wide (a phone), every view of both roles fits: the window asks
 * for no more width than that — in English and in Greek, whose words are
 * longer. */
static void
test_narrow (void)
{
  for_each_role (check_narrow);
}

/* The minimum width @widget asks for, once shown; at most @limit. */
static void
assert_fits_in (GtkWidget *widget, const char *what, int limit)
{
  int minimum = 0, natural = 0;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("%s: minimum width %d", what, minimum);
  g_assert_cmpint (minimum, <=, limit);
}

/* @window shown 360 px wide asks for no more. */
static void
assert_fits (GtkWidget *window, const char *what)
{
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_present (GTK_WINDOW (window));
  assert_fits_in (window, what, 360);
}

static void
never_called (GtkWindow *window)
{
  g_assert_not_reached ();
}

/* The account's views fit 360 px too: Preferences with "Sync With a
 * Server" and the Account page of a profile on this computer only, the unlock page with "Forgot Your Password?", and the "Sign In
 * Again" and recovery dialogs. */
static void
test_narrow_account (void)
{
  TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Ελένη", .last_name = "Δήμου",
  };
  g_autofree char *dir = NULL;
  TfSession *session = tf_ui_new_profile (&reg, &dir);
  GtkWidget *prefs, *window, *dialog;

  prefs = tf_preferences_window_new (NULL, NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (prefs), 360, 640);
  tf_ui_wait_shown (prefs, "preferences-publish");
  /* The window itself asks 370 px, with or without this group (libadwaita's
   * preferences window); the group's content must not ask for more. */
  assert_fits_in (tf_ui_find (prefs, "preferences-publish"), "sync with a server", 360 - 24);
  /* The Account page of a local-only profile says so and leads to it. */
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (tf_ui_find (prefs,
                                                                             "account-page")));
  tf_ui_wait_shown (prefs, "account-local");
  tf_ui_wait_mapped (prefs, "account-sessions", FALSE);
  assert_fits_in (tf_ui_find (prefs, "account-local"), "account on this computer only",
                  360 - 24);
  tf_ui_click (prefs, "account-publish");
  tf_ui_wait_shown (prefs, "preferences-publish");
  dialog = tf_sign_in_again_present (GTK_WINDOW (prefs), session);
  assert_fits (dialog, "sign in again");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (prefs));

  tf_session_lock (session);
  window = GTK_WIDGET (tf_window_new (NULL, session));
  assert_fits (window, "unlock");
  tf_ui_wait_shown (window, "unlock-forgot");
  dialog = tf_recover_dialog_present (GTK_WINDOW (window), session, never_called);
  assert_fits (dialog, "recovery");
  gtk_window_destroy (GTK_WINDOW (dialog));
  close_window (window, session);
  tf_ui_remove_profile (dir);
}

static void
test_greek (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tf-ui-el-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  TfSession *session = tf_session_new (dir, &error);
  TfWindow *window;
  GtkWidget *local;

  g_assert_no_error (error);
  window = tf_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  local = tf_ui_wait_shown (GTK_WIDGET (window), "onboarding-local");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (local)), !=,
                   "_Use on This Computer Only");
  g_assert_true (g_utf8_validate (gtk_button_get_label (GTK_BUTTON (local)), -1, NULL));
  /* Greek letters, not the English source. */
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (local)), "υπολογιστή"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Therapy Field");
  close_window (GTK_WIDGET (window), session);
  tf_ui_remove_profile (dir);
}

/* The user the refused grant of the banner's test is said to be from. */
#define STRANGER "5b0c1e2d-3f4a-4b5c-8d6e-7f8091a2b3c4"

/* The banner's Details list the refused grant as the server's word, who
 * this device does not know, with nothing cut. */
static void
check_refusal_row (GtkWidget *window)
{
  g_autofree char *said = g_strdup_printf (_("The server says it is from %s, whose keys this "
                                             "device does not know"), STRANGER);
  GtkWidget *dialog = NULL, *row;
  int minimum = 0;

  tf_ui_click (window, "server-lost-details");
  while (dialog == NULL)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      g_main_context_iteration (NULL, TRUE);
      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
        {
          g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

          if (g_strcmp0 (gtk_widget_get_name (w), "refusals-dialog") == 0 &&
              gtk_widget_get_mapped (w))
            dialog = w;
        }
    }
  tf_ui_wait_subtitle (dialog, "refusal-row", said);
  row = tf_ui_find (dialog, "refusal-row");
  g_test_message ("row: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  while (gtk_widget_get_width (row) == 0)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, gtk_widget_get_width (row));
  tf_ui_shot (g_strcmp0 (g_getenv ("LANGUAGE"), "el") == 0 ? "refusal-unknown-author-el"
                                                          : "refusal-unknown-author");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  const char *expected;  /* in the banner's text */
  gboolean    refused;   /* a record refused here, instead of changes the server lost */
} Notice;

/* The profile says the server lost changes (as a sync that found its
 * bookkeeping went back leaves it), or holds a record from the server this
 * device refused (a forged key grant): the window says so above the views,
 * in the language of the app, until it is dismissed, and it stays
 * dismissed.  A refused record points to the app's list, not to a CLI
 * command, and the list says who the server claims made the grant — a
 * user id, since this device knows neither their name nor their keys. */
static void
test_server_lost_banner (gconstpointer data)
{
  const Notice *notice = data;
  TfRegistration reg = {
    .password = PASSWORD, .role = "client", .first_name = "Ελένη", .last_name = "Δήμου",
  };
  g_autofree char *dir = NULL;
  TfSession *session = tf_ui_new_profile (&reg, &dir);
  const char * const keys[] = { TF_SYNC_STATE_SERVER_LOST, TF_SYNC_STATE_SERVER_RESENT, NULL };
  const char * const values[] = { "2026-12-01T10:00:00Z", "2", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  GtkWidget *window, *text;

  if (notice->refused)
    {
      g_autoptr(JsonNode) node = json_from_string (
        "{\"table\": \"key_grants\", \"id\": \"7d1f8a5e-4b1c-4c2e-9a57-3c1b2a4d5e6f\","
        " \"version\": 3, \"deleted\": false, \"fields\": {\"table_name\": \"journal_entries\","
        " \"record_id\": \"0e6c2b4a-1d3f-4a5b-9c7d-8e9f0a1b2c3d\", \"owner_id\": \"" STRANGER "\","
        " \"recipient_id\": \"1f7d3c5b-2e4a-4b6c-8d8e-9fa0b1c2d3e4\", \"sealed_key\": \"sealed\"}}",
        &error);
      g_autoptr(TfRecord) grant = tf_record_from_json (node, &error);

      g_assert_no_error (error);
      g_assert_true (tf_store_add_refused_record (tf_session_get_store (session), grant,
                                                  "grant_unsigned", "not signed", FALSE, NULL,
                                                  &error));
    }
  else
    g_assert_true (tf_store_set_state (tf_session_get_store (session), keys, values, &error));
  g_assert_no_error (error);
  tf_session_lock (session);
  window = GTK_WIDGET (tf_window_new (NULL, session));
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  text = tf_ui_wait_shown (window, "server-lost-text");
  g_test_message ("banner: %s", gtk_label_get_text (GTK_LABEL (text)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (text)), notice->expected));
  if (notice->refused)
    check_refusal_row (window);

  tf_ui_click (window, "server-lost-dismiss");
  tf_ui_wait_mapped (window, "server-lost-text", FALSE);
  left = tf_sync_notice_text (tf_session_get_store (session));
  g_assert_null (left);
  /* Locked and unlocked again: still gone. */
  g_assert_true (gtk_widget_activate_action (window, "win.lock", NULL));
  g_assert_true (tf_ui_wait_for (locked, session));
  tf_ui_wait_shown (window, "unlock-password");
  tf_ui_type (window, "unlock-password", PASSWORD);
  tf_ui_click (window, "unlock-button");
  g_assert_true (tf_ui_wait_for ((gboolean (*) (gpointer)) tf_session_is_unlocked, session));
  tf_ui_wait_shown (window, "main-views");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (tf_ui_find (window,
                                                                  "server-lost-banner"))));
  close_window (window, session);
  tf_ui_remove_profile (dir);
}

/* Remembers keys made here for @user_id in @session's vault; returns their
 * fingerprint. */
static char *
remember_new_keys (TfSession *session, const char *user_id, gboolean expect_change)
{
  g_autofree char *identity = NULL, *signing = NULL;
  g_autoptr(TfSecret) identity_secret = NULL, signing_secret = NULL;
  g_autoptr(GError) error = NULL;
  const char *publics[3] = { NULL };

  g_assert_true (tf_crypto_box_keypair (&identity, &identity_secret, &error));
  g_assert_true (tf_crypto_sign_keypair (&signing, &signing_secret, &error));
  publics[0] = identity;
  publics[1] = signing;
  tf_vault_remember_key (tf_session_get_vault (session), user_id, identity, signing, NULL,
                         "anastasia@example.gr", &error);
  if (expect_change)
    g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED);
  else
    g_assert_no_error (error);
  return tf_crypto_fingerprint (publics);
}

/* The Verify Safety Number dialog fits 360 px with a key change's warning
 * shown, its words in the app's language (Greek letters in Greek). */
static void
test_narrow_safety (void)
{
  static const TfRegistration reg = {
    .password = "σωστός κωδικός", .role = "therapist", .first_name = "Άρτεμις",
    .last_name = "Καλογεροπούλου", .license_number = "ΑΜ-4821",
  };
  g_autofree char *dir = NULL, *other = g_uuid_string_random ();
  g_autofree char *first = NULL, *second = NULL;
  TfSession *session = tf_ui_new_profile (&reg, &dir);
  GtkWidget *dialog;
  const char *words;

  first = remember_new_keys (session, other, FALSE);
  second = remember_new_keys (session, other, TRUE);
  g_assert_true (tf_safety_keys_changed (session, other));
  dialog = tf_safety_dialog_new (session, other, "Αναστασία Χατζηπαναγιώτου", NULL);
  g_object_ref_sink (dialog);
  assert_fits (dialog, "safety number dialog");
  tf_ui_wait_mapped (dialog, "safety-warning", TRUE);
  words = gtk_label_get_text (GTK_LABEL (tf_ui_find (dialog, "safety-words")));
  g_assert_true (has_greek_letter (words) == (g_strcmp0 (g_getenv ("LANGUAGE"), "el") == 0));
  {
    const char *language = g_getenv ("LANGUAGE");
    g_autofree char *file = g_strdup_printf ("safety-%s", language != NULL ? language : "en");

    tf_ui_shot (file);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (session);
  tf_ui_remove_profile (dir);
}

static const Notice english_lost = { "The server had lost 2 changes from", FALSE };
static const Notice english_refused = {
  "This device does not use it: see Details, or Refused Records… in the main menu.", TRUE
};
static const Notice greek_lost = { "Ο διακομιστής είχε χάσει 2 αλλαγές", FALSE };
static const Notice greek_refused = {
  "δείτε «Λεπτομέρειες» ή «Εγγραφές που απορρίφθηκαν…» στο κύριο μενού.", TRUE
};

/* The header's words for each sync state, with the local relative time
 * and the pending count, in the language of the run. */
static void
test_sync_words (gconstpointer data)
{
  gboolean greek = GPOINTER_TO_INT (data);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 2, 12, 0, 0);
  g_autoptr(GDateTime) two_minutes = g_date_time_add_minutes (now, -2);
  g_autoptr(GDateTime) three_hours = g_date_time_add_hours (now, -3);
  struct { TfSyncState state; gint64 pending; GDateTime *last; gboolean compact;
           const char *english; const char *greek; } cases[] = {
    { TF_SYNC_STATE_IDLE, 0, two_minutes, FALSE, "Synced 2 minutes ago",
      "Συγχρονίστηκε πριν από 2 λεπτά" },
    { TF_SYNC_STATE_IDLE, 0, three_hours, FALSE, "Synced 3 hours ago",
      "Συγχρονίστηκε πριν από 3 ώρες" },
    { TF_SYNC_STATE_IDLE, 0, now, FALSE, "Synced just now", "Συγχρονίστηκε μόλις τώρα" },
    { TF_SYNC_STATE_IDLE, 0, two_minutes, TRUE, "Synced", "Συγχρονίστηκε" },
    { TF_SYNC_STATE_IDLE, 2, two_minutes, FALSE, "2 changes waiting", "2 αλλαγές σε αναμονή" },
    { TF_SYNC_STATE_SYNCING, 0, NULL, FALSE, "Syncing…", NULL },
    { TF_SYNC_STATE_OFFLINE, 3, two_minutes, FALSE, "Offline — 3 changes waiting",
      "Εκτός σύνδεσης — 3 αλλαγές σε αναμονή" },
    { TF_SYNC_STATE_OFFLINE, 1, two_minutes, FALSE, "Offline — 1 change waiting",
      "Εκτός σύνδεσης — 1 αλλαγή σε αναμονή" },
    { TF_SYNC_STATE_OFFLINE, 3, NULL, TRUE, "Offline · 3 waiting", "Εκτός σύνδεσης · 3 σε αναμονή" },
    { TF_SYNC_STATE_SIGNED_OUT, 0, NULL, FALSE, "Signed out", "Αποσυνδεδεμένο" },
    { TF_SYNC_STATE_LOCAL_ONLY, 0, NULL, FALSE, "This computer only", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tf_window_describe_sync (cases[i].state, cases[i].pending,
                                                       cases[i].last, now, cases[i].compact);

      if (!greek)
        g_assert_cmpstr (text, ==, cases[i].english);
      else if (cases[i].greek != NULL)
        g_assert_cmpstr (text, ==, cases[i].greek);
      else
        g_assert_true (has_greek_letter (text));
    }
}

/* The header's sync state is never cut at 1280 px, and the primary menu
 * offers the account's actions, enabled only for a server account. */
static void
check_header (const char *role, GtkWidget *window, AdwViewStack *views)
{
  GtkWidget *label = tf_ui_find (window, "sync-status");
  int minimum = 0, natural = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_usleep (100000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("%s: \"%s\" %d px of %d", role, gtk_label_get_text (GTK_LABEL (label)),
                  gtk_widget_get_width (label), natural);
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_cmpint (minimum, ==, natural);
  /* This computer only: nothing to sign out of. */
  gtk_widget_activate_action (window, "win.sign-out", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (tf_ui_find_dialog ("sign-out-dialog"));
  /* At 360 px the short words, which may be cut (the tooltip has them). */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_END);
  g_assert_nonnull (gtk_widget_get_tooltip_text (label));
}

static void
test_header (void)
{
  for_each_role (check_header);
}

int
main (int argc, char **argv)
{
  gboolean greek;
  int status;

  greek = tf_ui_init_language (&argc, &argv);
  data_dir = g_dir_make_tmp ("tf-ui-XXXXXX", NULL);

  if (greek)
    {
      g_test_add_func ("/ui/greek", test_greek);
      g_test_add_func ("/ui/greek-views", test_greek_views);
      g_test_add_data_func ("/ui/greek-sync-words", GINT_TO_POINTER (TRUE), test_sync_words);
      g_test_add_func ("/ui/greek-header", test_header);
      g_test_add_func ("/ui/greek-narrow", test_narrow);
      g_test_add_func ("/ui/greek-narrow-account", test_narrow_account);
      g_test_add_func ("/ui/greek-narrow-safety", test_narrow_safety);

      g_test_add_data_func ("/ui/greek-server-lost-banner", &greek_lost, test_server_lost_banner);
      g_test_add_data_func ("/ui/greek-refused-banner", &greek_refused, test_server_lost_banner);
    }
  else
    {
      g_test_add_func ("/ui/first-run-and-check-in", test_first_run_and_check_in);
      g_test_add_func ("/ui/reopen-and-unlock", test_reopen_and_unlock);
      g_test_add_data_func ("/ui/sync-words", GINT_TO_POINTER (FALSE), test_sync_words);
      g_test_add_func ("/ui/header", test_header);
      g_test_add_func ("/ui/narrow", test_narrow);
      g_test_add_func ("/ui/pages-by-contract", test_pages_by_contract);
      g_test_add_func ("/ui/narrow-account", test_narrow_account);
      g_test_add_func ("/ui/narrow-safety", test_narrow_safety);

      g_test_add_data_func ("/ui/server-lost-banner", &english_lost, test_server_lost_banner);
      g_test_add_data_func ("/ui/refused-banner", &english_refused, test_server_lost_banner);
    }
  status = g_test_run ();
  tf_ui_remove_profile (data_dir);
  g_free (data_dir);
  return status;
}
