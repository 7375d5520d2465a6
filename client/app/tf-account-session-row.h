/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-session-row.h: one signed-in device of the account, as a row
 * of the account page — its name, when it was last seen, and Sign Out…
 * unless it is this device.
 */
#pragma once

#include <adwaita.h>

#include "tf-account-manage.h"

G_BEGIN_DECLS

#define TF_TYPE_ACCOUNT_SESSION_ROW (tf_account_session_row_get_type ())
G_DECLARE_FINAL_TYPE (TfAccountSessionRow, tf_account_session_row, TF, ACCOUNT_SESSION_ROW,
                      AdwActionRow)

/* The row of @session, named account-session-current for this device's,
 * account-session for another's.  "revoke" is emitted when its Sign Out…
 * is clicked. */
GtkWidget        *tf_account_session_row_new         (TfAccountSession    *session);
/* The device the row shows. */
TfAccountSession *tf_account_session_row_get_session (TfAccountSessionRow *self);

G_END_DECLS
