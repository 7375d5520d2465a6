/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-session-row.c: a signed-in device of the account
 * (tf-account-session-row.h); its widgets are the template
 * tf-account-session-row.ui.  This device's own row offers no Sign Out:
 * ending its session here would sign this device out.  What signing
 * another device out (device.sign-out) does is the account page's.
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-account-session-row.h"

struct _TfAccountSessionRow
{
  AdwActionRow      parent_instance;

  TfAccountSession *session;

  /* template (tf-account-session-row.ui) */
  GtkImage         *icon;
  GtkWidget        *revoke;  /* NULL on this device's row */
};

G_DEFINE_FINAL_TYPE (TfAccountSessionRow, tf_account_session_row, ADW_TYPE_ACTION_ROW)

enum { SIGNAL_REVOKE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
sign_out_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_REVOKE], 0);
}

static void
tf_account_session_row_dispose (GObject *object)
{
  TfAccountSessionRow *self = TF_ACCOUNT_SESSION_ROW (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_account_session_row_parent_class)->dispose (object);
}

static void
tf_account_session_row_class_init (TfAccountSessionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_account_session_row_dispose;
  /* Sign Out… (device.sign-out) was chosen: the device is to be signed out. */
  signals[SIGNAL_REVOKE] = g_signal_new ("revoke", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-account-session-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfAccountSessionRow, icon);
  gtk_widget_class_bind_template_child (widget_class, TfAccountSessionRow, revoke);
  gtk_widget_class_install_action (widget_class, "device.sign-out", NULL, sign_out_activated);
}

static void
tf_account_session_row_init (TfAccountSessionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* "This device", or when the device was last seen, in local time. */
static char *
dup_subtitle (TfAccountSession *session)
{
  GDateTime *seen = tf_account_session_get_last_seen (session);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;

  if (tf_account_session_is_current (session))
    return g_strdup (_("This device"));
  if (seen == NULL)
    return g_strdup (_("Not seen since it signed in"));
  local = g_date_time_to_local (seen);
  /* TRANSLATORS: a date and time as in "5 March 2026, 14:30". */
  when = g_date_time_format (local, _("%-d %B %Y, %H:%M"));
  return g_strdup_printf (_("Last seen %s"), when);
}

GtkWidget *
tf_account_session_row_new (TfAccountSession *session)
{
  gboolean current;
  g_autofree char *subtitle = NULL;
  TfAccountSessionRow *self;

  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (session), NULL);

  current = tf_account_session_is_current (session);
  subtitle = dup_subtitle (session);
  self = g_object_new (TF_TYPE_ACCOUNT_SESSION_ROW,
                       "name", current ? "account-session-current" : "account-session",
                       "title", tf_account_session_get_label (session),
                       "subtitle", subtitle, NULL);
  self->session = g_object_ref (session);
  gtk_image_set_from_icon_name (self->icon, current ? "computer-symbolic"
                                                    : "network-workgroup-symbolic");
  if (current)
    {
      /* Gone, not hidden: there is no Sign Out… to find on this row. */
      adw_action_row_remove (ADW_ACTION_ROW (self), self->revoke);
      self->revoke = NULL;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.sign-out", FALSE);
    }
  else
    {
      g_autofree char *what = g_strdup_printf (_("Sign out %s"),
                                               tf_account_session_get_label (session));

      gtk_widget_set_tooltip_text (self->revoke, what);
    }
  return GTK_WIDGET (self);
}

TfAccountSession *
tf_account_session_row_get_session (TfAccountSessionRow *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION_ROW (self), NULL);

  return self->session;
}
