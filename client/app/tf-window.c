/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window.c: first run, unlock and the main views (template
 * tf-window.ui); the object, and the pages.  Unlocking, locking and the
 * account's actions are in tf-window-account.c, the sync state in the
 * header and the sync notices in tf-window-sync.c (tf-window-private.h).
 *
 * The window adds the pages of the signed-in person's role through the
 * page contract (tf-page.h): their names, titles, icons and badges, and a
 * toast for what they saved or failed to save.  While a page shows a
 * bottom bar of its own (a client's sections at phone width), the window's
 * switcher bar gives way, so one bar shows at a time.
 *
 * After an unlock each draft kept through the lock goes back to its page,
 * which opens the form on the same record.
 */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include "tf-appointments-page.h"
#include "tf-checkin-page.h"
#include "tf-clients-page.h"
#include "tf-conflicts-page.h"
#include "tf-drafts.h"
#include "tf-goals-page.h"
#include "tf-history-page.h"
#include "tf-journal-page.h"
#include "tf-onboarding.h"
#include "tf-page.h"
#include "tf-preferences.h"
#include "tf-schedule-page.h"
#include "tf-window-private.h"

G_DEFINE_FINAL_TYPE (TfWindow, tf_window, ADW_TYPE_APPLICATION_WINDOW)

void
tf_window_toast (TfWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

/* --- pages --------------------------------------------------------------- */

/* One bottom bar: the window's, when narrow, unless the page shows its own. */
static void
update_switcher_bar (TfWindow *self)
{
  GtkWidget *visible = adw_view_stack_get_visible_child (self->views);
  gboolean own = visible != NULL && TF_IS_PAGE (visible) && tf_page_get_own_bar (TF_PAGE (visible));

  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_title_visible (self->switcher_title)
                                    && !own);
}

static void
on_narrow_changed_cb (TfWindow *self)
{
  update_switcher_bar (self);
}

/* The badge of @view; a page shown only with a badge hides at 0. */
static void
on_page_changed_cb (TfPage *view, TfWindow *self)
{
  AdwViewStackPage *page = adw_view_stack_get_page (self->views, GTK_WIDGET (view));
  guint badge = tf_page_get_badge (view);

  if (tf_page_get_needs (view) & TF_PAGE_SHOWN_WITH_BADGE)
    adw_view_stack_page_set_visible (page, badge > 0);
  adw_view_stack_page_set_needs_attention (page, badge > 0);
  adw_view_stack_page_set_badge_number (page, badge);
  update_switcher_bar (self);
}

/* A page of the unlocked vault; what it saves or fails to save is toasted. */
static void
add_page (TfWindow *self, GtkWidget *view)
{
  TfPage *contract = TF_PAGE (view);
  AdwViewStackPage *page;

  page = adw_view_stack_add_titled (self->views, view, tf_page_get_name (contract),
                                    tf_page_get_title (contract));
  adw_view_stack_page_set_icon_name (page, tf_page_get_icon_name (contract));
  g_signal_connect_object (view, "saved", G_CALLBACK (tf_window_toast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "failed", G_CALLBACK (tf_window_toast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "changed", G_CALLBACK (on_page_changed_cb), self, 0);
  on_page_changed_cb (contract, self);
}

/* Each draft kept through the lock (tf-drafts.h) to the page whose form it
 * is of, which opens it again; the last one restored is shown. */
static void
restore_drafts (TfWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = tf_drafts_list (tf_session_get_vault (self->session), &error);

  if (drafts == NULL)
    {
      tf_window_toast (self, error->message);
      return;
    }
  for (guint i = 0; i < drafts->len; i++)
    for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->views)); page != NULL;
         page = gtk_widget_get_next_sibling (page))
      if (TF_IS_PAGE (page) && tf_page_restore_draft (TF_PAGE (page),
                                                      g_ptr_array_index (drafts, i)))
        {
          GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

          if (focus != NULL && !gtk_widget_is_ancestor (focus, page))
            gtk_window_set_focus (GTK_WINDOW (self), NULL);
          adw_view_stack_set_visible_child (self->views, page);
          break;
        }
}

