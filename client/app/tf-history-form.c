/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-history-form.c: the four Greek history forms of one client.
 *
 * A Greek clinical history is taken in four parts: Οικογενειακό Ιστορικό,
 * Ψυχιατρικό Ιστορικό, Κοινωνικό Ιστορικό and Ιστορικό Ασθενούς.  Each is a
 * JSONB column of client_histories (encrypted: only the therapist reads
 * it), stored as an object whose members are the fields below, keyed by a
 * stable English id so that a later version, another device or an export
 * reads the same thing whatever the interface language.  Members this
 * version does not know are carried over untouched on every save, and a
 * part stored as plain text (by an older tool) lands in its first field
 * rather than being lost.
 *
 * The forms are shown one at a time (a drop-down chooses) and saved
 * together.  What is typed is the user's until it is saved: a sync that
 * brings a newer record refreshes the fields only while nothing is typed,
 * and a failed save keeps everything and says why.  A record this account
 * cannot open (kept by another therapist's account) is said to be so and
 * never overwritten.
 *
 * When the session locks (TfSession::locking) with unsaved changes, the
 * fields as typed are kept as a draft (tf-drafts.h) under the client's id;
 * the form made for the client again after the unlock shows them with a
 * notice and Discard.  Saving or discarding removes the draft.
 *
 * The bar, the choice and the stack are the template tf-history-form.ui;
 * the forms and their fields are built here from the tables below, which
 * also name what is stored.
 */
#define G_LOG_DOMAIN "tf-history-form"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-clinical.h"
#include "tf-draft-notice.h"
#include "tf-drafts.h"
#include "tf-form.h"
#include "tf-history-form.h"
#include "tf-history-section.h"
#include "tf-text-field.h"
#include "tf-time.h"

typedef struct
{
  const char *id;     /* the member in the stored object: never translated */
  const char *label;
  const char *hint;
} Field;

typedef struct
{
  const char  *column; /* client_histories column */
  const char  *name;   /* widget names: history-<name>-<field id, with dashes> */
  const char  *title;
  const char  *description;
  const Field *fields;
  guint        n_fields;
} Form;

static const Field family_fields[] = {
  { "composition", N_("Family Composition"),
    N_("Parents, siblings, partner and children: ages, occupations, who lives with whom") },
  { "relationships", N_("Relationships Within the Family"),
    N_("Closeness, conflicts, alliances, how the family communicates") },
  { "upbringing", N_("Childhood and Upbringing"),
    N_("Early years, parenting style, attachment, school years") },
  { "psychiatric_illness", N_("Psychiatric Illness in the Family"),
    N_("Who, which diagnosis or difficulty, treatment, suicide in the family") },
  { "substance_use", N_("Alcohol and Substance Use in the Family"), NULL },
  { "significant_events", N_("Significant Family Events"),
    N_("Losses, separations, divorce, illness, migration, trauma") },
};

static const Field psychiatric_fields[] = {
  { "presenting_problem", N_("Presenting Problem"),
    N_("The reason for seeking help, in the client’s words and as assessed") },
  { "onset_course", N_("Onset and Course"),
    N_("When it began, triggers, how it has developed") },
  { "previous_diagnoses", N_("Previous Diagnoses"), NULL },
  { "hospitalisations", N_("Psychiatric Hospitalisations"),
    N_("Where, when, for how long, voluntary or not") },
  { "previous_treatment", N_("Previous Psychotherapy"),
    N_("Approach, duration, what helped and what did not") },
  { "medication", N_("Psychiatric Medication"),
    N_("Current and past: name, dose, prescriber, effect") },
  { "substance_use", N_("Alcohol and Substance Use"),
    N_("Substances, amount, frequency, last use") },
  { "self_harm", N_("Self-Harm and Suicide History"),
    N_("Ideation, plans, attempts, self-harm: when and how; current risk") },
};

static const Field social_fields[] = {
  { "living_situation", N_("Living Situation"),
    N_("Where and with whom the client lives, housing") },
  { "education", N_("Education"), NULL },
  { "work", N_("Work and Finances"),
    N_("Occupation, work history, financial situation") },
  { "relationships", N_("Relationships"),
    N_("Partner, marital status, friendships, sexuality") },
  { "support_network", N_("Support Network"),
    N_("People and services the client can turn to") },
  { "interests", N_("Interests and Daily Life"),
    N_("Hobbies, routine, physical activity, faith") },
  { "legal", N_("Legal Matters"),
    N_("Pending cases, convictions, custody") },
};

static const Field medical_fields[] = {
  { "chronic_conditions", N_("Chronic Conditions"), NULL },
  { "operations", N_("Operations and Hospital Stays"), NULL },
  { "current_medication", N_("Current Medication"),
    N_("Name, dose and what it is for") },
  { "allergies", N_("Allergies"), NULL },
  { "sleep_appetite", N_("Sleep, Appetite and Weight"), NULL },
  { "physicians", N_("GP and Psychiatrist"),
    N_("Names and how to reach them") },
};

static const Form forms[] = {
  { "family_history", "family", N_("Family History"),
    N_("The family as the client describes it: who they are, how they relate, and the "
       "illnesses and events that marked them."), family_fields, G_N_ELEMENTS (family_fields) },
  { "psychiatric_history", "psychiatric", N_("Psychiatric History"),
    N_("Why the client comes now, and every earlier difficulty, diagnosis, treatment and "
       "risk."), psychiatric_fields, G_N_ELEMENTS (psychiatric_fields) },
  { "social_history", "social", N_("Social History"),
    N_("The client’s life around them: home, education, work, relationships and support."),
    social_fields, G_N_ELEMENTS (social_fields) },
  { "medical_history", "medical", N_("Medical History"),
    N_("The client’s physical health, medication and the doctors who follow them."),
    medical_fields, G_N_ELEMENTS (medical_fields) },
};

struct _TfHistoryForm
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;
  TfRepository *histories;   /* the record of client_id (zero or one), live */
  GPtrArray    *views;       /* GtkTextView*, form by form, field by field */
  gboolean      dirty;       /* typed since the last load or save */
  gboolean      filling;     /* the form itself is setting the buffers */
  gboolean      unreadable;  /* a record exists that this account cannot open */

  /* template */
  GtkWidget    *layout;      /* the only child */
  GtkWidget    *choice;      /* GtkDropDown: which form is shown */
  GtkWidget    *stack;       /* one page per form, named by Form.name */
  GtkWidget    *save;
  GtkLabel     *status;
  GtkWidget    *draft_notice;   /* TfDraftNotice: shown with restored changes */
  GtkWidget    *unreadable_label;
};

