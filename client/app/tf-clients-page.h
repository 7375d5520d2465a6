/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clients-page.h: a therapist's clients — the list (active first, ended
 * care marked, searchable by name) beside the selected client's detail
 * (TfClientDetail), folding to one pane at a time in a narrow window.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_CLIENTS_PAGE (tf_clients_page_get_type ())
G_DECLARE_FINAL_TYPE (TfClientsPage, tf_clients_page, TF, CLIENTS_PAGE, GtkWidget)

/* The clients of the unlocked @session's therapist: the people in a care
 * relationship with them, live.  ::saved (message) and ::failed (message)
 * tell the window what to say, for the detail's sections too.
 *
 * Widget names: "clients-search", "clients-list" with one row
 * "client-<client id>" per client, "clients-empty", "clients-no-match". */
GtkWidget *tf_clients_page_new         (TfSession     *session);

/* Shows @client_id's detail (in a narrow window, instead of the list). */
void       tf_clients_page_show_client (TfClientsPage *self,
                                        const char    *client_id);

G_END_DECLS
