/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window.c: first run, unlock and the main views.
 *
 * Above the views, a banner says when the server was found to have lost
 * changes of this device, or sent records this device refuses to use
 * (tf-sync-notice.c): what happened and what the sync did about it, until
 * the person dismisses it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointments-page.h"
#include "tf-checkin-page.h"
#include "tf-clients-page.h"
#include "tf-conflicts-page.h"
#include "tf-goals-page.h"
#include "tf-history-page.h"
#include "tf-journal-page.h"
#include "tf-keyring.h"
#include "tf-onboarding.h"
#include "tf-page.h"
#include "tf-preferences.h"
#include "tf-preferences-window.h"
#include "tf-recover-dialog.h"
#include "tf-schedule-page.h"
#include "tf-sign-in-again.h"
#include "tf-sync-client.h"
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
  GtkRevealer          *lost_banner;   /* the server lost changes: shown until dismissed */
  GtkLabel             *lost_label;
  GtkWidget            *sign_in_button;  /* shown while signed out */
  GtkWidget            *sign_in_dialog;  /* weak: the one showing */
  GSettings            *settings;      /* NULL when the schema is not installed */
  guint                 idle_seconds;  /* 0: never lock by itself */
  guint                 idle_source;
  gboolean              keyring_unlock; /* the unlock running uses the keyring's password */
};

G_DEFINE_FINAL_TYPE (TfWindow, tf_window, ADW_TYPE_APPLICATION_WINDOW)

static void
tf_window_dispose (GObject *object)
{
  TfWindow *self = TF_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_weak_pointer (&self->sign_in_dialog);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_window_parent_class)->dispose (object);
}

static void
tf_window_class_init (TfWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tf_window_dispose;
}

static void restart_idle (TfWindow *self);

static void
toast (TfWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static void on_saved (TfWindow *self, const char *message) { toast (self, message); }

/* The password, once, when the server stops accepting this device; the
 * header's button asks again after "Not Now". */
static void
ask_sign_in (TfWindow *self)
{
  if ((self->sign_in_dialog != NULL && gtk_widget_get_visible (self->sign_in_dialog)) ||
      !tf_session_is_unlocked (self->session))
    return;
  g_set_weak_pointer (&self->sign_in_dialog,
                      tf_sign_in_again_present (GTK_WINDOW (self), self->session));
}

/* Shown while the profile holds a notice: the server lost changes, or sent
 * records refused here. */
static void
update_lost_banner (TfWindow *self)
{
  g_autofree char *text = tf_sync_notice_text (tf_session_get_store (self->session));

  if (text != NULL)
    gtk_label_set_text (self->lost_label, text);
  gtk_revealer_set_reveal_child (self->lost_banner, text != NULL);
}

static void
on_lost_dismissed (TfWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!tf_sync_notice_dismiss (tf_session_get_store (self->session), &error))
    toast (self, error->message);
  update_lost_banner (self);
}

/* Offline, syncing, up to date; pending changes; the last sync. */
static void
update_sync_label (TfWindow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *last = tf_session_dup_last_sync (self->session);
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
  gtk_widget_set_visible (self->sign_in_button,
                          tf_session_get_sync_state (self->session) == TF_SYNC_STATE_SIGNED_OUT);
  if (last != NULL)
    {
      g_autofree char *tip = g_strdup_printf (_("Last sync: %s"), last);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), tip);
    }
  if (tf_session_get_sync_error (self->session) != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label),
                                 tf_session_get_sync_error (self->session));
  /* A sync that ended may have found it. */
  update_lost_banner (self);
}

/* The badge of @view's page; a page shown only with a badge hides at 0. */
static void
on_badge_changed_cb (TfPage *view, AdwViewStackPage *page)
{
  guint badge = tf_page_get_badge (view);

  if (tf_page_get_needs (view) & TF_PAGE_SHOWN_WITH_BADGE)
    adw_view_stack_page_set_visible (page, badge > 0);
  adw_view_stack_page_set_needs_attention (page, badge > 0);
  adw_view_stack_page_set_badge_number (page, badge);
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
  g_signal_connect_swapped (view, "saved", G_CALLBACK (on_saved), self);
  g_signal_connect_swapped (view, "failed", G_CALLBACK (on_saved), self);
  g_signal_connect_object (view, "changed", G_CALLBACK (on_badge_changed_cb), page, 0);
  on_badge_changed_cb (contract, page);
}

