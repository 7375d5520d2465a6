/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-service-row.c: a service and the therapist's offer of it (template
 * tf-service-row.ui).  The row knows what is typed and whether the person
 * changed it; whether a price or a length is right, and storing them, is
 * the services editor's (tf-services-editor.c, by client/core/tf-booking's
 * rules).  A price typed for a service never offered turns the switch on:
 * typing a price means offering it, saved with Save, not at once.
 */
#define G_LOG_DOMAIN "tf-services"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tf-service-row.h"

struct _TfServiceRow
{
  AdwExpanderRow  parent_instance;
  char           *service_id;
  char           *name;       /* as shown (translated by type) */
  gboolean        had_offer;  /* a therapist_services row exists */
  gboolean        dirty;      /* changed since shown or saved */
  gboolean        loading;    /* filling the widgets: not an edit */

  /* template */
  GtkWidget      *about_row;  /* a service without a kind explains itself */
  GtkLabel       *about;
  GtkSwitch      *offered;
  GtkEditable    *price;      /* euros */
  GtkEditable    *duration;   /* minutes */
  GtkLabel       *error;      /* why Save refused */
  GtkWidget      *save;
};

G_DEFINE_FINAL_TYPE (TfServiceRow, tf_service_row, ADW_TYPE_EXPANDER_ROW)

enum { SAVE, OFFERED_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* A stored price as typed here: "60.00", or "60,00" where the decimal
 * point is a comma (tf_booking_parse_price reads both). */
static char *
editable_price (const char *stored)
{
  char *text = g_strdup (stored != NULL ? stored : "");
  const char *point = localeconv ()->decimal_point;
  char *dot = strchr (text, '.');

  if (dot != NULL && point != NULL && point[0] != '\0' && point[1] == '\0')
    *dot = point[0];
  return text;
}

/* "€60.00 · 50 min" or "Not offered". */
static void
update_subtitle (TfServiceRow *self, JsonObject *offer)
{
  g_autofree char *price = NULL, *text = NULL;

  if (offer == NULL || !json_object_get_boolean_member_with_default (offer, "is_available", TRUE))
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("Not offered"));
      return;
    }
  price = tf_booking_format_price (tf_json_get_string (offer, "price"));
  text = g_strdup_printf (_("%s · %d min"), price,
                          (int) json_object_get_int_member_with_default (
                            offer, "duration", TF_BOOKING_DEFAULT_DURATION));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), text);
}

static void
on_duration_changed_cb (TfServiceRow *self)
{
  if (!self->loading)
    self->dirty = TRUE;
}

static void
on_price_changed_cb (TfServiceRow *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  if (!self->had_offer && *gtk_editable_get_text (self->price) != '\0')
    {
      /* Not a tap on the switch: the price is saved with Save, once typed. */
      self->loading = TRUE;
      gtk_switch_set_active (self->offered, TRUE);
      self->loading = FALSE;
    }
}

static void
on_offered_changed_cb (TfServiceRow *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  g_signal_emit (self, signals[OFFERED_CHANGED], 0);
}

static void
on_save_cb (TfServiceRow *self)
{
  g_signal_emit (self, signals[SAVE], 0);
}

static void
tf_service_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_SERVICE_ROW);
  G_OBJECT_CLASS (tf_service_row_parent_class)->dispose (object);
}

static void
tf_service_row_finalize (GObject *object)
{
  TfServiceRow *self = TF_SERVICE_ROW (object);

  g_free (self->service_id);
  g_free (self->name);
  G_OBJECT_CLASS (tf_service_row_parent_class)->finalize (object);
}

static void
tf_service_row_class_init (TfServiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_service_row_dispose;
  object_class->finalize = tf_service_row_finalize;
  signals[SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[OFFERED_CHANGED] = g_signal_new ("offered-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-service-row.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfServiceRow, name)
  BIND (about_row);
  BIND (about);
  BIND (offered);
  BIND (price);
  BIND (duration);
  BIND (error);
  BIND (save);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_duration_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_price_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_offered_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_cb);
}

static void
tf_service_row_init (TfServiceRow *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
}

/* The labels that name the service, for a screen reader. */
static void
label_fields (TfServiceRow *self)
{
  g_autofree char *price = g_strdup_printf (_("Price of %s, in euros"), self->name);
  g_autofree char *duration = g_strdup_printf (_("Length of %s, in minutes"), self->name);
  g_autofree char *offered = g_strdup_printf (_("Offer %s"), self->name);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->price), price);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->price), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  price, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->duration), duration);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->duration),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, duration, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->offered), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  offered, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->save),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->name, -1);
}

