/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-qr-code.h: a QR code (libqrencode) as a GdkPaintable, for a GtkPicture
 * to show — the otpauth:// URI an authenticator app scans.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The blank margin around the symbol, in modules: ISO/IEC 18004 asks for
 * four, and phone scanners fail on less against a busy background. */
#define TF_QR_CODE_QUIET_ZONE 4
/* The intrinsic size of one module, in pixels. */
#define TF_QR_CODE_MODULE_PX  4

#define TF_TYPE_QR_CODE (tf_qr_code_get_type ())
G_DECLARE_FINAL_TYPE (TfQrCode, tf_qr_code, TF, QR_CODE, GObject)

/* The symbol of @text (byte mode, error correction M, the smallest version
 * it fits).  G_IO_ERROR_INVALID_ARGUMENT when it does not fit one. */
TfQrCode *tf_qr_code_new         (const char *text,
                                  GError    **error);
/* Modules on a side of the symbol, the quiet zone left out (21 … 177). */
guint     tf_qr_code_get_modules (TfQrCode   *self);
/* Whether module (@x, @y) of the symbol is dark. */
gboolean  tf_qr_code_is_dark     (TfQrCode   *self,
                                  guint       x,
                                  guint       y);

G_END_DECLS
