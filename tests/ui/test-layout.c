/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-layout.c: the whole main window laid out as a person sees it, under
 * Xvfb, at a phone's 360 px and at 800 × 700 and 1280 × 860, in English and
 * (with --greek) in Greek, whose words are wider.
 *
 * A therapist with a client open has exactly one bottom bar (a view
 * switcher bar), never the window's and the client's stacked, and no
 * label in it is cut; a new session note's Save and Lock and Sign, and
 * the check-in's Save, are on screen — inside the window, inside what
 * their scrolled window shows, above any bottom bar and not covered —
 * with no scrolling and no Tab.  These are the real TfWindow's pages, not
 * a page on its own.  GTK warnings are fatal (G_DEBUG=fatal-warnings).
 */
#include "config.h"


#include "tf-ui-test.h"
#include "tf-window.h"

#define PASSWORD "σωστός κωδικός"

typedef struct
{
  int width;
  int height;
} Size;

static const Size narrow = { 360, 640 };
static const Size medium = { 800, 700 };
static const Size wide = { 1280, 860 };

static gboolean greek;

typedef struct
{
  char      *dir;
  TfSession *session;
  GtkWidget *window;
  Size       size;
} Fixture;

/* A window @size big on a new profile of @role, unlocked through its
 * unlock page, as the app opens. */
static void
fixture_open (Fixture *f, const char *role, const Size *size)
{
  TfRegistration reg = {
    .password = PASSWORD, .role = role, .first_name = "Ελένη", .last_name = "Δήμου",
    .license_number = g_str_equal (role, "therapist") ? "ΑΜ-1077" : NULL,
  };

  f->size = *size;
  f->session = tf_ui_new_profile (&reg, &f->dir);
  f->window = tf_ui_open_unlocked (f->session, PASSWORD, size->width, size->height);
}

static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->session);
  tf_ui_remove_profile (f->dir);
  g_free (f->dir);
}

static void
show_view (Fixture *f, const char *name)
{
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (tf_ui_find (f->window, "main-views")),
                                         name);
}

/* --- a client, as a sync brings them ------------------------------------- */

/* A client of the therapist, as a sync brings them, with a completed
 * appointment two days ago; the client's id. */
static char *
pull_client (Fixture *f, char **out_appointment)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) at = g_date_time_add_days (now, -2);
  char *client_id = tf_ui_pull_client (f->session, "Κωνσταντίνα", "Παπαδημητρίου");

  *out_appointment = tf_ui_put_appointment (f->session, client_id, at, "completed");
  return client_id;
}

/* The Clients view with @client_id's detail open, on its sessions. */
static void
open_client (Fixture *f, const char *client_id)
{
  g_autofree char *row_name = g_strdup_printf ("client-%s", client_id);
  GtkWidget *row;

  show_view (f, "clients");
  row = tf_ui_wait_shown (f->window, row_name);
  g_signal_emit_by_name (tf_ui_find (f->window, "clients-list"), "row-activated", row);
  tf_ui_wait_shown (f->window, "client-detail-title");
}

/* --- what a person sees --------------------------------------------------- */

/* A view switcher bar is an action bar inside. */
static void
collect_bars (GtkWidget *widget, GPtrArray *bars)
{
  if (GTK_IS_ACTION_BAR (widget) && gtk_widget_get_mapped (widget) &&
      gtk_action_bar_get_revealed (GTK_ACTION_BAR (widget)) && gtk_widget_get_height (widget) > 0)
    g_ptr_array_add (bars, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_bars (c, bars);
}

/* The bottom bars (view switcher or action bars) shown in @window now. */
static GPtrArray *
shown_bars (GtkWidget *window)
{
  GPtrArray *bars = g_ptr_array_new ();

  collect_bars (window, bars);
  return bars;
}

typedef struct
{
  Fixture    *f;
  const char *name;  /* a widget that must be mapped, or NULL */
} Still;

static gboolean
no_transition (GtkWidget *widget)
{
  if ((GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget))) ||
      (GTK_IS_REVEALER (widget) &&
       gtk_revealer_get_reveal_child (GTK_REVEALER (widget)) !=
       gtk_revealer_get_child_revealed (GTK_REVEALER (widget))) ||
      (ADW_IS_LEAFLET (widget) && adw_leaflet_get_child_transition_running (ADW_LEAFLET (widget))))
    return FALSE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_mapped (c) && !no_transition (c))
      return FALSE;
  return TRUE;
}