GtkWidget *
tf_service_row_new (const TfOffer *offer)
{
  TfServiceRow *self;
  const char *description;
  g_autofree char *price_text = NULL, *duration_text = NULL;
  int duration;

  g_return_val_if_fail (offer != NULL && offer->service != NULL, NULL);

  self = g_object_new (TF_TYPE_SERVICE_ROW, NULL);
  self->service_id = g_strdup (tf_json_get_string (offer->service, "id"));
  self->name = g_strdup (tf_booking_service_name (offer->service));
  self->had_offer = offer->offer != NULL;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), self->name);
  update_subtitle (self, offer->offer);
  label_fields (self);

  /* A service of the practice's own, without a kind, explains itself. */
  description = tf_json_get_string (offer->service, "description");
  if (tf_json_get_string (offer->service, "service_type") == NULL && description != NULL)
    {
      gtk_label_set_text (self->about, description);
      gtk_widget_set_visible (self->about_row, TRUE);
    }

  /* The stored offer, or the service's own length for a new one. */
  if (offer->offer != NULL)
    {
      price_text = editable_price (tf_json_get_string (offer->offer, "price"));
      duration = (int) json_object_get_int_member_with_default (offer->offer, "duration",
                                                                TF_BOOKING_DEFAULT_DURATION);
    }
  else
    duration = (int) json_object_get_int_member_with_default (offer->service, "default_duration",
                                                              TF_BOOKING_DEFAULT_DURATION);
  duration_text = g_strdup_printf ("%d", duration);
  self->loading = TRUE;
  gtk_switch_set_active (self->offered, tf_offer_is_offered (offer));
  gtk_editable_set_text (self->price, price_text != NULL ? price_text : "");
  gtk_editable_set_text (self->duration, duration_text);
  self->loading = FALSE;
  return GTK_WIDGET (self);
}

const char *
tf_service_row_get_service_id (TfServiceRow *self)
{
  g_return_val_if_fail (TF_IS_SERVICE_ROW (self), NULL);

  return self->service_id;
}

const char *
tf_service_row_get_name (TfServiceRow *self)
{
  g_return_val_if_fail (TF_IS_SERVICE_ROW (self), NULL);

  return self->name;
}

gboolean
tf_service_row_get_offered (TfServiceRow *self)
{
  g_return_val_if_fail (TF_IS_SERVICE_ROW (self), FALSE);

  return gtk_switch_get_active (self->offered);
}

const char *
tf_service_row_get_price (TfServiceRow *self)
{
  g_return_val_if_fail (TF_IS_SERVICE_ROW (self), NULL);

  return gtk_editable_get_text (self->price);
}

const char *
tf_service_row_get_duration (TfServiceRow *self)
{
  g_return_val_if_fail (TF_IS_SERVICE_ROW (self), NULL);

  return gtk_editable_get_text (self->duration);
}

gboolean
tf_service_row_get_dirty (TfServiceRow *self)
{
  g_return_val_if_fail (TF_IS_SERVICE_ROW (self), FALSE);

  return self->dirty;
}

void
tf_service_row_restore (TfServiceRow *self, gboolean offered, const char *price,
                        const char *duration)
{
  g_return_if_fail (TF_IS_SERVICE_ROW (self));

  self->loading = TRUE;
  gtk_switch_set_active (self->offered, offered);
  gtk_editable_set_text (self->price, price != NULL ? price : "");
  gtk_editable_set_text (self->duration, duration != NULL ? duration : "");
  self->loading = FALSE;
  self->dirty = TRUE;
}

static void
name_part (gpointer widget, const char *what, const char *key)
{
  g_autofree char *name = g_strdup_printf ("service-%s-%s", what, key);

  gtk_widget_set_name (GTK_WIDGET (widget), name);
}

void
tf_service_row_set_names (TfServiceRow *self, const char *key)
{
  g_autofree char *name = NULL;

  g_return_if_fail (TF_IS_SERVICE_ROW (self));
  g_return_if_fail (key != NULL);

  name = g_strconcat ("service-", key, NULL);
  gtk_widget_set_name (GTK_WIDGET (self), name);
  name_part (self->offered, "offered", key);
  name_part (self->price, "price", key);
  name_part (self->duration, "duration", key);
  name_part (self->save, "save", key);
  name_part (self->error, "error", key);
}

void
tf_service_row_show_error (TfServiceRow *self, const char *message, gboolean price,
                           gboolean duration)
{
  g_return_if_fail (TF_IS_SERVICE_ROW (self));

  gtk_widget_remove_css_class (GTK_WIDGET (self->price), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->duration), "error");
  if (price)
    gtk_widget_add_css_class (GTK_WIDGET (self->price), "error");
  if (duration)
    gtk_widget_add_css_class (GTK_WIDGET (self->duration), "error");
  gtk_label_set_text (self->error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error), message != NULL);
  if (message != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
}

void
tf_service_row_set_saved (TfServiceRow *self)
{
  g_return_if_fail (TF_IS_SERVICE_ROW (self));

  self->dirty = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->error), FALSE);
}
