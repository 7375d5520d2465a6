/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window.c: first run, unlock and the main views (template
 * tf-window.ui).
 *
 * The window adds the pages of the signed-in person's role through the
 * page contract (tf-page.h): their names, titles, icons and badges, and a
 * toast for what they saved or failed to save.  While a page shows a
 * bottom bar of its own (a client's sections at phone width), the window's
 * switcher bar gives way, so one bar shows at a time.
 *
 * The header says the sync state in words that fit: in full ("Synced 2
 * minutes ago", "Offline — 3 changes waiting") while the view switcher is
 * in the header, shorter when the window is narrow; the time is local and
 * relative, and is said again every half minute.
 *
 * Above the views, a banner says when the server was found to have lost
 * changes of this device, or sent records this device refuses to use
 * (tf-sync-notice.c): what happened and what the sync did about it, until
 * the person dismisses it; Details (win.refusals, also in the menu while
 * any is refused) lists the refused records (tf-refusals-dialog.c).
 *
 * Locking (win.lock, or idle) keeps what every open form left unsaved as
 * a draft (TfSession::locking); after the unlock each draft goes back to
 * its page, which opens the form on the same record.
 *
 * The primary menu holds the account's actions (win.sign-out,
 * win.change-password, win.sessions, win.rotate-keys: tf-rotate-keys.c),
 * enabled while the unlocked profile syncs with a server.
 */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointments-page.h"
#include "tf-checkin-page.h"
#include "tf-clients-page.h"
#include "tf-conflicts-page.h"
#include "tf-drafts.h"
#include "tf-form.h"
#include "tf-goals-page.h"
#include "tf-history-page.h"
#include "tf-journal-page.h"
#include "tf-keyring.h"
#include "tf-onboarding.h"
#include "tf-page.h"
#include "tf-preferences.h"
#include "tf-preferences-window.h"
#include "tf-recover-dialog.h"
#include "tf-refusals-dialog.h"
#include "tf-rotate-keys.h"
#include "tf-schedule-page.h"
#include "tf-session-account.h"
#include "tf-sign-in-again.h"
#include "tf-sync-client.h"
#include "tf-window.h"

/* How often the header says the relative time again. */
#define SYNC_LABEL_SECONDS 30
/* Below this width the header says the sync state in short words. */
#define NARROW_WIDTH 600

struct _TfWindow
{
  AdwApplicationWindow  parent_instance;
  TfSession            *session;
  GSettings            *settings;       /* NULL when the schema is not installed */
  guint                 idle_seconds;   /* 0: never lock by itself */
  guint                 idle_source;
  guint                 label_source;   /* says the relative time again */
  gboolean              keyring_unlock; /* the unlock running uses the keyring's password */
  gboolean              narrow;         /* narrower than NARROW_WIDTH */
  gboolean              rotating;       /* the identity keys are being replaced */
  gboolean              refused;        /* records from the server are refused here */

  /* template */
  AdwToastOverlay      *toasts;
  GtkStack             *pages;
  GtkBox               *onboarding_box;
  AdwPasswordEntryRow  *unlock_password;
  GtkLabel             *unlock_error;
  GtkButton            *unlock_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *views;
  GtkLabel             *sync_label;
  GtkWidget            *sign_in_button;  /* shown while signed out */
  GtkRevealer          *lost_banner;     /* sync notices: shown until dismissed */
  GtkLabel             *lost_label;
  GtkWidget            *refusals_button; /* the list of refused records */
};

G_DEFINE_FINAL_TYPE (TfWindow, tf_window, ADW_TYPE_APPLICATION_WINDOW)

static void restart_idle (TfWindow *self);
static void update_actions (TfWindow *self);

static void
toast (TfWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static void on_saved (TfWindow *self, const char *message) { toast (self, message); }

/* --- the sync state in words (tf-window-sync-words.c) --------------------- */

/* The last sync's moment, or NULL when it never synced. */
static GDateTime *
dup_last_sync (TfWindow *self)
{
  g_autofree char *last = tf_session_dup_last_sync (self->session);

  return last != NULL ? g_date_time_new_from_iso8601 (last, NULL) : NULL;
}

/* The ask to sign in when the server stops accepting this device: once,
 * however many syncs it refuses meanwhile; after "Not Now" only the
 * header's button asks again. */
static void
ask_sign_in (TfWindow *self)
{
  if (tf_session_is_unlocked (self->session))
    tf_sign_in_again_offer (GTK_WINDOW (self), self->session);
}

static void
on_sign_in_clicked_cb (TfWindow *self)
{
  if (tf_session_is_unlocked (self->session))
    tf_sign_in_again_present (GTK_WINDOW (self), self->session);
}

/* Shown while the profile holds a notice: the server lost changes, or sent
 * records refused here. */
static void
update_lost_banner (TfWindow *self)
{
  TfStore *store = tf_session_get_store (self->session);
  g_autofree char *text = tf_sync_notice_text (store);

  /* Listed until the records are good again, dismissed or not. */
  self->refused = tf_store_refused_count (store, FALSE, NULL) > 0;
  if (text != NULL)
    gtk_label_set_text (self->lost_label, text);
  gtk_widget_set_visible (self->refusals_button, tf_store_refused_count (store, TRUE, NULL) > 0);
  gtk_revealer_set_reveal_child (self->lost_banner, text != NULL);
}

static void
on_lost_dismissed_cb (TfWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!tf_sync_notice_dismiss (tf_session_get_store (self->session), &error))
    toast (self, error->message);
  update_lost_banner (self);
  update_actions (self);
}

static void
refusals_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (tf_refusals_dialog_new (self->session, GTK_WINDOW (self))));
}