/* The window at the size asked, @name mapped, and nothing sliding. */
static gboolean
is_still (gpointer data)
{
  Still *s = data;
  GtkWidget *w = s->name != NULL ? tf_ui_find (s->f->window, s->name) : NULL;

  /* Without a window manager the window's frame takes a few pixels of the
   * size asked; the window never grows past it. */
  return gtk_widget_get_width (s->f->window) <= s->f->size.width &&
         gtk_widget_get_width (s->f->window) >= s->f->size.width - 20 &&
         gtk_widget_get_height (s->f->window) <= s->f->size.height &&
         gtk_widget_get_height (s->f->window) >= s->f->size.height - 20 &&
         (s->name == NULL || (w != NULL && gtk_widget_get_mapped (w))) &&
         no_transition (s->f->window);
}

static void
wait_still (Fixture *f, const char *name)
{
  Still s = { f, name };

  g_assert_true (tf_ui_wait_for (is_still, &s));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (tf_ui_wait_for (is_still, &s));
}

/* Every label @root shows is whole: not ellipsized, and given at least
 * the width it asks for. */
static void
assert_labels_whole (GtkWidget *root, const char *what)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_mapped (c))
        continue;
      if (GTK_IS_LABEL (c) && *gtk_label_get_text (GTK_LABEL (c)) != '\0')
        {
          int minimum = 0, natural = 0;

          gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
          g_test_message ("%s: \"%s\" %d px of %d", what, gtk_label_get_text (GTK_LABEL (c)),
                          gtk_widget_get_width (c), natural);
          g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (c))));
          g_assert_cmpint (gtk_widget_get_width (c), >=, natural);
        }
      assert_labels_whole (c, what);
    }
}

/* There is one bottom bar, and (@whole) its labels are whole. */
static void
assert_one_bar (Fixture *f, const char *what, gboolean whole)
{
  g_autoptr(GPtrArray) bars = shown_bars (f->window);

  for (guint i = 0; i < bars->len; i++)
    g_test_message ("%d × %d, %s: bar in %s", f->size.width, f->size.height, what,
                    gtk_widget_get_name (gtk_widget_get_parent (g_ptr_array_index (bars, i))));
  g_assert_cmpuint (bars->len, ==, 1);
  if (whole)
    assert_labels_whole (g_ptr_array_index (bars, 0), what);
}

/* @name is where a person sees it and can click it: inside the window,
 * inside the part of each scrolled window around it that shows, above
 * every bottom bar under it, and on top at its centre. */
static void
assert_in_sight (Fixture *f, const char *name)
{
  GtkWidget *widget = tf_ui_find_shown (f->window, name);
  g_autoptr(GPtrArray) bars = shown_bars (f->window);
  graphene_rect_t bounds;
  GtkWidget *picked;

  g_assert_nonnull (widget);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, f->window, &bounds));
  g_test_message ("%d × %d (%d × %d): %s at %.0f, %.0f – %.0f, %.0f", f->size.width, f->size.height,
                  gtk_widget_get_width (f->window), gtk_widget_get_height (f->window), name,
                  bounds.origin.x, bounds.origin.y, bounds.origin.x + bounds.size.width,
                  bounds.origin.y + bounds.size.height);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (f->window));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (f->window));

  for (GtkWidget *a = gtk_widget_get_parent (widget); a != NULL; a = gtk_widget_get_parent (a))
    if (GTK_IS_SCROLLED_WINDOW (a))
      {
        graphene_rect_t shown;

        g_assert_true (gtk_widget_compute_bounds (a, f->window, &shown));
        g_assert_true (graphene_rect_contains_rect (&shown, &bounds));
      }

  for (guint i = 0; i < bars->len; i++)
    {
      graphene_rect_t bar;

      g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (bars, i), f->window, &bar));
      if (bar.origin.x < bounds.origin.x + bounds.size.width &&
          bounds.origin.x < bar.origin.x + bar.size.width)
        g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, bar.origin.y);
    }

  picked = gtk_widget_pick (f->window, bounds.origin.x + bounds.size.width / 2,
                            bounds.origin.y + bounds.size.height / 2, GTK_PICK_INSENSITIVE);
  g_assert_nonnull (picked);
  g_assert_true (picked == widget || gtk_widget_is_ancestor (picked, widget));
}

