/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-end-care.c: ending a care relationship from the app, on either side
 * (issue 19).
 *
 * The question says what ending does for the side asking: for a client,
 * what they shared is locked again with new keys at once and nothing they
 * write reaches the therapist; for a therapist, nothing the client writes
 * reaches them from now on and the client's device locks what it shared
 * again when the end reaches it.  The work is the core's, the CLI's path:
 * tf_booking_end_care re-keys and ends in one local transaction, and the
 * end goes to the server after its re-keys.  It is a write on this device
 * only; the sync it starts runs in the session's worker.
 */
#define G_LOG_DOMAIN "tf-end-care"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-booking.h"
#include "tf-end-care.h"
#include "tf-form.h"

typedef struct
{
  GtkWidget     *from;
  TfSession     *session;
  char          *other_id;
  TfEndCareDone  done;
} Ask;

static void
ask_free (gpointer data, GClosure *closure)
{
  Ask *ask = data;

  g_clear_object (&ask->from);
  g_clear_object (&ask->session);
  g_free (ask->other_id);
  g_free (ask);
}

static void
on_response_cb (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  Ask *ask = data;
  g_autoptr(GError) error = NULL;
  TfVault *vault = tf_session_get_vault (ask->session);

  if (g_strcmp0 (response, "end-care") != 0 || vault == NULL)
    return;
  if (!tf_booking_end_care (vault, ask->other_id, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Care was not ended: %s"), error->message);

      ask->done (ask->from, FALSE, message);
      return;
    }
  tf_session_sync (ask->session);
  ask->done (ask->from, TRUE, _("Care ended"));
}

void
tf_end_care_ask (GtkWidget *from, TfSession *session, const char *other_id, const char *name,
                 gboolean other_is_client, TfEndCareDone done)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  Ask *ask;

  g_return_if_fail (GTK_IS_WIDGET (from));
  g_return_if_fail (TF_IS_SESSION (session));
  g_return_if_fail (other_id != NULL && name != NULL && done != NULL);

  if (other_is_client)
    /* TRANSLATORS: %s is the client's name */
    body = g_strdup_printf (_("Nothing %s writes from now on reaches you, and their device "
                              "locks what they shared with you again with new keys when it "
                              "next syncs. What is on this device already stays. To work "
                              "together again, they link with you again from their app."),
                            name);
  else
    /* TRANSLATORS: %s is the therapist's name */
    body = g_strdup_printf (_("What you shared with %s is locked again with new keys now, and "
                              "nothing you write from now on reaches them. What they have "
                              "already seen stays with them. You can link with them again "
                              "later."), name);
  dialog = tf_form_confirm_new (from, "end-care-dialog", _("End Care?"), body,
                                "cancel", _("_Cancel"), "end-care", _("_End Care"));
  ask = g_new0 (Ask, 1);
  ask->from = g_object_ref (from);
  ask->session = g_object_ref (session);
  ask->other_id = g_strdup (other_id);
  ask->done = done;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response_cb), ask, ask_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
