/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability-editor.c: the weekly hours and the blocked dates of the
 * signed-in therapist.
 *
 * Days are shown Monday first but stored as day_of_week 0 = Sunday …
 * 6 = Saturday, as the registry and the slot rules (common/tf-slots) count
 * them.  A window is typed as HH:MM.  The wire format's times stop at
 * 23:59:59 and the registry wants an end after its start, so the end of the
 * day, 24:00, is stored as 23:59:59 and shown as 24:00 again.
 *
 * Nothing half-checked is written: Save checks every day before it writes
 * any, and then replaces only the days whose windows changed, so an
 * untouched day keeps its rows (and syncs nothing).
 *
 * The page is the template tf-availability-editor.ui; the days' rows
 * (TfAvailabilityDay), made from the table of days below, and their windows
 * (TfAvailabilitySpan) are added here.  The blocked dates are
 * tf-availability-blocked.c, and what the two files share
 * tf-availability-editor-private.h.
 */
#define G_LOG_DOMAIN "tf-availability"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-form.h"
#include "tf-availability-editor-private.h"
#include "tf-booking-rules-group.h"
#include "tf-availability.h"
#include "tf-availability-day.h"
#include "tf-availability-span.h"
#include "tf-time.h"

#define END_OF_DAY        (24 * 60)
#define END_OF_DAY_STORED "23:59:59"

G_DEFINE_FINAL_TYPE (TfAvailabilityEditor, tf_availability_editor, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
tf_availability_editor_emit_saved (TfAvailabilityEditor *self, const char *message)
{
  g_signal_emit (self, signals[SAVED], 0, message);
}

void
tf_availability_editor_emit_failed (TfAvailabilityEditor *self, const char *message)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

static const char * const day_names[7] = {
  N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
  N_("Saturday"),
};
/* Monday first, as a week is read here. */
static const int display_order[7] = { 1, 2, 3, 4, 5, 6, 0 };

static TfVault *
get_vault (TfAvailabilityEditor *self)
{
  return tf_session_get_vault (self->session);
}

/* --- times ---------------------------------------------------------------- */

/* "H:MM" or "HH:MM", 00:00 … 24:00, into minutes of the day. */
static gboolean
parse_clock (const char *text, int *minutes)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *colon = strchr (copy, ':');
  gsize hours_len;
  int h, m;

  if (colon == NULL)
    return FALSE;
  hours_len = (gsize) (colon - copy);
  if (hours_len < 1 || hours_len > 2 || strlen (colon + 1) != 2)
    return FALSE;
  for (gsize i = 0; copy[i] != '\0'; i++)
    if (i != hours_len && !g_ascii_isdigit (copy[i]))
      return FALSE;
  h = (int) g_ascii_strtoll (copy, NULL, 10);
  m = (int) g_ascii_strtoll (colon + 1, NULL, 10);
  if (h > 24 || m > 59 || (h == 24 && m != 0))
    return FALSE;
  *minutes = h * 60 + m;
  return TRUE;
}

static char *
format_clock (int minutes)
{
  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

static char *
stored_time (int minutes)
{
  if (minutes >= END_OF_DAY)
    return g_strdup (END_OF_DAY_STORED);
  return g_strdup_printf ("%02d:%02d:00", minutes / 60, minutes % 60);
}

/* A stored "HH:MM:SS" as typed: "HH:MM", 23:59:59 as 24:00. */
static char *
shown_time (const char *stored)
{
  int seconds = 0;

  if (stored == NULL || !tf_time_parse_time (stored, &seconds, NULL))
    return g_strdup ("");
  if (seconds >= 24 * 3600 - 1)
    return format_clock (END_OF_DAY);
  return format_clock (seconds / 60);
}

/* --- a day's windows ------------------------------------------------------ */

/* The day's windows in its subtitle, as far as they read as times. */
static void
update_summary (Day *day)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  for (guint i = 0; i < day->spans->len; i++)
    {
      TfAvailabilitySpan *span = g_ptr_array_index (day->spans, i);
      int start, end;
      g_autofree char *from = NULL, *to = NULL;

      from = parse_clock (tf_availability_span_get_start (span), &start)
               ? format_clock (start) : g_strdup ("?");
      to = parse_clock (tf_availability_span_get_end (span), &end)
             ? format_clock (end) : g_strdup ("?");
      g_string_append_printf (summary, "%s%s–%s", i > 0 ? ", " : "", from, to);
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (day->expander),
                                 summary->len > 0 ? summary->str : _("Not available"));
}

