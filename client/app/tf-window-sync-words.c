/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window-sync-words.c: the words the window's header says the sync
 * state in (tf_window_describe_sync, tf-window.h) — in full, or short for
 * a narrow window, with the last sync's time relative to now.
 */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-window.h"

/* "just now", "2 minutes ago", "3 hours ago", "yesterday", "4 days ago". */
static char *
describe_since (GDateTime *then, GDateTime *now)
{
  GTimeSpan span = g_date_time_difference (now, then);
  gint64 minutes = MAX (span, 0) / G_TIME_SPAN_MINUTE;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (hours < 1)
    return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", (gulong) minutes),
                            (int) minutes);
  if (days < 1)
    return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (gulong) hours), (int) hours);
  if (days == 1)
    return g_strdup (_("yesterday"));
  return g_strdup_printf (ngettext ("%d day ago", "%d days ago", (gulong) days), (int) days);
}

char *
tf_window_describe_sync (TfSyncState state, gint64 pending, GDateTime *last, GDateTime *now,
                         gboolean compact)
{
  g_autofree char *since = last != NULL && now != NULL ? describe_since (last, now) : NULL;

  switch (state)
    {
    case TF_SYNC_STATE_LOCAL_ONLY:
      return g_strdup (_("This computer only"));
    case TF_SYNC_STATE_SYNCING:
      return g_strdup (_("Syncing…"));
    case TF_SYNC_STATE_SIGNED_OUT:
      return g_strdup (_("Signed out"));
    case TF_SYNC_STATE_OFFLINE:
      if (pending <= 0)
        return g_strdup (_("Offline"));
      if (compact)
        /* TRANSLATORS: narrow header: offline, and the number of changes waiting */
        return g_strdup_printf (_("Offline · %d waiting"), (int) pending);
      return g_strdup_printf (ngettext ("Offline — %d change waiting",
                                        "Offline — %d changes waiting", (gulong) pending),
                              (int) pending);
    case TF_SYNC_STATE_IDLE:
    default:
      if (pending > 0)
        {
          if (compact)
            /* TRANSLATORS: narrow header: the number of changes waiting to sync */
            return g_strdup_printf (_("%d waiting"), (int) pending);
          return g_strdup_printf (ngettext ("%d change waiting", "%d changes waiting",
                                            (gulong) pending), (int) pending);
        }
      if (compact || since == NULL)
        return g_strdup (_("Synced"));
      /* TRANSLATORS: %s is a relative time, e.g. "2 minutes ago" or "just now" */
      return g_strdup_printf (_("Synced %s"), since);
    }
}
