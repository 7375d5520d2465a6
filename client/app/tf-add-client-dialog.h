/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-add-client-dialog.h: "Add Client", a therapist's form for a client who
 * has no app account yet (a managed client).
 */
#pragma once

#include <adwaita.h>

#include "tf-managed.h"

G_BEGIN_DECLS

#define TF_TYPE_ADD_CLIENT_DIALOG (tf_add_client_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TfAddClientDialog, tf_add_client_dialog, TF, ADD_CLIENT_DIALOG,
                      AdwWindow)

/* A dialog over @widget's window, not presented yet.  Its actions:
 * add-client.add (emits ::add with what was typed) and add-client.cancel
 * (closes it). */
GtkWidget *tf_add_client_dialog_new          (GtkWidget         *widget);
/* What was typed, the strings borrowed from the dialog (valid until it
 * changes); empty fields are NULL. */
void       tf_add_client_dialog_get_client   (TfAddClientDialog *self,
                                              TfManagedClient   *out);
/* While a save is under way, add-client.add is off and the fields are
 * read-only. */
void       tf_add_client_dialog_set_busy     (TfAddClientDialog *self,
                                              gboolean           busy);
/* Shows @problem (NULL: hides it) above the fields. */
void       tf_add_client_dialog_set_problem  (TfAddClientDialog *self,
                                              const char        *problem);

G_END_DECLS
