/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-ui-test.c: driving the real widgets as a person would.
 */
#include "config.h"

#include "tf-ui-test.h"

GtkWidget *
tf_ui_find (GtkWidget *root, const char *name)
{
  GtkWidget *child;

  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tf_ui_find (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Runs the main loop until @check holds, for at most 30 s. */
gboolean
tf_ui_wait_for (gboolean (*check) (gpointer), gpointer data)
{
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (!check (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

static gboolean
shown (gpointer data)
{
  Lookup *l = data;
  GtkWidget *w = tf_ui_find (l->window, l->name);

  return w != NULL && gtk_widget_get_mapped (w);
}

GtkWidget *
tf_ui_wait_shown (GtkWidget *window, const char *name)
{
  Lookup l = { window, name };

  g_assert_true (tf_ui_wait_for (shown, &l));
  return tf_ui_find (window, name);
}

void
tf_ui_click (GtkWidget *window, const char *name)
{
  GtkWidget *button = tf_ui_wait_shown (window, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

void
tf_ui_type (GtkWidget *window, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (tf_ui_wait_shown (window, name)), text);
}

