/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-publish-group.c: "Sync with a server" for a profile made on this computer
 * only.  The core registers the account with the keys and id it already
 * has (tf_account_publish), so what was written offline syncs as it is,
 * encrypted as it was.  Registering is slow (Argon2id, the network) and
 * runs in a worker thread; the group stays usable to try again after an
 * error, which is shown as the core words it (translated).
 */
#define G_LOG_DOMAIN "tf-publish"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-publish-group.h"

struct _TfPublishGroup
{
  AdwPreferencesGroup  parent_instance;
  TfSession           *session;     /* weak: the main window owns it */
  GtkWidget           *server_row;  /* weak: AdwActionRow, says the server once published */

  /* template (tf-publish-group.ui) */
  GtkWidget           *url;
  GtkWidget           *email;
  GtkWidget           *password;
  GtkWidget           *status;
  GtkWidget           *button;
};

G_DEFINE_FINAL_TYPE (TfPublishGroup, tf_publish_group, ADW_TYPE_PREFERENCES_GROUP)

static const char *
text_of (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
on_published_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfPublishGroup) self = data;
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  gtk_widget_set_sensitive (self->button, TRUE);
  if (!tf_session_publish_finish (TF_SESSION (source), result, &error))
    {
      gtk_label_set_text (GTK_LABEL (self->status), error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  gtk_label_set_text (GTK_LABEL (self->status), "");
  if (self->server_row != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->server_row), text_of (self->url));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root),
                                      adw_toast_new (_("Your data now syncs with the server")));
}

static void
publish (TfPublishGroup *self)
{
  g_autofree char *url = g_strstrip (g_strdup (text_of (self->url)));
  g_autofree char *email = g_strstrip (g_strdup (text_of (self->email)));
  GtkLabel *status = GTK_LABEL (self->status);

  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    return gtk_label_set_text (status, _("Enter the server’s address, starting with https://"));
  if (strchr (email, '@') == NULL)
    return gtk_label_set_text (status, _("Enter your e-mail address"));
  if (*text_of (self->password) == '\0')
    return gtk_label_set_text (status, _("Enter your password"));
  if (self->session == NULL)
    return;
  gtk_widget_set_sensitive (self->button, FALSE);
  gtk_label_set_text (status, _("Registering on the server…"));
  tf_session_publish_async (self->session, url, email, text_of (self->password), NULL,
                            on_published_cb, g_object_ref (self));
}

static void
tf_publish_group_dispose (GObject *object)
{
  TfPublishGroup *self = TF_PUBLISH_GROUP (object);

  g_clear_weak_pointer (&self->session);
  g_clear_weak_pointer (&self->server_row);
  G_OBJECT_CLASS (tf_publish_group_parent_class)->dispose (object);
}

static void
tf_publish_group_class_init (TfPublishGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_publish_group_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-publish-group.ui");
  gtk_widget_class_bind_template_child (widget_class, TfPublishGroup, url);
  gtk_widget_class_bind_template_child (widget_class, TfPublishGroup, email);
  gtk_widget_class_bind_template_child (widget_class, TfPublishGroup, password);
  gtk_widget_class_bind_template_child (widget_class, TfPublishGroup, status);
  gtk_widget_class_bind_template_child (widget_class, TfPublishGroup, button);
  gtk_widget_class_bind_template_callback (widget_class, publish);
}

static void
tf_publish_group_init (TfPublishGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_publish_group_new (TfSession *session, GtkWidget *server_row)
{
  TfPublishGroup *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (server_row == NULL || ADW_IS_ACTION_ROW (server_row), NULL);

  self = g_object_new (TF_TYPE_PUBLISH_GROUP, NULL);
  g_set_weak_pointer (&self->session, session);
  g_set_weak_pointer (&self->server_row, server_row);
  return GTK_WIDGET (self);
}
