/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-services-editor.c: the signed-in therapist's services and prices.
 *
 * The catalogue is the practice's (table services, written by
 * administrators, seeded by sql/postgres/0005-services.sql); a therapist
 * only says, per service, whether they offer it, its price in euros and its
 * length in minutes (therapist_services).  Each service is one expander row
 * saved on its own, so a mistake in one price never holds back another; the
 * "offered" switch saves its row at once, a price or length with Save or
 * on leaving the list (tf_services_editor_save_pending): one typed and not
 * saved was lost, unsaid, when the therapist went back.
 *
 * The rules (a price is a non-negative amount with at most two decimals, a
 * length 1 … 1440 minutes, one row per therapist and service) are in
 * client/core/tf-booking, shared with the CLI; this file only reads what is
 * typed, says what was refused and keeps it.  The list follows the store:
 * when a sync brings the catalogue or another device changes a price, it is
 * rebuilt, and a row being edited keeps its draft.  The page around the
 * rows is the template tf-services-editor.ui.
 */
#define G_LOG_DOMAIN "tf-services"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tf-booking.h"
#include "tf-form.h"
#include "tf-services-editor.h"

/* One service of the catalogue and the widgets of its offer. */
typedef struct
{
  TfServicesEditor *editor;
  char             *service_id;
  char             *name;       /* as shown (translated by type) */
  gboolean          had_offer;  /* a therapist_services row exists */
  gboolean          dirty;      /* changed since loaded or saved */
  GtkWidget        *expander;
  GtkWidget        *offered;    /* GtkSwitch */
  GtkWidget        *price;      /* GtkEntry, euros */
  GtkWidget        *duration;   /* GtkEntry, minutes */
  GtkWidget        *error;      /* GtkLabel: why Save refused */
} ServiceRow;

/* What was typed in a row, kept across a rebuild. */
typedef struct
{
  char     *price;
  char     *duration;
  gboolean  offered;
  gboolean  expanded;
  gboolean  dirty;
} Draft;

struct _TfServicesEditor
{
  GtkWidget     parent_instance;
  TfSession    *session;
  TfRepository *services;  /* the catalogue, live */
  TfRepository *offers;    /* this therapist's therapist_services, live */
  GPtrArray    *rows;      /* ServiceRow*, in the order shown */
  gboolean      loading;   /* filling widgets: not an edit */

  /* template */
  GtkWidget    *stack;     /* "list" or "empty"; the only child */
  GtkWidget    *list;      /* GtkListBox of the services' expander rows */
  GtkWidget    *empty;     /* AdwStatusPage "services-empty" */
};

G_DEFINE_FINAL_TYPE (TfServicesEditor, tf_services_editor, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
service_row_free (gpointer data)
{
  ServiceRow *row = data;

  g_free (row->service_id);
  g_free (row->name);
  g_free (row);
}

static void
draft_free (gpointer data)
{
  Draft *draft = data;

  g_free (draft->price);
  g_free (draft->duration);
  g_free (draft);
}

/* "individual" for a typed service, else its id: the widgets' names. */
static const char *
row_key (JsonObject *service)
{
  const char *type = tf_json_get_string (service, "service_type");

  return type != NULL ? type : tf_json_get_string (service, "id");
}

static char *
widget_name (const char *what, const char *key)
{
  return g_strdup_printf ("service-%s%s%s", what, *what != '\0' ? "-" : "", key);
}

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
update_subtitle (ServiceRow *row, JsonObject *offer)
{
  g_autofree char *price = NULL, *text = NULL;

  if (offer == NULL || !json_object_get_boolean_member_with_default (offer, "is_available", TRUE))
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->expander), _("Not offered"));
      return;
    }
  price = tf_booking_format_price (tf_json_get_string (offer, "price"));
  text = g_strdup_printf (_("%s · %d min"), price,
                          (int) json_object_get_int_member_with_default (
                            offer, "duration", TF_BOOKING_DEFAULT_DURATION));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->expander), text);
}

static void
on_edited_cb (ServiceRow *row)
{
  if (!row->editor->loading)
    row->dirty = TRUE;
}

