/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-qr-code.c: a QR code drawn as a paintable.
 *
 * libqrencode gives the symbol as a square of modules; this draws each
 * horizontal run of dark modules as one rectangle on white, with the quiet
 * zone around.  Drawn from rectangles rather than from a scaled bitmap, it
 * stays sharp at any size: the module size is rounded down to whole pixels
 * and the symbol centred on whole pixels, so no edge falls between two
 * pixels and blurs (a bitmap scaled by GtkPicture would be filtered, and
 * GTK 4.8 has no nearest-neighbour filter for it).  Black on white whatever
 * the style, as scanners expect: a dark theme must not invert it.
 */
#define G_LOG_DOMAIN "tf-qr-code"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <qrencode.h>

#include "tf-qr-code.h"

struct _TfQrCode
{
  GObject  parent_instance;
  guint    modules;  /* per side, without the quiet zone */
  guint8  *dark;     /* modules × modules, row by row: 1 dark, 0 light */
};

static void tf_qr_code_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfQrCode, tf_qr_code, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      tf_qr_code_paintable_init))

static guint
side_of (TfQrCode *self)
{
  return self->modules + 2 * TF_QR_CODE_QUIET_ZONE;
}

static void
tf_qr_code_snapshot (GdkPaintable *paintable, GdkSnapshot *snapshot, double width,
                     double height)
{
  TfQrCode *self = TF_QR_CODE (paintable);
  static const GdkRGBA white = { 1, 1, 1, 1 }, black = { 0, 0, 0, 1 };
  double module = floor (MIN (width, height) / side_of (self));
  double x0, y0;

  if (module < 1)
    module = MIN (width, height) / side_of (self);  /* too small to scan anyway */
  x0 = floor ((width - module * side_of (self)) / 2);
  y0 = floor ((height - module * side_of (self)) / 2);
  gtk_snapshot_append_color (snapshot, &white,
                             &GRAPHENE_RECT_INIT (x0, y0, module * side_of (self),
                                                  module * side_of (self)));
  x0 += module * TF_QR_CODE_QUIET_ZONE;
  y0 += module * TF_QR_CODE_QUIET_ZONE;
  for (guint y = 0; y < self->modules; y++)
    for (guint x = 0; x < self->modules; x++)
      {
        guint run = 0;

        while (x + run < self->modules && self->dark[y * self->modules + x + run])
          run++;
        if (run == 0)
          continue;
        gtk_snapshot_append_color (snapshot, &black,
                                   &GRAPHENE_RECT_INIT (x0 + x * module, y0 + y * module,
                                                        run * module, module));
        x += run;
      }
}

static int
tf_qr_code_get_intrinsic_size (GdkPaintable *paintable)
{
  return side_of (TF_QR_CODE (paintable)) * TF_QR_CODE_MODULE_PX;
}

static double
tf_qr_code_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  return 1.0;
}

static GdkPaintableFlags
tf_qr_code_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
tf_qr_code_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = tf_qr_code_snapshot;
  iface->get_intrinsic_width = tf_qr_code_get_intrinsic_size;
  iface->get_intrinsic_height = tf_qr_code_get_intrinsic_size;
  iface->get_intrinsic_aspect_ratio = tf_qr_code_get_intrinsic_aspect_ratio;
  iface->get_flags = tf_qr_code_get_flags;
}

static void
tf_qr_code_finalize (GObject *object)
{
  TfQrCode *self = TF_QR_CODE (object);

  g_free (self->dark);
  G_OBJECT_CLASS (tf_qr_code_parent_class)->finalize (object);
}

static void
tf_qr_code_class_init (TfQrCodeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tf_qr_code_finalize;
}

static void
tf_qr_code_init (TfQrCode *self)
{
}

TfQrCode *
tf_qr_code_new (const char *text, GError **error)
{
  g_autoptr(TfQrCode) self = NULL;
  QRcode *code;

  g_return_val_if_fail (text != NULL, NULL);

  /* Byte mode, case kept: a URI's secret is case-sensitive base32 and its
   * label may be UTF-8 (percent-encoded or not). */
  code = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  if (code == NULL)
    {
      int saved = errno;

      if (saved == ERANGE)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("The text is too long for a QR code"));
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("No QR code could be made of the text: %s"), g_strerror (saved));
      return NULL;
    }
  self = g_object_new (TF_TYPE_QR_CODE, NULL);
  self->modules = code->width;
  self->dark = g_malloc ((gsize) code->width * code->width);
  /* Bit 0 of each byte is the module's colour; the others say what the
   * module is for (timing, format …), which does not matter here. */
  for (gsize i = 0; i < (gsize) code->width * code->width; i++)
    self->dark[i] = code->data[i] & 1;
  QRcode_free (code);
  return g_steal_pointer (&self);
}

guint
tf_qr_code_get_modules (TfQrCode *self)
{
  g_return_val_if_fail (TF_IS_QR_CODE (self), 0);

  return self->modules;
}

gboolean
tf_qr_code_is_dark (TfQrCode *self, guint x, guint y)
{
  g_return_val_if_fail (TF_IS_QR_CODE (self), FALSE);
  g_return_val_if_fail (x < self->modules && y < self->modules, FALSE);

  return self->dark[y * self->modules + x];
}
