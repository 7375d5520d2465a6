/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-onboarding.c: first run — an account on this computer only, one on a
 * server, signing in to an existing one, or, on a new device with the
 * password forgotten, the recovery key (the account's server and e-mail,
 * the key, a new password): the profile then opens and syncs everything.
 * The steps are the template tf-onboarding.ui; what can be done on them
 * are installed actions: onboarding.use-locally, .create-account, .sign-in
 * and .recover-account choose the way, .back goes back to the choice,
 * .continue sends the form (disabled while it is being sent, so that
 * neither Continue nor Enter sends it twice) and .finish, once the recovery
 * key is written down, opens the profile.
 */
#define G_LOG_DOMAIN "tf-onboarding"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-onboarding.h"

#define MIN_PASSWORD_CHARS 8

typedef enum
{
  MODE_LOCAL,
  MODE_SERVER,
  MODE_SIGN_IN,
  MODE_RECOVER,  /* a new device, with the recovery key */
} Mode;

struct _TfOnboarding
{
  GtkWidget    parent_instance;
  TfSession   *session;
  Mode         mode;
  gboolean     busy;         /* the form is being sent */

  /* template */
  GtkStack    *stack;        /* the only child */
  AdwStatusPage *welcome;

  /* the form */
  AdwPreferencesGroup *form_group;
  AdwComboRow *role_row;
  AdwEntryRow *first_row;
  AdwEntryRow *last_row;
  AdwEntryRow *license_row;
  AdwActionRow *invited_row;   /* "I have an invitation code" (creating on a server) */
  GtkSwitch   *invited_switch;
  AdwEntryRow *invite_row;
  AdwEntryRow *server_row;
  AdwEntryRow *email_row;
  AdwEntryRow *key_row;  /* the recovery key */
  AdwPasswordEntryRow *password_row;
  AdwPasswordEntryRow *confirm_row;
  AdwEntryRow *totp_row;     /* shown once the account asks for a code */
  GtkLabel    *form_error;

  /* the recovery key */
  GtkLabel       *recovery_label;
  GtkLabel       *recovery_note;
  GtkCheckButton *recovery_check;
};

G_DEFINE_FINAL_TYPE (TfOnboarding, tf_onboarding, GTK_TYPE_WIDGET)

enum { DONE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_onboarding_dispose (GObject *object)
{
  TfOnboarding *self = TF_ONBOARDING (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_ONBOARDING);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_onboarding_parent_class)->dispose (object);
}

static gboolean
is_therapist (TfOnboarding *self)
{
  return adw_combo_row_get_selected (self->role_row) == 1;
}

/* Shows the rows the chosen way needs. */
static void
update_form (TfOnboarding *self)
{
  gboolean creating = self->mode == MODE_LOCAL || self->mode == MODE_SERVER;
  gboolean recovering = self->mode == MODE_RECOVER;
  /* Invited: a client whose role, names and records their therapist made. */
  gboolean invited = self->mode == MODE_SERVER && gtk_switch_get_active (self->invited_switch);

  gtk_widget_set_visible (GTK_WIDGET (self->invited_row), self->mode == MODE_SERVER);
  gtk_widget_set_visible (GTK_WIDGET (self->invite_row), invited);
  gtk_widget_set_visible (GTK_WIDGET (self->role_row), creating && !invited);
  gtk_widget_set_visible (GTK_WIDGET (self->first_row), creating && !invited);
  gtk_widget_set_visible (GTK_WIDGET (self->last_row), creating && !invited);
  gtk_widget_set_visible (GTK_WIDGET (self->license_row),
                          creating && !invited && is_therapist (self));
  gtk_widget_set_visible (GTK_WIDGET (self->server_row), self->mode != MODE_LOCAL);
  gtk_widget_set_visible (GTK_WIDGET (self->email_row), self->mode != MODE_LOCAL);
  gtk_widget_set_visible (GTK_WIDGET (self->key_row), recovering);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_row), creating || recovering);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row),
                                 recovering ? _("New password") : _("Password"));
  gtk_widget_set_visible (GTK_WIDGET (self->totp_row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->totp_row), "");
  adw_preferences_group_set_title (self->form_group,
                                   self->mode == MODE_LOCAL ? _("Use on This Computer Only")
                                   : self->mode == MODE_SERVER ? _("Create an Account")
                                   : recovering ? _("Recover With Your Recovery Key")
                                   : _("Sign In"));
  adw_preferences_group_set_description (
    self->form_group,
    self->mode == MODE_LOCAL
      ? _("Everything stays on this computer, encrypted. You can connect to a server later "
          "for a second device or a therapist.")
      : self->mode == MODE_SERVER
          ? _("Your notes are encrypted on this computer before they reach the server.")
      : recovering
          ? _("Enter your account’s server and e-mail address, the recovery key you wrote "
              "down when you made the account, and a new password. Your data comes back from "
              "the server as it was; the recovery key stays the same.")
          : _("Use the e-mail address and password of your account."));
  gtk_label_set_text (self->form_error, "");
}