/* A price typed for a service never offered means offering it. */
static void
on_price_changed_cb (GtkEditable *price, ServiceRow *row)
{
  if (row->editor->loading)
    return;
  row->dirty = TRUE;
  if (!row->had_offer && *gtk_editable_get_text (price) != '\0')
    {
      /* Not a tap on the switch: the price is saved with Save, once typed. */
      row->editor->loading = TRUE;
      gtk_switch_set_active (GTK_SWITCH (row->offered), TRUE);
      row->editor->loading = FALSE;
    }
}

static void
show_row_error (ServiceRow *row, const char *message)
{
  g_autofree char *full = g_strdup_printf (_("%s: %s"), row->name, message);

  gtk_label_set_text (GTK_LABEL (row->error), message);
  gtk_widget_set_visible (row->error, TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row->expander), TRUE);
  g_signal_emit (row->editor, signals[FAILED], 0, full);
}

/* Whole minutes as typed, or -1. */
static int
parse_minutes (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  gsize len = strlen (copy);

  if (len == 0 || len > 6 || strspn (copy, "0123456789") != len)
    return -1;
  return (int) g_ascii_strtoll (copy, NULL, 10);
}

/* Checks and stores what @row shows; says what was refused next to it. */
static gboolean
save_row (ServiceRow *row)
{
  TfServicesEditor *self = row->editor;
  const char *price = gtk_editable_get_text (GTK_EDITABLE (row->price));
  const char *duration_text = gtk_editable_get_text (GTK_EDITABLE (row->duration));
  gboolean offered = gtk_switch_get_active (GTK_SWITCH (row->offered));
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  int duration = parse_minutes (duration_text);

  gtk_widget_remove_css_class (row->price, "error");
  gtk_widget_remove_css_class (row->duration, "error");
  /* The price first, as the rules read it, then the length. */
  {
    g_autofree char *checked = tf_booking_parse_price (price, &error);

    if (checked == NULL)
      {
        gtk_widget_add_css_class (row->price, "error");
        show_row_error (row, error->message);
        return FALSE;
      }
  }
  if (duration < 0)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a number of minutes"),
                                                  g_strstrip (g_strdup (duration_text)));

      gtk_widget_add_css_class (row->duration, "error");
      show_row_error (row, message);
      return FALSE;
    }
  if (!tf_booking_set_offer (tf_session_get_vault (self->session), row->service_id, price,
                             duration, offered, &error))
    {
      if (g_error_matches (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID))
        gtk_widget_add_css_class (row->duration, "error");
      show_row_error (row, error->message);
      return FALSE;
    }
  row->dirty = FALSE;
  gtk_widget_set_visible (row->error, FALSE);
  tf_session_sync (self->session);
  done = g_strdup_printf (_("%s saved"), row->name);
  g_signal_emit (self, signals[SAVED], 0, done);
  return TRUE;
}

static void
on_save_clicked_cb (GtkButton *button, ServiceRow *row)
{
  save_row (row);
}

/* Offering a service or no longer is one tap, saved at once: a switch that
 * waited for Save was lost, unsaid, when the therapist went back.  A price
 * or a length being typed is saved with it. */
static void
on_offered_changed_cb (ServiceRow *row)
{
  if (row->editor->loading)
    return;
  row->dirty = TRUE;
  save_row (row);
}

static GtkWidget *
field_entry (const char *name, const char *label, int width)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_widget_set_name (entry, name);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), width);
  gtk_editable_set_alignment (GTK_EDITABLE (entry), 1.0);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (entry, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return entry;
}

static GtkWidget *
field_row (const char *title, GtkWidget *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), suffix);
  return row;
}

