/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-print-render.h: a printout (tf-print-doc.h) laid out on pages with
 * Pango and drawn with cairo — by the app on the pages of GTK's print
 * dialog, by the CLI into a PDF file.  No GTK: the same pages either way.
 *
 * Every page carries the practice's header and, at its foot, when it was
 * printed and "Page n of m"; the title and the facts open the first page;
 * a section's heading never stays alone at the bottom of a page, and a long
 * section goes on over the next, line by line.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "tf-print-doc.h"

G_BEGIN_DECLS

typedef struct _TfPrintRender TfPrintRender;

/* A renderer of @doc, which must outlive it. */
TfPrintRender *tf_print_render_new       (const TfPrintDoc *doc);
void           tf_print_render_free      (TfPrintRender    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfPrintRender, tf_print_render_free)

/* Lays the document out with @context on pages @width × @height points
 * (the printable area); returns how many pages it takes (at least one). */
guint          tf_print_render_paginate  (TfPrintRender    *self,
                                          PangoContext     *context,
                                          double            width,
                                          double            height);

/* Draws page @page (from 0) of the last layout on @cr, whose origin is the
 * printable area's top left. */
void           tf_print_render_draw_page (TfPrintRender    *self,
                                          cairo_t          *cr,
                                          guint             page);

/* @doc as a PDF file at @path, on A4 with 2 cm margins; @out_pages
 * (optional) receives how many pages.  FALSE with @error when the file
 * cannot be written (G_IO_ERROR). */
gboolean       tf_print_doc_save_pdf     (const TfPrintDoc *doc,
                                          const char       *path,
                                          guint            *out_pages,
                                          GError          **error);

G_END_DECLS
