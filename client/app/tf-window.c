/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window.c: first run, unlock and the main views.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-checkin-page.h"
#include "tf-onboarding.h"
#include "tf-window.h"

struct _TfWindow
{
  AdwApplicationWindow  parent_instance;
  TfSession            *session;
  AdwToastOverlay      *toasts;
  GtkStack             *pages;
  AdwPasswordEntryRow  *unlock_password;
  GtkLabel             *unlock_error;
  GtkButton            *unlock_button;
  AdwViewStack         *views;
  GtkLabel             *sync_label;
};

G_DEFINE_FINAL_TYPE (TfWindow, tf_window, ADW_TYPE_APPLICATION_WINDOW)

static void
tf_window_dispose (GObject *object)
{
  TfWindow *self = TF_WINDOW (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_window_parent_class)->dispose (object);
}

static void
tf_window_class_init (TfWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tf_window_dispose;
}

static void
toast (TfWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static void on_saved (TfWindow *self, const char *message) { toast (self, message); }

/* Offline, syncing, up to date; pending changes; the last sync. */
static void
update_sync_label (TfWindow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *last = tf_session_get_last_sync (self->session);
  gint64 pending = tf_session_get_pending (self->session);

  switch (tf_session_get_sync_state (self->session))
    {
    case TF_SYNC_STATE_LOCAL_ONLY:
      text = g_strdup (_("This computer only"));
      break;
    case TF_SYNC_STATE_SYNCING:
      text = g_strdup (_("Syncing…"));
      break;
    case TF_SYNC_STATE_OFFLINE:
      text = g_strdup_printf (ngettext ("Offline · %d change waiting",
                                        "Offline · %d changes waiting", (gulong) pending),
                              (int) pending);
      break;
    case TF_SYNC_STATE_SIGNED_OUT:
      text = g_strdup (_("Signed out — sign in again to sync"));
      break;
    case TF_SYNC_STATE_IDLE:
    default:
      text = pending > 0
               ? g_strdup_printf (ngettext ("%d change waiting", "%d changes waiting",
                                            (gulong) pending), (int) pending)
               : g_strdup (_("Up to date"));
      break;
    }
  gtk_label_set_text (self->sync_label, text);
  if (last != NULL)
    {
      g_autofree char *tip = g_strdup_printf (_("Last sync: %s"), last);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), tip);
    }
  if (tf_session_get_sync_error (self->session) != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label),
                                 tf_session_get_sync_error (self->session));
}

static void
show_main (TfWindow *self)
{
  GtkWidget *old;
  GtkWidget *checkin;
  AdwViewStackPage *page;

  /* Views are made for the unlocked vault and dropped with it. */
  while ((old = gtk_widget_get_first_child (GTK_WIDGET (self->views))) != NULL)
    adw_view_stack_remove (self->views, old);
  checkin = tf_checkin_page_new (self->session);
  g_signal_connect_swapped (checkin, "saved", G_CALLBACK (on_saved), self);
  g_signal_connect_swapped (checkin, "failed", G_CALLBACK (on_saved), self);
  page = adw_view_stack_add_titled (self->views, checkin, "checkin", _("Check-In"));
  adw_view_stack_page_set_icon_name (page, "emblem-favorite-symbolic");
  update_sync_label (self);
  gtk_stack_set_visible_child_name (self->pages, "main");
}

static void
on_onboarding_done (TfWindow *self)
{
  show_main (self);
}

static void
unlocked_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfWindow) self = data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), TRUE);
  if (!tf_session_unlock_finish (TF_SESSION (source), result, &error))
    {
      gtk_label_set_text (self->unlock_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->unlock_password));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->unlock_password), "");
  gtk_label_set_text (self->unlock_error, "");
  show_main (self);
  tf_session_sync (self->session);
}

static void
on_unlock (TfWindow *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->unlock_password));

  if (*password == '\0')
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), FALSE);
  gtk_label_set_text (self->unlock_error, _("Unlocking…"));
  tf_session_unlock_async (self->session, password, NULL, unlocked_cb, g_object_ref (self));
}

