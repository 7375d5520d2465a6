/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-onboarding.c: first run — an account on this computer only, one on a
 * server, signing in to an existing one, or, on a new device with the
 * password forgotten, the recovery key (the account's server and e-mail,
 * the key, a new password): the profile then opens and syncs everything.
 */
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
  GtkStack    *stack;
  Mode         mode;

  /* the form */
  AdwPreferencesGroup *form_group;
  AdwComboRow *role_row;
  AdwEntryRow *first_row;
  AdwEntryRow *last_row;
  AdwEntryRow *license_row;
  AdwEntryRow *server_row;
  AdwEntryRow *email_row;
  AdwEntryRow *key_row;  /* the recovery key */
  AdwPasswordEntryRow *password_row;
  AdwPasswordEntryRow *confirm_row;
  AdwEntryRow *totp_row;     /* shown once the account asks for a code */
  GtkLabel    *form_error;
  GtkButton   *continue_button;

  /* the recovery key */
  GtkLabel       *recovery_label;
  GtkLabel       *recovery_note;
  GtkCheckButton *recovery_check;
  GtkButton      *recovery_done;
};

G_DEFINE_FINAL_TYPE (TfOnboarding, tf_onboarding, GTK_TYPE_WIDGET)

enum { DONE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_onboarding_dispose (GObject *object)
{
  TfOnboarding *self = TF_ONBOARDING (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_onboarding_parent_class)->dispose (object);
}

static void
tf_onboarding_class_init (TfOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tf_onboarding_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 0);
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

  gtk_widget_set_visible (GTK_WIDGET (self->role_row), creating);
  gtk_widget_set_visible (GTK_WIDGET (self->first_row), creating);
  gtk_widget_set_visible (GTK_WIDGET (self->last_row), creating);
  gtk_widget_set_visible (GTK_WIDGET (self->license_row), creating && is_therapist (self));
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

static void on_local_clicked (TfOnboarding *self) { choose (self, MODE_LOCAL); }
static void on_server_clicked (TfOnboarding *self) { choose (self, MODE_SERVER); }
static void on_sign_in_clicked (TfOnboarding *self) { choose (self, MODE_SIGN_IN); }
static void on_recover_clicked (TfOnboarding *self) { choose (self, MODE_RECOVER); }

static void
on_back_clicked (TfOnboarding *self)
{
  gtk_stack_set_visible_child_name (self->stack, "choose");
}

static void
form_error (TfOnboarding *self, const char *message)
{
  gtk_label_set_text (self->form_error, message);
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_button), TRUE);
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
  gtk_stack_set_visible_child_name (self->stack, "recovery");
}

static void
created_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfOnboarding) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;
  gboolean ok = tf_session_create_finish (TF_SESSION (source), result, &recovery, &error);

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
on_continue_clicked (TfOnboarding *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  const char *server = text_of (self->server_row);
  const char *email = text_of (self->email_row);
  const char *totp = gtk_widget_get_visible (GTK_WIDGET (self->totp_row))
                       ? text_of (self->totp_row) : NULL;
  TfRegistration reg = { 0 };

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

  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_button), FALSE);
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
  gtk_widget_set_sensitive (GTK_WIDGET (self->recovery_done),
                            gtk_check_button_get_active (self->recovery_check));
}

static void
on_recovery_done_clicked (TfOnboarding *self)
{
  /* Shown once: gone from the screen and from memory. */
  gtk_label_set_text (self->recovery_label, "");
  tf_session_sync (self->session);
  g_signal_emit (self, signals[DONE], 0);
}

static GtkWidget *
pill (const char *label, const char *name, gboolean suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "pill");
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static GtkWidget *
build_choose (TfOnboarding *self)
{
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *local = pill (_("_Use on This Computer Only"), "onboarding-local", TRUE);
  GtkWidget *server = pill (_("_Create an Account on a Server"), "onboarding-server", FALSE);
  GtkWidget *sign_in = pill (_("_Sign In to an Existing Account"), "onboarding-sign-in", FALSE);
  GtkWidget *recover = gtk_button_new_with_mnemonic (_("I Have My _Recovery Key"));

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), APPLICATION_ID);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Welcome to Therapy Field"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                   _("A private place for your check-ins, journal and "
                                     "appointments. Everything is encrypted on this computer."));
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), local);
  gtk_box_append (GTK_BOX (box), server);
  gtk_box_append (GTK_BOX (box), sign_in);
  /* For a forgotten password on a new device; quieter than the others. */
  gtk_widget_set_name (recover, "onboarding-recover");
  gtk_widget_add_css_class (recover, "flat");
  gtk_box_append (GTK_BOX (box), recover);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), box);
  g_signal_connect_swapped (local, "clicked", G_CALLBACK (on_local_clicked), self);
  g_signal_connect_swapped (server, "clicked", G_CALLBACK (on_server_clicked), self);
  g_signal_connect_swapped (sign_in, "clicked", G_CALLBACK (on_sign_in_clicked), self);
  g_signal_connect_swapped (recover, "clicked", G_CALLBACK (on_recover_clicked), self);
  return page;
}