static void
on_role_changed (TfOnboarding *self)
{
  update_form (self);
}

static void
choose (TfOnboarding *self, Mode mode)
{
  self->mode = mode;
  update_form (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->mode == MODE_SIGN_IN || self->mode == MODE_RECOVER
                                       ? self->server_row : self->first_row));
}

static void
use_locally_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  choose (TF_ONBOARDING (widget), MODE_LOCAL);
}

static void
create_account_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  choose (TF_ONBOARDING (widget), MODE_SERVER);
}

static void
sign_in_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  choose (TF_ONBOARDING (widget), MODE_SIGN_IN);
}

static void
recover_account_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  choose (TF_ONBOARDING (widget), MODE_RECOVER);
}

static void
back_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_stack_set_visible_child_name (TF_ONBOARDING (widget)->stack, "choose");
}

/* Sending the form, or not. */
static void
set_busy (TfOnboarding *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.continue", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.back", !busy);
}

static void
form_error (TfOnboarding *self, const char *message)
{
  gtk_label_set_text (self->form_error, message);
  gtk_stack_set_visible_child_name (self->stack, "form");
  set_busy (self, FALSE);
}

/* What was said about the last try no longer holds once the input
 * changes. */
static void
on_input_changed (TfOnboarding *self)
{
  gtk_label_set_text (self->form_error, "");
}

static void
send_form (TfOnboarding *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "onboarding.continue", NULL);
}

/* Enter in the password: signing in, it is the last field (or the code
 * comes next); making an account, the password is asked again below. */
static void
on_password_activated (TfOnboarding *self)
{
  if (self->mode != MODE_SIGN_IN)
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
  else if (gtk_widget_get_visible (GTK_WIDGET (self->totp_row)))
    gtk_widget_grab_focus (GTK_WIDGET (self->totp_row));
  else
    send_form (self);
}

/* Enter in the form's last field sends it. */
static void
on_last_field_activated_cb (TfOnboarding *self)
{
  send_form (self);
}

static const char *
text_of (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return text != NULL && *text != '\0' ? text : NULL;
}

static void
show_recovery (TfOnboarding *self, const char *recovery, const char *problem)
{
  gtk_label_set_text (self->recovery_label, recovery);
  if (problem != NULL)
    {
      g_autofree char *note = g_strdup_printf (_("Your account was created on this computer, "
                                                 "but the server could not register it: %s. "
                                                 "You can try again later from Preferences."),
                                               problem);
      gtk_label_set_text (self->recovery_note, note);
    }
  gtk_check_button_set_active (self->recovery_check, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.finish", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "recovery");
}

static void
created_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfOnboarding) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;
  gboolean ok = tf_session_create_finish (TF_SESSION (source), result, &recovery, &error);

  /* Nothing of a new account waits to sync: the sync layer's "kept and
   * will sync later" would mislead. */
  if (g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE))
    {
      if (recovery != NULL)
        show_recovery (self, recovery, _("the server cannot be reached"));
      else
        form_error (self, _("The server cannot be reached. Check its address and your "
                            "connection, then try again."));
      return;
    }
  if (recovery != NULL)
    show_recovery (self, recovery, ok ? NULL : error->message);
  else
    form_error (self, error->message);
}

