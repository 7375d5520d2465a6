/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-calendar.c: the Schedule page's calendar — the day, week
 * and month views and the week's list, the day selected, the period shown
 * and how the keyboard moves them.
 *
 * Everything is in the therapist's zone (their profile's timezone,
 * Europe/Athens by default), not this computer's: the selected day is a
 * date, and a period is the instants of its first and last local
 * midnights there, so a week with the last Sunday of October is 169 hours
 * long and shows all of them.  Weeks start on Monday, as in Greece.
 *
 * The keys, anywhere in the calendar (its buttons and views): ← → the
 * selected day, ↑ ↓ a week (a day in the day view), at the edges into the
 * period before or after; Page Up and Page Down the period; T today; Enter
 * opens the selected day's first appointment, or on a day to come without
 * any a new one (a block or a button with the focus takes it first).  Each is an installed
 * action (calendar.previous, .next, .today, .move, .open, .view) with the
 * same effect from a button or a menu.
 */
#define G_LOG_DOMAIN "tf-schedule"

#include "config.h"

#include "tf-calendar-month.h"
#include "tf-calendar-week.h"
#include "tf-schedule-page-private.h"

enum { PROP_VIEW, PROP_DATE, N_PROPS };
static GParamSpec *props[N_PROPS];
static guint prop_offset;

/* --- days in the therapist's zone ----------------------------------------- */

static GDateTime *
midnight_of (TfSchedulePage *self, const GDate *date)
{
  return g_date_time_new (self->zone, g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date), 0, 0, 0);
}

static GDate *
date_after (const GDate *date, int days)
{
  GDate *copy = g_date_copy (date);

  if (days > 0)
    g_date_add_days (copy, days);
  else if (days < 0)
    g_date_subtract_days (copy, -days);
  return copy;
}

static GDate *
today (TfSchedulePage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);

  return g_date_new_dmy (g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                         g_date_time_get_year (now));
}

/* The Monday on or before @date. */
static GDate *
monday_of (const GDate *date)
{
  return date_after (date, 1 - (int) g_date_get_weekday (date));
}

static int
days_between (const GDate *from, const GDate *to)
{
  return g_date_days_between (from, to);
}

/* The first day the current view shows, and how many. */
static GDate *
period_first (TfSchedulePage *self, int *n_days)
{
  if (g_str_equal (self->view, "day"))
    {
      *n_days = 1;
      return g_date_copy (self->selected);
    }
  if (g_str_equal (self->view, "month"))
    {
      g_autoptr(GDate) first = g_date_copy (self->selected);

      g_date_set_day (first, 1);
      *n_days = TF_CALENDAR_MONTH_WEEKS * 7;
      return monday_of (first);
    }
  *n_days = 7;
  return monday_of (self->selected);
}

/* --- the title ------------------------------------------------------------ */

static char *
format_date (TfSchedulePage *self, const GDate *date, const char *format)
{
  g_autoptr(GDateTime) midnight = midnight_of (self, date);

  return g_date_time_format (midnight, format);
}

static void
update_title (TfSchedulePage *self, const GDate *first)
{
  g_autofree char *text = NULL;

  if (g_str_equal (self->view, "day"))
    text = format_date (self, self->selected, "%A %-d %B %Y");
  else if (g_str_equal (self->view, "month"))
    /* The month's name as it stands alone ("Οκτώβριος", not "Οκτωβρίου"). */
    text = format_date (self, self->selected, "%OB %Y");
  else
    {
      g_autoptr(GDate) last = date_after (first, 6);
      g_autofree char *from = format_date (self, first, "%-d %B");
      g_autofree char *to = format_date (self, last, "%-d %B %Y");

      text = g_strdup_printf ("%s – %s", from, to);
    }
  gtk_label_set_text (GTK_LABEL (self->week_label), text);
}

/* --- showing -------------------------------------------------------------- */

