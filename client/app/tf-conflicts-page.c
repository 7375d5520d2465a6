/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conflicts-page.c: conflict copies waiting for the user, and choosing.
 *
 * When the same field of a record changed on this device and on another one
 * before they synced, the sync keeps both: the server's version is the
 * record and this device's edit a conflict copy (DESIGN.md §3, tf-store.h).
 * This page shows each conflict as a card: what the record is
 * (tf-record-text.h), the two versions in two columns — "On this device"
 * and "On the server" — that stand side by side where there is room and one
 * above the other on a narrow window (TfConflictComparison), and the choice.
 *
 * Choosing calls tf_vault_resolve_conflict() (the same as the CLI's
 * `conflicts resolve`): keeping one version discards the other, so it is
 * confirmed first; "Keep both" is offered only for tables whose copies may
 * become records of their own (TfTable.conflict_copy_syncs).
 *
 * The list is reloaded when the profile changes: TfStore::changed for the
 * writes made on this thread (the session's store is the main thread's),
 * and TfSession::synced after a sync, which runs on a connection of its own
 * and is where new conflicts come from.  Reloads are coalesced in an idle.
 * A card is rebuilt only when its conflict really changed (compared by a
 * checksum, so no second copy of the plaintext is kept), so focus and
 * scrolling stay where the user left them; when the focused card goes,
 * focus moves to the next conflict's first choice.  When the session locks,
 * the cards (and the plaintext in them) go; they come back on unlocking.
 *
 * The page around the cards is the template tf-conflicts-page.ui; each
 * conflict is a TfConflictCard (tf-conflict-card.ui), made here as
 * conflicts come and go.
 */
#define G_LOG_DOMAIN "tf-conflicts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-conflict-card.h"
#include "tf-conflicts-page.h"
#include "tf-page.h"
#include "tf-form.h"

/* --- the page ------------------------------------------------------------ */

struct _TfConflictsPage
{
  GtkWidget    parent_instance;
  TfSession   *session;
  guint        count;        /* conflicts shown */
  guint        reload_id;    /* a coalesced reload waiting in an idle */
  gulong       changed_id;   /* TfStore::changed on the session's store */
  TfStore     *store;        /* whose ::changed we follow */
  GPtrArray   *cards;        /* the conflict groups in list, to remove on reload */

  /* template */
  GtkStack    *stack;        /* "empty" or "list"; the only child */
  AdwPreferencesPage *list;  /* the intro group, then one group per conflict */
};

static void tf_conflicts_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfConflictsPage, tf_conflicts_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_conflicts_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static guint
get_badge (TfPage *page)
{
  return tf_conflicts_page_get_count (TF_CONFLICTS_PAGE (page));
}

static TfPageNeeds
get_needs (TfPage *page)
{
  return TF_PAGE_NEEDS_VAULT | TF_PAGE_SHOWN_WITH_BADGE;
}

static void
tf_conflicts_page_page_init (TfPageInterface *iface)
{
  iface->name = "conflicts";
  iface->title = N_("Conflicts");
  iface->icon_name = "dialog-warning-symbolic";
  iface->get_badge = get_badge;
  iface->get_needs = get_needs;
}

enum { PROP_0, PROP_COUNT, N_PROPS };
enum { SAVED, FAILED, N_SIGNALS };
static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void on_keep_cb (TfConflictCard *card, int keep, TfConflictsPage *self);

/* --- loading ------------------------------------------------------------- */

/* Of one conflict's content: a card stays as long as its conflict does not
 * change, so focus and scrolling stay where the user left them. */
static char *
checksum_of (JsonObject *conflict)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), conflict);
  g_autofree char *text = json_to_string (node, FALSE);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
set_count (TfConflictsPage *self, guint count)
{
  if (self->count == count)
    return;
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
  tf_page_changed (TF_PAGE (self));
}

/* The card of @copy_id with content @checksum, taken out of @cards; NULL
 * when there is none. */