/* Locking drops the views and every decrypted record with them. */
static void
lock_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  TfWindow *self = data;
  GtkWidget *old;

  if (!tf_session_is_unlocked (self->session))
    return;
  while ((old = gtk_widget_get_first_child (GTK_WIDGET (self->views))) != NULL)
    adw_view_stack_remove (self->views, old);
  tf_session_lock (self->session);
  gtk_stack_set_visible_child_name (self->pages, "unlock");
  gtk_widget_grab_focus (GTK_WIDGET (self->unlock_password));
}

static void
sync_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  tf_session_sync (TF_WINDOW (data)->session);
}

static GtkWidget *
build_unlock (TfWindow *self)
{
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "system-lock-screen-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Therapy Field Is Locked"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                   _("Enter your password to open your encrypted data."));
  self->unlock_password = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->unlock_password), _("Password"));
  gtk_widget_set_name (GTK_WIDGET (self->unlock_password), "unlock-password");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->unlock_password));
  gtk_widget_add_css_class (list, "boxed-list");
  self->unlock_error = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->unlock_error), "unlock-error");
  gtk_label_set_wrap (self->unlock_error, TRUE);
  self->unlock_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Unlock")));
  gtk_widget_set_name (GTK_WIDGET (self->unlock_button), "unlock-button");
  gtk_widget_add_css_class (GTK_WIDGET (self->unlock_button), "pill");
  gtk_widget_add_css_class (GTK_WIDGET (self->unlock_button), "suggested-action");
  gtk_widget_set_halign (GTK_WIDGET (self->unlock_button), GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (box, 300, -1);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->unlock_error));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->unlock_button));
  adw_status_page_set_child (ADW_STATUS_PAGE (page), box);
  g_signal_connect_swapped (self->unlock_button, "clicked", G_CALLBACK (on_unlock), self);
  g_signal_connect_swapped (self->unlock_password, "entry-activated", G_CALLBACK (on_unlock),
                            self);
  return page;
}

static GtkWidget *
build_main (TfWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_view_switcher_title_new ();
  GtkWidget *bar = adw_view_switcher_bar_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();

  self->views = ADW_VIEW_STACK (adw_view_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->views), TRUE);
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (title), self->views);
  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (bar), self->views);
  g_object_bind_property (title, "title-visible", bar, "reveal", G_BINDING_SYNC_CREATE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);

  self->sync_label = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->sync_label), "sync-status");
  gtk_widget_add_css_class (GTK_WIDGET (self->sync_label), "dim-label");
  gtk_label_set_ellipsize (self->sync_label, PANGO_ELLIPSIZE_END);
  g_menu_append (menu, _("_Sync Now"), "win.sync");
  g_menu_append (menu, _("_Lock"), "win.lock");
  g_menu_append (menu, _("_About Therapy Field"), "app.about");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("Main Menu"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->sync_label));

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->views));
  gtk_box_append (GTK_BOX (box), bar);
  return box;
}

static GtkWidget *
build_plain_header (GtkWidget *content)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  gtk_widget_add_css_class (header, "flat");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), gtk_label_new (NULL));
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), content);
  return box;
}

static void
tf_window_init (TfWindow *self)
{
  static const GActionEntry actions[] = {
    { "lock", lock_activated },
    { "sync", sync_activated },
  };

  gtk_window_set_title (GTK_WINDOW (self), _("Therapy Field"));
  gtk_window_set_default_size (GTK_WINDOW (self), 800, 700);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 480);
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  self->pages = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->pages, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_add_named (self->pages, build_plain_header (build_unlock (self)), "unlock");
  gtk_stack_add_named (self->pages, build_main (self), "main");
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->pages));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), GTK_WIDGET (self->toasts));
}

TfWindow *
tf_window_new (GtkApplication *application, TfSession *session)
{
  TfWindow *self = g_object_new (TF_TYPE_WINDOW, "application", application, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::sync-state", G_CALLBACK (update_sync_label), self,
                           G_CONNECT_SWAPPED);
  if (!tf_session_has_account (session))
    {
      GtkWidget *onboarding = tf_onboarding_new (session);

      g_signal_connect_swapped (onboarding, "done", G_CALLBACK (on_onboarding_done), self);
      gtk_stack_add_named (self->pages, build_plain_header (onboarding), "onboarding");
      gtk_stack_set_visible_child_name (self->pages, "onboarding");
    }
  else
    gtk_stack_set_visible_child_name (self->pages, "unlock");
  return self;
}
