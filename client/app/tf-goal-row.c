/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-goal-row.c: a goal of the goals page (tf-goal-row.h); its widgets
 * are the template tf-goal-row.ui.  The check mark is an icon, not words:
 * "Ολοκληρώθηκε σήμερα" beside Edit left the goal's title a word a line
 * at 360 px.  Its tooltip and accessible label say it; the subtitle says
 * "Done today" once it is.
 */
#define G_LOG_DOMAIN "tf-goals-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-goal-row.h"

struct _TfGoalRow
{
  AdwActionRow parent_instance;

  char        *goal_id;

  /* template (tf-goal-row.ui) */
  GtkWidget   *done;
  GtkWidget   *edit;
};

G_DEFINE_FINAL_TYPE (TfGoalRow, tf_goal_row, ADW_TYPE_ACTION_ROW)

enum { SIGNAL_DONE, SIGNAL_EDIT, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_done_clicked_cb (TfGoalRow *self)
{
  g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

static void
on_edit_clicked_cb (TfGoalRow *self)
{
  g_signal_emit (self, signals[SIGNAL_EDIT], 0);
}

static void
tf_goal_row_finalize (GObject *object)
{
  g_free (TF_GOAL_ROW (object)->goal_id);
  G_OBJECT_CLASS (tf_goal_row_parent_class)->finalize (object);
}

static void
tf_goal_row_class_init (TfGoalRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_goal_row_finalize;
  /* The check mark was clicked: the goal is to be marked done today. */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Edit was clicked: the goal is to be opened in the form. */
  signals[SIGNAL_EDIT] = g_signal_new ("edit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-goal-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfGoalRow, done);
  gtk_widget_class_bind_template_child (widget_class, TfGoalRow, edit);
  gtk_widget_class_bind_template_callback (widget_class, on_done_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked_cb);
}

static void
tf_goal_row_init (TfGoalRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* @button's tooltip and accessible label, @label (taken). */
static void
label_button (GtkWidget *button, char *label)
{
  gtk_widget_set_tooltip_text (button, label);
  tf_form_label_accessibly (button, label);
  g_free (label);
}

GtkWidget *
tf_goal_row_new (const char *goal_id, const char *title, const char *subtitle,
                 gboolean done_today)
{
  TfGoalRow *self;
  g_autofree char *row_name = NULL;

  g_return_val_if_fail (goal_id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  row_name = g_strdup_printf ("goal-%s", goal_id);
  self = g_object_new (TF_TYPE_GOAL_ROW, "name", row_name, "title", title, "subtitle", subtitle,
                       NULL);
  self->goal_id = g_strdup (goal_id);
  if (done_today)
    gtk_widget_remove_css_class (self->done, "suggested-action");
  label_button (self->done, g_strdup_printf (_("Mark “%s” done today"), title));
  label_button (self->edit, g_strdup_printf (_("Edit “%s”"), title));
  return GTK_WIDGET (self);
}

const char *
tf_goal_row_get_goal_id (TfGoalRow *self)
{
  g_return_val_if_fail (TF_IS_GOAL_ROW (self), NULL);

  return self->goal_id;
}

const char *
tf_goal_row_get_title (TfGoalRow *self)
{
  g_return_val_if_fail (TF_IS_GOAL_ROW (self), NULL);

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
}
