/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-print-render.c: printouts on pages (tf-print-render.h).
 *
 * Pagination places the lines of one PangoLayout per piece (a header line,
 * the title, a fact, a section's heading, its text) one under the other;
 * each placed line remembers its page and baseline, so drawing a page is
 * showing its lines.  The header and the foot are laid out once and drawn
 * on every page in the space kept for them.
 */
#define G_LOG_DOMAIN "tf-print"

#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "tf-print-render.h"

#define A4_WIDTH    595.276
#define A4_HEIGHT   841.890
#define PDF_MARGIN  56.693   /* 2 cm */
#define GAP_SMALL   4.0
#define GAP_BLOCK   12.0

typedef struct
{
  PangoLayout *layout;  /* borrowed from TfPrintRender.layouts */
  int          index;   /* the line's index in it */
  guint        page;
  double       baseline;
} Placed;

struct _TfPrintRender
{
  const TfPrintDoc *doc;
  GPtrArray        *layouts;   /* PangoLayout*, owned */
  GArray           *placed;    /* Placed */
  PangoLayout      *header;    /* the practice, on every page */
  PangoLayout      *foot;      /* when printed; the page numbers are drawn apart */
  double            width;
  double            height;
  double            body_top;
  double            body_bottom;
  guint             n_pages;
};

TfPrintRender *
tf_print_render_new (const TfPrintDoc *doc)
{
  TfPrintRender *self;

  g_return_val_if_fail (doc != NULL, NULL);

  self = g_new0 (TfPrintRender, 1);
  self->doc = doc;
  self->layouts = g_ptr_array_new_with_free_func (g_object_unref);
  self->placed = g_array_new (FALSE, FALSE, sizeof (Placed));
  return self;
}

void
tf_print_render_free (TfPrintRender *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->layouts);
  g_array_unref (self->placed);
  g_clear_object (&self->header);
  g_clear_object (&self->foot);
  g_free (self);
}

