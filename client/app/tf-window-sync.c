/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window-sync.c: the sync state in the window's header, and the sync
 * notices above the views (tf-window-private.h).
 *
 * The header says the sync state in words that fit
 * (tf-window-sync-words.c): in full ("Synced 2 minutes ago", "Offline — 3
 * changes waiting") while the view switcher is in the header, shorter when
 * the window is narrow; the time is local and relative, and is said again
 * every half minute.  The tooltip has the whole sentence, the last sync's
 * local time and the last error.
 *
 * Above the views, a banner says when the server was found to have lost
 * changes of this device, or sent records this device refuses to use
 * (tf-sync-notice.c): what happened and what the sync did about it, until
 * the person dismisses it; Details (win.refusals, also in the menu while
 * any is refused) lists the refused records (tf-refusals-dialog.c).
 */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-refusals-dialog.h"
#include "tf-sync-client.h"
#include "tf-window-private.h"

/* How often the header says the relative time again. */
#define SYNC_LABEL_SECONDS 30

/* The last sync's moment, or NULL when it never synced. */
static GDateTime *
dup_last_sync (TfWindow *self)
{
  g_autofree char *last = tf_session_dup_last_sync (self->session);

  return last != NULL ? g_date_time_new_from_iso8601 (last, NULL) : NULL;
}

/* --- the sync notices ---------------------------------------------------- */

/* Shown while the profile holds a notice: the server lost changes, or sent
 * records refused here. */
static void
update_lost_banner (TfWindow *self)
{
  TfStore *store = tf_session_get_store (self->session);
  g_autofree char *text = tf_sync_notice_text (store);

  /* Listed until the records are good again, dismissed or not. */
  self->refused = tf_store_refused_count (store, FALSE, NULL) > 0;
  if (text != NULL)
    gtk_label_set_text (self->lost_label, text);
  gtk_widget_set_visible (self->refusals_button, tf_store_refused_count (store, TRUE, NULL) > 0);
  gtk_revealer_set_reveal_child (self->lost_banner, text != NULL);
}

static void
on_lost_dismissed_cb (TfWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!tf_sync_notice_dismiss (tf_session_get_store (self->session), &error))
    tf_window_toast (self, error->message);
  update_lost_banner (self);
  tf_window_update_actions (self);
}

static void
refusals_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (tf_refusals_dialog_new (self->session, GTK_WINDOW (self))));
}

/* --- the header's words -------------------------------------------------- */

/* The tooltip: the whole sentence, the last sync's local time, and the
 * last error. */
static void
update_sync_tooltip (TfWindow *self, GDateTime *last, const char *full)
{
  g_autoptr(GDateTime) local = last != NULL ? g_date_time_to_local (last) : NULL;
  g_autofree char *when = local != NULL ? g_date_time_format (local, "%x %X") : NULL;
  g_autofree char *since = NULL;
  g_autofree char *tip = NULL;
  const char *error = tf_session_get_sync_error (self->session);

  if (when != NULL)
    /* TRANSLATORS: the sync state, then the local date and time of the last sync */
    since = g_strdup_printf (_("Last sync: %s"), when);
  tip = g_strjoin ("\n", full, since != NULL ? since : error,
                   since != NULL ? error : NULL, NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), tip);
}

void
tf_window_update_sync_label (TfWindow *self)
{
  g_autoptr(GDateTime) last = dup_last_sync (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TfSyncState state = tf_session_get_sync_state (self->session);
  gint64 pending = tf_session_get_pending (self->session);
  gboolean narrow = self->narrow;
  g_autofree char *full = tf_window_describe_sync (state, pending, last, now, FALSE);
  g_autofree char *text = narrow ? tf_window_describe_sync (state, pending, last, now, TRUE)
                                 : g_strdup (full);

  gtk_label_set_text (self->sync_label, text);
  /* Wide, the words are never cut (the view switcher would take their
   * room); narrow, the short words may be, the tooltip has them all. */
  gtk_label_set_ellipsize (self->sync_label, narrow ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  gtk_widget_set_visible (self->sign_in_button, state == TF_SYNC_STATE_SIGNED_OUT);
  update_sync_tooltip (self, last, full);
  /* A sync that ended may have found it. */
  update_lost_banner (self);
  tf_window_update_actions (self);
}

static gboolean
label_timeout_cb (gpointer data)
{
  tf_window_update_sync_label (TF_WINDOW (data));
  return G_SOURCE_CONTINUE;
}

static void
set_narrow (TfWindow *self, gboolean narrow)
{
  if (narrow == self->narrow)
    return;
  self->narrow = narrow;
  if (self->session != NULL && self->sync_label != NULL)
    tf_window_update_sync_label (self);
}

/* Narrow or wide by the window's own width (the view switcher's "title
 * visible" depends on the header's room, which the words take part of):
 * at once by the width asked (default-width, which GTK also keeps as the
 * window is resized), and then by the width the window was given, which
 * is what counts.  The two differ for a maximized or tiled window (a
 * phone's), whose default width is the one it had before, and for a
 * moment when a late configure event brings back a size the window had:
 * wide words, never cut, in a window 360 px wide would make it ask for
 * more than the screen (369 px for a therapist's header). */
static void
on_default_width_cb (TfWindow *self)
{
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0)
    set_narrow (self, width < TF_WINDOW_NARROW_WIDTH);
}

static gboolean
follow_width_cb (gpointer data)
{
  TfWindow *self = TF_WINDOW (data);

  self->width_source = 0;
  set_narrow (self, gtk_widget_get_width (GTK_WIDGET (self)) < TF_WINDOW_NARROW_WIDTH);
  return G_SOURCE_REMOVE;
}

void
tf_window_follow_width (TfWindow *self, int width)
{
  /* Not while it is being laid out: the words change the header's size. */
  if (width > 0 && (width < TF_WINDOW_NARROW_WIDTH) != self->narrow && self->width_source == 0)
    self->width_source = g_idle_add (follow_width_cb, self);
}

static void
sync_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  tf_session_sync (TF_WINDOW (widget)->session);
}

void
tf_window_class_init_sync (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_lost_dismissed_cb);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_activated);
  gtk_widget_class_install_action (widget_class, "win.refusals", NULL, refusals_activated);
}

void
tf_window_init_sync (TfWindow *self)
{
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_default_width_cb), NULL);
  self->label_source = g_timeout_add_seconds (SYNC_LABEL_SECONDS, label_timeout_cb, self);
}
