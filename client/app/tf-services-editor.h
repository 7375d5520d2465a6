/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-services-editor.h: a therapist's services and prices — the practice's
 * service catalogue and, for each service, whether this therapist offers
 * it, at what price and for how long.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_SERVICES_EDITOR (tf_services_editor_get_type ())
G_DECLARE_FINAL_TYPE (TfServicesEditor, tf_services_editor, TF, SERVICES_EDITOR, GtkWidget)

/* The editor of the unlocked @session's (a therapist's) offers.
 *
 * The catalogue (table services) is read-only here: administrators keep
 * it, and it reaches the device by sync.  Until it has, the editor says so
 * (the status page "services-empty").  Each service is an expander row
 * "service-<type>" (or "service-<id>" for a service without a type) with
 * "service-offered-<key>" (a switch), "service-price-<key>" (euros),
 * "service-duration-<key>" (minutes), "service-save-<key>" and the label
 * "service-error-<key>".  Save refuses a negative or malformed price and a
 * length outside 1 … 1440 minutes, saying why in that label and by
 * ::failed (message), and writes nothing; otherwise it writes the
 * therapist_services row and ::saved (message) follows.  What is typed
 * and not saved stays when the list is rebuilt by a sync. */
GtkWidget *tf_services_editor_new    (TfSession        *session);

/* Saves every row changed and not saved, as its Save would, before the
 * list is left; FALSE when one was refused (said beside it, and by
 * ::failed): the therapist stays to correct it. */
gboolean   tf_services_editor_save_pending (TfServicesEditor *self);

/* Loads the stored offers again, dropping edits not saved. */
void       tf_services_editor_reload (TfServicesEditor *self);

G_END_DECLS
