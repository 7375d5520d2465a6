/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conflict-comparison.c: the two versions of a conflict's record, side
 * by side (tf-conflict-comparison.h).
 *
 * The template (tf-conflict-comparison.ui) holds the two columns, "On this
 * device" and "On the server", in a TfSideBySide that stacks them below
 * 500 px of their own width; this file fills each with its version's fields.
 * Every field is shown with a human label (tf-record-text.h); the fields
 * that differ are marked in words and in weight, not by colour alone.  The
 * texts are selectable, so a user can copy a sentence from the version they
 * are about to drop.  Ids, keys, and the sharing and signature that a
 * conflict copy resets by design are not the user's content and not shown.
 */
#define G_LOG_DOMAIN "tf-conflict-comparison"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-conflict-comparison.h"
#include "tf-form.h"
#include "tf-record-text.h"
#include "tf-side-by-side.h"

struct _TfConflictComparison
{
  GtkWidget  parent_instance;
  GtkWidget *versions; /* TfSideBySide, the only child: bound so that dispose unparents it */
  GtkWidget *local;    /* "On this device": a GtkBox, its heading first */
  GtkWidget *server;   /* "On the server" */
};

G_DEFINE_FINAL_TYPE (TfConflictComparison, tf_conflict_comparison, GTK_TYPE_WIDGET)

/* Fields that are not the user's content: ids and keys, and the sharing
 * and signature that a conflict copy resets by design (the original's
 * sharing stays when this device's version is kept). */
static gboolean
is_shown (const TfTable *table, const TfColumn *column)
{
  static const char * const hidden[] = { "enc_key", "signature", "locked_at", "is_private" };

  if (column->type == TF_COLUMN_UUID)
    return FALSE;
  if (g_strcmp0 (column->name, table->key_column) == 0 ||
      g_strcmp0 (column->name, table->shared_column) == 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    if (strcmp (column->name, hidden[i]) == 0)
      return FALSE;
  return TRUE;
}

static JsonNode *
member_or_null (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
same_value (JsonNode *a, JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

/* --- one version's column ----------------------------------------------- */

static GtkWidget *
new_label (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* One field of one version: its label above its value. */
static void
append_field (GtkWidget *column_box, const char *label, const char *value, gboolean differs)
{
  g_autofree char *caption = NULL;
  GtkWidget *caption_label;
  GtkWidget *value_label = new_label (value != NULL ? value : _("Empty"), NULL);

  /* TRANSLATORS: the label of a field whose two versions differ. */
  caption = differs ? g_strdup_printf (_("%s (differs)"), label) : g_strdup (label);
  caption_label = new_label (caption, "caption-heading");
  gtk_widget_set_margin_top (caption_label, 6);
  gtk_widget_set_name (value_label, "conflict-value");
  /* Selectable, to copy a sentence from the version about to go, but not a
   * tab stop (nor given the window's first focus, which selects it all). */
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_focusable (value_label, FALSE);
  if (value == NULL)
    gtk_widget_add_css_class (value_label, "dim-label");
  if (differs)
    {
      PangoAttrList *bold = pango_attr_list_new ();

      pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      gtk_label_set_attributes (GTK_LABEL (value_label), bold);
      pango_attr_list_unref (bold);
      gtk_widget_add_css_class (caption_label, "accent");
      gtk_widget_add_css_class (value_label, "conflict-differs");
    }
  else
    gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_box_append (GTK_BOX (column_box), caption_label);
  gtk_box_append (GTK_BOX (column_box), value_label);
}

/* Fills @box, one version's column from the template, with @side's fields,
 * each marked where @other's differs (no marks without @other); @missing
 * says in words why there is nothing to show. */
static void
fill_version (GtkWidget *box, const TfTable *table, JsonObject *side, JsonObject *other,
              const char *missing)
{
  if (missing != NULL)
    {
      GtkWidget *label = new_label (missing, "dim-label");

      gtk_widget_set_name (label, "conflict-missing");
      gtk_box_append (GTK_BOX (box), label);
    }
  else
    for (guint i = 0; i < table->n_columns; i++)
      {
        const TfColumn *column = &table->columns[i];
        JsonNode *mine = member_or_null (side, column->name);
        JsonNode *theirs = other != NULL ? member_or_null (other, column->name) : mine;
        g_autofree char *value = NULL;

        if (!is_shown (table, column) || (mine == NULL && theirs == NULL))
          continue;
        value = tf_record_text_format_value (column, mine);
        append_field (box, tf_record_text_column_label (column->name), value,
                      !same_value (mine, theirs));
      }
  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_widget_set_margin_start (child, 12);
      gtk_widget_set_margin_end (child, 12);
    }
  gtk_widget_set_margin_bottom (gtk_widget_get_last_child (box), 12);
}

static void
tf_conflict_comparison_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_CONFLICT_COMPARISON);
  G_OBJECT_CLASS (tf_conflict_comparison_parent_class)->dispose (object);
}

static void
tf_conflict_comparison_class_init (TfConflictComparisonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_conflict_comparison_dispose;
  g_type_ensure (TF_TYPE_SIDE_BY_SIDE);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/therapyfield/TherapyField/tf-conflict-comparison.ui");
  gtk_widget_class_bind_template_child (widget_class, TfConflictComparison, versions);
  gtk_widget_class_bind_template_child (widget_class, TfConflictComparison, local);
  gtk_widget_class_bind_template_child (widget_class, TfConflictComparison, server);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tf_conflict_comparison_init (TfConflictComparison *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_conflict_comparison_new (const TfTable *table,
                            JsonObject    *local,
                            JsonObject    *server,
                            const char    *local_missing,
                            const char    *server_missing)
{
  TfConflictComparison *self;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (local != NULL || local_missing != NULL, NULL);
  g_return_val_if_fail (server != NULL || server_missing != NULL, NULL);

  self = g_object_new (TF_TYPE_CONFLICT_COMPARISON, NULL);
  tf_conflict_comparison_set_versions (self, table, local, server, local_missing,
                                       server_missing);
  return GTK_WIDGET (self);
}

void
tf_conflict_comparison_set_versions (TfConflictComparison *self,
                                     const TfTable        *table,
                                     JsonObject           *local,
                                     JsonObject           *server,
                                     const char           *local_missing,
                                     const char           *server_missing)
{
  g_return_if_fail (TF_IS_CONFLICT_COMPARISON (self));
  g_return_if_fail (table != NULL);
  g_return_if_fail (local != NULL || local_missing != NULL);
  g_return_if_fail (server != NULL || server_missing != NULL);
  g_return_if_fail (gtk_widget_get_first_child (self->local) ==
                    gtk_widget_get_last_child (self->local));

  /* A side compares with the other only when the other shows its fields. */
  fill_version (self->local, table, local, server_missing == NULL ? server : NULL,
                local_missing);
  fill_version (self->server, table, server, local_missing == NULL ? local : NULL,
                server_missing);
}
