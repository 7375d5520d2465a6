/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-intake-form.c: a client's intake, for their therapist.
 *
 * client_intakes holds one record per client (keyed by client_id) that the
 * client and their therapist may both write.  The emergency contact and
 * whether there was previous therapy are plain columns; the medical
 * conditions, current medications and allergies (JSON lists) and the
 * details of previous therapy are encrypted.  The lists are edited as one
 * item per line and stored as arrays of strings; a list whose text was not
 * touched is written back exactly as it was stored, so items another
 * device stored in a richer form ({"name": ..., "dose": ...}) survive a
 * save of the contact's phone.
 *
 * The phone is checked as the registry checks it (tf_validate_phone)
 * before anything is written, and every refusal is said next to the
 * fields, with the typed text left in place.  An intake this account
 * cannot open — the client wrote it, and its data key is theirs alone — is
 * shown for what can be read, said plainly, and never overwritten.
 */
#define G_LOG_DOMAIN "tf-intake-form"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-intake-form.h"
#include "tf-time.h"
#include "tf-validate.h"

/* The three encrypted lists, edited one item per line. */
static const struct
{
  const char *column;
  const char *name;   /* widget name */
  const char *label;
} lists[] = {
  { "medical_conditions", "intake-conditions", N_("Medical Conditions") },
  { "current_medications", "intake-medications", N_("Current Medications") },
  { "allergies", "intake-allergies", N_("Allergies") },
};

#define N_LISTS G_N_ELEMENTS (lists)

struct _TfIntakeForm
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;
  TfRepository *intakes;           /* the record of client_id (zero or one), live */
  char         *shown[N_LISTS];    /* each list's text as last filled */
  gboolean      dirty;             /* typed since the last load or save */
  gboolean      filling;           /* the form itself is setting the fields */
  gboolean      unreadable;        /* a record exists that this account cannot open */

  GtkWidget    *page;              /* everything editable */
  GtkWidget    *save;
  GtkLabel     *status;
  GtkWidget    *unreadable_label;
  GtkLabel     *error;
  AdwEntryRow  *contact_name;
  AdwEntryRow  *contact_phone;
  AdwEntryRow  *contact_relationship;
  GtkTextView  *list_views[N_LISTS];
  GtkSwitch    *previous_therapy;
  GtkTextView  *previous_details;
};

G_DEFINE_FINAL_TYPE (TfIntakeForm, tf_intake_form, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const TfTable *
intakes_table (void)
{
  return tf_registry_lookup ("client_intakes");
}

static void
tf_intake_form_dispose (GObject *object)
{
  TfIntakeForm *self = TF_INTAKE_FORM (object);

  tf_form_unparent_children (GTK_WIDGET (self));
  for (guint i = 0; i < N_LISTS; i++)
    g_clear_pointer (&self->shown[i], g_free);
  g_clear_object (&self->intakes);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  G_OBJECT_CLASS (tf_intake_form_parent_class)->dispose (object);
}

static void
tf_intake_form_class_init (TfIntakeFormClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tf_intake_form_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
}

/* Says why nothing was saved, next to the fields and to the window. */
static void
fail (TfIntakeForm *self, const char *reason)
{
  g_autofree char *message = g_strdup_printf (_("The intake was not saved: %s"), reason);

  gtk_label_set_text (self->error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error), TRUE);
  g_signal_emit (self, signals[FAILED], 0, message);
}

static void
clear_error (TfIntakeForm *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error), FALSE);
  gtk_label_set_text (self->error, "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->contact_phone), "error");
}

/* --- lists as lines ------------------------------------------------------- */

/* One item of a stored list as a line: a string as it is, an object as
 * its values ("Sertraline, 50 mg"). */
static char *
item_line (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      return json_to_string (node, FALSE);
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      g_autoptr(GString) line = g_string_new (NULL);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (object, l->data);
          g_autofree char *text = NULL;

          if (JSON_NODE_HOLDS_NULL (value))
            continue;
          text = item_line (value);
          if (*text == '\0')
            continue;
          if (line->len > 0)
            g_string_append (line, ", ");
          g_string_append (line, text);
        }
      return g_string_free (g_steal_pointer (&line), FALSE);
    }
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  return json_to_string (node, FALSE);
}

static char *
list_text (JsonObject *plain, const char *column)
{
  JsonNode *node = plain ? json_object_get_member (plain, column) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return item_line (node);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      g_autofree char *line = item_line (json_array_get_element (json_node_get_array (node), i));

      g_strdelimit (line, "\r\n", ' ');
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Lines typed → an array of strings; nothing → null. */
static JsonNode *
list_node (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        json_array_add_string_element (array, lines[i]);
    }
  if (json_array_get_length (array) == 0)
    return json_node_new (JSON_NODE_NULL);
  return json_node_init_array (json_node_alloc (), array);
}

/* --- the fields ----------------------------------------------------------- */