#define DRAFT_FORM "client_histories"

G_DEFINE_FINAL_TYPE (TfHistoryForm, tf_history_form, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
tf_history_form_dispose (GObject *object)
{
  TfHistoryForm *self = TF_HISTORY_FORM (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_HISTORY_FORM);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_object (&self->histories);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  G_OBJECT_CLASS (tf_history_form_parent_class)->dispose (object);
}

static void
fail (TfHistoryForm *self, const char *reason)
{
  g_autofree char *message = g_strdup_printf (_("The history was not saved: %s"), reason);

  gtk_label_set_text (self->status, message);
  g_signal_emit (self, signals[FAILED], 0, message);
}

/* --- the fields ----------------------------------------------------------- */

static GtkTextBuffer *
buffer_at (TfHistoryForm *self, guint index)
{
  return gtk_text_view_get_buffer (g_ptr_array_index (self->views, index));
}

static void
set_text (TfHistoryForm *self, guint index, const char *text)
{
  gtk_text_buffer_set_text (buffer_at (self, index), text != NULL ? text : "", -1);
}

/* "Last saved 3/12/2026 10:04", from the record's updated_at. */
static void
show_saved_at (TfHistoryForm *self, JsonObject *plain)
{
  tf_form_show_saved_at (self->status, plain,
                         _("No history has been written for this client yet."),
                         _("Last saved %s"));
}

/* Fills the fields from the stored record (NULL: none yet). */
static void
fill (TfHistoryForm *self, JsonObject *plain)
{
  guint index = 0;

  self->unreadable = plain != NULL &&
                     json_object_get_boolean_member_with_default (plain, "unreadable", FALSE);
  gtk_widget_set_visible (self->unreadable_label, self->unreadable);
  gtk_widget_set_sensitive (self->stack, !self->unreadable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.save", !self->unreadable);

  self->filling = TRUE;
  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      JsonNode *node = plain ? json_object_get_member (plain, forms[f].column) : NULL;
      JsonObject *section = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                                  : NULL;

      for (guint i = 0; i < forms[f].n_fields; i++, index++)
        {
          const char *text = section ? tf_json_get_string (section, forms[f].fields[i].id)
                                     : NULL;
          g_autofree char *other = NULL;

          /* A part kept as plain text or another JSON value: into the first
           * field, so that it is seen and saved again rather than lost. */
          if (i == 0 && node != NULL && !JSON_NODE_HOLDS_NULL (node) && section == NULL)
            {
              if (JSON_NODE_HOLDS_VALUE (node) &&
                  json_node_get_value_type (node) == G_TYPE_STRING)
                text = json_node_get_string (node);
              else
                text = other = json_to_string (node, TRUE);
            }
          set_text (self, index, text);
        }
    }
  self->filling = FALSE;
  self->dirty = FALSE;
  show_saved_at (self, plain);
}

static void
on_items_changed_cb (TfHistoryForm *self)
{
  /* What is being typed wins over what a sync brought; the save merges
   * field by field into the newest record. */
  if (!self->dirty)
    fill (self, tf_form_first_plain (self->histories));
}

static void
on_buffer_changed_cb (TfHistoryForm *self)
{
  if (self->filling || self->dirty)
    return;
  self->dirty = TRUE;
  gtk_label_set_text (self->status, _("Unsaved changes"));
}

/* --- drafts through a lock ------------------------------------------------ */

/* @member of @object when it is an object, else NULL. */
static JsonObject *
get_object (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The fields as typed, form by form ({column: {field id: text}}). */
static JsonObject *
typed_fields (TfHistoryForm *self)
{
  JsonObject *typed = json_object_new ();
  guint index = 0;

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      JsonObject *section = json_object_new ();

      for (guint i = 0; i < forms[f].n_fields; i++, index++)
        {
          g_autofree char *text = tf_form_dup_text (g_ptr_array_index (self->views, index));

          json_object_set_string_member (section, forms[f].fields[i].id, text);
        }
      json_object_set_object_member (typed, forms[f].column, section);
    }
  return typed;
}

/* The session locks: what is typed and unsaved is kept, encrypted. */
static void
on_locking_cb (TfHistoryForm *self)
{
  g_autoptr(JsonObject) draft = NULL;

  if (!self->dirty || self->unreadable)
    return;
  draft = json_object_new ();
  json_object_set_string_member (draft, "client_id", self->client_id);
  json_object_set_object_member (draft, "fields", typed_fields (self));
  tf_draft_keep (self->session, DRAFT_FORM, self->client_id, draft, NULL);
}

/* The draft kept for this client, if there is one, in the fields: shown
 * with the notice, unsaved. */
static void
restore_draft (TfHistoryForm *self)
{
  g_autoptr(JsonObject) draft = NULL;
  JsonObject *fields;
  guint index = 0;

  if (self->unreadable)
    return;
  draft = tf_drafts_load (tf_session_get_vault (self->session), DRAFT_FORM, self->client_id,
                          NULL);
  fields = draft != NULL ? get_object (draft, "fields") : NULL;
  if (fields == NULL)
    return;
  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      JsonObject *section = get_object (fields, forms[f].column);

      for (guint i = 0; i < forms[f].n_fields; i++, index++)
        {
          const char *text = section != NULL ? tf_json_get_string (section,
                                                                   forms[f].fields[i].id)
                                             : NULL;

          if (text != NULL)
            set_text (self, index, text);
        }
    }
  self->dirty = TRUE;
  gtk_label_set_text (self->status, _("Unsaved changes"));
  gtk_widget_set_visible (self->draft_notice, TRUE);
}