/* The tooltip: the whole sentence, the last sync's local time, and the
 * last error. */
static void
update_sync_tooltip (TfWindow *self, GDateTime *last, const char *full)
{
  g_autoptr(GDateTime) local = last != NULL ? g_date_time_to_local (last) : NULL;
  g_autofree char *when = local != NULL ? g_date_time_format (local, "%x %X") : NULL;
  g_autofree char *since = NULL;
  g_autofree char *tip = NULL;
  const char *error = tf_session_get_sync_error (self->session);

  if (when != NULL)
    /* TRANSLATORS: the sync state, then the local date and time of the last sync */
    since = g_strdup_printf (_("Last sync: %s"), when);
  tip = g_strjoin ("\n", full, since != NULL ? since : error,
                   since != NULL ? error : NULL, NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), tip);
}

static void
update_sync_label (TfWindow *self)
{
  g_autoptr(GDateTime) last = dup_last_sync (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TfSyncState state = tf_session_get_sync_state (self->session);
  gint64 pending = tf_session_get_pending (self->session);
  gboolean narrow = self->narrow;
  g_autofree char *full = tf_window_describe_sync (state, pending, last, now, FALSE);
  g_autofree char *text = narrow ? tf_window_describe_sync (state, pending, last, now, TRUE)
                                 : g_strdup (full);

  gtk_label_set_text (self->sync_label, text);
  /* Wide, the words are never cut (the view switcher would take their
   * room); narrow, the short words may be, the tooltip has them all. */
  gtk_label_set_ellipsize (self->sync_label, narrow ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  gtk_widget_set_visible (self->sign_in_button, state == TF_SYNC_STATE_SIGNED_OUT);
  update_sync_tooltip (self, last, full);
  /* A sync that ended may have found it. */
  update_lost_banner (self);
  update_actions (self);
}

static gboolean
label_timeout_cb (gpointer data)
{
  update_sync_label (TF_WINDOW (data));
  return G_SOURCE_CONTINUE;
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

/* Narrow or wide by the window's own width, which GTK keeps in
 * default-width as the window is resized (the view switcher's "title
 * visible" depends on the header's room, which the words take part of). */
static void
on_default_width_cb (TfWindow *self)
{
  int width = 0, height = 0;
  gboolean narrow;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  narrow = width > 0 && width < NARROW_WIDTH;
  if (narrow == self->narrow)
    return;
  self->narrow = narrow;
  if (self->session != NULL && self->sync_label != NULL)
    update_sync_label (self);
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
  g_signal_connect_object (view, "saved", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "failed", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
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
      toast (self, error->message);
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
static void
remove_pages (TfWindow *self)
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
static void
show_main (TfWindow *self)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  remove_pages (self);
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
  update_sync_label (self);
  update_switcher_bar (self);
  restart_idle (self);
}

static void
on_onboarding_done (TfWindow *self)
{
  show_main (self);
}

/* --- unlocking ----------------------------------------------------------- */

/* The user asked for the password to be remembered: a keyring that would
 * not keep it is said, not only logged. */
static void
on_keyring_stored_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (tf_keyring_store_finish (result, &error))
    return;
  message = g_strdup_printf (_("Your password could not be kept in the keyring (%s): you will "
                               "be asked for it when the app starts"), error->message);
  toast (self, message);
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
    tf_keyring_store_async (tf_session_get_path (self->session),
                            gtk_editable_get_text (GTK_EDITABLE (self->unlock_password)), NULL,
                            on_keyring_stored_cb, g_object_ref (self));
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
on_forgot_cb (TfWindow *self)
{
  tf_recover_dialog_present (GTK_WINDOW (self), self->session, on_recovered);
}

static void
on_unlock_cb (TfWindow *self)
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
      gtk_label_set_text (self->unlock_error, "");
      if (error != NULL)
        {
          /* Asked to remember it, the keyring failed: say so beside the field. */
          g_autofree char *message = g_strdup_printf (_("The keyring could not give the "
                                                        "password (%s): enter it"),
                                                      error->message);

          g_message ("No password from the keyring: %s", error->message);
          gtk_label_set_text (self->unlock_error, message);
        }
      g_clear_pointer (&password, tf_keyring_free_password);
      return;
    }
  self->keyring_unlock = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), FALSE);
  tf_session_unlock_async (self->session, password, NULL, unlocked_cb, g_object_ref (self));
  tf_keyring_free_password (password);
}

