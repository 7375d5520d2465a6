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
 */
#define G_LOG_DOMAIN "tf-history-form"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-history-form.h"
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

  GtkWidget    *choice;      /* GtkDropDown: which form is shown */
  GtkWidget    *stack;       /* one page per form, named by Form.name */
  GtkWidget    *save;
  GtkLabel     *status;
  GtkWidget    *unreadable_label;
};

G_DEFINE_FINAL_TYPE (TfHistoryForm, tf_history_form, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const TfTable *
histories_table (void)
{
  return tf_registry_lookup ("client_histories");
}

static void
tf_history_form_dispose (GObject *object)
{
  TfHistoryForm *self = TF_HISTORY_FORM (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_object (&self->histories);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  G_OBJECT_CLASS (tf_history_form_parent_class)->dispose (object);
}

static void
tf_history_form_class_init (TfHistoryFormClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tf_history_form_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
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

static char *
dup_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
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
  const char *stamp = plain ? tf_json_get_string (plain, "updated_at") : NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (stamp == NULL && plain != NULL)
    stamp = tf_json_get_string (plain, "created_at");
  utc = stamp ? tf_time_parse_timestamp (stamp, NULL) : NULL;
  local = utc ? g_date_time_to_local (utc) : NULL;
  if (plain == NULL)
    {
      gtk_label_set_text (self->status, _("No history has been written for this client yet."));
      return;
    }
  if (local == NULL)
    {
      gtk_label_set_text (self->status, _("Saved"));
      return;
    }
  when = g_date_time_format (local, "%x %H:%M");
  text = g_strdup_printf (_("Last saved %s"), when);
  gtk_label_set_text (self->status, text);
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
  gtk_widget_set_sensitive (self->save, !self->unreadable);

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
  if (self->unreadable)
    gtk_label_set_text (self->status, "");
  else
    show_saved_at (self, plain);
}

static JsonObject *
current_plain (TfHistoryForm *self)
{
  g_autoptr(TfItem) item = g_list_model_get_item (G_LIST_MODEL (self->histories), 0);

  return item ? tf_item_get_plain (item) : NULL;
}

static void
on_items_changed_cb (TfHistoryForm *self)
{
  /* What is being typed wins over what a sync brought; the save merges
   * field by field into the newest record. */
  if (!self->dirty)
    fill (self, current_plain (self));
}

static void
on_synced_cb (TfHistoryForm *self)
{
  tf_repository_refresh (self->histories, NULL);
}

static void
on_buffer_changed_cb (TfHistoryForm *self)
{
  if (self->filling || self->dirty)
    return;
  self->dirty = TRUE;
  gtk_label_set_text (self->status, _("Unsaved changes"));
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
      g_autofree char *text = dup_text (buffer_at (self, first + i));

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

static void
on_save_clicked_cb (TfHistoryForm *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  guint first = 0;

  if (vault == NULL)
    {
      fail (self, _("the app is locked; unlock it and save again"));
      return;
    }
  /* The newest stored record, as the save's base (a sync may have brought
   * one since the fields were filled). */
  stored = tf_vault_list (vault, histories_table (), "client_id", self->client_id, &error);
  if (stored == NULL)
    {
      fail (self, error->message);
      return;
    }
  if (stored->len == 0)
    {
      plain = json_object_new ();
      json_object_set_string_member (plain, "client_id", self->client_id);
      json_object_set_string_member (plain, "created_at", stamp);
    }
  else if (json_object_get_boolean_member_with_default (g_ptr_array_index (stored, 0),
                                                        "unreadable", FALSE))
    {
      fail (self, _("the stored history cannot be opened on this account, so it is left as "
                    "it is"));
      return;
    }
  else
    plain = tf_json_object_dup (g_ptr_array_index (stored, 0));

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      json_object_set_member (plain, forms[f].column,
                              build_section (self, &forms[f], first, plain));
      first += forms[f].n_fields;
    }
  json_object_set_string_member (plain, "updated_at", stamp);

  if (!tf_vault_put (vault, histories_table (), self->client_id, plain, &error))
    {
      /* Everything typed stays in the fields. */
      fail (self, error->message);
      return;
    }
  self->dirty = FALSE;
  show_saved_at (self, plain);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("History saved"));
}

/* --- building ------------------------------------------------------------- */

static void
label_accessibly (gpointer widget, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* A field: its label, a hint, and a text area that grows with its text. */
static GtkWidget *
build_field (TfHistoryForm *self, const Form *form, const Field *field)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (_(field->label));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();
  g_autofree char *name = g_strdelimit (g_strdup_printf ("history-%s-%s", form->name,
                                                         field->id), "_", '-');

  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
  gtk_box_append (GTK_BOX (box), label);
  if (field->hint != NULL)
    {
      GtkWidget *hint = gtk_label_new (_(field->hint));

      gtk_widget_add_css_class (hint, "dim-label");
      gtk_widget_add_css_class (hint, "caption");
      gtk_label_set_xalign (GTK_LABEL (hint), 0);
      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_box_append (GTK_BOX (box), hint);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(field->hint), -1);
    }
  gtk_widget_set_name (view, name);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_set_size_request (view, -1, 72);
  label_accessibly (view, _(field->label));
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_widget_set_margin_top (frame, 2);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_widget_set_margin_bottom (box, 12);

  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                           G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_ptr_array_add (self->views, view);
  return box;
}