/* Pages are made for the unlocked vault and dropped with it. */
void
tf_window_remove_pages (TfWindow *self)
{
  GtkWidget *old;

  while ((old = gtk_widget_get_first_child (GTK_WIDGET (self->views))) != NULL)
    adw_view_stack_remove (self->views, old);
}

/* Whatever is hidden or removed here loses the keyboard focus first: with
 * the focus in it, GTK 4.8's window keeps a reference on it until a frame
 * moves the focus on, and a window closed before leaks it, the pages and
 * the session with it.  The pages are made in the shown main view, so a
 * restored draft's form takes the focus where it shows. */
void
tf_window_show_main (TfWindow *self)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  tf_window_remove_pages (self);
  gtk_stack_set_visible_child_name (self->pages, "main");
  if (g_strcmp0 (tf_session_get_role (self->session), "therapist") == 0)
    {
      add_page (self, tf_schedule_page_new (self->session));
      add_page (self, tf_clients_page_new (self->session));
    }
  else
    {
      add_page (self, tf_checkin_page_new (self->session));
      add_page (self, tf_history_page_new (self->session));
      add_page (self, tf_journal_page_new (self->session));
      add_page (self, tf_goals_page_new (self->session));
      add_page (self, tf_appointments_page_new (self->session));
    }
  add_page (self, tf_conflicts_page_new (self->session));
  restore_drafts (self);
  tf_window_update_sync_label (self);
  update_switcher_bar (self);
  tf_window_restart_idle (self);
}

static void
on_onboarding_done (TfWindow *self)
{
  tf_window_show_main (self);
}

/* --- the class ----------------------------------------------------------- */

static void
tf_window_dispose (GObject *object)
{
  TfWindow *self = TF_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->label_source, g_source_remove);
  g_clear_handle_id (&self->width_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_window_parent_class)->dispose (object);
}

static void
tf_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  GTK_WIDGET_CLASS (tf_window_parent_class)->size_allocate (widget, width, height, baseline);
  tf_window_follow_width (TF_WINDOW (widget), width);
}

static void
tf_window_class_init (TfWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_window_dispose;
  widget_class->size_allocate = tf_window_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/tf-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfWindow, name)
  BIND (toasts);
  BIND (pages);
  BIND (onboarding_box);
  BIND (unlock_password);
  BIND (unlock_error);
  BIND (unlock_button);
  BIND (switcher_title);
  BIND (switcher_bar);
  BIND (views);
  BIND (sync_label);
  BIND (sign_in_button);
  BIND (lost_banner);
  BIND (lost_label);
  BIND (refusals_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_narrow_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_switcher_bar);
  tf_window_class_init_account (widget_class);
  tf_window_class_init_sync (widget_class);
}

static void
tf_window_init (TfWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = tf_preferences_settings_new ();
  tf_window_init_sync (self);
  tf_window_init_account (self);
  tf_window_update_actions (self);
}

TfWindow *
tf_window_new (GtkApplication *application, TfSession *session)
{
  TfWindow *self = g_object_new (TF_TYPE_WINDOW, "application", application, NULL);

  self->session = g_object_ref (session);
  tf_window_start_account (self);
  g_signal_connect_object (session, "notify::sync-state",
                           G_CALLBACK (tf_window_update_sync_label), self, G_CONNECT_SWAPPED);
  if (!tf_session_has_account (session))
    {
      GtkWidget *onboarding = tf_onboarding_new (session);

      g_signal_connect_swapped (onboarding, "done", G_CALLBACK (on_onboarding_done), self);
      gtk_widget_set_vexpand (onboarding, TRUE);
      gtk_box_append (self->onboarding_box, onboarding);
      gtk_stack_set_visible_child_name (self->pages, "onboarding");
    }
  else
    gtk_stack_set_visible_child_name (self->pages, "unlock");
  tf_window_update_actions (self);
  return self;
}