/* Discard on the notice: the history as last saved again. */
static void
on_draft_discard_cb (TfHistoryForm *self)
{
  tf_draft_notice_forget (self->draft_notice, self->session, DRAFT_FORM, self->client_id);
  fill (self, tf_form_first_plain (self->histories));
}

/* --- saving --------------------------------------------------------------- */

/* The part @form of @existing (NULL or not an object: a new one) with the
 * fields as typed; members unknown here stay.  NULL when it is empty. */
static JsonNode *
build_section (TfHistoryForm *self, const Form *form, guint first, JsonObject *existing)
{
  JsonNode *old = existing ? json_object_get_member (existing, form->column) : NULL;
  g_autoptr(JsonObject) section = NULL;

  if (old != NULL && JSON_NODE_HOLDS_OBJECT (old))
    section = tf_json_object_dup (json_node_get_object (old));
  else
    section = json_object_new ();
  for (guint i = 0; i < form->n_fields; i++)
    {
      g_autofree char *text = tf_form_dup_text (g_ptr_array_index (self->views, first + i));

      g_strstrip (text);
      if (*text != '\0')
        json_object_set_string_member (section, form->fields[i].id, text);
      else if (json_object_has_member (section, form->fields[i].id))
        json_object_remove_member (section, form->fields[i].id);
    }
  if (json_object_get_size (section) == 0)
    return json_node_new (JSON_NODE_NULL);
  return json_node_init_object (json_node_alloc (), section);
}