/* Signed in to an account that exists: its data comes with a sync. */
static void
open_account (TfOnboarding *self, gboolean ok, GError *error)
{
  if (!ok)
    {
      /* The password was right; the account asks for its second step. */
      if (g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED) ||
          g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_WRONG))
        {
          gtk_widget_set_visible (GTK_WIDGET (self->totp_row), TRUE);
          gtk_editable_set_text (GTK_EDITABLE (self->totp_row), "");
          form_error (self, g_error_matches (error, TF_ACCOUNT_ERROR,
                                             TF_ACCOUNT_ERROR_TOTP_NEEDED)
                              ? _("Your account asks for the 6-digit code your "
                                  "authenticator app shows: enter it and continue")
                              : error->message);
          gtk_widget_grab_focus (GTK_WIDGET (self->totp_row));
          return;
        }
      form_error (self, error->message);
      return;
    }
  set_busy (self, FALSE);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[DONE], 0);
}

static void
signed_in_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfOnboarding) self = data;
  g_autoptr(GError) error = NULL;
  /* Apart: the order in which arguments are evaluated is not defined. */
  gboolean ok = tf_session_login_finish (TF_SESSION (source), result, &error);

  open_account (self, ok, error);
}

static void
recovered_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfOnboarding) self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = tf_session_recover_new_device_finish (TF_SESSION (source), result, &error);

  /* Nothing here waits to be sent: the sync layer's "kept" would mislead. */
  if (g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE))
    {
      form_error (self, _("The server cannot be reached. Check its address and your "
                          "connection, then try again."));
      return;
    }
  /* Otherwise the core's words say which (a typing mistake, a wrong key or
   * e-mail, too many tries); the key is what to look at again. */
  open_account (self, ok, error);
  if (g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY))
    gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

static void
continue_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfOnboarding *self = TF_ONBOARDING (widget);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  const char *server = text_of (self->server_row);
  const char *email = text_of (self->email_row);
  const char *totp = gtk_widget_get_visible (GTK_WIDGET (self->totp_row))
                       ? text_of (self->totp_row) : NULL;
  TfRegistration reg = { 0 };

  if (self->busy)
    return;
  if (self->mode != MODE_LOCAL &&
      (server == NULL || (!g_str_has_prefix (server, "https://") &&
                          !g_str_has_prefix (server, "http://"))))
    return form_error (self, _("Enter the server’s address, starting with https://"));
  if (self->mode != MODE_LOCAL && (email == NULL || strchr (email, '@') == NULL))
    return form_error (self, _("Enter your e-mail address"));
  if (self->mode == MODE_RECOVER && text_of (self->key_row) == NULL)
    return form_error (self, _("Enter your recovery key"));
  if (self->mode == MODE_SIGN_IN && *password == '\0')
    return form_error (self, _("Enter your password"));
  if (self->mode != MODE_SIGN_IN)
    {
      if (g_utf8_strlen (password, -1) < MIN_PASSWORD_CHARS)
        return form_error (self, _("Choose a password of at least 8 characters"));
      if (g_strcmp0 (password, confirm) != 0)
        return form_error (self, _("The two passwords differ"));
    }
  if (self->mode == MODE_SERVER && gtk_switch_get_active (self->invited_switch))
    {
      if (text_of (self->invite_row) == NULL)
        return form_error (self, _("Enter the invitation code your therapist gave you"));
      set_busy (self, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "busy");
      tf_session_create_invited_async (self->session, server, email, password,
                                       text_of (self->invite_row), NULL, created_cb,
                                       g_object_ref (self));
      return;
    }
  if (self->mode == MODE_LOCAL || self->mode == MODE_SERVER)
    {
      if ((text_of (self->first_row) == NULL) != (text_of (self->last_row) == NULL))
        return form_error (self, _("Enter both your first and last name, or neither"));
      if (is_therapist (self) && text_of (self->license_row) == NULL)
        return form_error (self, _("Enter your licence number"));
    }
  if (self->mode == MODE_SIGN_IN && totp == NULL &&
      gtk_widget_get_visible (GTK_WIDGET (self->totp_row)))
    return form_error (self, _("Enter the 6-digit code your authenticator app shows"));

  set_busy (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "busy");
  if (self->mode == MODE_RECOVER)
    {
      g_autofree char *key = g_strstrip (g_strdup (text_of (self->key_row)));

      tf_session_recover_new_device_async (self->session, server, email, key, password, NULL,
                                           recovered_cb, g_object_ref (self));
      return;
    }
  if (self->mode == MODE_SIGN_IN)
    {
      tf_session_login_async (self->session, server, email, password, totp, NULL, signed_in_cb,
                              g_object_ref (self));
      return;
    }
  reg.password = password;
  reg.role = is_therapist (self) ? "therapist" : "client";
  reg.first_name = text_of (self->first_row);
  reg.last_name = text_of (self->last_row);
  reg.license_number = is_therapist (self) ? text_of (self->license_row) : NULL;
  tf_session_create_async (self->session, &reg, self->mode == MODE_SERVER ? server : NULL,
                           email, NULL, created_cb, g_object_ref (self));
}