static void
set_entry (AdwEntryRow *row, JsonObject *plain, const char *column)
{
  const char *text = plain ? tf_json_get_string (plain, column) : NULL;

  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
show_saved_at (TfIntakeForm *self, JsonObject *plain)
{
  tf_form_show_saved_at (self->status, plain,
                         _("No intake has been filled in for this client yet."),
                         _("Last updated %s"));
}

/* Fills the fields from the stored record (NULL: none yet). */
static void
fill (TfIntakeForm *self, JsonObject *plain)
{
  const char *details = plain ? tf_json_get_string (plain, "previous_therapy_details") : NULL;

  self->unreadable = plain != NULL &&
                     json_object_get_boolean_member_with_default (plain, "unreadable", FALSE);
  self->filling = TRUE;
  set_entry (self->contact_name, plain, "emergency_contact_name");
  set_entry (self->contact_phone, plain, "emergency_contact_phone");
  set_entry (self->contact_relationship, plain, "emergency_contact_relationship");
  for (guint i = 0; i < N_LISTS; i++)
    {
      g_free (self->shown[i]);
      self->shown[i] = list_text (plain, lists[i].column);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->list_views[i]), self->shown[i],
                                -1);
    }
  gtk_switch_set_active (self->previous_therapy,
                         plain ? json_object_get_boolean_member_with_default (plain,
                                                                              "previous_therapy",
                                                                              FALSE)
                               : FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->previous_details),
                            details != NULL ? details : "", -1);
  self->filling = FALSE;
  self->dirty = FALSE;

  gtk_widget_set_visible (self->unreadable_label, self->unreadable);
  gtk_widget_set_sensitive (self->page, !self->unreadable);
  gtk_widget_set_sensitive (self->save, !self->unreadable);
  show_saved_at (self, plain);
}

static void
on_items_changed_cb (TfIntakeForm *self)
{
  if (!self->dirty)
    fill (self, tf_form_first_plain (self->intakes));
}

static void
on_changed_cb (TfIntakeForm *self)
{
  if (self->filling || self->dirty)
    return;
  self->dirty = TRUE;
  gtk_label_set_text (self->status, _("Unsaved changes"));
}

/* --- saving --------------------------------------------------------------- */

static char *
dup_entry (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Sets @column to @text, or to null when @text is empty. */
static void
set_text_member (JsonObject *plain, const char *column, const char *text)
{
  if (*text != '\0')
    json_object_set_string_member (plain, column, text);
  else
    json_object_set_null_member (plain, column);
}

/* The typed values that the registry would refuse, said in plain words. */
static gboolean
check_fields (TfIntakeForm *self, const char *name, const char *phone, const char *relationship)
{
  g_autoptr(GError) error = NULL;

  if (*phone != '\0' && !tf_validate_phone (phone, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->contact_phone), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->contact_phone));
      fail (self, error->message);
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > 200)
    {
      fail (self, _("the emergency contact’s name is longer than 200 characters"));
      return FALSE;
    }
  if (g_utf8_strlen (relationship, -1) > 100)
    {
      fail (self, _("the relationship to the emergency contact is longer than 100 characters"));
      return FALSE;
    }
  return TRUE;
}

static void
on_save_clicked_cb (TfIntakeForm *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(JsonObject) plain = NULL;
  gboolean is_new = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autofree char *name = dup_entry (self->contact_name);
  g_autofree char *phone = dup_entry (self->contact_phone);
  g_autofree char *relationship = dup_entry (self->contact_relationship);
  g_autofree char *details = g_strstrip (tf_form_dup_text (self->previous_details));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  clear_error (self);
  if (!check_fields (self, name, phone, relationship))
    return;
  if (vault == NULL)
    {
      fail (self, _("the app is locked; unlock it and save again"));
      return;
    }

  /* The newest stored record is the base: a sync may have brought one. */
  plain = tf_form_dup_record_base (vault, intakes_table (), self->client_id, stamp, &is_new,
                                   &error);
  if (plain == NULL)
    {
      fail (self, error->message);
      return;
    }
  if (json_object_get_boolean_member_with_default (plain, "unreadable", FALSE))
    {
      fail (self, _("the stored intake cannot be opened on this device, so it is left as it is"));
      return;
    }

  set_text_member (plain, "emergency_contact_name", name);
  set_text_member (plain, "emergency_contact_phone", phone);
  set_text_member (plain, "emergency_contact_relationship", relationship);
  for (guint i = 0; i < N_LISTS; i++)
    {
      const char *text;

      g_ptr_array_add (texts, tf_form_dup_text (self->list_views[i]));
      text = g_ptr_array_index (texts, i);
      /* Untouched: stored as it was, whatever its form. */
      if (!is_new && g_strcmp0 (text, self->shown[i]) == 0)
        continue;
      json_object_set_member (plain, lists[i].column, list_node (text));
    }
  json_object_set_boolean_member (plain, "previous_therapy",
                                  gtk_switch_get_active (self->previous_therapy));
  set_text_member (plain, "previous_therapy_details", details);
  json_object_set_string_member (plain, "updated_at", stamp);

  if (!tf_vault_put (vault, intakes_table (), self->client_id, plain, &error))
    {
      /* What was typed stays in the fields. */
      fail (self, error->message);
      return;
    }
  for (guint i = 0; i < N_LISTS; i++)
    {
      g_free (self->shown[i]);
      self->shown[i] = g_strdup (g_ptr_array_index (texts, i));
    }
  self->dirty = FALSE;
  show_saved_at (self, plain);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Intake saved"));
}

