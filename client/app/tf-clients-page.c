/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clients-page.c: a therapist's clients, list and detail.
 *
 * The clients are the session's list of them (tf_session_dup_clients,
 * tf-clients.h: the people in a care relationship with this therapist,
 * named from their profiles, active first), bound to the list box: a
 * client who chooses this therapist, or a name that arrives with a sync,
 * shows by itself, and the rows of the others stay as they were (the one
 * the keyboard is on keeps the focus).
 *
 * Search is by name, for case and accents alike ("μαρια" finds "Μαρία",
 * "ΜΑΡΙΑ" too), with the fold the journal uses (tf_text_fold_for_search):
 * a filter over the list, so the rows are the filtered model's.
 *
 * An AdwLeaflet holds the list and the detail side by side, and one at a
 * time when the window is narrow; the detail then shows a back button.
 * They are the template tf-clients-page.ui; the rows are TfClientRow.
 *
 * Add Client (clients.add-client, the + beside the search) opens a
 * TfAddClientDialog for a client who has no app account yet; the session
 * adds them (tf-session-managed.h), a refusal is shown in the dialog with
 * what was typed, and the new client opens.
 */
#define G_LOG_DOMAIN "tf-clients-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-add-client-dialog.h"
#include "tf-client-detail.h"
#include "tf-client-row.h"
#include "tf-clients-page.h"
#include "tf-page.h"
#include "tf-session-managed.h"
#include "tf-form.h"
#include "tf-text.h"

struct _TfClientsPage
{
  GtkWidget       parent_instance;
  TfSession      *session;
  TfRepository   *clients;      /* this therapist's clients, live (tf-clients.h) */
  GtkFilterListModel *shown;    /* those the search finds, bound to the list */
  GtkCustomFilter *filter;
  char           *query;        /* folded search text; NULL: everyone */

  /* template */
  AdwLeaflet     *leaflet;      /* the only child */
  GtkWidget      *list_pane;
  GtkSearchEntry *search;
  GtkStack       *list_stack;   /* "list", "empty" or "no-match" */
  GtkListBox     *list;
  GtkStack       *detail_stack; /* "none" or "client" */
  GtkWidget      *detail;       /* the TfClientDetail shown, or NULL */
  GtkWidget      *adding;       /* the TfAddClientDialog open, or NULL (not owned) */
  GCancellable   *cancellable;  /* the session's work started here; cancelled in dispose */
};

static void tf_clients_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfClientsPage, tf_clients_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_clients_page_page_init))

/* --- the page contract ---------------------------------------------------- */

/* A client's detail, one pane at a time (phone width), shows the bar of
 * its sections: the window's bar gives way, so one bar shows. */
static gboolean
get_own_bar (TfPage *page)
{
  TfClientsPage *self = (TfClientsPage *) page;

  return self->detail != NULL && adw_leaflet_get_folded (self->leaflet) &&
         adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->detail_stack);
}

/* The client's forms: a draft opens the client, and their form. */
static gboolean
restore_draft (TfPage *page, JsonObject *draft)
{
  TfClientsPage *self = TF_CLIENTS_PAGE (page);
  JsonObject *content = json_object_get_object_member (draft, "content");
  const char *client_id = content != NULL ? tf_json_get_string (content, "client_id") : NULL;

  if (client_id == NULL || !tf_client_detail_owns_draft (draft))
    return FALSE;
  tf_clients_page_show_client (self, client_id);
  return tf_client_detail_restore_draft (TF_CLIENT_DETAIL (self->detail), draft);
}

static void
tf_clients_page_page_init (TfPageInterface *iface)
{
  iface->name = "clients";
  iface->title = N_("Clients");
  iface->icon_name = "system-users-symbolic";
  iface->get_own_bar = get_own_bar;
  iface->restore_draft = restore_draft;
}

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_clients_page_dispose (GObject *object)
{
  TfClientsPage *self = TF_CLIENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->adding != NULL)
    gtk_window_destroy (GTK_WINDOW (self->adding));
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CLIENTS_PAGE);
  self->detail = NULL;
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  g_clear_object (&self->clients);
  g_clear_object (&self->session);
  g_clear_pointer (&self->query, g_free);
  G_OBJECT_CLASS (tf_clients_page_parent_class)->dispose (object);
}

/* --- the list and its search --------------------------------------------- */

static gboolean
client_matches (gpointer item, gpointer data)
{
  TfClientsPage *self = data;

  return self->query == NULL ||
         strstr (tf_item_get_string (item, "search_key"), self->query) != NULL;
}

static GtkWidget *
create_row (gpointer item, gpointer data)
{
  return tf_client_row_new (tf_item_get_id (item), tf_item_get_string (item, "name"),
                            tf_item_get_boolean (item, "active", FALSE),
                            tf_item_get_string (item, "stamp"));
}

/* Which of the list, "no clients" and "no match" shows. */
static void
update_list_state (TfClientsPage *self)
{
  guint n_clients = tf_repository_get_n_items (self->clients);

  gtk_widget_set_visible (GTK_WIDGET (self->search), n_clients > 0);
  if (n_clients == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "list");
}

static void
on_search_changed_cb (TfClientsPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                  self->search))));

  g_clear_pointer (&self->query, g_free);
  if (*text != '\0')
    self->query = tf_text_fold_for_search (text);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
select_shown (TfClientsPage *self)
{
  const char *shown = self->detail ? tf_client_detail_get_client_id (TF_CLIENT_DETAIL (
                                                                       self->detail))
                                   : NULL;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (TF_IS_CLIENT_ROW (row) && shown != NULL &&
        g_strcmp0 (tf_client_row_get_client_id (TF_CLIENT_ROW (row)), shown) == 0)
      {
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
        return;
      }
  gtk_list_box_unselect_all (self->list);
}