static void
on_recovery_check_toggled (TfOnboarding *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.finish",
                                 gtk_check_button_get_active (self->recovery_check));
}

static void
finish_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfOnboarding *self = TF_ONBOARDING (widget);

  if (!gtk_check_button_get_active (self->recovery_check))
    return;
  set_busy (self, FALSE);
  /* Shown once: gone from the screen and from memory. */
  gtk_label_set_text (self->recovery_label, "");
  tf_session_sync (self->session);
  g_signal_emit (self, signals[DONE], 0);
}

static void
tf_onboarding_class_init (TfOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_onboarding_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-onboarding.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfOnboarding, name)
  BIND (stack);
  BIND (welcome);
  BIND (form_group);
  BIND (role_row);
  BIND (first_row);
  BIND (last_row);
  BIND (license_row);
  BIND (invited_row);
  BIND (invited_switch);
  BIND (invite_row);
  BIND (server_row);
  BIND (email_row);
  BIND (key_row);
  BIND (password_row);
  BIND (confirm_row);
  BIND (totp_row);
  BIND (form_error);
  BIND (recovery_label);
  BIND (recovery_note);
  BIND (recovery_check);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_role_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_last_field_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_recovery_check_toggled);

  gtk_widget_class_install_action (widget_class, "onboarding.use-locally", NULL,
                                   use_locally_activated);
  gtk_widget_class_install_action (widget_class, "onboarding.create-account", NULL,
                                   create_account_activated);
  gtk_widget_class_install_action (widget_class, "onboarding.sign-in", NULL, sign_in_activated);
  gtk_widget_class_install_action (widget_class, "onboarding.recover-account", NULL,
                                   recover_account_activated);
  gtk_widget_class_install_action (widget_class, "onboarding.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "onboarding.continue", NULL,
                                   continue_activated);
  gtk_widget_class_install_action (widget_class, "onboarding.finish", NULL, finish_activated);
}

static void
tf_onboarding_init (TfOnboarding *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.finish", FALSE);
  /* The application id differs by build profile. */
  adw_status_page_set_icon_name (self->welcome, APPLICATION_ID);
  /* build-aux/run fills in its throwaway server. */
  if (g_getenv ("TF_SERVER_URL") != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), g_getenv ("TF_SERVER_URL"));
}

GtkWidget *
tf_onboarding_new (TfSession *session)
{
  TfOnboarding *self = g_object_new (TF_TYPE_ONBOARDING, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}