/* Names follow the position, so that tests and people count the same way:
 * availability-start-<day_of_week>-<n>, -end-, -remove-. */
static void
name_spans (Day *day)
{
  for (guint i = 0; i < day->spans->len; i++)
    {
      g_autofree char *suffix = g_strdup_printf ("%d-%u", day->dow, i);

      tf_availability_span_set_names (g_ptr_array_index (day->spans, i), suffix);
    }
}

static void
on_span_remove_cb (TfAvailabilitySpan *span, Day *day)
{
  adw_expander_row_remove (ADW_EXPANDER_ROW (day->expander), GTK_WIDGET (span));
  g_ptr_array_remove (day->spans, span);
  name_spans (day);
  update_summary (day);
}

static void
add_span (Day *day, const char *start, const char *end)
{
  GtkWidget *span = tf_availability_span_new (start, end);

  g_signal_connect (span, "remove", G_CALLBACK (on_span_remove_cb), day);
  g_signal_connect_swapped (span, "changed", G_CALLBACK (update_summary), day);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (day->expander), span);
  g_ptr_array_add (day->spans, span);
  name_spans (day);
  update_summary (day);
}

/* A new window starts where the last one ends, for an hour. */
static void
on_add_clicked_cb (Day *day)
{
  int start = 9 * 60, end = 17 * 60;
  g_autofree char *from = NULL, *to = NULL;

  if (day->spans->len > 0)
    {
      TfAvailabilitySpan *last = g_ptr_array_index (day->spans, day->spans->len - 1);
      int last_end;

      if (parse_clock (tf_availability_span_get_end (last), &last_end) &&
          last_end < END_OF_DAY)
        {
          start = last_end;
          end = MIN (last_end + 60, END_OF_DAY);
        }
    }
  from = format_clock (start);
  to = format_clock (end);
  add_span (day, from, to);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (day->expander), TRUE);
}

static void
clear_day (Day *day)
{
  while (day->spans->len > 0)
    {
      GtkWidget *span = g_ptr_array_index (day->spans, day->spans->len - 1);

      adw_expander_row_remove (ADW_EXPANDER_ROW (day->expander), span);
      g_ptr_array_remove_index (day->spans, day->spans->len - 1);
    }
  update_summary (day);
}

/* --- checking and saving -------------------------------------------------- */

typedef struct
{
  int                 start;
  int                 end;
  TfAvailabilitySpan *span;
} Range;

static int
compare_ranges (gconstpointer a, gconstpointer b)
{
  return ((const Range *) a)->start - ((const Range *) b)->start;
}

static void
clear_marks (TfAvailabilityEditor *self)
{
  for (int d = 0; d < 7; d++)
    for (guint i = 0; i < self->days[d].spans->len; i++)
      tf_availability_span_mark (g_ptr_array_index (self->days[d].spans, i), FALSE, FALSE);
}

/* Checks one day and returns its windows as stored ("HH:MM:SS" start, end,
 * start, end … by start), or NULL with @message saying what is wrong and
 * the wrong entries marked. */
