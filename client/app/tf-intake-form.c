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
 *
 * When the session locks (TfSession::locking) with unsaved changes, the
 * fields as typed are kept as a draft (tf-drafts.h) under the client's id;
 * the form made for the client again after the unlock shows them with a
 * notice and Discard.  Saving or discarding removes the draft.
 *
 * The fields are the template tf-intake-form.ui.
 */
#define G_LOG_DOMAIN "tf-intake-form"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-clinical.h"
#include "tf-draft-notice.h"
#include "tf-drafts.h"
#include "tf-form.h"
#include "tf-intake-form.h"
#include "tf-time.h"
#include "tf-validate.h"

/* The three encrypted lists, edited one item per line: the template's
 * medical_conditions_view, current_medications_view and allergies_view. */
static const struct
{
  const char *column;
} lists[] = {
  { "medical_conditions" }, { "current_medications" }, { "allergies" },
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

  GtkTextView  *list_views[N_LISTS]; /* the three below, in the order of lists[] */

  /* template */
  GtkWidget    *layout;            /* the only child */
  GtkWidget    *page;              /* everything editable */
  GtkLabel     *status;
  GtkWidget    *draft_notice;      /* TfDraftNotice: shown with restored changes */
  GtkWidget    *unreadable_label;
  GtkLabel     *error;
  AdwEntryRow  *contact_name;
  AdwEntryRow  *contact_phone;
  AdwEntryRow  *contact_relationship;
  GtkTextView  *medical_conditions_view;
  GtkTextView  *current_medications_view;
  GtkTextView  *allergies_view;
  GtkSwitch    *previous_therapy;
  GtkTextView  *previous_details;
};

#define DRAFT_FORM "client_intakes"

G_DEFINE_FINAL_TYPE (TfIntakeForm, tf_intake_form, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_intake_form_dispose (GObject *object)
{
  TfIntakeForm *self = TF_INTAKE_FORM (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_INTAKE_FORM);
  for (guint i = 0; i < N_LISTS; i++)
    g_clear_pointer (&self->shown[i], g_free);
  g_clear_object (&self->intakes);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  G_OBJECT_CLASS (tf_intake_form_parent_class)->dispose (object);
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.save", !self->unreadable);
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

/* --- drafts through a lock ------------------------------------------------ */

/* The plain text columns of the form's entries, in the draft as typed. */
static const char * const entry_columns[] = {
  "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship",
};

static AdwEntryRow *
entry_at (TfIntakeForm *self, guint i)
{
  AdwEntryRow *rows[] = { self->contact_name, self->contact_phone, self->contact_relationship };

  return rows[i];
}

/* The session locks: what is typed and unsaved is kept, encrypted — the
 * fields as they show, the lists as their lines. */
static void
on_locking_cb (TfIntakeForm *self)
{
  g_autoptr(JsonObject) draft = NULL;
  g_autofree char *details = NULL;

  if (!self->dirty || self->unreadable)
    return;
  draft = json_object_new ();
  json_object_set_string_member (draft, "client_id", self->client_id);
  for (guint i = 0; i < G_N_ELEMENTS (entry_columns); i++)
    json_object_set_string_member (draft, entry_columns[i],
                                   gtk_editable_get_text (GTK_EDITABLE (entry_at (self, i))));
  for (guint i = 0; i < N_LISTS; i++)
    {
      g_autofree char *text = tf_form_dup_text (self->list_views[i]);

      json_object_set_string_member (draft, lists[i].column, text);
    }
  json_object_set_boolean_member (draft, "previous_therapy",
                                  gtk_switch_get_active (self->previous_therapy));
  details = tf_form_dup_text (self->previous_details);
  json_object_set_string_member (draft, "previous_therapy_details", details);
  tf_draft_keep (self->session, DRAFT_FORM, self->client_id, draft, NULL);
}

/* The draft kept for this client, if there is one, in the fields: shown
 * with the notice, unsaved.  The lists' stored form stays what a save
 * compares with. */
static void
restore_draft (TfIntakeForm *self)
{
  g_autoptr(JsonObject) draft = NULL;
  const char *details;

  if (self->unreadable)
    return;
  draft = tf_drafts_load (tf_session_get_vault (self->session), DRAFT_FORM, self->client_id,
                          NULL);
  if (draft == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (entry_columns); i++)
    set_entry (entry_at (self, i), draft, entry_columns[i]);
  for (guint i = 0; i < N_LISTS; i++)
    {
      const char *text = tf_json_get_string (draft, lists[i].column);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->list_views[i]),
                                text != NULL ? text : "", -1);
    }
  gtk_switch_set_active (self->previous_therapy,
                         json_object_get_boolean_member_with_default (draft, "previous_therapy",
                                                                      FALSE));
  details = tf_json_get_string (draft, "previous_therapy_details");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->previous_details),
                            details != NULL ? details : "", -1);
  self->dirty = TRUE;
  gtk_label_set_text (self->status, _("Unsaved changes"));
  gtk_widget_set_visible (self->draft_notice, TRUE);
}

