/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-page.c: the Account page (template tf-account-page.ui).
 *
 * Every step asks the server, through the session's account calls in a
 * worker thread (tf-session-account.c): the page shows what it waits for
 * and, on a failure, the core's own words.  Nothing is kept here that the
 * server decides: the list of devices is asked again after a sign-out, and
 * whether the two-step sign-in is on is not stored anywhere on the device,
 * so both "Set Up…" and "Turn Off…" are offered until one of them was done
 * here (the server refuses the one that does not apply, and says so).
 *
 * The TOTP secret is on screen only while it is being set up: as a QR code
 * of its otpauth:// URI, and as text for typing it in by hand (also the
 * picture's accessible description, since a screen reader cannot scan).
 *
 * Each step is an installed action (account.refresh-sessions, Ctrl+R;
 * account.change-password; account.set-up-mfa, .turn-off-mfa, .cancel-mfa,
 * .confirm-mfa; account.publish); one whose request is in flight is
 * disabled until the answer comes, so neither its button nor Enter in its
 * form sends it twice (update_actions).
 */
#define G_LOG_DOMAIN "tf-account-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-account-page.h"
#include "tf-account-session-row.h"
#include "tf-form.h"
#include "tf-keyring.h"
#include "tf-qr-code.h"
#include "tf-session-account.h"

#define MIN_PASSWORD_CHARS 8

typedef enum
{
  MFA_UNKNOWN,  /* as far as this page knows */
  MFA_ON,
  MFA_OFF,
} MfaState;

struct _TfAccountPage
{
  AdwPreferencesPage parent_instance;

  TfSession    *session;
  GCancellable *cancellable;  /* cancelled in dispose: late answers are dropped */
  GPtrArray    *session_rows; /* the rows shown in sessions_group */
  gboolean      loading;      /* the devices are being asked for */
  gboolean      changing;     /* the password is being changed */
  gboolean      setting_up;   /* a secret is being asked for */
  gboolean      checking;     /* a code is being checked */
  gboolean      code_asked;   /* the code form can be sent */
  gboolean      enabling;     /* the code entered turns it on (else off) */
  MfaState      mfa;

  /* template */
  AdwPreferencesGroup *local_group;
  AdwPreferencesGroup *sessions_group;
  GtkLabel            *sessions_status;
  AdwPreferencesGroup *password_group;
  GtkEditable         *password_current;
  GtkEditable         *password_new;
  GtkEditable         *password_again;
  GtkLabel            *password_status;
  AdwPreferencesGroup *mfa_group;
  GtkWidget           *mfa_setup_row;
  GtkWidget           *mfa_off_row;
  GtkWidget           *mfa_scan_group;
  GtkPicture          *mfa_qr;
  GtkLabel            *mfa_secret;
  GtkWidget           *mfa_code_group;
  GtkEditable         *mfa_code;
  GtkLabel            *mfa_status;
  GtkButton           *mfa_confirm_button;
};

G_DEFINE_FINAL_TYPE (TfAccountPage, tf_account_page, ADW_TYPE_PREFERENCES_PAGE)

