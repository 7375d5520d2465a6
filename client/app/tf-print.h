/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-print.h: a printout (tf-print-doc.h) through GTK's print dialog, which
 * also saves it as a PDF ("Print to File").  The pages are client/print's,
 * the same as the CLI's PDF.
 */
#pragma once

#include <gtk/gtk.h>

#include "tf-print-doc.h"

G_BEGIN_DECLS

/* A print operation of @doc (taken), its pages laid out when it begins. */
GtkPrintOperation *tf_print_operation_new (TfPrintDoc *doc);

/* Opens the print dialog for @doc (taken) over @widget's window; FALSE
 * with @error when printing could not start. */
gboolean           tf_print_run           (GtkWidget  *widget,
                                           TfPrintDoc *doc,
                                           GError    **error);

G_END_DECLS
