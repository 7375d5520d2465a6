/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointment-info.c: an appointment in the words of the pages that list
 * them — status labels for the therapist and for the client, the other
 * person's name from their profile, a local date and time — the dated
 * appointment those pages sort by (the dialog that asks why one is
 * cancelled is tf-cancel-dialog.c).
 *
 * The therapist and the client read a status differently: the therapist's
 * agenda says "Pending" and "No-show", the client is told "Awaiting
 * confirmation" and "Missed".
 */
#define G_LOG_DOMAIN "tf-appointment-info"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-info.h"
#include "tf-client-detail.h"
#include "tf-time.h"

/* --- dated appointments --------------------------------------------------- */

TfDatedAppointment *
tf_dated_appointment_new (TfItem *item)
{
  const char *at;
  g_autoptr(GDateTime) utc = NULL;
  TfDatedAppointment *dated;

  g_return_val_if_fail (TF_IS_ITEM (item), NULL);

  at = tf_item_get_string (item, "appointment_datetime");
  utc = at != NULL ? tf_time_parse_timestamp (at, NULL) : NULL;
  if (utc == NULL)
    return NULL;
  dated = g_new0 (TfDatedAppointment, 1);
  dated->when = g_date_time_to_local (utc);
  dated->item = g_object_ref (item);
  return dated;
}

void
tf_dated_appointment_free (gpointer data)
{
  TfDatedAppointment *dated = data;

  if (dated == NULL)
    return;
  g_date_time_unref (dated->when);
  g_object_unref (dated->item);
  g_free (dated);
}

int
tf_dated_appointment_soonest_first (gconstpointer a, gconstpointer b)
{
  const TfDatedAppointment *x = *(TfDatedAppointment **) a;
  const TfDatedAppointment *y = *(TfDatedAppointment **) b;

  return g_date_time_compare (x->when, y->when);
}

int
tf_dated_appointment_latest_first (gconstpointer a, gconstpointer b)
{
  return tf_dated_appointment_soonest_first (b, a);
}

/* --- words ---------------------------------------------------------------- */

char *
tf_appointment_format_when (GDateTime *local)
{
  g_autofree char *day = NULL;
  g_autofree char *time = NULL;

  g_return_val_if_fail (local != NULL, NULL);

  day = g_date_time_format (local, "%A %-d %B %Y");
  time = g_date_time_format (local, "%H:%M");
  return g_strdup_printf (_("%s · %s"), day, time);
}
