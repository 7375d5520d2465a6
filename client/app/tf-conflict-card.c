/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conflict-card.c: one conflict of the Conflicts page
 * (tf-conflict-card.h); the widgets are the template tf-conflict-card.ui.
 *
 * The card says what the record is (tf-record-text.h) and what happened to
 * it, shows the two versions, and offers the choices the conflict allows:
 * this device's version cannot be kept when it cannot be opened with this
 * account's keys, nor over a locked note; "Keep both" only for tables whose
 * copies may become records of their own (TfTable.conflict_copy_syncs).
 * The choices are the card's installed actions conflict.keep-local,
 * conflict.keep-server and conflict.keep-both; one the conflict does not
 * allow is disabled, its button with it.
 */
#define G_LOG_DOMAIN "tf-conflicts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-conflict-card.h"
#include "tf-conflict-comparison.h"
#include "tf-record.h"
#include "tf-record-text.h"
#include "tf-registry.h"
#include "tf-side-by-side.h"
#include "tf-vault.h"

struct _TfConflictCard
{
  AdwPreferencesGroup parent_instance;
  char               *copy_id;
  gboolean            server_gone;

  /* template (tf-conflict-card.ui) */
  TfConflictComparison *comparison;
  GtkWidget          *buttons;
  GtkWidget          *keep_local;
  GtkWidget          *keep_server;
  GtkWidget          *keep_both;
};

G_DEFINE_FINAL_TYPE (TfConflictCard, tf_conflict_card, ADW_TYPE_PREFERENCES_GROUP)

enum { SIGNAL_KEEP, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
keep_local_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_KEEP], 0, TF_KEEP_LOCAL);
}

static void
keep_server_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_KEEP], 0, TF_KEEP_SERVER);
}

static void
keep_both_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_KEEP], 0, TF_KEEP_BOTH);
}

static void
tf_conflict_card_finalize (GObject *object)
{
  TfConflictCard *self = TF_CONFLICT_CARD (object);

  g_free (self->copy_id);
  G_OBJECT_CLASS (tf_conflict_card_parent_class)->finalize (object);
}

static void
tf_conflict_card_class_init (TfConflictCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_conflict_card_finalize;
  /* A choice was made: its TfKeep, as an int. */
  signals[SIGNAL_KEEP] = g_signal_new ("keep", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  g_type_ensure (TF_TYPE_CONFLICT_COMPARISON);
  g_type_ensure (TF_TYPE_SIDE_BY_SIDE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-conflict-card.ui");
  gtk_widget_class_bind_template_child (widget_class, TfConflictCard, comparison);
  gtk_widget_class_bind_template_child (widget_class, TfConflictCard, buttons);
  gtk_widget_class_bind_template_child (widget_class, TfConflictCard, keep_local);
  gtk_widget_class_bind_template_child (widget_class, TfConflictCard, keep_server);
  gtk_widget_class_bind_template_child (widget_class, TfConflictCard, keep_both);
  gtk_widget_class_install_action (widget_class, "conflict.keep-local", NULL,
                                   keep_local_activated);
  gtk_widget_class_install_action (widget_class, "conflict.keep-server", NULL,
                                   keep_server_activated);
  gtk_widget_class_install_action (widget_class, "conflict.keep-both", NULL,
                                   keep_both_activated);
}

static void
tf_conflict_card_init (TfConflictCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static gboolean
is_unreadable (JsonObject *side)
{
  return side != NULL && json_object_get_boolean_member_with_default (side, "unreadable", FALSE);
}

static JsonObject *
side_of (JsonObject *conflict, const char *name)
{
  JsonNode *node = json_object_get_member (conflict, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Which choices there are, and why one is not. */
static void
offer_choices (TfConflictCard *self, const TfTable *table, gboolean local_unreadable,
               gboolean server_locked, const char *unreadable)
{
  gtk_widget_set_tooltip_text (self->keep_server,
                               self->server_gone
                                 ? _("Let the record go; this device’s version is discarded")
                                 : _("Keep the version from the server; this device’s version "
                                     "is discarded"));
  if (local_unreadable)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.keep-local", FALSE);
      gtk_widget_set_tooltip_text (self->keep_local, unreadable);
    }
  else if (server_locked)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.keep-local", FALSE);
      gtk_widget_set_tooltip_text (self->keep_local, _("The server’s version is a locked note: it "
                                                       "can no longer change"));
    }
  gtk_widget_set_visible (self->keep_both, table->conflict_copy_syncs);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.keep-both",
                                 table->conflict_copy_syncs && !local_unreadable);
}

GtkWidget *
tf_conflict_card_new (JsonObject *conflict)
{
  const TfTable *table;
  JsonObject *local, *server;
  gboolean local_unreadable, server_unreadable, server_locked;
  g_autofree char *title = NULL, *name = NULL;
  const char *unreadable = _("This version cannot be opened with this account’s keys: it is "
                             "not shared with you, or no longer is.");
  TfConflictCard *self;

  g_return_val_if_fail (conflict != NULL, NULL);
  table = tf_registry_lookup (tf_json_get_string (conflict, "table"));
  g_return_val_if_fail (table != NULL, NULL);

  local = side_of (conflict, "local");
  server = side_of (conflict, "server");
  local_unreadable = local == NULL || is_unreadable (local);
  server_unreadable = is_unreadable (server);
  server_locked = server != NULL && tf_json_get_string (server, "locked_at") != NULL;
  title = tf_record_text_describe (table, local_unreadable ? NULL : local,
                                   server_unreadable ? NULL : server);
  self = g_object_new (TF_TYPE_CONFLICT_CARD, "title", title, NULL);
  self->copy_id = g_strdup (tf_json_get_string (conflict, "id"));
  self->server_gone = server == NULL;
  name = g_strconcat ("conflict-", self->copy_id, NULL);
  gtk_widget_set_name (GTK_WIDGET (self), name);
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (self),
    server == NULL ? _("Changed on this device and deleted on another one. Keep this device’s "
                       "version to bring it back, or let it go.")
                   : _("Changed on this device and on another one before they synced. Nothing "
                       "is lost until you choose."));
  tf_conflict_comparison_set_versions (self->comparison, table, local, server,
                                       local_unreadable ? unreadable : NULL,
                                       server == NULL ? _("Deleted on another device.")
                                       : server_unreadable ? unreadable : NULL);
  offer_choices (self, table, local_unreadable, server_locked, unreadable);
  return GTK_WIDGET (self);
}

const char *
tf_conflict_card_get_copy_id (TfConflictCard *self)
{
  g_return_val_if_fail (TF_IS_CONFLICT_CARD (self), NULL);
  return self->copy_id;
}

gboolean
tf_conflict_card_get_server_gone (TfConflictCard *self)
{
  g_return_val_if_fail (TF_IS_CONFLICT_CARD (self), FALSE);
  return self->server_gone;
}

gboolean
tf_conflict_card_focus_choice (TfConflictCard *self)
{
  g_return_val_if_fail (TF_IS_CONFLICT_CARD (self), FALSE);

  for (GtkWidget *b = gtk_widget_get_first_child (self->buttons); b != NULL;
       b = gtk_widget_get_next_sibling (b))
    if (gtk_widget_is_sensitive (b) && gtk_widget_grab_focus (b))
      return TRUE;
  return FALSE;
}