static GtkWidget *
build_form (TfHistoryForm *self, const Form *form)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _(form->title));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _(form->description));
  for (guint i = 0; i < form->n_fields; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               build_field (self, form, &form->fields[i]));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  return page;
}

static void
on_choice_changed_cb (TfHistoryForm *self)
{
  guint chosen = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->choice));

  if (chosen < G_N_ELEMENTS (forms))
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), forms[chosen].name);
}

static gboolean
shortcut_save (GtkWidget *widget, GVariant *args, gpointer data)
{
  TfHistoryForm *self = TF_HISTORY_FORM (widget);

  if (!gtk_widget_is_sensitive (self->save))
    return FALSE;
  on_save_clicked_cb (self);
  return TRUE;
}

static void
tf_history_form_init (TfHistoryForm *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkStringList *titles = gtk_string_list_new (NULL);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  self->views = g_ptr_array_new ();

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    gtk_string_list_append (titles, _(forms[f].title));
  self->choice = gtk_drop_down_new (G_LIST_MODEL (titles), NULL);
  gtk_widget_set_name (self->choice, "history-choice");
  gtk_widget_set_hexpand (self->choice, TRUE);
  gtk_widget_set_tooltip_text (self->choice, _("Choose a History Form"));
  label_accessibly (self->choice, _("History form"));
  self->save = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (self->save, "history-save");
  gtk_widget_add_css_class (self->save, "suggested-action");
  gtk_widget_set_tooltip_text (self->save, _("Save all four history forms"));
  gtk_widget_set_valign (self->save, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (self->choice, 12);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->status), "history-status");
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status), TRUE);
  gtk_widget_set_margin_top (bar, 12);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status));
  gtk_box_append (GTK_BOX (bar), self->save);

  self->unreadable_label = gtk_label_new (_("This client’s history was written on another "
                                            "therapist’s account and cannot be opened here. "
                                            "It is kept as it is."));
  gtk_widget_set_name (self->unreadable_label, "history-unreadable");
  gtk_widget_add_css_class (self->unreadable_label, "warning");
  gtk_label_set_wrap (GTK_LABEL (self->unreadable_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->unreadable_label), 0);
  gtk_widget_set_margin_top (self->unreadable_label, 6);
  gtk_widget_set_visible (self->unreadable_label, FALSE);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    gtk_stack_add_named (GTK_STACK (self->stack), build_form (self, &forms[f]), forms[f].name);

  /* The bar stays in sight, as wide as the form below it. */
  gtk_box_append (GTK_BOX (top), bar);
  gtk_box_append (GTK_BOX (top), self->unreadable_label);
  gtk_box_append (GTK_BOX (top), self->choice);
  gtk_widget_set_margin_start (top, 12);
  gtk_widget_set_margin_end (top, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), top);
  gtk_box_append (GTK_BOX (box), clamp);
  gtk_box_append (GTK_BOX (box), self->stack);
  gtk_widget_set_parent (box, GTK_WIDGET (self));

  g_signal_connect_swapped (self->choice, "notify::selected", G_CALLBACK (on_choice_changed_cb),
                            self);
  g_signal_connect_swapped (self->save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            "<Control>s"),
                                                          gtk_callback_action_new (
                                                            shortcut_save, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
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
  self->histories = tf_repository_new (tf_session_get_vault (session), histories_table (),
                                       "client_id", client_id);
  g_signal_connect_object (self->histories, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  fill (self, current_plain (self));
  return GTK_WIDGET (self);
}
