/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-text-field.h: a titled field of free text in a form — its title (the
 * mnemonic label of the view), an optional hint under it in small dim text
 * (also the view's accessible description), and a framed, word-wrapped
 * text view.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_TEXT_FIELD (tf_text_field_get_type ())
G_DECLARE_FINAL_TYPE (TfTextField, tf_text_field, TF, TEXT_FIELD, GtkWidget)

/* The field titled @title, with @hint (may be NULL), whose view is named
 * @name and at least @height px tall. */
GtkWidget   *tf_text_field_new       (const char  *name,
                                      const char  *title,
                                      const char  *hint,
                                      int          height);
/* The field's text view (borrowed). */
GtkTextView *tf_text_field_get_view  (TfTextField *self);

G_END_DECLS
