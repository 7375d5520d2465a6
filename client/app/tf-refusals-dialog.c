/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-refusals-dialog.c: the list of refused records (issue 19), reached
 * from the window's banner that counts them, or its menu.
 *
 * Each row says what the record is, why it was refused, whose it is said
 * to be and when (tf-refusals.h has the words); the check's own sentence
 * is the row's tooltip.  The model is the session's
 * (tf_session_dup_refusals), taken again after every sync while the window
 * is open.  The template is tf-refusals-dialog.ui.
 */
#define G_LOG_DOMAIN "tf-refusals-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-refusals-dialog.h"
#include "tf-session-account.h"
#include "tf-time.h"

struct _TfRefusalsDialog
{
  AdwWindow   parent_instance;
  TfSession  *session;
  GListModel *refusals;  /* of TfRefusal */

  /* template */
  GtkStack   *stack;     /* "empty" or "list" */
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TfRefusalsDialog, tf_refusals_dialog, ADW_TYPE_WINDOW)

/* "Changed after its author signed it", then whose and when; whose by a
 * name only when this device knows their keys, else as the server's word. */
static GtkWidget *
create_row (gpointer item, gpointer data)
{
  TfRefusal *refusal = item;
  const char *whose = tf_refusal_get_whose (refusal);
  const char *author = tf_refusal_get_author_id (refusal);
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (tf_refusal_get_refused_at (refusal), NULL);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local != NULL ? g_date_time_format (local, "%x %H:%M") : NULL;
  g_autofree char *said = NULL, *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  if (author == NULL)
    said = g_strdup (_("The server does not say who wrote it"));
  else if (tf_refusal_get_author_known (refusal))
    /* TRANSLATORS: whose a refused record is said to be, e.g. "From Maria Pappa" */
    said = g_strdup_printf (_("From %s"), whose != NULL ? whose : author);
  else
    /* TRANSLATORS: %s is a name or, when this device has none, a user id */
    said = g_strdup_printf (_("The server says it is from %s, whose keys this device does not "
                              "know"), whose != NULL ? whose : author);
  subtitle = g_strjoin ("\n", tf_refusal_get_why (refusal), said, when, NULL);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tf_refusal_get_what (refusal));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, tf_refusal_get_message (refusal));
  gtk_widget_set_name (row, "refusal-row");
  return row;
}

static void
reload (TfRefusalsDialog *self)
{
  g_autoptr(GError) error = NULL;
  GListModel *refusals = tf_session_dup_refusals (self->session, &error);

  if (refusals == NULL)
    {
      g_message ("refusals not listed: %s", error->message);
      refusals = G_LIST_MODEL (g_list_store_new (TF_TYPE_REFUSAL));
    }
  g_set_object (&self->refusals, refusals);
  g_object_unref (refusals);
  gtk_list_box_bind_model (self->list, self->refusals, create_row, NULL, NULL);
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (self->refusals) > 0 ? "list"
                                                                                  : "empty");
}

static void
tf_refusals_dialog_dispose (GObject *object)
{
  TfRefusalsDialog *self = TF_REFUSALS_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_REFUSALS_DIALOG);
  g_clear_object (&self->refusals);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_refusals_dialog_parent_class)->dispose (object);
}

static void
tf_refusals_dialog_class_init (TfRefusalsDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_refusals_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-refusals-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TfRefusalsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TfRefusalsDialog, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tf_refusals_dialog_init (TfRefusalsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_refusals_dialog_new (TfSession *session, GtkWindow *parent)
{
  TfRefusalsDialog *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (TF_TYPE_REFUSALS_DIALOG, "transient-for", parent, NULL);
  /* No wider than a phone-wide window it opens over. */
  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0 &&
      gtk_widget_get_width (GTK_WIDGET (parent)) < 560)
    gtk_window_set_default_size (GTK_WINDOW (self), gtk_widget_get_width (GTK_WIDGET (parent)),
                                 MAX (gtk_widget_get_height (GTK_WIDGET (parent)), 400));
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "synced", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  reload (self);
  return GTK_WIDGET (self);
}