static void
show_main (TfWindow *self)
{
  GtkWidget *old;

  /* Views are made for the unlocked vault and dropped with it. */
  while ((old = gtk_widget_get_first_child (GTK_WIDGET (self->views))) != NULL)
    adw_view_stack_remove (self->views, old);
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
  update_sync_label (self);
  gtk_stack_set_visible_child_name (self->pages, "main");
  restart_idle (self);
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

  gboolean from_keyring = self->keyring_unlock;

  self->keyring_unlock = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), TRUE);
  if (!tf_session_unlock_finish (TF_SESSION (source), result, &error))
    {
      if (from_keyring && g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD))
        {
          /* Changed on another device since: ask, and remember the new one. */
          tf_keyring_clear (tf_session_get_path (self->session));
          gtk_label_set_text (self->unlock_error,
                              _("The password kept in the keyring no longer opens your data. "
                                "Enter your current password."));
        }
      else
        gtk_label_set_text (self->unlock_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->unlock_password));
      return;
    }
  if (!from_keyring && self->settings != NULL &&
      g_settings_get_boolean (self->settings, "remember-password"))
    tf_keyring_store (tf_session_get_path (self->session),
                      gtk_editable_get_text (GTK_EDITABLE (self->unlock_password)));
  gtk_editable_set_text (GTK_EDITABLE (self->unlock_password), "");
  gtk_label_set_text (self->unlock_error, "");
  show_main (self);
  tf_session_sync (self->session);
}

/* Unlocked with a new password set by the recovery key. */
static void
on_recovered (GtkWindow *window)
{
  TfWindow *self = TF_WINDOW (window);

  /* A password kept in the keyring is the forgotten one. */
  tf_keyring_clear (tf_session_get_path (self->session));
  gtk_editable_set_text (GTK_EDITABLE (self->unlock_password), "");
  gtk_label_set_text (self->unlock_error, "");
  show_main (self);
  tf_session_sync (self->session);
}

static void
on_forgot (TfWindow *self)
{
  tf_recover_dialog_present (GTK_WINDOW (self), self->session, on_recovered);
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

static void
keyring_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfWindow) self = data;
  g_autoptr(GError) error = NULL;
  char *password = tf_keyring_lookup_finish (result, &error);

  if (password == NULL || tf_session_is_unlocked (self->session))
    {
      if (error != NULL)
        g_message ("No password from the keyring: %s", error->message);
      gtk_label_set_text (self->unlock_error, "");
      g_clear_pointer (&password, tf_keyring_free_password);
      return;
    }
  self->keyring_unlock = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), FALSE);
  tf_session_unlock_async (self->session, password, NULL, unlocked_cb, g_object_ref (self));
  tf_keyring_free_password (password);
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

/* --- locking when idle ---------------------------------------------------- */

static gboolean
idle_timeout_cb (gpointer data)
{
  TfWindow *self = data;

  self->idle_source = 0;
  lock_activated (NULL, NULL, self);
  return G_SOURCE_REMOVE;
}

/* Any key or pointer activity starts the idle time again. */
static void
restart_idle (TfWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->idle_seconds > 0 && tf_session_is_unlocked (self->session))
    self->idle_source = g_timeout_add_seconds (self->idle_seconds, idle_timeout_cb, self);
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, TfWindow *self)
{
  restart_idle (self);
}

static gboolean
on_key (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
        TfWindow *self)
{
  restart_idle (self);
  return FALSE;
}

void
tf_window_set_idle_lock (TfWindow *self, guint seconds)
{
  g_return_if_fail (TF_IS_WINDOW (self));

  self->idle_seconds = seconds;
  restart_idle (self);
}

static void
on_idle_setting_changed (TfWindow *self)
{
  tf_window_set_idle_lock (self, g_settings_get_uint (self->settings, "idle-lock-minutes") * 60);
}

/* --- preferences ---------------------------------------------------------- */

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  TfWindow *self = data;

  tf_preferences_window_new (GTK_WINDOW (self), self->settings, self->session);
}

static void
sync_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  tf_session_sync (TF_WINDOW (data)->session);
}

static void
on_sync_state (TfWindow *self)
{
  if (tf_session_get_sync_state (self->session) == TF_SYNC_STATE_SIGNED_OUT)
    ask_sign_in (self);
}

static GtkWidget *
build_unlock (TfWindow *self)
{
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *forgot;

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
  gtk_widget_add_css_class (GTK_WIDGET (self->unlock_error), "error");
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
  forgot = gtk_button_new_with_mnemonic (_("_Forgot Your Password?"));
  gtk_widget_set_name (forgot, "unlock-forgot");
  gtk_widget_add_css_class (forgot, "flat");
  gtk_widget_set_halign (forgot, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (forgot, "clicked", G_CALLBACK (on_forgot), self);
  gtk_box_append (GTK_BOX (box), forgot);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), box);
  g_signal_connect_swapped (self->unlock_button, "clicked", G_CALLBACK (on_unlock), self);
  g_signal_connect_swapped (self->unlock_password, "entry-activated", G_CALLBACK (on_unlock),
                            self);
  return page;
}