static ServiceRow *
create_row (TfServicesEditor *self, const TfOffer *offer, Draft *draft)
{
  ServiceRow *row = g_new0 (ServiceRow, 1);
  const char *key = row_key (offer->service);
  const char *description = tf_json_get_string (offer->service, "description");
  g_autofree char *expander_name = widget_name ("", key);
  g_autofree char *offered_name = widget_name ("offered", key);
  g_autofree char *price_name = widget_name ("price", key);
  g_autofree char *duration_name = widget_name ("duration", key);
  g_autofree char *save_name = widget_name ("save", key);
  g_autofree char *error_name = widget_name ("error", key);
  g_autofree char *price_label = NULL, *duration_label = NULL, *offered_label = NULL;
  g_autofree char *price_text = NULL, *duration_text = NULL;
  GtkWidget *save, *footer, *footer_row;
  int duration;

  row->editor = self;
  row->service_id = g_strdup (tf_json_get_string (offer->service, "id"));
  row->name = g_strdup (tf_booking_service_name (offer->service));
  row->had_offer = offer->offer != NULL;
  price_label = g_strdup_printf (_("Price of %s, in euros"), row->name);
  duration_label = g_strdup_printf (_("Length of %s, in minutes"), row->name);
  offered_label = g_strdup_printf (_("Offer %s"), row->name);

  row->expander = adw_expander_row_new ();
  gtk_widget_set_name (row->expander, expander_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->expander), row->name);
  update_subtitle (row, offer->offer);

  /* A service of the practice's own, without a kind, explains itself. */
  if (tf_json_get_string (offer->service, "service_type") == NULL && description != NULL)
    {
      GtkWidget *about = gtk_label_new (description);

      gtk_label_set_wrap (GTK_LABEL (about), TRUE);
      gtk_label_set_xalign (GTK_LABEL (about), 0);
      gtk_widget_add_css_class (about, "dim-label");
      gtk_widget_set_margin_start (about, 12);
      gtk_widget_set_margin_end (about, 12);
      gtk_widget_set_margin_top (about, 8);
      gtk_widget_set_margin_bottom (about, 8);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander), about);
    }

  row->offered = gtk_switch_new ();
  gtk_widget_set_name (row->offered, offered_name);
  gtk_widget_set_valign (row->offered, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->offered), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  offered_label, -1);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander),
                            field_row (_("Offered to clients"), row->offered));

  row->price = field_entry (price_name, price_label, 8);
  gtk_entry_set_placeholder_text (GTK_ENTRY (row->price), "60.00");
  gtk_entry_set_input_purpose (GTK_ENTRY (row->price), GTK_INPUT_PURPOSE_NUMBER);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander),
                            field_row (_("Price (€)"), row->price));

  row->duration = field_entry (duration_name, duration_label, 5);
  gtk_entry_set_input_purpose (GTK_ENTRY (row->duration), GTK_INPUT_PURPOSE_DIGITS);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander),
                            field_row (_("Length (minutes)"), row->duration));

  /* Why Save refused, right above it. */
  footer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  row->error = tf_form_error_label_new (error_name, NULL);
  save = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (save, save_name);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_halign (save, GTK_ALIGN_END);
  gtk_accessible_update_property (GTK_ACCESSIBLE (save), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  row->name, -1);
  gtk_box_append (GTK_BOX (footer), row->error);
  gtk_box_append (GTK_BOX (footer), save);
  gtk_widget_set_margin_start (footer, 12);
  gtk_widget_set_margin_end (footer, 12);
  gtk_widget_set_margin_top (footer, 6);
  gtk_widget_set_margin_bottom (footer, 6);
  footer_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (footer_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (footer_row), footer);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander), footer_row);

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
  gtk_switch_set_active (GTK_SWITCH (row->offered), tf_offer_is_offered (offer));
  gtk_editable_set_text (GTK_EDITABLE (row->price), price_text != NULL ? price_text : "");
  gtk_editable_set_text (GTK_EDITABLE (row->duration), duration_text);
  if (draft != NULL && draft->dirty)
    {
      gtk_switch_set_active (GTK_SWITCH (row->offered), draft->offered);
      gtk_editable_set_text (GTK_EDITABLE (row->price), draft->price);
      gtk_editable_set_text (GTK_EDITABLE (row->duration), draft->duration);
      row->dirty = TRUE;
    }
  if (draft != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row->expander), draft->expanded);
  self->loading = FALSE;

  g_signal_connect_swapped (row->offered, "notify::active", G_CALLBACK (on_offered_changed_cb),
                            row);
  g_signal_connect (row->price, "changed", G_CALLBACK (on_price_changed_cb), row);
  g_signal_connect_swapped (row->duration, "changed", G_CALLBACK (on_edited_cb), row);
  g_signal_connect (save, "clicked", G_CALLBACK (on_save_clicked_cb), row);
  g_signal_connect_swapped (row->price, "activate", G_CALLBACK (gtk_widget_activate), save);
  g_signal_connect_swapped (row->duration, "activate", G_CALLBACK (gtk_widget_activate), save);
  return row;
}

/* --- the list ------------------------------------------------------------- */