void
tf_schedule_calendar_show (TfSchedulePage *self)
{
  g_autoptr(GDate) first = NULL;
  g_autoptr(GDateTime) start = NULL, end = NULL;
  g_autofree char *first_text = NULL, *shown = NULL;
  int n_days, selected;

  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = tf_session_dup_time_zone (self->session);
  first = period_first (self, &n_days);
  {
    g_autoptr(GDate) last = date_after (first, n_days);

    start = midnight_of (self, first);
    end = midnight_of (self, last);
  }
  first_text = g_date_time_format (start, "%Y-%m-%d %Z");
  shown = g_strdup_printf ("%s %s", self->view, first_text);
  selected = days_between (first, self->selected);
  update_title (self, first);
  gtk_stack_set_visible_child_name (GTK_STACK (self->views), self->view);

  /* The same period: only the selection moved. */
  if (g_strcmp0 (shown, self->shown) != 0)
    {
      g_free (self->shown);
      self->shown = g_steal_pointer (&shown);
      g_clear_pointer (&self->first, g_date_time_unref);
      self->first = g_date_time_ref (start);
      g_clear_object (&self->range);
      if (g_str_equal (self->view, "list"))
        tf_schedule_page_show_week (self, start);
      else
        /* The list's week stops following the store while another view shows. */
        tf_schedule_page_show_week (self, NULL);
      if (!g_str_equal (self->view, "list"))
        self->range = tf_session_dup_appointments_between (self->session, start, end);
      /* The views not shown let go of theirs: nothing reloads unseen. */
      if (!g_str_equal (self->view, "day"))
        tf_calendar_week_drop_model (TF_CALENDAR_WEEK (self->day_view));
      if (!g_str_equal (self->view, "week"))
        tf_calendar_week_drop_model (TF_CALENDAR_WEEK (self->week_view));
      if (!g_str_equal (self->view, "month"))
        tf_calendar_month_drop_model (TF_CALENDAR_MONTH (self->month_view));

      if (g_str_equal (self->view, "day"))
        tf_calendar_week_set_days (TF_CALENDAR_WEEK (self->day_view), start, 1,
                                   G_LIST_MODEL (self->range));
      else if (g_str_equal (self->view, "week"))
        tf_calendar_week_set_days (TF_CALENDAR_WEEK (self->week_view), start, 7,
                                   G_LIST_MODEL (self->range));
      else if (g_str_equal (self->view, "month"))
        {
          g_autoptr(GDate) month = g_date_copy (self->selected);
          g_autoptr(GDateTime) first_of_month = NULL;

          g_date_set_day (month, 1);
          first_of_month = midnight_of (self, month);
          tf_calendar_month_set_month (TF_CALENDAR_MONTH (self->month_view), first_of_month,
                                       start, G_LIST_MODEL (self->range));
        }
    }
  if (g_str_equal (self->view, "day"))
    tf_calendar_week_set_selected (TF_CALENDAR_WEEK (self->day_view), selected);
  else if (g_str_equal (self->view, "week"))
    tf_calendar_week_set_selected (TF_CALENDAR_WEEK (self->week_view), selected);
  else if (g_str_equal (self->view, "month"))
    tf_calendar_month_set_selected (TF_CALENDAR_MONTH (self->month_view), selected);
}

static void
select_date (TfSchedulePage *self, GDate *date)
{
  g_date_free (self->selected);
  self->selected = date;
  tf_schedule_calendar_show (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DATE]);
}

static void
set_view (TfSchedulePage *self, const char *view)
{
  if (g_strcmp0 (view, self->view) == 0)
    return;
  g_free (self->view);
  self->view = g_strdup (view);
  tf_schedule_calendar_show (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VIEW]);
}

/* --- actions -------------------------------------------------------------- */

/* The selected day a period earlier (@step -1) or later (1). */
static void
step_period (TfSchedulePage *self, int step)
{
  GDate *date = g_date_copy (self->selected);

  if (g_str_equal (self->view, "month"))
    {
      /* The 31st into a shorter month is its last day. */
      if (step > 0)
        g_date_add_months (date, 1);
      else
        g_date_subtract_months (date, 1);
    }
  else if (g_str_equal (self->view, "day"))
    {
      g_date_free (date);
      date = date_after (self->selected, step);
    }
  else
    {
      g_date_free (date);
      date = date_after (self->selected, 7 * step);
    }
  select_date (self, date);
}

static void
previous_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  step_period (TF_SCHEDULE_PAGE (widget), -1);
}

static void
next_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  step_period (TF_SCHEDULE_PAGE (widget), 1);
}

static void
today_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);

  select_date (self, today (self));
}

