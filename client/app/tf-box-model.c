/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-box-model.c: a GtkBox bound to a list model (tf-box-model.h).  The
 * binding lives on the box (one at a time: binding again replaces it); it
 * follows items-changed, replacing only the children in the changed
 * range, until the box is disposed.
 */
#define G_LOG_DOMAIN "tf-app"

#include "config.h"

#include "tf-box-model.h"

typedef struct
{
  GtkBox                     *box;    /* not a reference: the binding is the box's */
  GListModel                 *model;
  GtkListBoxCreateWidgetFunc  create;
  gpointer                    data;
  GDestroyNotify              destroy;
} Binding;

static void
binding_free (gpointer data)
{
  Binding *binding = data;

  g_signal_handlers_disconnect_by_data (binding->model, binding);
  g_object_unref (binding->model);
  if (binding->destroy != NULL)
    binding->destroy (binding->data);
  g_free (binding);
}

static GQuark
binding_quark (void)
{
  return g_quark_from_static_string ("tf-box-model-binding");
}

static void
on_items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     Binding *binding)
{
  GtkWidget *box = GTK_WIDGET (binding->box);
  GtkWidget *before = NULL, *child;

  /* The child before the range, or NULL when it starts the box. */
  child = gtk_widget_get_first_child (box);
  for (guint i = 0; i < position && child != NULL; i++)
    {
      before = child;
      child = gtk_widget_get_next_sibling (child);
    }
  for (guint i = 0; i < removed && child != NULL; i++)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (binding->box, child);
      child = next;
    }
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, position + i);
      GtkWidget *made = binding->create (item, binding->data);

      gtk_box_insert_child_after (binding->box, made, before);
      before = made;
    }
}

static void
on_box_dispose_cb (gpointer data, GObject *box)
{
  g_object_set_qdata (box, binding_quark (), NULL);
  binding_free (data);
}

void
tf_box_bind_model (GtkBox *box, GListModel *model, GtkListBoxCreateWidgetFunc create,
                   gpointer data, GDestroyNotify destroy)
{
  Binding *binding;
  GtkWidget *child;

  g_return_if_fail (GTK_IS_BOX (box));
  g_return_if_fail (G_IS_LIST_MODEL (model));
  g_return_if_fail (create != NULL);

  binding = g_object_get_qdata (G_OBJECT (box), binding_quark ());
  if (binding != NULL)
    {
      g_object_weak_unref (G_OBJECT (box), on_box_dispose_cb, binding);
      binding_free (binding);
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  binding = g_new0 (Binding, 1);
  binding->box = box;
  binding->model = g_object_ref (model);
  binding->create = create;
  binding->data = data;
  binding->destroy = destroy;
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), binding);
  g_object_weak_ref (G_OBJECT (box), on_box_dispose_cb, binding);
  g_object_set_qdata (G_OBJECT (box), binding_quark (), binding);
  on_items_changed_cb (model, 0, 0, g_list_model_get_n_items (model), binding);
}