enum { PUBLISH, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Whether each step can be taken now: not while its request is in flight,
 * nor (the server's steps) on a profile on this computer only. */
static void
update_actions (TfAccountPage *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  gboolean server = self->session != NULL &&
                    tf_session_get_sync_state (self->session) != TF_SYNC_STATE_LOCAL_ONLY;

  gtk_widget_action_set_enabled (w, "account.refresh-sessions", server && !self->loading);
  gtk_widget_action_set_enabled (w, "account.change-password", server && !self->changing);
  gtk_widget_action_set_enabled (w, "account.set-up-mfa", server && !self->setting_up);
  gtk_widget_action_set_enabled (w, "account.turn-off-mfa", server);
  gtk_widget_action_set_enabled (w, "account.confirm-mfa",
                                 server && self->code_asked && !self->checking);
  gtk_widget_action_set_enabled (w, "account.publish", self->session != NULL && !server);
}

/* A late answer for a page that is gone, or was closed meanwhile. */
static gboolean
dropped (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A message under a form: an error in the error colour, else plain; none
 * takes no room. */
static void
say (GtkLabel *label, const char *text, gboolean is_error)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static void
toast (TfAccountPage *self, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

/* Scrolls the page so that @widget, just shown below, is in view (the QR
 * code would otherwise open under the fold of a small window): once it has
 * its size, from the frame clock. */
static gboolean
reveal_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  GtkAdjustment *adjustment;
  graphene_point_t top;

  if (scrolled == NULL)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_height (widget) == 0)
    return G_SOURCE_CONTINUE;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  if (content != NULL &&
      gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &top))
    gtk_adjustment_clamp_page (adjustment, top.y - 12,
                               top.y + gtk_widget_get_height (widget) + 12);
  return G_SOURCE_REMOVE;
}

static void
reveal (GtkWidget *widget)
{
  gtk_widget_add_tick_callback (widget, reveal_tick, NULL, NULL);
}

/* --- the devices ---------------------------------------------------------- */

static void load_sessions (TfAccountPage *self);

static void
clear_session_rows (TfAccountPage *self)
{
  for (guint i = 0; i < self->session_rows->len; i++)
    adw_preferences_group_remove (self->sessions_group,
                                  g_ptr_array_index (self->session_rows, i));
  g_ptr_array_set_size (self->session_rows, 0);
}

static void
revoked_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfAccountPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!tf_session_revoke_session_finish (TF_SESSION (source), result, &error))
    {
      if (dropped (error))
        return;
      say (self->sessions_status, error->message, TRUE);
    }
  else
    toast (self, _("The device was signed out"));
  load_sessions (self);
}

static void
on_revoke_response (AdwMessageDialog *dialog, const char *response, TfAccountPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "tf-session-id");

  if (!g_str_equal (response, "sign-out") || self->session == NULL)
    return;
  say (self->sessions_status, _("Signing the device out…"), FALSE);
  tf_session_revoke_session_async (self->session, id, self->cancellable, revoked_cb,
                                   g_object_ref (self));
}

static void
on_revoke_cb (TfAccountSessionRow *row, TfAccountPage *self)
{
  TfAccountSession *device = tf_account_session_row_get_session (row);
  GtkWidget *dialog;

  dialog = tf_form_confirm_new (GTK_WIDGET (self), "account-revoke", NULL,
                                _("That device stops syncing until your password is entered "
                                  "on it again. What is on it stays there, encrypted."),
                                "cancel", _("_Cancel"), "sign-out", _("_Sign Out"));
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Sign Out “%s”?"),
                                     tf_account_session_get_label (device));
  g_object_set_data_full (G_OBJECT (dialog), "tf-session-id",
                          g_strdup (tf_account_session_get_id (device)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_revoke_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sessions_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfAccountPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = tf_session_list_sessions_finish (TF_SESSION (source), result,
                                                                    &error);

  if (sessions == NULL && dropped (error))
    return;
  self->loading = FALSE;
  update_actions (self);
  clear_session_rows (self);
  if (sessions == NULL)
    {
      say (self->sessions_status, error->message, TRUE);
      return;
    }
  say (self->sessions_status, NULL, FALSE);
  for (guint i = 0; i < sessions->len; i++)
    {
      GtkWidget *row = tf_account_session_row_new (g_ptr_array_index (sessions, i));

      g_signal_connect (row, "revoke", G_CALLBACK (on_revoke_cb), self);
      adw_preferences_group_add (self->sessions_group, row);
      g_ptr_array_add (self->session_rows, row);
    }
}

static void
load_sessions (TfAccountPage *self)
{
  if (self->loading || self->session == NULL)
    return;
  self->loading = TRUE;
  update_actions (self);
  say (self->sessions_status, _("Asking the server…"), FALSE);
  tf_session_list_sessions_async (self->session, self->cancellable, sessions_cb,
                                  g_object_ref (self));
}

static void
refresh_sessions_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  load_sessions (TF_ACCOUNT_PAGE (widget));
}

/* --- the password --------------------------------------------------------- */

