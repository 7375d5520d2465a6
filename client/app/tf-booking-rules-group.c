/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-rules-group.c: the Booking Rules group
 * (tf-booking-rules-group.h); the rows are the template
 * tf-booking-rules-group.ui.  An empty row means no rule: no notice of the
 * therapist's own (the server's then), no time between sessions, no limit
 * ahead, no template, no address.
 */
#define G_LOG_DOMAIN "tf-schedule"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tf-booking.h"
#include "tf-booking-rules-group.h"
#include "tf-form.h"

struct _TfBookingRulesGroup
{
  AdwPreferencesGroup parent_instance;
  TfSession          *session;

  /* template (tf-booking-rules-group.ui) */
  GtkWidget          *notice_row;
  GtkWidget          *buffer_row;
  GtkWidget          *ahead_row;
  GtkWidget          *template_row;
  GtkWidget          *address_row;
  GtkWidget          *error;
};

G_DEFINE_FINAL_TYPE (TfBookingRulesGroup, tf_booking_rules_group, ADW_TYPE_PREFERENCES_GROUP)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_problem (TfBookingRulesGroup *self, const char *problem)
{
  gtk_label_set_text (GTK_LABEL (self->error), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->error, problem != NULL);
}

/* The whole number in @row, @empty when it is empty; FALSE when it is
 * none. */
static gboolean
read_number (GtkWidget *row, int empty, int *out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  char *end = NULL;
  long value;

  if (*text == '\0')
    {
      *out = empty;
      return TRUE;
    }
  value = strtol (text, &end, 10);
  if (end == NULL || *end != '\0' || value < 0 || value > G_MAXINT)
    return FALSE;
  *out = (int) value;
  return TRUE;
}

static void
on_save_clicked_cb (TfBookingRulesGroup *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GError) error = NULL;
  TfBookingRules rules;

  if (vault == NULL)
    return;
  if (!read_number (self->notice_row, -1, &rules.min_notice_minutes) ||
      !read_number (self->buffer_row, 0, &rules.buffer_minutes) ||
      !read_number (self->ahead_row, 0, &rules.max_days_ahead))
    {
      set_problem (self, _("Write whole numbers of minutes and days, or leave a row empty"));
      g_signal_emit (self, signals[FAILED], 0, _("The booking rules were not saved"));
      return;
    }
  if (!tf_booking_set_practice (vault, &rules,
                                gtk_editable_get_text (GTK_EDITABLE (self->template_row)),
                                gtk_editable_get_text (GTK_EDITABLE (self->address_row)),
                                &error))
    {
      set_problem (self, error->message);
      g_signal_emit (self, signals[FAILED], 0, _("The booking rules were not saved"));
      return;
    }
  set_problem (self, NULL);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Booking rules saved"));
}

static void
tf_booking_rules_group_dispose (GObject *object)
{
  g_clear_object (&TF_BOOKING_RULES_GROUP (object)->session);
  G_OBJECT_CLASS (tf_booking_rules_group_parent_class)->dispose (object);
}

static void
tf_booking_rules_group_class_init (TfBookingRulesGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_booking_rules_group_dispose;
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-booking-rules-group.ui");
#define BIND(child) \
  gtk_widget_class_bind_template_child (widget_class, TfBookingRulesGroup, child)
  BIND (notice_row);
  BIND (buffer_row);
  BIND (ahead_row);
  BIND (template_row);
  BIND (address_row);
  BIND (error);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
}

static void
tf_booking_rules_group_init (TfBookingRulesGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
set_number (GtkWidget *row, int value, gboolean shown)
{
  g_autofree char *text = shown ? g_strdup_printf ("%d", value) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

void
tf_booking_rules_group_reload (TfBookingRulesGroup *self)
{
  TfVault *vault;
  g_autoptr(JsonObject) practice = NULL;
  TfBookingRules rules;
  const char *t = NULL, *a = NULL;

  g_return_if_fail (TF_IS_BOOKING_RULES_GROUP (self));

  vault = tf_session_get_vault (self->session);
  if (vault == NULL)
    return;
  practice = tf_booking_dup_practice (vault, tf_vault_get_user_id (vault), &rules);
  if (practice != NULL)
    {
      t = tf_json_get_string (practice, "meeting_url_template");
      a = tf_json_get_string (practice, "practice_address");
    }
  set_number (self->notice_row, rules.min_notice_minutes, rules.min_notice_minutes >= 0);
  set_number (self->buffer_row, rules.buffer_minutes, rules.buffer_minutes > 0);
  set_number (self->ahead_row, rules.max_days_ahead, rules.max_days_ahead > 0);
  gtk_editable_set_text (GTK_EDITABLE (self->template_row), t != NULL ? t : "");
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), a != NULL ? a : "");
  set_problem (self, NULL);
}

GtkWidget *
tf_booking_rules_group_new (TfSession *session)
{
  TfBookingRulesGroup *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);

  self = g_object_new (TF_TYPE_BOOKING_RULES_GROUP, NULL);
  self->session = g_object_ref (session);
  tf_booking_rules_group_reload (self);
  return GTK_WIDGET (self);
}