static GtkWidget *
take_card (GPtrArray *cards, const char *copy_id, const char *checksum)
{
  for (guint i = 0; i < cards->len; i++)
    {
      GtkWidget *card = g_ptr_array_index (cards, i);

      if (g_strcmp0 (tf_conflict_card_get_copy_id (TF_CONFLICT_CARD (card)), copy_id) == 0 &&
          g_strcmp0 (g_object_get_data (G_OBJECT (card), "tf-checksum"), checksum) == 0)
        return g_ptr_array_steal_index (cards, i);
    }
  return NULL;
}

/* Focus leaves @cards before they go (a window left holding a removed focus
 * widget trips GTK 4.8 up): to the first choice a keyboard user can make
 * next, or nowhere. */
static void
move_focus_out (TfConflictsPage *self, GPtrArray *cards)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean inside = FALSE;

  for (guint i = 0; focus != NULL && i < cards->len; i++)
    inside |= gtk_widget_is_ancestor (focus, g_ptr_array_index (cards, i));
  if (!inside)
    return;
  for (guint i = 0; i < self->cards->len; i++)
    if (tf_conflict_card_focus_choice (g_ptr_array_index (self->cards, i)))
      return;
  gtk_root_set_focus (root, NULL);
}

static void
reload (TfConflictsPage *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (vault == NULL)
    return; /* locked: the window puts the pages away */
  conflicts = tf_vault_list_conflicts (vault, &error);
  if (conflicts == NULL)
    {
      tf_form_fail (self, _("The conflicts could not be listed: %s"), error->message);
      return;
    }

  /* Cards whose conflict is unchanged stay; the others go, and new ones
   * are added after them. */
  old = g_steal_pointer (&self->cards);
  self->cards = g_ptr_array_new ();
  for (guint i = 0; i < conflicts->len; i++)
    {
      JsonObject *conflict = g_ptr_array_index (conflicts, i);
      const char *copy_id = tf_json_get_string (conflict, "id");
      g_autofree char *checksum = NULL;
      GtkWidget *card;

      if (tf_registry_lookup (tf_json_get_string (conflict, "table")) == NULL || copy_id == NULL)
        continue;
      checksum = checksum_of (conflict);
      card = take_card (old, copy_id, checksum);
      if (card == NULL)
        {
          card = tf_conflict_card_new (conflict);
          g_signal_connect_object (card, "keep", G_CALLBACK (on_keep_cb), self, 0);
          g_object_set_data_full (G_OBJECT (card), "tf-checksum", g_steal_pointer (&checksum),
                                  g_free);
          adw_preferences_page_add (self->list, ADW_PREFERENCES_GROUP (card));
        }
      g_ptr_array_add (self->cards, card);
    }
  move_focus_out (self, old);
  for (guint i = 0; i < old->len; i++)
    adw_preferences_page_remove (self->list, g_ptr_array_index (old, i));
  gtk_stack_set_visible_child_name (self->stack, self->cards->len > 0 ? "list" : "empty");
  set_count (self, self->cards->len);
}

static gboolean
reload_cb (gpointer data)
{
  TfConflictsPage *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* Many writes (a pulled page) make one reload. */
static void
schedule_reload (TfConflictsPage *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_cb, self, NULL);
}

static void
on_store_changed_cb (TfStore *store, const char *table, const char *id, TfConflictsPage *self)
{
  schedule_reload (self);
}

/* Locked: the decrypted versions leave the screen and memory with the
 * keys; unlocked again, they come back. */
static void
on_unlocked_cb (TfConflictsPage *self)
{
  g_autoptr(GPtrArray) old = NULL;

  if (tf_session_is_unlocked (self->session))
    {
      schedule_reload (self);
      return;
    }
  g_clear_handle_id (&self->reload_id, g_source_remove);
  old = g_steal_pointer (&self->cards);
  self->cards = g_ptr_array_new ();
  move_focus_out (self, old);
  for (guint i = 0; i < old->len; i++)
    adw_preferences_page_remove (self->list, g_ptr_array_index (old, i));
  gtk_stack_set_visible_child_name (self->stack, "empty");
  set_count (self, 0);
}

/* --- choosing ------------------------------------------------------------ */