/* What is wrong with the new password as typed so far, or NULL. */
static const char *
password_problem (TfAccountPage *self, gboolean submitting)
{
  const char *current = gtk_editable_get_text (self->password_current);
  const char *new_password = gtk_editable_get_text (self->password_new);
  const char *again = gtk_editable_get_text (self->password_again);

  if (submitting && *current == '\0')
    return _("Enter your current password");
  if ((submitting || *new_password != '\0') &&
      g_utf8_strlen (new_password, -1) < MIN_PASSWORD_CHARS)
    return _("Choose a password of at least 8 characters");
  if ((submitting || *again != '\0') && g_strcmp0 (new_password, again) != 0)
    return _("The two passwords differ");
  if (submitting && g_str_equal (current, new_password))
    return _("The new password is the same as the current one");
  return NULL;
}

static void
on_password_typed (TfAccountPage *self)
{
  say (self->password_status, password_problem (self, FALSE), TRUE);
}

static void
password_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfAccountPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!tf_session_change_password_finish (TF_SESSION (source), result, &error) &&
      dropped (error))
    return;
  self->changing = FALSE;
  update_actions (self);
  if (error != NULL)
    {
      say (self->password_status, error->message, TRUE);
      return;
    }
  /* A password kept in the keyring is the old one now. */
  if (self->session != NULL)
    tf_keyring_clear (tf_session_get_path (self->session));
  gtk_editable_set_text (self->password_current, "");
  gtk_editable_set_text (self->password_new, "");
  gtk_editable_set_text (self->password_again, "");
  say (self->password_status, _("Your password was changed"), FALSE);
  toast (self, _("Your password was changed"));
}

static void
change_password_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfAccountPage *self = TF_ACCOUNT_PAGE (widget);
  const char *problem = password_problem (self, TRUE);

  if (self->changing || self->session == NULL)
    return;
  if (problem != NULL)
    return say (self->password_status, problem, TRUE);
  self->changing = TRUE;
  update_actions (self);
  say (self->password_status, _("Changing the password…"), FALSE);
  tf_session_change_password_async (self->session, gtk_editable_get_text (self->password_current),
                                    gtk_editable_get_text (self->password_new),
                                    self->cancellable, password_cb, g_object_ref (self));
}

/* --- the two-step sign-in ------------------------------------------------- */

/* The rows for what can be done next, the forms closed, the secret gone. */
static void
show_mfa (TfAccountPage *self, MfaState state)
{
  self->mfa = state;
  gtk_widget_set_visible (self->mfa_setup_row, state != MFA_ON);
  gtk_widget_set_visible (self->mfa_off_row, state != MFA_OFF);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mfa_setup_row),
                               state == MFA_OFF ? _("Off") : "");
  adw_preferences_group_set_description (
    self->mfa_group,
    state == MFA_ON
      ? _("On: signing in on a new device asks for a code from your authenticator app.")
      : _("Signing in on a new device then asks for a code from an authenticator app on "
          "your phone, besides your password."));
  gtk_widget_set_visible (self->mfa_scan_group, FALSE);
  gtk_widget_set_visible (self->mfa_code_group, FALSE);
  self->code_asked = FALSE;
  update_actions (self);
  gtk_picture_set_paintable (self->mfa_qr, NULL);
  gtk_label_set_text (self->mfa_secret, "");
  gtk_editable_set_text (self->mfa_code, "");
  say (self->mfa_status, NULL, FALSE);
}

/* The code form, to turn it on (@enabling) or off. */
static void
ask_code (TfAccountPage *self, gboolean enabling)
{
  self->enabling = enabling;
  gtk_button_set_label (self->mfa_confirm_button, enabling ? _("_Turn On") : _("_Turn Off"));
  if (enabling)
    gtk_widget_add_css_class (GTK_WIDGET (self->mfa_confirm_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->mfa_confirm_button), "suggested-action");
  self->code_asked = TRUE;
  update_actions (self);
  gtk_editable_set_text (self->mfa_code, "");
  gtk_widget_set_visible (self->mfa_code_group, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->mfa_code));
}