static void
shot (const char *what, const Size *size)
{
  g_autofree char *name = g_strdup_printf ("layout-%s-%d%s", what, size->width,
                                           greek ? "-el" : "");

  tf_ui_shot (name);
}

/* --- a client's sections at phone width ----------------------------------- */

typedef struct
{
  Fixture    *f;
  const char *name;  /* a section */
} Tab;

static GtkWidget *
find_tab (Fixture *f, const char *section)
{
  g_autofree char *name = g_strdup_printf ("client-detail-tab-%s", section);

  return tf_ui_find (f->window, name);
}

/* The tab of a section is where a tap reaches it: mapped, wholly inside
 * the window and what the row's scrolled window shows, and on top at its
 * centre. */
static gboolean
tab_in_sight (gpointer data)
{
  Tab *t = data;
  GtkWidget *tab = find_tab (t->f, t->name);
  GtkWidget *scroller, *picked;
  graphene_rect_t bounds, shown;

  if (tab == NULL || !gtk_widget_get_mapped (tab) || !no_transition (t->f->window))
    return FALSE;
  scroller = gtk_widget_get_ancestor (tab, GTK_TYPE_SCROLLED_WINDOW);
  if (!gtk_widget_compute_bounds (tab, t->f->window, &bounds) ||
      !gtk_widget_compute_bounds (scroller, t->f->window, &shown))
    return FALSE;
  if (bounds.origin.x < 0 ||
      bounds.origin.x + bounds.size.width > gtk_widget_get_width (t->f->window) ||
      !graphene_rect_contains_rect (&shown, &bounds))
    return FALSE;
  picked = gtk_widget_pick (t->f->window, bounds.origin.x + bounds.size.width / 2,
                            bounds.origin.y + bounds.size.height / 2, GTK_PICK_DEFAULT);
  return picked != NULL && (picked == tab || gtk_widget_is_ancestor (picked, tab));
}

/* Section @name is shown, its tab checked and in sight. */
static void
wait_tab_in_sight (Fixture *f, AdwViewStack *stack, const char *name)
{
  Tab tab = { f, name };

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, name);
  g_assert_true (tf_ui_wait_for (tab_in_sight, &tab));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_tab (f, name))));
}

typedef struct
{
  Tab           *tab;
  GtkAdjustment *adjustment;
  double         to;
} Swipe;

/* A swipe of the row of tabs to one end (again, should the row have
 * scrolled meanwhile), until the tab is in sight: nothing is tapped. */
static gboolean
swiped_in_sight (gpointer data)
{
  Swipe *s = data;

  if (tab_in_sight (s->tab))
    return TRUE;
  gtk_adjustment_set_value (s->adjustment, MIN (s->to, gtk_adjustment_get_upper (s->adjustment)));
  return FALSE;
}

/* The tab of the @position-th section, brought into sight as a person
 * would swipe the row if it is not, is tapped once: its section shows. */
static void
tap_section (Fixture *f, AdwViewStack *stack, guint position)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);
  g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), position);
  const char *name = adw_view_stack_page_get_name (page);
  Tab tab = { f, name };
  GtkWidget *scroller = gtk_widget_get_ancestor (find_tab (f, name), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), !=, name);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_tab (f, name))));
  if (!tab_in_sight (&tab))
    {
      Swipe swipe = { &tab, adjustment, position == 0 ? 0 : G_MAXDOUBLE };

      g_assert_true (tf_ui_wait_for (swiped_in_sight, &swipe));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), !=, name);
    }
  g_test_message ("%d px: one tap on the tab of %s", f->size.width, name);
  tf_ui_click (f->window, gtk_widget_get_name (find_tab (f, name)));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, name);
  wait_tab_in_sight (f, stack, name);
}