static void
resolve (TfConflictsPage *self, const char *copy_id, TfKeep keep)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GError) error = NULL;
  const char *message;

  if (vault == NULL)
    return;
  if (!tf_vault_resolve_conflict (vault, copy_id, keep, &error))
    {
      /* Both versions stay as they were; the list shows what is left. */
      tf_form_fail (self, _("The conflict was not resolved: %s"), error->message);
      reload (self);
      return;
    }
  reload (self);
  tf_session_sync (self->session);
  switch (keep)
    {
    case TF_KEEP_LOCAL:
      message = _("This device’s version was kept");
      break;
    case TF_KEEP_SERVER:
      message = _("The server’s version was kept");
      break;
    case TF_KEEP_BOTH:
    default:
      message = _("Both versions were kept");
      break;
    }
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog, const char *response, TfConflictsPage *self)
{
  const char *copy_id = g_object_get_data (G_OBJECT (dialog), "tf-copy-id");
  TfKeep keep = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "tf-keep"));

  if (g_strcmp0 (response, "keep") != 0 || copy_id == NULL)
    return;
  resolve (self, copy_id, keep);
}

/* Keeping one version discards the other: asked first.  Keeping both
 * loses nothing and happens at once. */
static void
on_keep_cb (TfConflictCard *card, int keep, TfConflictsPage *self)
{
  const char *copy_id = tf_conflict_card_get_copy_id (card);
  gboolean gone = tf_conflict_card_get_server_gone (card);
  const char *heading, *body;
  GtkWidget *dialog;

  if (keep == TF_KEEP_BOTH)
    {
      resolve (self, copy_id, keep);
      return;
    }
  if (keep == TF_KEEP_LOCAL)
    {
      heading = gone ? _("Bring This Record Back?") : _("Replace the Server’s Version?");
      body = gone ? _("The record comes back with the version from this device, here and, at "
                      "the next sync, on your other devices.")
                  : _("The version from this device replaces the other one here and, at the "
                      "next sync, on your other devices. The other version cannot be brought "
                      "back.");
    }
  else
    {
      heading = _("Discard This Device’s Version?");
      body = gone ? _("The changes made on this device are deleted and the record stays "
                      "deleted. They cannot be brought back.")
                  : _("The changes made on this device are deleted and the server’s version "
                      "stays. They cannot be brought back.");
    }
  dialog = tf_form_confirm_new (GTK_WIDGET (self), "conflict-confirm-dialog", heading, body,
                                "cancel", _("_Cancel"), "keep",
                                keep != TF_KEEP_LOCAL ? _("_Discard")
                                : gone ? _("_Bring Back") : _("_Replace"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "tf-copy-id", g_strdup (copy_id), g_free);
  g_object_set_data (G_OBJECT (dialog), "tf-keep", GINT_TO_POINTER (keep));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- the object ---------------------------------------------------------- */

static void
tf_conflicts_page_dispose (GObject *object)
{
  TfConflictsPage *self = TF_CONFLICTS_PAGE (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->changed_id != 0)
    {
      g_signal_handler_disconnect (self->store, self->changed_id);
      self->changed_id = 0;
    }
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CONFLICTS_PAGE);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_conflicts_page_parent_class)->dispose (object);
}

static void
tf_conflicts_page_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  TfConflictsPage *self = TF_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_conflicts_page_class_init (TfConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_conflicts_page_dispose;
  object_class->get_property = tf_conflicts_page_get_property;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  /* Conflicts waiting for the user. */
  properties[PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                              G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-conflicts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfConflictsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TfConflictsPage, list);
}

static void
tf_conflicts_page_init (TfConflictsPage *self)
{
  self->cards = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
tf_conflicts_page_new (TfSession *session)
{
  TfConflictsPage *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);

  self = g_object_new (TF_TYPE_CONFLICTS_PAGE, NULL);
  self->session = g_object_ref (session);
  self->store = g_object_ref (tf_session_get_store (session));
  self->changed_id = g_signal_connect (self->store, "changed",
                                       G_CALLBACK (on_store_changed_cb), self);
  g_signal_connect_object (session, "notify::unlocked", G_CALLBACK (on_unlocked_cb), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  return GTK_WIDGET (self);
}

guint
tf_conflicts_page_get_count (TfConflictsPage *self)
{
  g_return_val_if_fail (TF_IS_CONFLICTS_PAGE (self), 0);

  return self->count;
}
