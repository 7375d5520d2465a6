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
#include <stdio.h>
#include <string.h>

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

GDateTime *
tf_appointment_parse_start (const char *date, const char *time, GTimeZone *zone,
                            char **out_problem)
{
  g_autofree char *d = g_strstrip (g_strdup (date != NULL ? date : ""));
  g_autofree char *t = g_strstrip (g_strdup (time != NULL ? time : ""));
  g_autofree char *full = NULL;
  int y, m, day, seconds;
  GDateTime *start;

  g_return_val_if_fail (zone != NULL, NULL);
  g_return_val_if_fail (out_problem != NULL, NULL);

  *out_problem = NULL;
  if (strlen (d) != 10 || sscanf (d, "%4d-%2d-%2d", &y, &m, &day) != 3 ||
      !g_date_valid_dmy (day, m, y))
    {
      *out_problem = g_strdup_printf (_("“%s” is not a date; write it as YYYY-MM-DD"), d);
      return NULL;
    }
  full = strlen (t) == 5 ? g_strconcat (t, ":00", NULL) : g_strdup (t);
  if (!tf_time_parse_time (full, &seconds, NULL) || seconds >= 24 * 3600)
    {
      *out_problem = g_strdup_printf (_("“%s” is not a time; write it as HH:MM"), t);
      return NULL;
    }
  start = g_date_time_new (zone, y, m, day, seconds / 3600, (seconds / 60) % 60, 0);
  if (start == NULL)
    {
      *out_problem = g_strdup (_("That time does not exist on that day (the clocks change)"));
      return NULL;
    }
  /* A wall time the clocks skip comes back moved: it is none. */
  if (g_date_time_get_hour (start) != seconds / 3600 ||
      g_date_time_get_minute (start) != (seconds / 60) % 60)
    {
      g_date_time_unref (start);
      *out_problem = g_strdup (_("That time does not exist on that day (the clocks change)"));
      return NULL;
    }
  return start;
}

void
tf_appointment_join (GtkWidget *parent, const char *meeting_url)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (parent));

  if (meeting_url == NULL || *meeting_url == '\0')
    return;
  root = gtk_widget_get_root (parent);
  /* GtkUriLauncher is GTK 4.10; Debian 12 has 4.8. */
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, meeting_url, GDK_CURRENT_TIME);
}

static void
on_join_clicked_cb (GtkButton *button, gpointer data)
{
  tf_appointment_join (GTK_WIDGET (button), g_object_get_data (G_OBJECT (button), "tf-url"));
}

GtkWidget *
tf_appointment_join_button_new (JsonObject *appointment)
{
  const char *url, *id;
  g_autofree char *name = NULL;
  GtkWidget *button;

  g_return_val_if_fail (appointment != NULL, NULL);

  url = tf_json_get_string (appointment, "meeting_url");
  id = tf_json_get_string (appointment, "id");
  if (g_strcmp0 (tf_json_get_string (appointment, "location_type"), "online") != 0 ||
      url == NULL || *url == '\0' || id == NULL)
    return NULL;
  button = gtk_button_new_with_mnemonic (_("_Join"));
  name = g_strdup_printf ("appointment-join-%s", id);
  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, url);
  gtk_widget_add_css_class (button, "suggested-action");
  g_object_set_data_full (G_OBJECT (button), "tf-url", g_strdup (url), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_join_clicked_cb), NULL);
  return button;
}

char *
tf_appointment_dup_place (JsonObject *appointment, const char *address)
{
  const char *type;

  g_return_val_if_fail (appointment != NULL, NULL);

  type = tf_json_get_string (appointment, "location_type");
  if (g_strcmp0 (type, "online") == 0)
    return g_strdup (_("Online"));
  if (g_strcmp0 (type, "in_person") != 0)
    return NULL;
  if (address != NULL && *address != '\0')
    /* TRANSLATORS: an appointment in person, and the practice's address. */
    return g_strdup_printf (_("In person · %s"), address);
  return g_strdup (_("In person"));
}

typedef struct
{
  TfSession  *session;
  GHashTable *told;   /* mutation ids said */
  void      (*tell) (GtkWidget *widget, const char *message);
} RefusalWatch;

static void
refusal_watch_free (gpointer data)
{
  RefusalWatch *w = data;

  g_clear_pointer (&w->told, g_hash_table_unref);
  g_free (w);
}

/* Each refusal not said yet, said (@say) or only noted. */
static void
read_refusals (GtkWidget *widget, RefusalWatch *w, gboolean say)
{
  TfVault *vault = tf_session_get_vault (w->session);
  g_autoptr(JsonArray) refusals = vault != NULL ? tf_booking_list_refusals (vault, NULL) : NULL;

  for (guint i = 0; refusals != NULL && i < json_array_get_length (refusals); i++)
    {
      JsonObject *r = json_array_get_object_element (refusals, i);
      const char *at = tf_json_get_string (r, "appointment_datetime");
      g_autoptr(GDateTime) utc = at != NULL ? tf_time_parse_timestamp (at, NULL) : NULL;
      g_autofree char *message = NULL;

      if (!g_hash_table_add (w->told, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                       json_object_get_int_member (
                                                         r, "mutation_id"))) || !say)
        continue;
      if (utc != NULL)
        {
          g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (w->session);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
          g_autofree char *when = tf_appointment_format_when (local);

          /* TRANSLATORS: an appointment's time, and why the server refused it. */
          message = g_strdup_printf (_("The server refused the appointment of %s: %s"), when,
                                     tf_json_get_string (r, "words"));
        }
      else
        message = g_strdup_printf (_("The server refused an appointment: %s"),
                                   tf_json_get_string (r, "words"));
      w->tell (widget, message);
    }
}

static void
on_watch_synced_cb (GtkWidget *widget)
{
  RefusalWatch *w = g_object_get_data (G_OBJECT (widget), "tf-refusal-watch");

  if (w != NULL)
    read_refusals (widget, w, TRUE);
}

void
tf_appointment_watch_refusals (GtkWidget *widget, TfSession *session,
                               void (*tell) (GtkWidget *widget, const char *message))
{
  RefusalWatch *w;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (TF_IS_SESSION (session));
  g_return_if_fail (tell != NULL);

  w = g_new0 (RefusalWatch, 1);
  w->session = session;   /* the widget holds it */
  w->told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w->tell = tell;
  g_object_set_data_full (G_OBJECT (widget), "tf-refusal-watch", w, refusal_watch_free);
  read_refusals (widget, w, FALSE);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_watch_synced_cb), widget,
                           G_CONNECT_SWAPPED);
}
