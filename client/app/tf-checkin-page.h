/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-checkin-page.h: a client's check-in — mood, energy and anxiety 1–10,
 * emotions as chips, a note — saved in one action and listed at once.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_CHECKIN_PAGE (tf_checkin_page_get_type ())
G_DECLARE_FINAL_TYPE (TfCheckinPage, tf_checkin_page, TF, CHECKIN_PAGE, GtkWidget)

/* ::saved (message) and ::failed (message) tell the window what to say. */
GtkWidget *tf_checkin_page_new (TfSession *session);

G_END_DECLS