/* --- building ------------------------------------------------------------- */

static AdwEntryRow *
entry_row (TfIntakeForm *self, GtkWidget *group, const char *name, const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  tf_form_label_accessibly (row, title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
  return ADW_ENTRY_ROW (row);
}

/* A labelled text area, as a child of @group. */
static GtkTextView *
text_area (TfIntakeForm *self, GtkWidget *group, const char *name, const char *title,
           const char *hint)
{
  GtkTextView *view;
  GtkWidget *box = tf_form_text_field_new (name, title, hint, 64, &view);

  gtk_widget_set_margin_top (box, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
  g_signal_connect_object (gtk_text_view_get_buffer (view), "changed",
                           G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
  return view;
}

static void
tf_intake_form_init (TfIntakeForm *self)
{
  GtkWidget *bar;
  GtkWidget *contact = adw_preferences_group_new ();
  GtkWidget *health = adw_preferences_group_new ();
  GtkWidget *therapy = adw_preferences_group_new ();
  GtkWidget *therapy_row = adw_action_row_new ();

  bar = tf_form_save_bar_new ("intake", _("Save the Intake"), &self->status, &self->save);
  self->unreadable_label =
    tf_form_warning_label_new ("intake-unreadable",
                               _("The client wrote this intake on their own account. "
                                 "Its health details are encrypted for them alone "
                                 "and cannot be opened on this device, so it is "
                                 "shown as far as it can be read and left as it "
                                 "is."));

  /* The emergency contact, and the message about what was refused. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (contact), _("Emergency Contact"));
  self->contact_name = entry_row (self, contact, "intake-contact-name", _("Name"));
  self->contact_phone = entry_row (self, contact, "intake-contact-phone", _("Phone"));
  adw_entry_row_set_input_purpose (self->contact_phone, GTK_INPUT_PURPOSE_PHONE);
  self->contact_relationship = entry_row (self, contact, "intake-contact-relationship",
                                          _("Relationship to the Client"));
  self->error = GTK_LABEL (tf_form_error_label_new ("intake-error",
                                                    _("Why the intake was not saved")));
  gtk_widget_set_margin_top (GTK_WIDGET (self->error), 6);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (contact), GTK_WIDGET (self->error));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (health), _("Health"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (health),
                                         _("One item per line. Encrypted: only the client and "
                                           "their therapist can read it."));
  for (guint i = 0; i < N_LISTS; i++)
    self->list_views[i] = text_area (self, health, lists[i].name, _(lists[i].label), NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (therapy), _("Previous Therapy"));
  self->previous_therapy = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_name (GTK_WIDGET (self->previous_therapy), "intake-previous-therapy");
  gtk_widget_set_valign (GTK_WIDGET (self->previous_therapy), GTK_ALIGN_CENTER);
  tf_form_label_accessibly (self->previous_therapy, _("Has been in therapy before"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (therapy_row),
                                 _("Has Been in Therapy Before"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (therapy_row), GTK_WIDGET (self->previous_therapy));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (therapy_row),
                                         GTK_WIDGET (self->previous_therapy));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (therapy), therapy_row);
  self->previous_details = text_area (self, therapy, "intake-previous-details",
                                      _("Details of Previous Therapy"),
                                      _("When, with whom, which approach, how it ended"));
  g_object_bind_property (self->previous_therapy, "active",
                          gtk_widget_get_parent (gtk_widget_get_parent (
                                                   GTK_WIDGET (self->previous_details))),
                          "sensitive", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->previous_therapy, "notify::active", G_CALLBACK (on_changed_cb),
                           self, G_CONNECT_SWAPPED);

  self->page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (self->page, TRUE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (contact));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (health));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (therapy));

  /* The bar stays in sight, as wide as the form below it. */
  tf_form_set_layout (GTK_WIDGET (self), self->page, bar, self->unreadable_label, NULL);

  g_signal_connect_swapped (self->save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  tf_form_add_save_shortcut (GTK_WIDGET (self), self->save);
}

GtkWidget *
tf_intake_form_new (TfSession *session, const char *client_id)
{
  TfIntakeForm *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (TF_TYPE_INTAKE_FORM, NULL);
  self->session = g_object_ref (session);
  self->client_id = g_strdup (client_id);
  self->intakes = tf_repository_new (tf_session_get_vault (session), intakes_table (),
                                     "client_id", client_id);
  g_signal_connect_object (self->intakes, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  tf_form_refresh_on_sync (session, self->intakes);
  fill (self, tf_form_first_plain (self->intakes));
  return GTK_WIDGET (self);
}