static void
move_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);

  select_date (self, date_after (self->selected, g_variant_get_int32 (param)));
}

/* ↑ and ↓: a week, or in the day view a day. */
static void
move_rows (TfSchedulePage *self, int rows)
{
  int days = g_str_equal (self->view, "day") ? rows : 7 * rows;

  select_date (self, date_after (self->selected, days));
}

static void
up_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  move_rows (TF_SCHEDULE_PAGE (widget), -1);
}

static void
down_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  move_rows (TF_SCHEDULE_PAGE (widget), 1);
}

/* Enter: the selected day's first appointment; on a day still to come
 * that has none, a new one (as a click on its grid would). */
static void
open_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfSchedulePage *self = TF_SCHEDULE_PAGE (widget);
  g_autoptr(GDate) first = NULL, now = NULL;
  gboolean opened = FALSE;
  int n_days, index;

  if (g_str_equal (self->view, "list"))
    return;
  first = period_first (self, &n_days);
  index = days_between (first, self->selected);
  if (g_str_equal (self->view, "day"))
    opened = tf_calendar_week_open_first (TF_CALENDAR_WEEK (self->day_view), index);
  else if (g_str_equal (self->view, "week"))
    opened = tf_calendar_week_open_first (TF_CALENDAR_WEEK (self->week_view), index);
  else if (g_str_equal (self->view, "month"))
    opened = tf_calendar_month_open_first (TF_CALENDAR_MONTH (self->month_view), index);
  now = today (self);
  if (!opened && g_date_compare (self->selected, now) > 0)
    gtk_widget_activate_action (widget, "schedule.new-appointment", NULL);
}

/* A day's heading or a month's day pressed: that day's view. */
static void
on_day_activated_cb (GtkWidget *view, const char *date, TfSchedulePage *self)
{
  int year, month, day;

  if (sscanf (date, "%d-%d-%d", &year, &month, &day) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return;
  g_date_free (self->selected);
  self->selected = g_date_new_dmy (day, month, year);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DATE]);
  if (g_str_equal (self->view, "day"))
    tf_schedule_calendar_show (self);
  else
    set_view (self, "day");
}

/* A block dragged to another start in the day or week view. */
static void
on_appointment_dropped_cb (GtkWidget *view, const char *id, GDateTime *to, TfSchedulePage *self)
{
  tf_schedule_page_move (self, id, to);
}

/* A click on the grid where no appointment is: a new one then. */
static void
on_slot_activated_cb (GtkWidget *view, GDateTime *at, TfSchedulePage *self)
{
  tf_schedule_page_new_appointment (self, at);
}

/* --- properties ----------------------------------------------------------- */