static GPtrArray *
check_day (Day *day, char **message)
{
  const char *name = _(day_names[day->dow]);
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func (g_free);
  const Range *widest = NULL;

  for (guint i = 0; i < day->spans->len; i++)
    {
      TfAvailabilitySpan *span = g_ptr_array_index (day->spans, i);
      const char *from = tf_availability_span_get_start (span);
      const char *to = tf_availability_span_get_end (span);
      Range range = { 0, 0, span };

      if (!parse_clock (from, &range.start))
        {
          tf_availability_span_mark (span, TRUE, FALSE);
          *message = g_strdup_printf (_("%s: “%s” is not a time between 00:00 and 24:00"),
                                      name, from);
          return NULL;
        }
      if (!parse_clock (to, &range.end))
        {
          tf_availability_span_mark (span, FALSE, TRUE);
          *message = g_strdup_printf (_("%s: “%s” is not a time between 00:00 and 24:00"),
                                      name, to);
          return NULL;
        }
      if (range.end <= range.start)
        {
          g_autofree char *a = format_clock (range.start), *b = format_clock (range.end);

          tf_availability_span_mark (span, TRUE, TRUE);
          *message = g_strdup_printf (_("%s: the end must be after the start (%s–%s)"), name,
                                      a, b);
          return NULL;
        }
      g_array_append_val (ranges, range);
    }

  g_array_sort (ranges, compare_ranges);
  for (guint i = 0; i < ranges->len; i++)
    {
      const Range *r = &g_array_index (ranges, Range, i);

      /* Sorted by start: a window overlaps an earlier one exactly when it
       * starts before the latest end so far. */
      if (widest != NULL && r->start < widest->end)
        {
          g_autofree char *a = format_clock (r->start), *b = format_clock (r->end);
          g_autofree char *c = format_clock (widest->start), *e = format_clock (widest->end);

          tf_availability_span_mark (r->span, TRUE, TRUE);
          tf_availability_span_mark (widest->span, TRUE, TRUE);
          *message = g_strdup_printf (_("%s: %s–%s overlaps %s–%s"), name, a, b, c, e);
          return NULL;
        }
      if (widest == NULL || r->end > widest->end)
        widest = r;
      g_ptr_array_add (stored, stored_time (r->start));
      g_ptr_array_add (stored, stored_time (r->end));
    }
  return g_steal_pointer (&stored);
}

static void
show_error (TfAvailabilityEditor *self, Day *day, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->error), message);
  gtk_widget_set_visible (self->error, TRUE);
  if (day != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (day->expander), TRUE);
  g_signal_emit (self, signals[FAILED], 0, message);
}

/* GPtrArray calls its free function on NULL slots too. */
static void
free_day_times (gpointer data)
{
  if (data != NULL)
    g_ptr_array_unref (data);
}

static void
on_save_clicked_cb (TfAvailabilityEditor *self)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (free_day_times);
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  clear_marks (self);
  g_ptr_array_set_size (wanted, 7);
  for (int i = 0; i < 7; i++)
    {
      Day *day = &self->days[display_order[i]];
      g_autofree char *message = NULL;
      GPtrArray *stored = check_day (day, &message);

      if (stored == NULL)
        {
          show_error (self, day, message);
          return;
        }
      g_ptr_array_index (wanted, day->dow) = stored;
    }

  /* Each day's windows as they are kept, by the rules the CLI follows too. */
  for (int dow = 0; dow < 7; dow++)
    {
      g_auto(GStrv) ids = NULL;
      gboolean day_changed;

      ids = tf_availability_set_day (get_vault (self), dow, g_ptr_array_index (wanted, dow),
                                     &day_changed, &error);
      if (ids == NULL)
        break;
      changed |= day_changed;
    }
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The hours were not saved: %s"),
                                                  error->message);

      show_error (self, NULL, message);
      return;
    }
  gtk_widget_set_visible (self->error, FALSE);
  tf_availability_editor_reload (self);
  if (changed)
    tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Availability saved"));
}

/* --- the widget ----------------------------------------------------------- */