/* --- actions ------------------------------------------------------------- */

/* Locking drops the views and every decrypted record with them; the
 * session's ::locking lets the forms keep their drafts first, while the
 * pages and the vault are still there. */
static void
lock_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  if (!tf_session_is_unlocked (self->session))
    return;
  tf_session_lock (self->session);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  remove_pages (self);
  gtk_stack_set_visible_child_name (self->pages, "unlock");
  gtk_widget_grab_focus (GTK_WIDGET (self->unlock_password));
  update_actions (self);
}

static void
sync_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  tf_session_sync (TF_WINDOW (widget)->session);
}

static GtkWidget *
show_preferences (TfWindow *self)
{
  return tf_preferences_window_new (GTK_WINDOW (self), self->settings, self->session);
}

static void
preferences_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  show_preferences (TF_WINDOW (widget));
}

/* The widget named @name under @root (the Account page's parts). */
static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Preferences at the Account page, with @focus (a widget name) focused. */
static void
show_account (TfWindow *self, const char *focus)
{
  GtkWidget *prefs = show_preferences (self);
  GtkWidget *target;

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "account-page");
  target = find_named (prefs, focus);
  if (target != NULL)
    gtk_widget_grab_focus (target);
}

static void
change_password_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  show_account (TF_WINDOW (widget), "account-password-current");
}

static void
sessions_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  show_account (TF_WINDOW (widget), "account-sessions-refresh");
}

static void
signed_out_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfWindow) self = data;
  g_autoptr(GError) error = NULL;
  gboolean server_ended = FALSE;

  if (!tf_session_sign_out_finish (TF_SESSION (source), result, &server_ended, &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, server_ended ? _("Signed out. Your data stays on this computer, encrypted.")
                            : _("Signed out here. The server could not be told: this device's "
                                "session there ends by itself."));
  update_sync_label (self);
}

static void
on_sign_out_response_cb (AdwMessageDialog *dialog, const char *response, TfWindow *self)
{
  if (g_strcmp0 (response, "sign-out") != 0)
    return;
  tf_session_sign_out_async (self->session, NULL, signed_out_cb, g_object_ref (self));
}