static PangoLayout *
new_layout (PangoContext *context, double width, const char *font, const char *text)
{
  PangoLayout *layout = pango_layout_new (context);
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
line_height (PangoLayout *layout, int index, double *out_ascent)
{
  PangoLayoutLine *line = pango_layout_get_line_readonly (layout, index);
  PangoRectangle logical;

  pango_layout_line_get_extents (line, NULL, &logical);
  *out_ascent = -(double) logical.y / PANGO_SCALE;
  return (double) logical.height / PANGO_SCALE;
}

static double
layout_height (PangoLayout *layout)
{
  int height = 0;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

typedef struct
{
  TfPrintRender *self;
  guint          page;
  double         y;
} Cursor;

static void
next_page (Cursor *c)
{
  c->page++;
  c->y = c->self->body_top;
}

/* Places every line of @layout from the cursor on, going on over pages. */
static void
place (Cursor *c, PangoLayout *layout, double gap_after)
{
  int n = pango_layout_get_line_count (layout);

  for (int i = 0; i < n; i++)
    {
      double ascent = 0;
      double height = line_height (layout, i, &ascent);
      Placed p;

      if (c->y + height > c->self->body_bottom && c->y > c->self->body_top)
        next_page (c);
      p.layout = layout;
      p.index = i;
      p.page = c->page;
      p.baseline = c->y + ascent;
      g_array_append_val (c->self->placed, p);
      c->y += height;
    }
  c->y += gap_after;
}

static PangoLayout *
add (TfPrintRender *self, PangoContext *context, const char *font, const char *text)
{
  PangoLayout *layout = new_layout (context, self->width, font, text);

  g_ptr_array_add (self->layouts, layout);
  return layout;
}

guint
tf_print_render_paginate (TfPrintRender *self, PangoContext *context, double width,
                          double height)
{
  const TfPrintDoc *doc;
  g_autofree char *header_text = NULL;
  Cursor c = { self, 0, 0 };

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (PANGO_IS_CONTEXT (context), 0);
  g_return_val_if_fail (width > 0 && height > 0, 0);

  doc = self->doc;
  g_ptr_array_set_size (self->layouts, 0);
  g_array_set_size (self->placed, 0);
  g_clear_object (&self->header);
  g_clear_object (&self->foot);
  self->width = width;
  self->height = height;

  {
    GString *joined = g_string_new (NULL);

    for (guint i = 0; i < doc->header->len; i++)
      g_string_append_printf (joined, "%s%s", i > 0 ? "\n" : "",
                              (const char *) g_ptr_array_index (doc->header, i));
    header_text = g_string_free (joined, FALSE);
  }
  self->header = new_layout (context, width, "Sans 8", header_text);
  self->foot = new_layout (context, width, "Sans 7", doc->footer ? doc->footer : "");
  self->body_top = (doc->header->len > 0 ? layout_height (self->header) + GAP_BLOCK : 0);
  self->body_bottom = height - layout_height (self->foot) - GAP_BLOCK;
  if (self->body_bottom - self->body_top < 72)
    self->body_bottom = self->body_top + 72;   /* a tiny page: lines overflow, nothing is lost */
  c.y = self->body_top;

  place (&c, add (self, context, "Sans Bold 16", doc->title ? doc->title : ""), GAP_BLOCK);
  for (guint i = 0; i < doc->facts->len; i++)
    place (&c, add (self, context, "Sans 10", g_ptr_array_index (doc->facts, i)),
           i + 1 == doc->facts->len ? GAP_BLOCK : GAP_SMALL / 2);
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const TfPrintBlock *block = g_ptr_array_index (doc->blocks, i);
      PangoLayout *text = add (self, context, "Serif 10.5", block->text);

      if (block->heading != NULL)
        {
          PangoLayout *heading = add (self, context, "Sans Bold 11", block->heading);
          double ascent, first = line_height (text, 0, &ascent);

          /* The heading stays with the section's first line. */
          if (c.y + layout_height (heading) + GAP_SMALL + first > self->body_bottom &&
              c.y > self->body_top)
            next_page (&c);
          place (&c, heading, GAP_SMALL);
        }
      place (&c, text, GAP_BLOCK);
    }
  self->n_pages = c.page + 1;
  return self->n_pages;
}

void
tf_print_render_draw_page (TfPrintRender *self, cairo_t *cr, guint page)
{
  g_autofree char *numbers = NULL;
  PangoLayout *number;
  int number_width = 0;

  g_return_if_fail (self != NULL && cr != NULL);
  g_return_if_fail (page < self->n_pages);

  cairo_set_source_rgb (cr, 0, 0, 0);
  if (self->doc->header->len > 0)
    {
      double rule = layout_height (self->header) + GAP_BLOCK / 2;

      cairo_move_to (cr, 0, 0);
      pango_cairo_show_layout (cr, self->header);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, 0, rule);
      cairo_line_to (cr, self->width, rule);
      cairo_stroke (cr);
    }
  for (guint i = 0; i < self->placed->len; i++)
    {
      const Placed *p = &g_array_index (self->placed, Placed, i);

      if (p->page != page)
        continue;
      cairo_move_to (cr, 0, p->baseline);
      pango_cairo_show_layout_line (cr, pango_layout_get_line_readonly (p->layout, p->index));
    }
  cairo_move_to (cr, 0, self->height - layout_height (self->foot));
  pango_cairo_show_layout (cr, self->foot);
  /* TRANSLATORS: at the foot of a printed page */
  numbers = g_strdup_printf (_("Page %u of %u"), page + 1, self->n_pages);
  number = pango_layout_copy (self->foot);
  pango_layout_set_width (number, -1);
  pango_layout_set_text (number, numbers, -1);
  pango_layout_get_size (number, &number_width, NULL);
  cairo_move_to (cr, self->width - (double) number_width / PANGO_SCALE,
                 self->height - layout_height (self->foot));
  pango_cairo_show_layout (cr, number);
  g_object_unref (number);
}

gboolean
tf_print_doc_save_pdf (const TfPrintDoc *doc, const char *path, guint *out_pages,
                       GError **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *context;
  g_autoptr(TfPrintRender) render = NULL;
  cairo_status_t status;
  guint n;

  g_return_val_if_fail (doc != NULL && path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cr = cairo_create (surface);
  context = pango_cairo_create_context (cr);
  render = tf_print_render_new (doc);
  n = tf_print_render_paginate (render, context, A4_WIDTH - 2 * PDF_MARGIN,
                                A4_HEIGHT - 2 * PDF_MARGIN);
  for (guint page = 0; page < n; page++)
    {
      cairo_save (cr);
      cairo_translate (cr, PDF_MARGIN, PDF_MARGIN);
      tf_print_render_draw_page (render, cr, page);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the PDF file %s: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  if (out_pages != NULL)
    *out_pages = n;
  return TRUE;
}