static void
rebuild (TfServicesEditor *self, gboolean keep_drafts)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GHashTable) drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        draft_free);
  g_autoptr(GPtrArray) offers = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  for (guint i = 0; i < self->rows->len; i++)
    {
      ServiceRow *row = g_ptr_array_index (self->rows, i);
      Draft *draft = g_new0 (Draft, 1);

      draft->expanded = adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row->expander));
      draft->dirty = keep_drafts && row->dirty;
      draft->offered = gtk_switch_get_active (GTK_SWITCH (row->offered));
      draft->price = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->price)));
      draft->duration = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->duration)));
      g_hash_table_insert (drafts, g_strdup (row->service_id), draft);
    }
  g_ptr_array_set_size (self->rows, 0);
  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);

  offers = tf_booking_list_offers (vault, tf_vault_get_user_id (vault), &error);
  if (offers == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The services could not be read: %s"),
                                                  error->message);
      g_signal_emit (self, signals[FAILED], 0, message);
      offers = g_ptr_array_new ();
    }
  for (guint i = 0; i < offers->len; i++)
    {
      TfOffer *offer = g_ptr_array_index (offers, i);
      ServiceRow *row = create_row (self, offer,
                                    g_hash_table_lookup (drafts,
                                                         tf_json_get_string (offer->service,
                                                                             "id")));

      g_ptr_array_add (self->rows, row);
      gtk_list_box_append (GTK_LIST_BOX (self->list), row->expander);
    }

  /* No catalogue: say why, in the words that fit this profile. */
  if (tf_session_get_sync_state (self->session) == TF_SYNC_STATE_LOCAL_ONLY)
    adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                     _("The list of services comes from your practice’s "
                                       "server. This profile is on this computer only, so "
                                       "there are no services to price yet."));
  else
    adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                     _("The list of services comes from your practice’s "
                                       "server and has not reached this device yet. It "
                                       "arrives with the next sync."));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), offers->len > 0 ? "list" : "empty");
}

static void
on_store_changed_cb (TfServicesEditor *self)
{
  rebuild (self, TRUE);
}

gboolean
tf_services_editor_save_pending (TfServicesEditor *self)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  gboolean all = TRUE;

  g_return_val_if_fail (TF_IS_SERVICES_EDITOR (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      ServiceRow *row = g_ptr_array_index (self->rows, i);

      if (row->dirty)
        g_ptr_array_add (pending, g_strdup (row->service_id));
    }
  /* By id: a save may rebuild the rows (the store changed), drafts kept. */
  for (guint i = 0; i < pending->len; i++)
    for (guint j = 0; j < self->rows->len; j++)
      {
        ServiceRow *row = g_ptr_array_index (self->rows, j);

        if (g_strcmp0 (row->service_id, g_ptr_array_index (pending, i)) == 0)
          {
            if (row->dirty && !save_row (row))
              all = FALSE;
            break;
          }
      }
  return all;
}

void
tf_services_editor_reload (TfServicesEditor *self)
{
  g_return_if_fail (TF_IS_SERVICES_EDITOR (self));

  rebuild (self, FALSE);
}

/* --- the widget ----------------------------------------------------------- */

static void
tf_services_editor_dispose (GObject *object)
{
  TfServicesEditor *self = TF_SERVICES_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_SERVICES_EDITOR);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->services);
  g_clear_object (&self->offers);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_services_editor_parent_class)->dispose (object);
}

static void
tf_services_editor_class_init (TfServicesEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_services_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-services-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TfServicesEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, TfServicesEditor, list);
  gtk_widget_class_bind_template_child (widget_class, TfServicesEditor, empty);
}

static void
tf_services_editor_init (TfServicesEditor *self)
{
  self->rows = g_ptr_array_new_with_free_func (service_row_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_services_editor_new (TfSession *session)
{
  TfServicesEditor *self;
  TfVault *vault;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);

  self = g_object_new (TF_TYPE_SERVICES_EDITOR, NULL);
  self->session = g_object_ref (session);
  vault = tf_session_get_vault (session);
  self->services = tf_session_dup_records (session, "services", NULL, NULL);
  self->offers = tf_session_dup_records (session, "therapist_services",
                                    "therapist_id", tf_vault_get_user_id (vault));
  g_signal_connect_object (self->services, "items-changed", G_CALLBACK (on_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->offers, "items-changed", G_CALLBACK (on_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  rebuild (self, FALSE);
  return GTK_WIDGET (self);
}