static void
sign_out_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfWindow *self = TF_WINDOW (widget);
  GtkWidget *dialog;

  dialog = tf_form_confirm_new (widget, "sign-out-dialog", _("Sign Out?"),
                                _("This device stops syncing until you sign in again with "
                                  "your password. What is on this computer stays here, "
                                  "encrypted; changes made meanwhile wait to be sent."),
                                "cancel", _("_Cancel"), "sign-out", _("_Sign Out"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_keys_rotated (GtkWidget *from, const char *message)
{
  TfWindow *self = TF_WINDOW (from);

  self->rotating = FALSE;
  if (message != NULL)
    toast (self, message);
  update_actions (self);
}

static void
rotate_keys_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  self->rotating = TRUE;
  update_actions (self);
  tf_rotate_keys_ask (widget, self->session, on_keys_rotated);
}

/* The account's actions need the open profile of a server account; signing
 * out, a session too. */
static void
update_actions (TfWindow *self)
{
  gboolean unlocked = self->session != NULL && tf_session_is_unlocked (self->session);
  TfSyncState state = self->session != NULL ? tf_session_get_sync_state (self->session)
                                            : TF_SYNC_STATE_LOCAL_ONLY;
  gboolean server = unlocked && state != TF_SYNC_STATE_LOCAL_ONLY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-password", server);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sessions",
                                 server && state != TF_SYNC_STATE_SIGNED_OUT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out",
                                 server && state != TF_SYNC_STATE_SIGNED_OUT);
  /* Offline it is offered, and says it needs the server. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rotate-keys",
                                 server && state != TF_SYNC_STATE_SIGNED_OUT && !self->rotating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refusals", unlocked && self->refused);
}

/* Only the server's refusal asks: the person who signed out has the
 * header's button. */
static void
on_sync_state (TfWindow *self)
{
  if (tf_session_get_sync_state (self->session) == TF_SYNC_STATE_SIGNED_OUT &&
      tf_session_get_signed_out (self->session) == TF_SIGNED_OUT_REFUSED)
    ask_sign_in (self);
}

/* --- locking when idle --------------------------------------------------- */

static gboolean
idle_timeout_cb (gpointer data)
{
  TfWindow *self = data;

  self->idle_source = 0;
  lock_activated (GTK_WIDGET (self), "win.lock", NULL);
  return G_SOURCE_REMOVE;
}

/* Any key or pointer activity starts the idle time again. */
static void
restart_idle (TfWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->idle_seconds > 0 && self->session != NULL && tf_session_is_unlocked (self->session))
    self->idle_source = g_timeout_add_seconds (self->idle_seconds, idle_timeout_cb, self);
}

static void
on_motion_cb (TfWindow *self)
{
  restart_idle (self);
}

static gboolean
on_key_pressed_cb (TfWindow *self)
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

/* --- the class ----------------------------------------------------------- */

static void
tf_window_dispose (GObject *object)
{
  TfWindow *self = TF_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->label_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_window_parent_class)->dispose (object);
}

static void
tf_window_class_init (TfWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_window_dispose;

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
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_forgot_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_lost_dismissed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_narrow_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_motion_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed_cb);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_activated);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_activated);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  gtk_widget_class_install_action (widget_class, "win.change-password", NULL,
                                   change_password_activated);
  gtk_widget_class_install_action (widget_class, "win.sessions", NULL, sessions_activated);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_activated);
  gtk_widget_class_install_action (widget_class, "win.rotate-keys", NULL, rotate_keys_activated);
  gtk_widget_class_install_action (widget_class, "win.refusals", NULL, refusals_activated);
}

static void
tf_window_init (TfWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_default_width_cb), NULL);
  self->idle_seconds = 5 * 60;
  self->settings = tf_preferences_settings_new ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::idle-lock-minutes",
                               G_CALLBACK (on_idle_setting_changed), self, G_CONNECT_SWAPPED);
      self->idle_seconds = g_settings_get_uint (self->settings, "idle-lock-minutes") * 60;
    }
  self->label_source = g_timeout_add_seconds (SYNC_LABEL_SECONDS, label_timeout_cb, self);
  update_actions (self);
}

TfWindow *
tf_window_new (GtkApplication *application, TfSession *session)
{
  TfWindow *self = g_object_new (TF_TYPE_WINDOW, "application", application, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::sync-state", G_CALLBACK (on_sync_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::sync-state", G_CALLBACK (update_sync_label), self,
                           G_CONNECT_SWAPPED);
  if (!tf_session_has_account (session))
    {
      GtkWidget *onboarding = tf_onboarding_new (session);

      g_signal_connect_swapped (onboarding, "done", G_CALLBACK (on_onboarding_done), self);
      gtk_widget_set_vexpand (onboarding, TRUE);
      gtk_box_append (self->onboarding_box, onboarding);
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
  update_actions (self);
  return self;
}