/* The base32 secret in groups of four, as authenticator apps show it. */
static char *
grouped (const char *secret)
{
  GString *out = g_string_new (NULL);

  for (const char *p = secret; *p != '\0'; p++)
    {
      if (p != secret && (p - secret) % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
setup_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfAccountPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL, *shown = NULL, *description = NULL;
  g_autofree char *uri = tf_session_mfa_setup_finish (TF_SESSION (source), result, &secret,
                                                      &error);
  g_autoptr(TfQrCode) code = NULL;

  if (uri == NULL && dropped (error))
    return;
  self->setting_up = FALSE;
  update_actions (self);
  if (uri != NULL)
    code = tf_qr_code_new (uri, &error);
  if (code == NULL)
    {
      gtk_widget_set_visible (self->mfa_code_group, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->mfa_confirm_button), FALSE);
      say (self->mfa_status, error->message, TRUE);
      return;
    }
  shown = grouped (secret != NULL ? secret : "");
  gtk_picture_set_paintable (self->mfa_qr, GDK_PAINTABLE (code));
  gtk_label_set_text (self->mfa_secret, shown);
  description = g_strdup_printf (_("A QR code for your authenticator app. To type it in "
                                   "instead, the key is %s"), shown);
  gtk_picture_set_alternative_text (self->mfa_qr, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mfa_qr),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("QR code to scan"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_widget_set_visible (self->mfa_scan_group, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->mfa_confirm_button), TRUE);
  say (self->mfa_status, NULL, FALSE);
  ask_code (self, TRUE);
  reveal (self->mfa_scan_group);
}

static void
set_up_mfa_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfAccountPage *self = TF_ACCOUNT_PAGE (widget);

  if (self->setting_up || self->session == NULL)
    return;
  show_mfa (self, self->mfa);
  self->setting_up = TRUE;
  update_actions (self);
  gtk_widget_set_visible (self->mfa_code_group, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->mfa_confirm_button), FALSE);
  say (self->mfa_status, _("Asking the server…"), FALSE);
  tf_session_mfa_setup_async (self->session, self->cancellable, setup_cb, g_object_ref (self));
}

static void
turn_off_mfa_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfAccountPage *self = TF_ACCOUNT_PAGE (widget);

  show_mfa (self, self->mfa);
  gtk_widget_set_visible (GTK_WIDGET (self->mfa_confirm_button), TRUE);
  ask_code (self, FALSE);
  reveal (self->mfa_code_group);
}

static void
cancel_mfa_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfAccountPage *self = TF_ACCOUNT_PAGE (widget);

  show_mfa (self, self->mfa);
}

static void
switched_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfAccountPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!tf_session_mfa_switch_finish (TF_SESSION (source), result, &error) && dropped (error))
    return;
  self->checking = FALSE;
  update_actions (self);
  if (error != NULL)
    {
      /* A wrong code is asked again; the secret set up stays on screen. */
      gtk_editable_set_text (self->mfa_code, "");
      say (self->mfa_status, error->message, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->mfa_code));
      return;
    }
  show_mfa (self, self->enabling ? MFA_ON : MFA_OFF);
  toast (self, self->enabling ? _("Two-step sign-in is on") : _("Two-step sign-in is off"));
}

static void
confirm_mfa_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfAccountPage *self = TF_ACCOUNT_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (!self->code_asked || self->checking || self->session == NULL)
    return;
  code = tf_account_totp_code_normalize (gtk_editable_get_text (self->mfa_code), &error);
  if (code == NULL)
    return say (self->mfa_status, error->message, TRUE);
  self->checking = TRUE;
  update_actions (self);
  say (self->mfa_status, _("Checking the code…"), FALSE);
  tf_session_mfa_switch_async (self->session, self->enabling, code, self->cancellable,
                               switched_cb, g_object_ref (self));
}

/* --- the page ------------------------------------------------------------- */

static void
publish_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[PUBLISH], 0);
}

/* Enter in a form's last field is its button's action. */
static void
on_password_activated_cb (TfAccountPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "account.change-password", NULL);
}

static void
on_mfa_code_activated_cb (TfAccountPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "account.confirm-mfa", NULL);
}

