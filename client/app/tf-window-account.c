/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window-account.c: unlocking, locking and the account's actions of
 * the main window (tf-window-private.h).
 *
 * Unlocking takes the password typed, or at start the one kept in the
 * keyring when the person asked to remember it; a keyring that fails is
 * said beside the field, and the recovery key sets a new password
 * (tf-recover-dialog.c).
 *
 * Locking (win.lock, or idle) keeps what every open form left unsaved as
 * a draft (TfSession::locking); after the unlock each draft goes back to
 * its page, which opens the form on the same record (tf-window.c).
 *
 * The primary menu holds the account's actions (win.sign-out,
 * win.change-password, win.sessions, win.rotate-keys: tf-rotate-keys.c),
 * enabled while the unlocked profile syncs with a server.  When the server
 * stops accepting this device the window asks to sign in again
 * (tf-sign-in-again.c).
 */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-keyring.h"
#include "tf-preferences-window.h"
#include "tf-recover-dialog.h"
#include "tf-rotate-keys.h"
#include "tf-session-account.h"
#include "tf-sign-in-again.h"
#include "tf-window-private.h"

/* --- signing in again ---------------------------------------------------- */

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

/* Only the server's refusal asks: the person who signed out has the
 * header's button. */
static void
on_sync_state (TfWindow *self)
{
  if (tf_session_get_sync_state (self->session) == TF_SYNC_STATE_SIGNED_OUT &&
      tf_session_get_signed_out (self->session) == TF_SIGNED_OUT_REFUSED)
    ask_sign_in (self);
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
  tf_window_toast (self, message);
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
      if (from_keyring &&
          g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD))
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
  tf_window_show_main (self);
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
  tf_window_show_main (self);
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

/* --- locking ------------------------------------------------------------- */

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
  tf_window_remove_pages (self);
  gtk_stack_set_visible_child_name (self->pages, "unlock");
  gtk_widget_grab_focus (GTK_WIDGET (self->unlock_password));
  tf_window_update_actions (self);
}

static gboolean
idle_timeout_cb (gpointer data)
{
  TfWindow *self = data;

  self->idle_source = 0;
  lock_activated (GTK_WIDGET (self), "win.lock", NULL);
  return G_SOURCE_REMOVE;
}

/* Any key or pointer activity starts the idle time again. */
void
tf_window_restart_idle (TfWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->idle_seconds > 0 && self->session != NULL && tf_session_is_unlocked (self->session))
    self->idle_source = g_timeout_add_seconds (self->idle_seconds, idle_timeout_cb, self);
}

static void
on_motion_cb (TfWindow *self)
{
  tf_window_restart_idle (self);
}

static gboolean
on_key_pressed_cb (TfWindow *self)
{
  tf_window_restart_idle (self);
  return FALSE;
}

void
tf_window_set_idle_lock (TfWindow *self, guint seconds)
{
  g_return_if_fail (TF_IS_WINDOW (self));

  self->idle_seconds = seconds;
  tf_window_restart_idle (self);
}

static void
on_idle_setting_changed (TfWindow *self)
{
  tf_window_set_idle_lock (self, g_settings_get_uint (self->settings, "idle-lock-minutes") * 60);
}

/* --- preferences and the account's actions ------------------------------- */

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

/* Focuses @target once it can be: on screen, and sensitive (Refresh waits
 * for the list of devices being asked for). */
static void
on_target_ready_cb (GtkWidget *target)
{
  if (!gtk_widget_get_mapped (target) || !gtk_widget_is_sensitive (target))
    return;
  g_signal_handlers_disconnect_by_func (target, on_target_ready_cb, NULL);
  gtk_widget_grab_focus (target);
}

/* Preferences at the Account page, with @focus (a widget name) focused —
 * once it is on screen, should the window just opened not be yet. */
static void
show_account (TfWindow *self, const char *focus)
{
  GtkWidget *prefs = show_preferences (self);
  GtkWidget *target;

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "account-page");
  target = find_named (prefs, focus);
  if (target == NULL)
    return;
  g_signal_handlers_disconnect_by_func (target, on_target_ready_cb, NULL);
  g_signal_connect (target, "map", G_CALLBACK (on_target_ready_cb), NULL);
  g_signal_connect (target, "notify::sensitive", G_CALLBACK (on_target_ready_cb), NULL);
  on_target_ready_cb (target);
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
      tf_window_toast (self, error->message);
      return;
    }
  tf_window_toast (self,
                   server_ended ? _("Signed out. Your data stays on this computer, encrypted.")
                                : _("Signed out here. The server could not be told: this "
                                    "device's session there ends by itself."));
  tf_window_update_sync_label (self);
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
    tf_window_toast (self, message);
  tf_window_update_actions (self);
}

static void
rotate_keys_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  self->rotating = TRUE;
  tf_window_update_actions (self);
  tf_rotate_keys_ask (widget, self->session, on_keys_rotated);
}

/* The account's actions need the open profile of a server account; signing
 * out, a session too. */
void
tf_window_update_actions (TfWindow *self)
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

/* --- wiring -------------------------------------------------------------- */

void
tf_window_class_init_account (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_forgot_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_motion_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed_cb);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_activated);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  gtk_widget_class_install_action (widget_class, "win.change-password", NULL,
                                   change_password_activated);
  gtk_widget_class_install_action (widget_class, "win.sessions", NULL, sessions_activated);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_activated);
  gtk_widget_class_install_action (widget_class, "win.rotate-keys", NULL, rotate_keys_activated);
}

void
tf_window_init_account (TfWindow *self)
{
  self->idle_seconds = 5 * 60;
  if (self->settings == NULL)
    return;
  g_signal_connect_object (self->settings, "changed::idle-lock-minutes",
                           G_CALLBACK (on_idle_setting_changed), self, G_CONNECT_SWAPPED);
  self->idle_seconds = g_settings_get_uint (self->settings, "idle-lock-minutes") * 60;
}

void
tf_window_start_account (TfWindow *self)
{
  g_signal_connect_object (self->session, "notify::sync-state", G_CALLBACK (on_sync_state), self,
                           G_CONNECT_SWAPPED);
  /* At start only: after an idle lock the password is asked again. */
  if (tf_session_has_account (self->session) && self->settings != NULL &&
      g_settings_get_boolean (self->settings, "remember-password"))
    {
      gtk_label_set_text (self->unlock_error, _("Unlocking…"));
      tf_keyring_lookup_async (tf_session_get_path (self->session), NULL, keyring_looked_up,
                               g_object_ref (self));
    }
}
