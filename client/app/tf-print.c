/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-print.c: printouts through GTK's print dialog (tf-print.h).
 *
 * The operation owns the document and its renderer; "begin-print" lays the
 * pages out for the printer's page size with the print context's Pango
 * context, "draw-page" draws one.  The dialog runs by itself (allow-async),
 * so the window stays responsive while it is open.
 */
#define G_LOG_DOMAIN "tf-print"

#include "config.h"

#include "tf-print-render.h"
#include "tf-print.h"

typedef struct
{
  TfPrintDoc    *doc;
  TfPrintRender *render;
  PangoContext  *context;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->render, tf_print_render_free);
  g_clear_object (&job->context);
  g_clear_pointer (&job->doc, tf_print_doc_free);
  g_free (job);
}

static void
on_begin_print_cb (GtkPrintOperation *operation, GtkPrintContext *context, Job *job)
{
  guint pages;

  g_clear_pointer (&job->render, tf_print_render_free);
  g_clear_object (&job->context);
  job->context = gtk_print_context_create_pango_context (context);
  job->render = tf_print_render_new (job->doc);
  pages = tf_print_render_paginate (job->render, job->context,
                                    gtk_print_context_get_width (context),
                                    gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation, (int) pages);
}

static void
on_draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int page, Job *job)
{
  if (job->render != NULL && page >= 0)
    tf_print_render_draw_page (job->render, gtk_print_context_get_cairo_context (context),
                               (guint) page);
}

GtkPrintOperation *
tf_print_operation_new (TfPrintDoc *doc)
{
  GtkPrintOperation *operation;
  Job *job;

  g_return_val_if_fail (doc != NULL, NULL);

  operation = gtk_print_operation_new ();
  job = g_new0 (Job, 1);
  job->doc = doc;
  gtk_print_operation_set_job_name (operation, doc->title ? doc->title : "Therapy Field");
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_object_set_data_full (G_OBJECT (operation), "tf-print-job", job, (GDestroyNotify) job_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), job);
  return operation;
}

gboolean
tf_print_run (GtkWidget *widget, TfPrintDoc *doc, GError **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (doc != NULL, FALSE);

  operation = tf_print_operation_new (doc);
  gtk_print_operation_set_allow_async (operation, TRUE);
  root = gtk_widget_get_root (widget);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  error) != GTK_PRINT_OPERATION_RESULT_ERROR;
}