void
tf_schedule_calendar_get_property (TfSchedulePage *self, guint id, GValue *value)
{
  switch (id - prop_offset)
    {
    case PROP_VIEW:
      g_value_set_string (value, self->view);
      break;
    case PROP_DATE:
      {
        char text[16];

        g_snprintf (text, sizeof text, "%04d-%02d-%02d", g_date_get_year (self->selected),
                    g_date_get_month (self->selected), g_date_get_day (self->selected));
        g_value_set_string (value, text);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
tf_schedule_calendar_set_property (TfSchedulePage *self, guint id, const GValue *value)
{
  const char *text = g_value_get_string (value);

  switch (id - prop_offset)
    {
    case PROP_VIEW:
      if (g_strv_contains ((const char *const[]) { "day", "week", "month", "list", NULL },
                           text != NULL ? text : ""))
        set_view (self, text);
      break;
    case PROP_DATE:
      {
        int year, month, day;

        if (text != NULL && sscanf (text, "%d-%d-%d", &year, &month, &day) == 3 &&
            g_date_valid_dmy (day, month, year))
          select_date (self, g_date_new_dmy (day, month, year));
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
tf_schedule_calendar_class_init (GObjectClass *klass, guint first_property)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  prop_offset = first_property;
  /* Which view shows: "day", "week", "month" or "list". */
  props[PROP_VIEW] = g_param_spec_string ("view", NULL, NULL, "week",
                                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                          G_PARAM_STATIC_STRINGS);
  /* The selected day, "YYYY-MM-DD" in the therapist's zone. */
  props[PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL,
                                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                          G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < N_PROPS; i++)
    g_object_class_install_property (klass, first_property + i, props[i]);

  gtk_widget_class_install_property_action (widget_class, "calendar.view", "view");
  gtk_widget_class_install_action (widget_class, "calendar.previous", NULL, previous_activated);
  gtk_widget_class_install_action (widget_class, "calendar.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "calendar.today", NULL, today_activated);
  gtk_widget_class_install_action (widget_class, "calendar.move", "i", move_activated);
  gtk_widget_class_install_action (widget_class, "calendar.up", NULL, up_activated);
  gtk_widget_class_install_action (widget_class, "calendar.down", NULL, down_activated);
  gtk_widget_class_install_action (widget_class, "calendar.open", NULL, open_activated);
  g_type_ensure (TF_TYPE_CALENDAR_WEEK);
  g_type_ensure (TF_TYPE_CALENDAR_MONTH);
}

/* --- keys ----------------------------------------------------------------- */

static void
add_key (GtkShortcutController *controller, guint keyval, const char *action, GVariant *args)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0),
                                            gtk_named_action_new (action));

  if (args != NULL)
    gtk_shortcut_set_arguments (shortcut, args);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

void
tf_schedule_calendar_init (TfSchedulePage *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkEventController *enter = gtk_shortcut_controller_new ();
  GtkShortcutController *k = GTK_SHORTCUT_CONTROLLER (keys);

  self->view = g_strdup ("week");
  self->zone = tf_session_dup_time_zone (self->session);
  self->selected = today (self);

  /* Before the focused block or the scrolled window take them: the
   * arrows and pages move the calendar wherever the focus is in it. */
  gtk_event_controller_set_name (keys, "calendar-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  add_key (k, GDK_KEY_Left, "calendar.move", g_variant_new_int32 (-1));
  add_key (k, GDK_KEY_Right, "calendar.move", g_variant_new_int32 (1));
  add_key (k, GDK_KEY_Up, "calendar.up", NULL);
  add_key (k, GDK_KEY_Down, "calendar.down", NULL);
  add_key (k, GDK_KEY_Page_Up, "calendar.previous", NULL);
  add_key (k, GDK_KEY_Page_Down, "calendar.next", NULL);
  add_key (k, GDK_KEY_t, "calendar.today", NULL);
  add_key (k, GDK_KEY_T, "calendar.today", NULL);
  /* The same key with a Greek keyboard layout: τ. */
  add_key (k, GDK_KEY_Greek_tau, "calendar.today", NULL);
  add_key (k, GDK_KEY_Greek_TAU, "calendar.today", NULL);
  gtk_widget_add_controller (self->calendar, keys);
  /* Enter last: a block with the focus opens itself first. */
  gtk_event_controller_set_name (enter, "calendar-enter");
  add_key (GTK_SHORTCUT_CONTROLLER (enter), GDK_KEY_Return, "calendar.open", NULL);
  add_key (GTK_SHORTCUT_CONTROLLER (enter), GDK_KEY_KP_Enter, "calendar.open", NULL);
  gtk_widget_add_controller (self->calendar, enter);

  g_signal_connect_object (self->day_view, "day-activated", G_CALLBACK (on_day_activated_cb),
                           self, 0);
  g_signal_connect_object (self->week_view, "day-activated", G_CALLBACK (on_day_activated_cb),
                           self, 0);
  g_signal_connect_object (self->month_view, "day-activated", G_CALLBACK (on_day_activated_cb),
                           self, 0);
  g_signal_connect_object (self->day_view, "slot-activated", G_CALLBACK (on_slot_activated_cb),
                           self, 0);
  g_signal_connect_object (self->week_view, "slot-activated", G_CALLBACK (on_slot_activated_cb),
                           self, 0);
  g_signal_connect_object (self->day_view, "appointment-dropped",
                           G_CALLBACK (on_appointment_dropped_cb), self, 0);
  g_signal_connect_object (self->week_view, "appointment-dropped",
                           G_CALLBACK (on_appointment_dropped_cb), self, 0);
}

void
tf_schedule_calendar_dispose (TfSchedulePage *self)
{
  g_clear_object (&self->range);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->selected, g_date_free);
  g_clear_pointer (&self->first, g_date_time_unref);
  g_clear_pointer (&self->view, g_free);
  g_clear_pointer (&self->shown, g_free);
}
