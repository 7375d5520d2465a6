/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-safety-banner.h: the bar a page about another person shows while that
 * person's keys changed and the new safety number is not compared yet:
 * "The keys of … changed" in plain words and a Verify button that
 * activates TfSafetyBanner:action-name (the page opens the dialog,
 * tf-safety-dialog.h).
 */
#pragma once

#include <gtk/gtk.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_SAFETY_BANNER (tf_safety_banner_get_type ())
G_DECLARE_FINAL_TYPE (TfSafetyBanner, tf_safety_banner, TF, SAFETY_BANNER, GtkWidget)

/* Shows @self, with @name in its words, only while a key change of
 * @other_id waits (tf_safety_keys_changed). */
void  tf_safety_banner_update  (TfSafetyBanner *self,
                                TfSession      *session,
                                const char     *other_id,
                                const char     *name);

G_END_DECLS
