/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-client-row.h: one of a therapist's clients, as a row of the Clients
 * list — the name, since when in care or when care ended, and "Ended" for
 * a client whose care ended.  Activating it opens the client.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_CLIENT_ROW (tf_client_row_get_type ())
G_DECLARE_FINAL_TYPE (TfClientRow, tf_client_row, TF, CLIENT_ROW, AdwActionRow)

/* The row of the client @client_id called @name, named client-ID; @active
 * whether in care; @stamp (a timestamp, or NULL) when care began if
 * @active, else when it ended. */
GtkWidget  *tf_client_row_new           (const char  *client_id,
                                         const char  *name,
                                         gboolean     active,
                                         const char  *stamp);
const char *tf_client_row_get_client_id (TfClientRow *self);

G_END_DECLS