/* This computer only, or a server account: the groups that apply. */
static void
update_mode (TfAccountPage *self)
{
  gboolean local = self->session == NULL ||
                   tf_session_get_sync_state (self->session) == TF_SYNC_STATE_LOCAL_ONLY;
  gboolean was_local = gtk_widget_get_visible (GTK_WIDGET (self->local_group));

  gtk_widget_set_visible (GTK_WIDGET (self->local_group), local);
  gtk_widget_set_visible (GTK_WIDGET (self->sessions_group), !local);
  gtk_widget_set_visible (GTK_WIDGET (self->password_group), !local);
  gtk_widget_set_visible (GTK_WIDGET (self->mfa_group), !local);
  update_actions (self);
  if (local)
    {
      gtk_widget_set_visible (self->mfa_scan_group, FALSE);
      gtk_widget_set_visible (self->mfa_code_group, FALSE);
    }
  else if (was_local)
    load_sessions (self);
}

static void
on_sync_state (TfAccountPage *self)
{
  update_mode (self);
}

static void
tf_account_page_dispose (GObject *object)
{
  TfAccountPage *self = TF_ACCOUNT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->session);
  g_clear_pointer (&self->session_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_ACCOUNT_PAGE);
  G_OBJECT_CLASS (tf_account_page_parent_class)->dispose (object);
}

static void
tf_account_page_finalize (GObject *object)
{
  TfAccountPage *self = TF_ACCOUNT_PAGE (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tf_account_page_parent_class)->finalize (object);
}

static void
tf_account_page_class_init (TfAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_account_page_dispose;
  object_class->finalize = tf_account_page_finalize;
  /* "Sync With a Server…" on a profile on this computer only. */
  signals[PUBLISH] = g_signal_new ("publish", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-account-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfAccountPage, name)
  BIND (local_group);
  BIND (sessions_group);
  BIND (sessions_status);
  BIND (password_group);
  BIND (password_current);
  BIND (password_new);
  BIND (password_again);
  BIND (password_status);
  BIND (mfa_group);
  BIND (mfa_setup_row);
  BIND (mfa_off_row);
  BIND (mfa_scan_group);
  BIND (mfa_qr);
  BIND (mfa_secret);
  BIND (mfa_code_group);
  BIND (mfa_code);
  BIND (mfa_status);
  BIND (mfa_confirm_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_password_typed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_mfa_code_activated_cb);

  gtk_widget_class_install_action (widget_class, "account.publish", NULL, publish_activated);
  gtk_widget_class_install_action (widget_class, "account.refresh-sessions", NULL,
                                   refresh_sessions_activated);
  gtk_widget_class_install_action (widget_class, "account.change-password", NULL,
                                   change_password_activated);
  gtk_widget_class_install_action (widget_class, "account.set-up-mfa", NULL,
                                   set_up_mfa_activated);
  gtk_widget_class_install_action (widget_class, "account.turn-off-mfa", NULL,
                                   turn_off_mfa_activated);
  gtk_widget_class_install_action (widget_class, "account.cancel-mfa", NULL,
                                   cancel_mfa_activated);
  gtk_widget_class_install_action (widget_class, "account.confirm-mfa", NULL,
                                   confirm_mfa_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "account.refresh-sessions", NULL);
}

static void
tf_account_page_init (TfAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The template's "name" is the page's (AdwPreferencesPage:name); the
   * widget's own is what the ui tests look for. */
  gtk_widget_set_name (GTK_WIDGET (self), "account-page");
  self->cancellable = g_cancellable_new ();
  self->session_rows = g_ptr_array_new ();
}

GtkWidget *
tf_account_page_new (TfSession *session)
{
  TfAccountPage *self = g_object_new (TF_TYPE_ACCOUNT_PAGE, NULL);

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);

  g_set_weak_pointer (&self->session, session);
  g_signal_connect_object (session, "notify::sync-state", G_CALLBACK (on_sync_state), self,
                           G_CONNECT_SWAPPED);
  show_mfa (self, MFA_UNKNOWN);
  /* Shown as local first, so that a server account loads its list. */
  gtk_widget_set_visible (GTK_WIDGET (self->local_group), TRUE);
  update_mode (self);
  return GTK_WIDGET (self);
}
