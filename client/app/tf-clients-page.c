/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clients-page.c: a therapist's clients, list and detail.
 *
 * The clients are the people in a care relationship with this therapist
 * (care_relationships, therapist_id = the account), named from their
 * profiles; both come from live repositories, so a client who chooses this
 * therapist, or a name that arrives with a sync, shows without a reload.
 * A client with several relationships (care that ended and began again)
 * is listed once, by the active one if any.  Active clients come first,
 * then those whose care ended, each group in the locale's alphabetical
 * order.
 *
 * Search is by name, for case and accents alike ("μαρια" finds "Μαρία",
 * "ΜΑΡΙΑ" too), with the fold the journal uses (tf_text_fold_for_search).
 *
 * An AdwLeaflet holds the list and the detail side by side, and one at a
 * time when the window is narrow; the detail then shows a back button.
 * They are the template tf-clients-page.ui; the rows are TfClientRow.
 */
#define G_LOG_DOMAIN "tf-clients-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-client-detail.h"
#include "tf-client-row.h"
#include "tf-clients-page.h"
#include "tf-page.h"
#include "tf-form.h"
#include "tf-text.h"

struct _TfClientsPage
{
  GtkWidget       parent_instance;
  TfSession      *session;
  TfRepository   *care;         /* this therapist's care relationships, live */
  TfRepository   *profiles;     /* profiles on this device, for the names, live */
  char           *query;        /* folded search text; NULL: everyone */
  guint           n_clients;    /* rows in the list */

  /* template */
  AdwLeaflet     *leaflet;      /* the only child */
  GtkWidget      *list_pane;
  GtkSearchEntry *search;
  GtkStack       *list_stack;   /* "list", "empty" or "no-match" */
  GtkListBox     *list;
  GtkStack       *detail_stack; /* "none" or "client" */
  GtkWidget      *detail;       /* the TfClientDetail shown, or NULL */
};

static void tf_clients_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfClientsPage, tf_clients_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_clients_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static const char *
get_name (TfPage *page)
{
  return "clients";
}

static const char *
get_title (TfPage *page)
{
  return _("Clients");
}

static const char *
get_icon_name (TfPage *page)
{
  return "system-users-symbolic";
}

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
  iface->get_name = get_name;
  iface->get_title = get_title;
  iface->get_icon_name = get_icon_name;
  iface->get_own_bar = get_own_bar;
  iface->restore_draft = restore_draft;
}

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_clients_page_dispose (GObject *object)
{
  TfClientsPage *self = TF_CLIENTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CLIENTS_PAGE);
  self->detail = NULL;
  g_clear_object (&self->care);
  g_clear_object (&self->profiles);
  g_clear_object (&self->session);
  g_clear_pointer (&self->query, g_free);
  G_OBJECT_CLASS (tf_clients_page_parent_class)->dispose (object);
}

/* --- search --------------------------------------------------------------- */

static gboolean
row_matches (GtkListBoxRow *row, gpointer data)
{
  TfClientsPage *self = data;

  return tf_client_row_matches (TF_CLIENT_ROW (row), self->query);
}

/* Which of the list, "no clients" and "no match" shows. */
static void
update_list_state (TfClientsPage *self)
{
  guint visible = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (TF_IS_CLIENT_ROW (row) && row_matches (GTK_LIST_BOX_ROW (row), self))
      visible++;
  gtk_widget_set_visible (GTK_WIDGET (self->search), self->n_clients > 0);
  if (self->n_clients == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else if (visible == 0)
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
  gtk_list_box_invalidate_filter (self->list);
  update_list_state (self);
}

/* --- the list ------------------------------------------------------------- */

typedef struct
{
  char     *client_id;
  char     *name;
  char     *collate_key;
  gboolean  active;
  char     *started_at;
  char     *ended_at;
} Client;

static void
client_free (gpointer data)
{
  Client *client = data;

  g_free (client->client_id);
  g_free (client->name);
  g_free (client->collate_key);
  g_free (client->started_at);
  g_free (client->ended_at);
  g_free (client);
}

static int
compare_clients (gconstpointer a, gconstpointer b)
{
  const Client *x = *(Client **) a, *y = *(Client **) b;
  int by_name;

  if (x->active != y->active)
    return x->active ? -1 : 1;
  by_name = strcmp (x->collate_key, y->collate_key);
  return by_name != 0 ? by_name : strcmp (x->client_id, y->client_id);
}

/* One Client per client id: the active relationship wins, else the one
 * that ended last. */
static GPtrArray *
collect_clients (TfClientsPage *self)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GListModel *care = G_LIST_MODEL (self->care);
  GListModel *profiles = G_LIST_MODEL (self->profiles);
  GPtrArray *clients = g_ptr_array_new_with_free_func (client_free);

  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(TfItem) profile = g_list_model_get_item (profiles, i);
      const char *user_id = tf_item_get_string (profile, "user_id");
      char *name = tf_client_name_from_profile (tf_item_get_plain (profile));

      if (user_id != NULL && name != NULL)
        g_hash_table_replace (names, g_strdup (user_id), name);
      else
        g_free (name);
    }

  for (guint i = 0; i < g_list_model_get_n_items (care); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (care, i);
      const char *client_id = tf_item_get_string (item, "client_id");
      gboolean active = g_strcmp0 (tf_item_get_string (item, "status"), "active") == 0;
      const char *ended_at = tf_item_get_string (item, "ended_at");
      const char *name;
      Client *client;

      if (client_id == NULL)
        continue;
      client = g_hash_table_lookup (by_id, client_id);
      if (client != NULL &&
          (client->active || (!active && g_strcmp0 (client->ended_at, ended_at) >= 0)))
        continue;
      if (client == NULL)
        {
          client = g_new0 (Client, 1);
          client->client_id = g_strdup (client_id);
          name = g_hash_table_lookup (names, client_id);
          client->name = g_strdup (name != NULL ? name : _("Unknown client"));
          client->collate_key = g_utf8_collate_key (client->name, -1);
          g_ptr_array_add (clients, client);
          g_hash_table_insert (by_id, client->client_id, client);
        }
      client->active = active;
      g_free (client->started_at);
      client->started_at = g_strdup (tf_item_get_string (item, "started_at"));
      g_free (client->ended_at);
      client->ended_at = g_strdup (ended_at);
    }
  g_ptr_array_sort (clients, compare_clients);
  return clients;
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

static void
rebuild (TfClientsPage *self)
{
  g_autoptr(GPtrArray) clients = collect_clients (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);

      gtk_list_box_append (self->list,
                           tf_client_row_new (client->client_id, client->name, client->active,
                                              client->active ? client->started_at
                                                             : client->ended_at));
    }
  self->n_clients = clients->len;
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
}

static void
tf_clients_page_init (TfClientsPage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (tf_page_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::visible-child", G_CALLBACK (tf_page_changed),
                           self, G_CONNECT_SWAPPED);
  gtk_list_box_set_filter_func (self->list, row_matches, self, NULL);
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
  TfVault *vault;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);

  self = g_object_new (TF_TYPE_CLIENTS_PAGE, NULL);
  vault = tf_session_get_vault (session);
  self->session = g_object_ref (session);
  self->care = tf_session_dup_records (session, "care_relationships",
                                  "therapist_id", tf_vault_get_user_id (vault));
  self->profiles = tf_session_dup_records (session, "profiles", NULL, NULL);
  g_signal_connect_object (self->care, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profiles, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  rebuild (self);
  return GTK_WIDGET (self);
}