/* Discard on the notice: the intake as last saved again. */
static void
on_draft_discard_cb (TfIntakeForm *self)
{
  tf_draft_notice_forget (self->draft_notice, self->session, DRAFT_FORM, self->client_id);
  clear_error (self);
  fill (self, tf_form_first_plain (self->intakes));
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

/* What a save of the form writes (TfClientRecordEdit's data). */
typedef struct
{
  TfIntakeForm *self;
  const char   *name;
  const char   *phone;
  const char   *relationship;
  const char   *details;
  GPtrArray    *texts;         /* the lists as typed, char* */
} IntakeFields;

static void
apply_fields (JsonObject *plain, gboolean is_new, gpointer data)
{
  IntakeFields *f = data;

  set_text_member (plain, "emergency_contact_name", f->name);
  set_text_member (plain, "emergency_contact_phone", f->phone);
  set_text_member (plain, "emergency_contact_relationship", f->relationship);
  for (guint i = 0; i < N_LISTS; i++)
    {
      const char *text = g_ptr_array_index (f->texts, i);

      /* Untouched: stored as it was, whatever its form. */
      if (!is_new && g_strcmp0 (text, f->self->shown[i]) == 0)
        continue;
      json_object_set_member (plain, lists[i].column, list_node (text));
    }
  json_object_set_boolean_member (plain, "previous_therapy",
                                  gtk_switch_get_active (f->self->previous_therapy));
  set_text_member (plain, "previous_therapy_details", f->details);
}

static void
on_save_clicked_cb (TfIntakeForm *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = dup_entry (self->contact_name);
  g_autofree char *phone = dup_entry (self->contact_phone);
  g_autofree char *relationship = dup_entry (self->contact_relationship);
  g_autofree char *details = g_strstrip (tf_form_dup_text (self->previous_details));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  IntakeFields fields = { self, name, phone, relationship, details, texts };

  clear_error (self);
  if (!check_fields (self, name, phone, relationship))
    return;
  if (vault == NULL)
    {
      fail (self, _("the app is locked; unlock it and save again"));
      return;
    }
  for (guint i = 0; i < N_LISTS; i++)
    g_ptr_array_add (texts, tf_form_dup_text (self->list_views[i]));
  if (!tf_client_record_save (vault, TF_CLIENT_RECORD_INTAKE, self->client_id, apply_fields, &fields,
                              _("the stored intake cannot be opened on this device, so it is "
                                "left as it is"), &plain, &error))
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
  tf_draft_notice_forget (self->draft_notice, self->session, DRAFT_FORM, self->client_id);
  show_saved_at (self, plain);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Intake saved"));
}

static void
save_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_save_clicked_cb (TF_INTAKE_FORM (widget));
}

/* --- building ------------------------------------------------------------- */

static void
tf_intake_form_class_init (TfIntakeFormClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_intake_form_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  g_type_ensure (TF_TYPE_DRAFT_NOTICE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-intake-form.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfIntakeForm, name)
  BIND (layout);
  BIND (page);
  BIND (status);
  BIND (draft_notice);
  BIND (unreadable_label);
  BIND (error);
  BIND (contact_name);
  BIND (contact_phone);
  BIND (contact_relationship);
  BIND (medical_conditions_view);
  BIND (current_medications_view);
  BIND (allergies_view);
  BIND (previous_therapy);
  BIND (previous_details);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_draft_discard_cb);

  gtk_widget_class_install_action (widget_class, "intake.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "intake.save",
                                       NULL);
}

static void
tf_intake_form_init (TfIntakeForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->list_views[0] = self->medical_conditions_view;
  self->list_views[1] = self->current_medications_view;
  self->list_views[2] = self->allergies_view;
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
  self->intakes = tf_session_dup_intakes (session, client_id);
  g_signal_connect_object (self->intakes, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "locking", G_CALLBACK (on_locking_cb), self,
                           G_CONNECT_SWAPPED);
  fill (self, tf_form_first_plain (self->intakes));
  restore_draft (self);
  return GTK_WIDGET (self);
}
