/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-service-row.h: one service of the catalogue in Services and Prices —
 * an expander row with whether the therapist offers it, its price in euros
 * and its length in minutes, the reason a save was refused and Save.  The
 * services editor checks and stores what it shows, and names its widgets.
 *
 * ::save: the person pressed Save, or Enter in the price or the length.
 * ::offered-changed: the person turned the "offered" switch (saved at once).
 */
#pragma once

#include <adwaita.h>

#include "tf-booking.h"

G_BEGIN_DECLS

#define TF_TYPE_SERVICE_ROW (tf_service_row_get_type ())
G_DECLARE_FINAL_TYPE (TfServiceRow, tf_service_row, TF, SERVICE_ROW, AdwExpanderRow)

/* The row of @offer's service, showing its stored offer, or the service's
 * own length for one never offered. */
GtkWidget  *tf_service_row_new             (const TfOffer *offer);
const char *tf_service_row_get_service_id  (TfServiceRow  *self);
/* The service's name as shown (translated by type). */
const char *tf_service_row_get_name        (TfServiceRow  *self);
gboolean    tf_service_row_get_offered     (TfServiceRow  *self);
const char *tf_service_row_get_price       (TfServiceRow  *self);
const char *tf_service_row_get_duration    (TfServiceRow  *self);
/* Whether the person changed it since it was shown or saved. */
gboolean    tf_service_row_get_dirty       (TfServiceRow  *self);
/* Shows what the person had typed before a rebuild, as not saved yet. */
void        tf_service_row_restore         (TfServiceRow  *self,
                                            gboolean       offered,
                                            const char    *price,
                                            const char    *duration);
/* Names the row service-@key and its widgets service-offered-@key,
 * -price-, -duration-, -save- and -error-. */
void        tf_service_row_set_names       (TfServiceRow  *self,
                                            const char    *key);
/* Says why Save refused, with the price and/or the length marked, and
 * opens the row; NULL clears the message and the marks. */
void        tf_service_row_show_error      (TfServiceRow  *self,
                                            const char    *message,
                                            gboolean       price,
                                            gboolean       duration);
/* The row was stored: no longer dirty, no message. */
void        tf_service_row_set_saved       (TfServiceRow  *self);

G_END_DECLS
