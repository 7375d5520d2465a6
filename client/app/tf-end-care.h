/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-end-care.h: "End Care…" — asked, then ended through the core
 * (tf_booking_end_care, as the CLI's `therapist end`), for either side of
 * a care relationship.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

/* Told what came of it: @ok and a sentence for a toast; not called when the
 * person answered no. */
typedef void (*TfEndCareDone) (GtkWidget  *from,
                               gboolean    ok,
                               const char *message);

/* Asks over @from's window (a dialog named "end-care-dialog", answers
 * "cancel" and "end-care") whether to end the care with @other_id, named
 * @name; the words are a therapist's about a client when @other_is_client,
 * a client's about their therapist otherwise.  On "end-care" ends it,
 * starts a sync and calls @done. */
void tf_end_care_ask (GtkWidget     *from,
                      TfSession     *session,
                      const char    *other_id,
                      const char    *name,
                      gboolean       other_is_client,
                      TfEndCareDone  done);

G_END_DECLS