/* The four parts as typed, over the stored record @plain (TfClientRecordEdit). */
static void
apply_fields (JsonObject *plain, gboolean is_new, gpointer data)
{
  TfHistoryForm *self = data;
  guint first = 0;

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      json_object_set_member (plain, forms[f].column,
                              build_section (self, &forms[f], first, plain));
      first += forms[f].n_fields;
    }
}

static void
on_save_clicked_cb (TfHistoryForm *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) error = NULL;

  if (vault == NULL)
    {
      fail (self, _("the app is locked; unlock it and save again"));
      return;
    }
  if (!tf_client_record_save (vault, TF_CLIENT_RECORD_HISTORY, self->client_id, apply_fields, self,
                              _("the stored history cannot be opened on this account, so it "
                                "is left as it is"), &plain, &error))
    {
      /* Everything typed stays in the fields. */
      fail (self, error->message);
      return;
    }
  self->dirty = FALSE;
  tf_draft_notice_forget (self->draft_notice, self->session, DRAFT_FORM, self->client_id);
  show_saved_at (self, plain);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("History saved"));
}

/* --- building ------------------------------------------------------------- */

/* A field: its label, a hint, and a text area that grows with its text. */
static GtkWidget *
build_field (TfHistoryForm *self, const Form *form, const Field *field)
{
  g_autofree char *name = g_strdelimit (g_strdup_printf ("history-%s-%s", form->name,
                                                         field->id), "_", '-');
  GtkWidget *box = tf_text_field_new (name, _(field->label),
                                      field->hint != NULL ? _(field->hint) : NULL, 72);
  GtkTextView *view = tf_text_field_get_view (TF_TEXT_FIELD (box));

  gtk_widget_set_margin_bottom (box, 12);

  g_signal_connect_object (gtk_text_view_get_buffer (view), "changed",
                           G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_ptr_array_add (self->views, view);
  return box;
}

static GtkWidget *
build_form (TfHistoryForm *self, const Form *form)
{
  GtkWidget *page = tf_history_section_new (_(form->title), _(form->description));

  for (guint i = 0; i < form->n_fields; i++)
    tf_history_section_add_field (TF_HISTORY_SECTION (page),
                                  build_field (self, form, &form->fields[i]));
  return page;
}

static void
on_choice_changed_cb (TfHistoryForm *self)
{
  guint chosen = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->choice));

  if (chosen < G_N_ELEMENTS (forms))
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), forms[chosen].name);
}

static void
save_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_save_clicked_cb (TF_HISTORY_FORM (widget));
}

static void
tf_history_form_class_init (TfHistoryFormClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_history_form_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  g_type_ensure (TF_TYPE_DRAFT_NOTICE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-history-form.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfHistoryForm, name)
  BIND (layout);
  BIND (choice);
  BIND (stack);
  BIND (save);
  BIND (status);
  BIND (draft_notice);
  BIND (unreadable_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_draft_discard_cb);

  gtk_widget_class_install_action (widget_class, "history.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "history.save", NULL);
}

static void
tf_history_form_init (TfHistoryForm *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->views = g_ptr_array_new ();
  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      gtk_string_list_append (titles, _(forms[f].title));
      gtk_stack_add_named (GTK_STACK (self->stack), build_form (self, &forms[f]),
                           forms[f].name);
    }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->choice), G_LIST_MODEL (titles));
}

GtkWidget *
tf_history_form_new (TfSession *session, const char *client_id)
{
  TfHistoryForm *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (TF_TYPE_HISTORY_FORM, NULL);
  self->session = g_object_ref (session);
  self->client_id = g_strdup (client_id);
  self->histories = tf_session_dup_histories (session, client_id);
  g_signal_connect_object (self->histories, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "locking", G_CALLBACK (on_locking_cb), self,
                           G_CONNECT_SWAPPED);
  fill (self, tf_form_first_plain (self->histories));
  restore_draft (self);
  return GTK_WIDGET (self);
}