/* --- the tests ------------------------------------------------------------ */

/* A therapist's window has one bottom bar, its labels whole: on the client
 * list at phone width, the window's; with a client open, at every width,
 * the client's sections' bar in the window's place. */
static void
test_one_bar (gconstpointer data)
{
  const Size *size = data;
  Fixture f = { 0 };
  g_autofree char *appointment = NULL;
  g_autofree char *client_id = NULL;
  GtkWidget *tabs;

  fixture_open (&f, "therapist", size);
  client_id = pull_client (&f, &appointment);
  show_view (&f, "clients");
  wait_still (&f, NULL);
  if (size->width < 600)
    assert_one_bar (&f, "clients", TRUE);

  open_client (&f, client_id);
  wait_still (&f, "client-detail-sections");
  shot ("client", size);
  assert_one_bar (&f, "a client open", TRUE);

  /* Where the switcher's words do not fit, one tap on a section's tab
   * shows it, and the tab of the one shown is selected and in sight. */
  tabs = tf_ui_find_shown (f.window, "client-detail-section-tabs");
  if (tabs != NULL && gtk_widget_get_mapped (tabs))
    {
      AdwViewStack *stack = ADW_VIEW_STACK (tf_ui_find (f.window, "client-detail-stack"));
      g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));
      g_autoptr(AdwViewStackPage) first = g_list_model_get_item (G_LIST_MODEL (pages), 0);

      /* It opens on the first section; each other one, then the first
       * again, is one tap away. */
      wait_tab_in_sight (&f, stack, adw_view_stack_page_get_name (first));
      for (guint i = 1; i <= n; i++)
        tap_section (&f, stack, i % n);
      adw_view_stack_set_visible_child_name (stack, "mood");
      wait_tab_in_sight (&f, stack, "mood");
      adw_view_stack_set_visible_child_name (stack, "intake");
      wait_tab_in_sight (&f, stack, "intake");
    }
  else
    g_assert_cmpint (size->width, >, 800);
  fixture_close (&f);
}

/* A new session note's Save and Lock and Sign are in sight, in the window
 * with a client open. */
static void
test_note_actions (gconstpointer data)
{
  const Size *size = data;
  Fixture f = { 0 };
  g_autofree char *appointment = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *new_note = NULL;

  fixture_open (&f, "therapist", size);
  client_id = pull_client (&f, &appointment);
  open_client (&f, client_id);
  adw_view_stack_set_visible_child_name (
      ADW_VIEW_STACK (tf_ui_wait_shown (f.window, "client-detail-stack")), "sessions");
  new_note = g_strdup_printf ("notes-new-%s", appointment);
  tf_ui_wait_shown (f.window, new_note);
  tf_ui_click (f.window, new_note);
  wait_still (&f, "notes-lock");
  shot ("note", size);
  assert_in_sight (&f, "notes-save");
  assert_in_sight (&f, "notes-lock");
  fixture_close (&f);
}

/* The check-in's Save is in sight in a client's window as it opens. */
static void
test_checkin_save (gconstpointer data)
{
  const Size *size = data;
  Fixture f = { 0 };

  fixture_open (&f, "client", size);
  show_view (&f, "checkin");
  wait_still (&f, "checkin-save");
  shot ("checkin", size);
  assert_in_sight (&f, "checkin-save");
  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  const struct { const char *name; const Size *size; } sizes[] = {
    { "360", &narrow }, { "800", &medium }, { "1280", &wide },
  };

  greek = tf_ui_init_language (&argc, &argv);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *bar = g_strdup_printf ("/tf/layout/one-bottom-bar/%s", sizes[i].name);
      g_autofree char *note = g_strdup_printf ("/tf/layout/note-actions-in-sight/%s",
                                               sizes[i].name);
      g_autofree char *checkin = g_strdup_printf ("/tf/layout/checkin-save-in-sight/%s",
                                                  sizes[i].name);

      g_test_add_data_func (bar, sizes[i].size, test_one_bar);
      g_test_add_data_func (note, sizes[i].size, test_note_actions);
      g_test_add_data_func (checkin, sizes[i].size, test_checkin_save);
    }
  return g_test_run ();
}