/* A row made again (a changed name) is selected again if it is shown. */
static void
on_shown_changed_cb (TfClientsPage *self)
{
  select_shown (self);
  update_list_state (self);
}

/* --- the detail ----------------------------------------------------------- */

static void
on_detail_saved_cb (GtkWidget *detail, const char *message, TfClientsPage *self)
{
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
on_detail_failed_cb (GtkWidget *detail, const char *message, TfClientsPage *self)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

static void
on_detail_back_cb (TfClientsPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_row_activated_cb (TfClientsPage *self, GtkListBoxRow *row)
{
  if (TF_IS_CLIENT_ROW (row))
    tf_clients_page_show_client (self, tf_client_row_get_client_id (TF_CLIENT_ROW (row)));
}

void
tf_clients_page_show_client (TfClientsPage *self, const char *client_id)
{
  g_return_if_fail (TF_IS_CLIENTS_PAGE (self));
  g_return_if_fail (client_id != NULL);

  if (self->detail == NULL ||
      g_strcmp0 (tf_client_detail_get_client_id (TF_CLIENT_DETAIL (self->detail)),
                 client_id) != 0)
    {
      if (self->detail != NULL)
        gtk_stack_remove (self->detail_stack, self->detail);
      self->detail = tf_client_detail_new (self->session, client_id);
      g_signal_connect_object (self->detail, "saved", G_CALLBACK (on_detail_saved_cb), self, 0);
      g_signal_connect_object (self->detail, "failed", G_CALLBACK (on_detail_failed_cb), self,
                               0);
      g_signal_connect_object (self->detail, "back", G_CALLBACK (on_detail_back_cb), self,
                               G_CONNECT_SWAPPED);
      g_object_bind_property (self->leaflet, "folded", self->detail, "show-back",
                              G_BINDING_SYNC_CREATE);
      gtk_stack_add_named (self->detail_stack, self->detail, "client");
    }
  gtk_stack_set_visible_child_name (self->detail_stack, "client");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail_stack));
  select_shown (self);
}

/* --- adding a client ------------------------------------------------------ */

static void
on_client_added_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfClientsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = tf_session_add_client_finish (TF_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (id == NULL)
    {
      if (self->adding != NULL)
        {
          tf_add_client_dialog_set_busy (TF_ADD_CLIENT_DIALOG (self->adding), FALSE);
          tf_add_client_dialog_set_problem (TF_ADD_CLIENT_DIALOG (self->adding),
                                            error->message);
        }
      return;
    }
  if (self->adding != NULL)
    gtk_window_destroy (GTK_WINDOW (self->adding));
  g_signal_emit (self, signals[SAVED], 0, _("Client added"));
  tf_clients_page_show_client (self, id);
}

static void
on_add_cb (TfAddClientDialog *dialog, TfClientsPage *self)
{
  TfManagedClient client;

  tf_add_client_dialog_get_client (dialog, &client);
  tf_add_client_dialog_set_problem (dialog, NULL);
  tf_add_client_dialog_set_busy (dialog, TRUE);
  tf_session_add_client_async (self->session, &client, self->cancellable, on_client_added_cb,
                               g_object_ref (self));
}

static void
on_adding_destroyed_cb (TfClientsPage *self)
{
  self->adding = NULL;
}

static void
add_client_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TfClientsPage *self = TF_CLIENTS_PAGE (widget);

  if (self->adding == NULL)
    {
      self->adding = tf_add_client_dialog_new (widget);
      g_signal_connect_object (self->adding, "add", G_CALLBACK (on_add_cb), self, 0);
      g_signal_connect_object (self->adding, "destroy", G_CALLBACK (on_adding_destroyed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self->adding));
}

/* --- building ------------------------------------------------------------- */

static gboolean
shortcut_search (GtkWidget *widget, GVariant *args, gpointer data)
{
  TfClientsPage *self = TF_CLIENTS_PAGE (widget);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->search)))
    return FALSE;
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
  return TRUE;
}

static void
tf_clients_page_class_init (TfClientsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_clients_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-clients-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfClientsPage, name)
  BIND (leaflet);
  BIND (list_pane);
  BIND (search);
  BIND (list_stack);
  BIND (list);
  BIND (detail_stack);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_install_action (widget_class, "clients.add-client", NULL,
                                   add_client_activated);
}

static void
tf_clients_page_init (TfClientsPage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (tf_page_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::visible-child", G_CALLBACK (tf_page_changed),
                           self, G_CONNECT_SWAPPED);
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            "<Control>f"),
                                                          gtk_callback_action_new (
                                                            shortcut_search, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

GtkWidget *
tf_clients_page_new (TfSession *session)
{
  TfClientsPage *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);

  self = g_object_new (TF_TYPE_CLIENTS_PAGE, NULL);
  self->session = g_object_ref (session);
  self->clients = tf_session_dup_clients (session);
  self->filter = gtk_custom_filter_new (client_matches, self, NULL);
  self->shown = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->clients)),
                                           GTK_FILTER (g_object_ref (self->filter)));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->shown), create_row, NULL, NULL);
  /* After the list box's own handler: the rows are in by then. */
  g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (on_shown_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->clients, "notify::n-items", G_CALLBACK (update_list_state),
                           self, G_CONNECT_SWAPPED);
  update_list_state (self);
  return GTK_WIDGET (self);
}
