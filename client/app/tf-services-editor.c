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
 * rows is the template tf-services-editor.ui, each row a TfServiceRow.
 */
#define G_LOG_DOMAIN "tf-services"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-booking.h"
#include "tf-form.h"
#include "tf-service-row.h"
#include "tf-services-editor.h"

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
  GPtrArray    *rows;      /* TfServiceRow, in the order shown */

  /* template */
  GtkWidget    *stack;     /* "list" or "empty"; the only child */
  GtkWidget    *list;      /* GtkListBox of the services' expander rows */
  GtkWidget    *empty;     /* AdwStatusPage "services-empty" */
};

G_DEFINE_FINAL_TYPE (TfServicesEditor, tf_services_editor, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
draft_free (gpointer data)
{
  Draft *draft = data;

  g_free (draft->price);
  g_free (draft->duration);
  g_free (draft);
}

static void
show_row_error (TfServicesEditor *self, TfServiceRow *row, const char *message,
                gboolean price, gboolean duration)
{
  g_autofree char *full = g_strdup_printf (_("%s: %s"), tf_service_row_get_name (row), message);

  tf_service_row_show_error (row, message, price, duration);
  g_signal_emit (self, signals[FAILED], 0, full);
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
save_row (TfServicesEditor *self, TfServiceRow *row)
{
  /* Storing it may rebuild the list (the store changed): @row stays ours. */
  g_autoptr(TfServiceRow) keep = g_object_ref (row);
  const char *price = tf_service_row_get_price (row);
  const char *duration_text = tf_service_row_get_duration (row);
  gboolean offered = tf_service_row_get_offered (row);
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  int duration = parse_minutes (duration_text);

  tf_service_row_show_error (row, NULL, FALSE, FALSE);
  /* The price first, as the rules read it, then the length. */
  {
    g_autofree char *checked = tf_booking_parse_price (price, &error);

    if (checked == NULL)
      {
        show_row_error (self, row, error->message, TRUE, FALSE);
        return FALSE;
      }
  }
  if (duration < 0)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a number of minutes"),
                                                  g_strstrip (g_strdup (duration_text)));

      show_row_error (self, row, message, FALSE, TRUE);
      return FALSE;
    }
  if (!tf_booking_set_offer (tf_session_get_vault (self->session),
                             tf_service_row_get_service_id (row), price, duration, offered,
                             &error))
    {
      show_row_error (self, row, error->message, FALSE,
                      g_error_matches (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID));
      return FALSE;
    }
  tf_service_row_set_saved (row);
  tf_session_sync (self->session);
  done = g_strdup_printf (_("%s saved"), tf_service_row_get_name (row));
  g_signal_emit (self, signals[SAVED], 0, done);
  return TRUE;
}

static void
on_row_save_cb (TfServiceRow *row, TfServicesEditor *self)
{
  save_row (self, row);
}

/* Offering a service or no longer is one tap, saved at once: a switch that
 * waited for Save was lost, unsaid, when the therapist went back.  A price
 * or a length being typed is saved with it. */
static void
on_row_offered_changed_cb (TfServiceRow *row, TfServicesEditor *self)
{
  save_row (self, row);
}

static GtkWidget *
create_row (TfServicesEditor *self, const TfOffer *offer, Draft *draft)
{
  GtkWidget *row = tf_service_row_new (offer);
  const char *type = tf_json_get_string (offer->service, "service_type");

  /* The widgets' names: "individual" for a typed service, else its id. */
  tf_service_row_set_names (TF_SERVICE_ROW (row),
                            type != NULL ? type : tf_json_get_string (offer->service, "id"));
  if (draft != NULL && draft->dirty)
    tf_service_row_restore (TF_SERVICE_ROW (row), draft->offered, draft->price,
                            draft->duration);
  if (draft != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), draft->expanded);
  g_signal_connect_object (row, "save", G_CALLBACK (on_row_save_cb), self, 0);
  g_signal_connect_object (row, "offered-changed", G_CALLBACK (on_row_offered_changed_cb), self,
                           0);
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
      TfServiceRow *row = g_ptr_array_index (self->rows, i);
      Draft *draft = g_new0 (Draft, 1);

      draft->expanded = adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row));
      draft->dirty = keep_drafts && tf_service_row_get_dirty (row);
      draft->offered = tf_service_row_get_offered (row);
      draft->price = g_strdup (tf_service_row_get_price (row));
      draft->duration = g_strdup (tf_service_row_get_duration (row));
      g_hash_table_insert (drafts, g_strdup (tf_service_row_get_service_id (row)), draft);
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
      GtkWidget *row = create_row (self, offer,
                                   g_hash_table_lookup (drafts,
                                                        tf_json_get_string (offer->service,
                                                                            "id")));

      g_ptr_array_add (self->rows, g_object_ref (row));
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
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
      TfServiceRow *row = g_ptr_array_index (self->rows, i);

      if (tf_service_row_get_dirty (row))
        g_ptr_array_add (pending, g_strdup (tf_service_row_get_service_id (row)));
    }
  /* By id: a save may rebuild the rows (the store changed), drafts kept. */
  for (guint i = 0; i < pending->len; i++)
    for (guint j = 0; j < self->rows->len; j++)
      {
        TfServiceRow *row = g_ptr_array_index (self->rows, j);

        if (g_strcmp0 (tf_service_row_get_service_id (row), g_ptr_array_index (pending, i)) == 0)
          {
            if (tf_service_row_get_dirty (row) && !save_row (self, row))
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
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_services_editor_new (TfSession *session)
{
  TfServicesEditor *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);

  self = g_object_new (TF_TYPE_SERVICES_EDITOR, NULL);
  self->session = g_object_ref (session);
  self->services = tf_session_dup_services (session);
  self->offers = tf_session_dup_offers (session);
  g_signal_connect_object (self->services, "items-changed", G_CALLBACK (on_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->offers, "items-changed", G_CALLBACK (on_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  rebuild (self, FALSE);
  return GTK_WIDGET (self);
}