/* libadwaita 1.2 has no AdwBanner: a revealer with the same parts. */
static GtkWidget *
build_lost_banner (TfWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
  GtkWidget *dismiss = gtk_button_new_with_mnemonic (_("_Dismiss"));

  self->lost_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->lost_label), "server-lost-text");
  gtk_label_set_wrap (self->lost_label, TRUE);
  gtk_label_set_wrap_mode (self->lost_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->lost_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->lost_label), TRUE);
  gtk_widget_set_name (dismiss, "server-lost-dismiss");
  gtk_widget_set_valign (dismiss, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (dismiss, "clicked", G_CALLBACK (on_lost_dismissed), self);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_top (box, 0);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->lost_label));
  gtk_box_append (GTK_BOX (box), dismiss);
  /* The card's own padding. */
  gtk_widget_set_margin_start (icon, 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->lost_label), 9);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->lost_label), 9);
  gtk_widget_set_margin_end (dismiss, 9);
  self->lost_banner = GTK_REVEALER (gtk_revealer_new ());
  gtk_widget_set_name (GTK_WIDGET (self->lost_banner), "server-lost-banner");
  gtk_revealer_set_child (self->lost_banner, box);
  return GTK_WIDGET (self->lost_banner);
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
  gtk_widget_set_name (GTK_WIDGET (self->views), "main-views");
  gtk_widget_set_vexpand (GTK_WIDGET (self->views), TRUE);
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (title), self->views);
  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (bar), self->views);
  g_object_bind_property (title, "title-visible", bar, "reveal", G_BINDING_SYNC_CREATE);
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (title), _("Therapy Field"));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);

  self->sync_label = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->sync_label), "sync-status");
  gtk_widget_add_css_class (GTK_WIDGET (self->sync_label), "dim-label");
  gtk_label_set_ellipsize (self->sync_label, PANGO_ELLIPSIZE_END);
  g_menu_append (menu, _("_Sync Now"), "win.sync");
  g_menu_append (menu, _("_Lock"), "win.lock");
  g_menu_append (menu, _("_Preferences"), "win.preferences");
  g_menu_append (menu, _("_Keyboard Shortcuts"), "win.show-help-overlay");
  g_menu_append (menu, _("_About Therapy Field"), "app.about");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("Main Menu"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu_button);
  self->sign_in_button = gtk_button_new_with_mnemonic (_("Sign _In"));
  gtk_widget_set_name (self->sign_in_button, "sign-in-again-button");
  gtk_widget_set_tooltip_text (self->sign_in_button, _("Sign in again to sync"));
  gtk_widget_add_css_class (self->sign_in_button, "suggested-action");
  gtk_widget_set_visible (self->sign_in_button, FALSE);
  g_signal_connect_swapped (self->sign_in_button, "clicked", G_CALLBACK (ask_sign_in), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->sign_in_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->sync_label));

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), build_lost_banner (self));
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
    { "preferences", preferences_activated },
  };
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

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

  /* Idle lock: any activity in the window starts the wait again. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  self->idle_seconds = 5 * 60;
  self->settings = tf_preferences_settings_new ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::idle-lock-minutes",
                               G_CALLBACK (on_idle_setting_changed), self, G_CONNECT_SWAPPED);
      self->idle_seconds = g_settings_get_uint (self->settings, "idle-lock-minutes") * 60;
    }
}

TfWindow *
tf_window_new (GtkApplication *application, TfSession *session)
{
  TfWindow *self = g_object_new (TF_TYPE_WINDOW, "application", application, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::sync-state", G_CALLBACK (update_sync_label), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::sync-state", G_CALLBACK (on_sync_state), self,
                           G_CONNECT_SWAPPED);
  if (!tf_session_has_account (session))
    {
      GtkWidget *onboarding = tf_onboarding_new (session);

      g_signal_connect_swapped (onboarding, "done", G_CALLBACK (on_onboarding_done), self);
      gtk_stack_add_named (self->pages, build_plain_header (onboarding), "onboarding");
      gtk_stack_set_visible_child_name (self->pages, "onboarding");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->pages, "unlock");
      if (self->settings != NULL && g_settings_get_boolean (self->settings, "remember-password"))
        {
          /* At start only: after an idle lock the password is asked again. */
          gtk_label_set_text (self->unlock_error, _("Unlocking…"));
          tf_keyring_lookup_async (tf_session_get_path (session), NULL, keyring_looked_up,
                                   g_object_ref (self));
        }
    }
  return self;
}