static AdwEntryRow *
entry_row (const char *title, const char *name)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, name);
  return ADW_ENTRY_ROW (row);
}

static AdwPasswordEntryRow *
password_row (const char *title, const char *name)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, name);
  return ADW_PASSWORD_ENTRY_ROW (row);
}

static GtkWidget *
build_form (TfOnboarding *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *back = gtk_button_new_with_mnemonic (_("_Back"));
  GtkWidget *actions = adw_preferences_group_new ();
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  gtk_string_list_append (roles, _("Client"));
  gtk_string_list_append (roles, _("Therapist"));
  self->form_group = ADW_PREFERENCES_GROUP (group);
  self->role_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->role_row), _("I am a"));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));
  gtk_widget_set_name (GTK_WIDGET (self->role_row), "onboarding-role");
  self->first_row = entry_row (_("First name"), "onboarding-first-name");
  self->last_row = entry_row (_("Last name"), "onboarding-last-name");
  self->license_row = entry_row (_("Licence number"), "onboarding-license");
  self->server_row = entry_row (_("Server address"), "onboarding-server-url");
  self->email_row = entry_row (_("E-mail address"), "onboarding-email");
  self->key_row = entry_row (_("Recovery key"), "onboarding-key");
  self->password_row = password_row (_("Password"), "onboarding-password");
  self->confirm_row = password_row (_("Password again"), "onboarding-confirm");
  self->totp_row = entry_row (_("Code from the app (6 digits)"), "onboarding-totp");
  adw_entry_row_set_input_purpose (self->totp_row, GTK_INPUT_PURPOSE_DIGITS);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->role_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->first_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->last_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->license_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->server_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->email_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->key_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->password_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->confirm_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->totp_row));

  self->form_error = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->form_error), "onboarding-error");
  gtk_widget_add_css_class (GTK_WIDGET (self->form_error), "error");
  gtk_label_set_wrap (self->form_error, TRUE);
  self->continue_button = GTK_BUTTON (pill (_("C_ontinue"), "onboarding-continue", TRUE));
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), back);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->continue_button));
  gtk_widget_add_css_class (back, "pill");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (actions), GTK_WIDGET (self->form_error));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (actions), buttons);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (actions));

  g_signal_connect_swapped (self->role_row, "notify::selected", G_CALLBACK (on_role_changed),
                            self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (on_back_clicked), self);
  g_signal_connect_swapped (self->continue_button, "clicked", G_CALLBACK (on_continue_clicked),
                            self);
  g_signal_connect_swapped (self->confirm_row, "entry-activated",
                            G_CALLBACK (on_continue_clicked), self);
  g_signal_connect_swapped (self->totp_row, "entry-activated",
                            G_CALLBACK (on_continue_clicked), self);
  return page;
}

static GtkWidget *
build_busy (void)
{
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Preparing Your Keys…"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                   _("This takes a moment, so that a password is slow to guess."));
  adw_status_page_set_child (ADW_STATUS_PAGE (page), spinner);
  return page;
}

static GtkWidget *
build_recovery (TfOnboarding *self)
{
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "dialog-password-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Your Recovery Key"));
  adw_status_page_set_description (
    ADW_STATUS_PAGE (page),
    _("Write this key down and keep it somewhere safe. It is shown only now. Without your "
      "password or this key, your data cannot be recovered by anyone — not even us."));
  self->recovery_label = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->recovery_label), "onboarding-recovery-key");
  gtk_label_set_selectable (self->recovery_label, TRUE);
  gtk_label_set_wrap (self->recovery_label, TRUE);
  gtk_label_set_wrap_mode (self->recovery_label, PANGO_WRAP_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->recovery_label), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->recovery_label), "title-3");
  self->recovery_note = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->recovery_note, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->recovery_note), "warning");
  self->recovery_check = GTK_CHECK_BUTTON (
    gtk_check_button_new_with_mnemonic (_("I have _written the recovery key down")));
  gtk_widget_set_name (GTK_WIDGET (self->recovery_check), "onboarding-recovery-check");
  self->recovery_done = GTK_BUTTON (pill (_("C_ontinue"), "onboarding-recovery-done", TRUE));
  gtk_widget_set_sensitive (GTK_WIDGET (self->recovery_done), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->recovery_check), GTK_ALIGN_CENTER);
  gtk_widget_set_halign (GTK_WIDGET (self->recovery_done), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->recovery_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->recovery_note));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->recovery_check));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->recovery_done));
  adw_status_page_set_child (ADW_STATUS_PAGE (page), box);
  g_signal_connect_swapped (self->recovery_check, "toggled",
                            G_CALLBACK (on_recovery_check_toggled), self);
  g_signal_connect_swapped (self->recovery_done, "clicked",
                            G_CALLBACK (on_recovery_done_clicked), self);
  return page;
}

static void
tf_onboarding_init (TfOnboarding *self)
{
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_add_named (self->stack, build_choose (self), "choose");
  gtk_stack_add_named (self->stack, build_form (self), "form");
  gtk_stack_add_named (self->stack, build_busy (), "busy");
  gtk_stack_add_named (self->stack, build_recovery (self), "recovery");
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));
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