static void
tf_availability_editor_dispose (GObject *object)
{
  TfAvailabilityEditor *self = TF_AVAILABILITY_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_AVAILABILITY_EDITOR);
  for (int d = 0; d < 7; d++)
    g_clear_pointer (&self->days[d].spans, g_ptr_array_unref);
  g_clear_object (&self->blocked);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_availability_editor_parent_class)->dispose (object);
}

static void
build_day (TfAvailabilityEditor *self, int dow)
{
  Day *day = &self->days[dow];
  g_autofree char *suffix = g_strdup_printf ("%d", dow);
  g_autofree char *add_label = g_strdup_printf (_("Add hours on %s"), _(day_names[dow]));

  day->editor = self;
  day->dow = dow;
  day->spans = g_ptr_array_new ();
  day->expander = tf_availability_day_new (_(day_names[dow]), add_label);
  tf_availability_day_set_names (TF_AVAILABILITY_DAY (day->expander), suffix);
  g_signal_connect_swapped (day->expander, "add", G_CALLBACK (on_add_clicked_cb), day);
  update_summary (day);
}

static void
tf_availability_editor_class_init (TfAvailabilityEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_availability_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-availability-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfAvailabilityEditor, name)
  BIND (page);
  BIND (week);
  BIND (error);
  BIND (blocked_date);
  BIND (blocked_until);
  BIND (blocked_reason);
  BIND (blocked_error);
  BIND (blocked_list);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  tf_availability_editor_class_bind_blocked (widget_class);
}

static void
tf_availability_editor_init (TfAvailabilityEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Rows go above the group's other children, the error and Save. */
  for (int i = 0; i < 7; i++)
    {
      build_day (self, display_order[i]);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->week),
                                 self->days[display_order[i]].expander);
    }
  tf_availability_editor_init_blocked (self);
}

void
tf_availability_editor_reload (TfAvailabilityEditor *self)
{
  g_autoptr(GError) error = NULL;
  TfVault *vault;

  g_return_if_fail (TF_IS_AVAILABILITY_EDITOR (self));

  if (self->rules != NULL)
    tf_booking_rules_group_reload (TF_BOOKING_RULES_GROUP (self->rules));

  vault = get_vault (self);
  for (int d = 0; d < 7; d++)
    clear_day (&self->days[d]);
  gtk_widget_set_visible (self->error, FALSE);
  for (int dow = 0; dow < 7; dow++)
    {
      g_autoptr(GPtrArray) day_rows = tf_availability_list_day (vault, dow, &error);

      if (day_rows == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("The hours could not be read: %s"),
                                                      error->message);
          show_error (self, NULL, message);
          return;
        }
      for (guint i = 0; i < day_rows->len; i++)
        {
          JsonObject *o = g_ptr_array_index (day_rows, i);
          g_autofree char *from = NULL, *to = NULL;

          /* Rows that only say "not available" are not windows. */
          if (!json_object_get_boolean_member_with_default (o, "is_available", TRUE))
            continue;
          from = shown_time (tf_json_get_string (o, "start_time"));
          to = shown_time (tf_json_get_string (o, "end_time"));
          add_span (&self->days[dow], from, to);
        }
    }
}

GtkWidget *
tf_availability_editor_new (TfSession *session)
{
  TfAvailabilityEditor *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);

  self = g_object_new (TF_TYPE_AVAILABILITY_EDITOR, NULL);
  self->session = g_object_ref (session);
  self->blocked = tf_session_dup_blocked_dates (session);
  tf_availability_editor_bind_blocked (self);
  /* The rules a client's booking keeps, below the hours and days off. */
  self->rules = tf_booking_rules_group_new (session);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (self->rules));
  g_signal_connect_object (self->rules, "saved", G_CALLBACK (tf_availability_editor_emit_saved),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rules, "failed",
                           G_CALLBACK (tf_availability_editor_emit_failed), self,
                           G_CONNECT_SWAPPED);
  tf_availability_editor_reload (self);
  return GTK_WIDGET (self);
}
