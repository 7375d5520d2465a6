/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-publish.c: "Sync with a server" for a profile made on this computer
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

#include "tf-publish.h"

typedef struct
{
  TfSession *session;  /* weak: the main window owns it */
  GtkWidget *group;
  GtkWidget *server_row;
  GtkWidget *url;
  GtkWidget *email;
  GtkWidget *password;
  GtkWidget *button;
  GtkLabel  *status;
} Publish;

static void
publish_free (Publish *p)
{
  g_clear_weak_pointer (&p->session);
  g_free (p);
}

static const char *
text_of (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
published (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GtkWidget) group = data;
  Publish *p = g_object_get_data (G_OBJECT (group), "tf-publish");
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  gtk_widget_set_sensitive (p->button, TRUE);
  if (!tf_session_publish_finish (TF_SESSION (source), result, &error))
    {
      gtk_label_set_text (p->status, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (p->password), "");
  gtk_label_set_text (p->status, "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (p->server_row), text_of (p->url));
  gtk_widget_set_visible (group, FALSE);
  root = gtk_widget_get_root (group);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root),
                                      adw_toast_new (_("Your data now syncs with the server")));
}

static void
on_publish (Publish *p)
{
  g_autofree char *url = g_strstrip (g_strdup (text_of (p->url)));
  g_autofree char *email = g_strstrip (g_strdup (text_of (p->email)));

  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    return gtk_label_set_text (p->status,
                               _("Enter the server’s address, starting with https://"));
  if (strchr (email, '@') == NULL)
    return gtk_label_set_text (p->status, _("Enter your e-mail address"));
  if (*text_of (p->password) == '\0')
    return gtk_label_set_text (p->status, _("Enter your password"));
  if (p->session == NULL)
    return;
  gtk_widget_set_sensitive (p->button, FALSE);
  gtk_label_set_text (p->status, _("Registering on the server…"));
  tf_session_publish_async (p->session, url, email, text_of (p->password), NULL, published,
                            g_object_ref (p->group));
}

static GtkWidget *
add_entry (Publish *p, GType type, const char *title, const char *name)
{
  GtkWidget *row = g_object_new (type, "title", title, NULL);

  gtk_widget_set_name (row, name);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (p->group), row);
  return row;
}

GtkWidget *
tf_publish_group_new (TfSession *session, GtkWidget *server_row)
{
  Publish *p = g_new0 (Publish, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  g_set_weak_pointer (&p->session, session);
  p->server_row = server_row;
  p->group = adw_preferences_group_new ();
  gtk_widget_set_name (p->group, "preferences-publish");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (p->group),
                                   _("Sync With a Server"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (p->group),
                                         _("Your data is on this computer only. On a server "
                                           "it is kept encrypted, and your other devices and "
                                           "your therapist can sync with it."));
  g_object_set_data_full (G_OBJECT (p->group), "tf-publish", p, (GDestroyNotify) publish_free);
  p->url = add_entry (p, ADW_TYPE_ENTRY_ROW, _("Server address"), "preferences-server-url");
  gtk_editable_set_text (GTK_EDITABLE (p->url), "https://");
  p->email = add_entry (p, ADW_TYPE_ENTRY_ROW, _("E-mail address"), "preferences-email");
  p->password = add_entry (p, ADW_TYPE_PASSWORD_ENTRY_ROW, _("Your password"),
                           "preferences-publish-password");

  p->status = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (p->status), "preferences-publish-status");
  gtk_widget_add_css_class (GTK_WIDGET (p->status), "error");
  gtk_label_set_wrap (p->status, TRUE);
  gtk_label_set_xalign (p->status, 0);
  p->button = gtk_button_new_with_mnemonic (_("_Register and Sync"));
  gtk_widget_set_name (p->button, "preferences-publish-button");
  gtk_widget_add_css_class (p->button, "suggested-action");
  gtk_widget_set_halign (p->button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (box, 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (p->status));
  gtk_box_append (GTK_BOX (box), p->button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (p->group), box);
  g_signal_connect_swapped (p->button, "clicked", G_CALLBACK (on_publish), p);
  g_signal_connect_swapped (p->password, "entry-activated", G_CALLBACK (on_publish), p);
  return p->group;
}
