/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-plan-editor.c: the treatment plan of one client, as their therapist
 * writes it.
 *
 * The plans are the session's live list of this therapist's plans for the
 * client, the current one first (tf_session_dup_plans, tf-plans-list.h:
 * an active plan before one on hold, before a completed one, the latest of
 * each); the editor shows the current one, or an empty state with the way
 * to create one, and fills the form again only when the plan it shows
 * changed — another plan of the client's arriving leaves it alone.  A completed plan can be followed by a new
 * one.
 *
 * The form holds its own copy of the lists (diagnoses, goals,
 * interventions) and writes the whole plan on Save.  While the therapist is
 * changing something the form is "dirty" and a reload (a sync, a write
 * elsewhere) leaves it alone, so nothing typed is lost; a failed save keeps
 * it too.  The stored shapes are:
 *   diagnosis_codes  [{"code": "F32.1", "description": "…"}, …]  (the
 *                    registry's TF_FORMAT_ICD10_LIST; a bare string is
 *                    read as a code without description)
 *   treatment_goals  ["…", …]
 *   interventions    ["…", …]
 *   status           "active" | "on_hold" | "completed" (another value
 *                    that came with a sync is shown and kept as it is)
 * When the session locks (TfSession::locking) with unsaved changes, the
 * form as it is (the lists, the status, the review date and what is typed
 * but not added) is kept as a draft (tf-drafts.h) under the plan's id, or
 * "new:" and the client's for a new plan; the editor made for the client
 * again after the unlock shows it with a notice and Discard.  Saving or
 * discarding removes the draft.
 *
 * The pages are the template tf-plan-editor.ui; its lists' rows are made
 * in tf-plan-editor-form.c;
 * tf-plan-editor-private.h has what the two files share.
 */
#define G_LOG_DOMAIN "tf-plan-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-clinical.h"
#include "tf-draft-notice.h"
#include "tf-drafts.h"
#include "tf-form.h"
#include "tf-plan-editor-private.h"
#include "tf-print.h"
#include "tf-time.h"

#define DRAFT_FORM "treatment_plans"

G_DEFINE_FINAL_TYPE (TfPlanEditor, tf_plan_editor, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
diagnosis_free (gpointer data)
{
  TfPlanDiagnosis *d = data;

  g_free (d->code);
  g_free (d->description);
  g_free (d);
}

TfPlanDiagnosis *
tf_plan_diagnosis_new (const char *code, const char *description)
{
  TfPlanDiagnosis *d = g_new0 (TfPlanDiagnosis, 1);

  d->code = g_strdup (code);
  d->description = description != NULL && *description != '\0' ? g_strdup (description) : NULL;
  return d;
}

char *
tf_plan_editor_dup_trimmed (GtkWidget *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

void
tf_plan_editor_show_error (GtkWidget *label, GtkWidget *entry, const char *message)
{
  gtk_label_set_text (GTK_LABEL (label), message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
  if (entry == NULL)
    return;
  if (message != NULL)
    gtk_widget_add_css_class (entry, "error");
  else
    gtk_widget_remove_css_class (entry, "error");
}

void
tf_plan_editor_mark_changed (TfPlanEditor *self)
{
  if (!self->filling)
    self->dirty = TRUE;
}

/* --- which plan ----------------------------------------------------------- */

static const char *
last_change (TfItem *item)
{
  const char *updated = tf_item_get_string (item, "updated_at");

  return updated != NULL ? updated : tf_item_get_string (item, "created_at");
}

/* The plan the editor shows: the one it shows if still there, else the
 * client's current one; NULL when there is none. */
static TfItem *
dup_plan_to_show (TfPlanEditor *self)
{
  TfItem *plan = self->plan_id ? tf_repository_dup_item (self->plans, self->plan_id) : NULL;

  if (plan == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->plans)) > 0)
    plan = g_list_model_get_item (G_LIST_MODEL (self->plans), 0);
  return plan;
}

/* --- filling the form ----------------------------------------------------- */

/* A JSON array of strings (or of objects with "text") into @array. */
static void
read_texts (JsonObject *plain, const char *member, GPtrArray *array)
{
  JsonNode *node = json_object_get_member (plain, member);
  JsonArray *items;

  g_ptr_array_set_size (array, 0);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  items = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      const char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        text = json_node_get_string (item);
      else if (JSON_NODE_HOLDS_OBJECT (item))
        text = tf_json_get_string (json_node_get_object (item), "text");
      if (text != NULL && *text != '\0')
        g_ptr_array_add (array, g_strdup (text));
    }
}

static void
read_diagnoses (JsonObject *plain, GPtrArray *array)
{
  JsonNode *node = json_object_get_member (plain, "diagnosis_codes");
  JsonArray *items;

  g_ptr_array_set_size (array, 0);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  items = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        g_ptr_array_add (array, tf_plan_diagnosis_new (json_node_get_string (item), NULL));
      else if (JSON_NODE_HOLDS_OBJECT (item))
        {
          JsonObject *o = json_node_get_object (item);
          const char *code = tf_json_get_string (o, "code");

          if (code != NULL)
            g_ptr_array_add (array, tf_plan_diagnosis_new (code, tf_json_get_string (o, "description")));
        }
    }
}

static void
clear_entries (TfPlanEditor *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->code), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_description), "");
  gtk_editable_set_text (GTK_EDITABLE (self->goal), "");
  gtk_editable_set_text (GTK_EDITABLE (self->intervention), "");
  gtk_widget_set_visible (self->suggestions, FALSE);
  tf_plan_editor_show_error (self->code_error, self->code, NULL);
  tf_plan_editor_show_error (self->error, NULL, NULL);
  gtk_widget_remove_css_class (self->review_date, "error");
}

static void
update_heading (TfPlanEditor *self, TfItem *plan)
{
  const char *changed = plan ? last_change (plan) : NULL;
  g_autoptr(GDateTime) utc = changed ? tf_time_parse_timestamp (changed, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%x") : NULL;
  g_autofree char *text = NULL;

  if (plan == NULL)
    text = g_strdup (_("New treatment plan, not saved yet"));
  else if (when != NULL)
    text = g_strdup_printf (_("Last changed %s"), when);
  gtk_label_set_text (GTK_LABEL (self->heading), text != NULL ? text : "");
  gtk_widget_set_visible (self->heading, text != NULL);
  gtk_widget_set_visible (self->new_plan, plan != NULL &&
                                          g_strcmp0 (tf_item_get_string (plan, "status"),
                                                     "completed") == 0);
  gtk_widget_set_visible (self->print, plan != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.print", plan != NULL);
}

/* The form from @plan (NULL: a new, empty plan). */
static void
fill_form (TfPlanEditor *self, TfItem *plan)
{
  JsonObject *plain = plan ? tf_item_get_plain (plan) : NULL;
  const char *review = plan ? tf_item_get_string (plan, "review_date") : NULL;

  self->filling = TRUE;
  g_clear_pointer (&self->plan_id, g_free);
  g_clear_pointer (&self->new_id, g_free);
  g_set_object (&self->shown, plan);
  if (plan != NULL)
    {
      self->plan_id = g_strdup (tf_item_get_id (plan));
      read_diagnoses (plain, self->diagnoses);
      read_texts (plain, "treatment_goals", self->goals);
      read_texts (plain, "interventions", self->interventions);
    }
  else
    {
      g_ptr_array_set_size (self->diagnoses, 0);
      g_ptr_array_set_size (self->goals, 0);
      g_ptr_array_set_size (self->interventions, 0);
    }
  tf_plan_editor_set_status (self, plan ? tf_item_get_string (plan, "status") : "active");
  gtk_editable_set_text (GTK_EDITABLE (self->review_date), review ? review : "");
  clear_entries (self);
  tf_plan_editor_rebuild_lists (self);
  update_heading (self, plan);
  gtk_widget_set_visible (self->draft_notice, FALSE);
  self->dirty = FALSE;
  self->filling = FALSE;
}

/* Follows the list, unless the therapist is changing the form: the form
 * is filled again only when the plan it shows is another, or changed. */
static void
reload (TfPlanEditor *self)
{
  g_autoptr(TfItem) plan = NULL;

  if (self->dirty)
    return;
  plan = dup_plan_to_show (self);
  if (plan != NULL && self->shown != NULL &&
      json_object_equal (tf_item_get_plain (plan), tf_item_get_plain (self->shown)))
    return;
  if (plan == NULL)
    {
      g_clear_pointer (&self->plan_id, g_free);
      g_clear_object (&self->shown);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  if (tf_item_get_boolean (plan, "unreadable", FALSE))
    {
      g_clear_object (&self->shown);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "unreadable");
      return;
    }
  fill_form (self, plan);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plan");
}

void
tf_plan_editor_create (TfPlanEditor *self)
{
  fill_form (self, NULL);
  /* Nothing is stored yet: a reload must not take the form away. */
  self->dirty = TRUE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plan");
  gtk_widget_grab_focus (self->code);
}

/* --- saving --------------------------------------------------------------- */

static void fail (TfPlanEditor *self, const char *format, ...) G_GNUC_PRINTF (2, 3);
static char *draft_key (TfPlanEditor *self);

static void
fail (TfPlanEditor *self, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  tf_plan_editor_show_error (self->error, NULL, message);
  g_signal_emit (self, signals[FAILED], 0, message);
}

static JsonNode *
texts_node (GPtrArray *array)
{
  JsonArray *items = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < array->len; i++)
    json_array_add_string_element (items, g_ptr_array_index (array, i));
  json_node_take_array (node, items);
  return node;
}

static JsonNode *
diagnoses_node (GPtrArray *array)
{
  JsonArray *items = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < array->len; i++)
    {
      TfPlanDiagnosis *d = g_ptr_array_index (array, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "code", d->code);
      if (d->description != NULL)
        json_object_set_string_member (o, "description", d->description);
      json_array_add_object_element (items, o);
    }
  json_node_take_array (node, items);
  return node;
}

void
tf_plan_editor_save (TfPlanEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *review = tf_plan_editor_dup_trimmed (self->review_date);
  g_autofree char *code = tf_plan_editor_dup_trimmed (self->code);
  g_autofree char *key = NULL;
  int year, month, day;

  tf_plan_editor_show_error (self->error, NULL, NULL);
  /* What is typed but not added yet is part of the plan too. */
  if (*code != '\0')
    {
      g_autofree char *description = tf_plan_editor_dup_trimmed (self->code_description);

      if (!tf_plan_editor_add_code (self, code, description))
        {
          fail (self, _("The treatment plan was not saved: %s"),
                gtk_label_get_text (GTK_LABEL (self->code_error)));
          return;
        }
    }
  tf_plan_editor_add_text (self, self->goal, self->goals);
  tf_plan_editor_add_text (self, self->intervention, self->interventions);
  if (*review != '\0' && !tf_time_parse_date (review, &year, &month, &day, NULL))
    {
      gtk_widget_add_css_class (self->review_date, "error");
      fail (self, _("“%s” is not a date; write it as YYYY-MM-DD"), review);
      return;
    }
  gtk_widget_remove_css_class (self->review_date, "error");

  key = draft_key (self);
  /* A new plan's id is chosen once and kept through failures. */
  if (self->plan_id == NULL && self->new_id == NULL)
    self->new_id = g_uuid_string_random ();
  {
    g_autoptr(JsonNode) diagnoses = diagnoses_node (self->diagnoses);
    g_autoptr(JsonNode) goals = texts_node (self->goals);
    g_autoptr(JsonNode) interventions = texts_node (self->interventions);
    TfPlan plan = { diagnoses, goals, interventions, review, tf_plan_editor_get_status (self) };

    if (!tf_plan_save (tf_session_get_vault (self->session),
                       self->plan_id ? self->plan_id : self->new_id, self->client_id, &plan,
                       NULL, &error))
      {
        /* The form stays as it is. */
        fail (self, _("The treatment plan was not saved: %s"), error->message);
        return;
      }
  }
  if (self->plan_id == NULL)
    self->plan_id = g_steal_pointer (&self->new_id);
  self->dirty = FALSE;
  tf_draft_notice_forget (self->draft_notice, self->session, DRAFT_FORM, key);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Treatment plan saved"));
}

/* --- drafts through a lock ------------------------------------------------ */

/* The key of the plan's draft: its id, or "new:" and the client's. */
static char *
draft_key (TfPlanEditor *self)
{
  return self->plan_id != NULL ? g_strdup (self->plan_id)
                               : g_strconcat ("new:", self->client_id, NULL);
}

/* What is typed but not added yet, member by member of a draft. */
static const char * const typed_members[] = { "code", "code_description", "goal",
                                              "intervention" };

static GtkWidget *
typed_entry (TfPlanEditor *self, guint i)
{
  GtkWidget *entries[] = { self->code, self->code_description, self->goal, self->intervention };

  return entries[i];
}

/* The session locks: the form as it is, unsaved, is kept, encrypted; the
 * lists under the stored plan's names. */
static void
on_locking_cb (TfPlanEditor *self)
{
  g_autoptr(JsonObject) draft = NULL;
  g_autofree char *key = NULL;

  if (!self->dirty ||
      g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "plan") != 0)
    return;
  key = draft_key (self);
  draft = json_object_new ();
  json_object_set_string_member (draft, "client_id", self->client_id);
  json_object_set_member (draft, "diagnosis_codes", diagnoses_node (self->diagnoses));
  json_object_set_member (draft, "treatment_goals", texts_node (self->goals));
  json_object_set_member (draft, "interventions", texts_node (self->interventions));
  json_object_set_string_member (draft, "status", tf_plan_editor_get_status (self));
  json_object_set_string_member (draft, "review_date",
                                 gtk_editable_get_text (GTK_EDITABLE (self->review_date)));
  for (guint i = 0; i < G_N_ELEMENTS (typed_members); i++)
    json_object_set_string_member (draft, typed_members[i],
                                   gtk_editable_get_text (GTK_EDITABLE (typed_entry (self, i))));
  tf_draft_keep (self->session, DRAFT_FORM, key, draft, NULL);
}

/* The draft kept for the plan shown, else for a new plan of the client, in
 * the form: shown with the notice, unsaved. */
static void
restore_draft (TfPlanEditor *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autofree char *new_key = g_strconcat ("new:", self->client_id, NULL);
  g_autoptr(JsonObject) draft = NULL;
  const char *review;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "unreadable") == 0)
    return;
  if (self->plan_id != NULL)
    draft = tf_drafts_load (vault, DRAFT_FORM, self->plan_id, NULL);
  if (draft == NULL)
    {
      draft = tf_drafts_load (vault, DRAFT_FORM, new_key, NULL);
      if (draft == NULL)
        return;
      fill_form (self, NULL);
    }
  self->filling = TRUE;
  read_diagnoses (draft, self->diagnoses);
  read_texts (draft, "treatment_goals", self->goals);
  read_texts (draft, "interventions", self->interventions);
  tf_plan_editor_set_status (self, tf_json_get_string (draft, "status"));
  review = tf_json_get_string (draft, "review_date");
  gtk_editable_set_text (GTK_EDITABLE (self->review_date), review != NULL ? review : "");
  for (guint i = 0; i < G_N_ELEMENTS (typed_members); i++)
    {
      const char *text = tf_json_get_string (draft, typed_members[i]);

      gtk_editable_set_text (GTK_EDITABLE (typed_entry (self, i)), text != NULL ? text : "");
    }
  gtk_widget_set_visible (self->suggestions, FALSE);
  tf_plan_editor_rebuild_lists (self);
  self->filling = FALSE;
  self->dirty = TRUE;
  gtk_widget_set_visible (self->draft_notice, TRUE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plan");
}

/* Discard on the notice: the plan as last saved (or none) again. */
static void
on_draft_discard_cb (TfPlanEditor *self)
{
  g_autofree char *key = draft_key (self);

  tf_draft_notice_forget (self->draft_notice, self->session, DRAFT_FORM, key);
  self->dirty = FALSE;
  /* The form shows the draft, not the plan: filled again from it. */
  g_clear_object (&self->shown);
  if (self->plan_id == NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
  reload (self);
}

/* --- building ------------------------------------------------------------- */

static void
tf_plan_editor_dispose (GObject *object)
{
  TfPlanEditor *self = TF_PLAN_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_PLAN_EDITOR);
  self->status_labels = NULL;
  g_clear_object (&self->shown);
  g_clear_object (&self->plans);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->plan_id, g_free);
  g_clear_pointer (&self->new_id, g_free);
  g_clear_pointer (&self->other_status, g_free);
  g_clear_pointer (&self->diagnoses, g_ptr_array_unref);
  g_clear_pointer (&self->goals, g_ptr_array_unref);
  g_clear_pointer (&self->interventions, g_ptr_array_unref);
  G_OBJECT_CLASS (tf_plan_editor_parent_class)->dispose (object);
}

static void
new_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  tf_plan_editor_create (TF_PLAN_EDITOR (widget));
}

/* Ctrl+S saves the plan in the form; with no plan open there is none. */
static void
save_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfPlanEditor *self = TF_PLAN_EDITOR (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "plan") == 0)
    tf_plan_editor_save (self);
}

/* Print or save as PDF: the plan as stored. */
static void
print_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfPlanEditor *self = TF_PLAN_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  TfPrintDoc *doc;

  if (self->session == NULL || self->plan_id == NULL)
    return;
  doc = tf_print_doc_new_for_plan (tf_session_get_vault (self->session), self->plan_id, &error);
  if (doc == NULL || !tf_print_run (GTK_WIDGET (self), doc, &error))
    fail (self, _("The plan was not printed: %s"), error->message);
}

static void
tf_plan_editor_class_init (TfPlanEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_plan_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  g_type_ensure (TF_TYPE_DRAFT_NOTICE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-plan-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfPlanEditor, name)
  BIND (stack);
  BIND (draft_notice);
  BIND (heading);
  BIND (new_plan);
  BIND (print);
  BIND (status);
  BIND (review_date);
  BIND (code);
  BIND (code_description);
  BIND (code_error);
  BIND (suggestions);
  BIND (diagnoses_list);
  BIND (goal);
  BIND (goals_list);
  BIND (intervention);
  BIND (interventions_list);
  BIND (error);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, tf_plan_editor_mark_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_draft_discard_cb);
  tf_plan_editor_class_bind_form (widget_class);

  gtk_widget_class_install_action (widget_class, "plan.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "plan.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "plan.print", NULL, print_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "plan.print",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "plan.save",
                                       NULL);
}
static void
tf_plan_editor_init (TfPlanEditor *self)
{
  self->diagnoses = g_ptr_array_new_with_free_func (diagnosis_free);
  self->goals = g_ptr_array_new_with_free_func (g_free);
  self->interventions = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  tf_plan_editor_init_form (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
}

GtkWidget *
tf_plan_editor_new (TfSession *session, const char *client_id)
{
  TfPlanEditor *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (TF_TYPE_PLAN_EDITOR, NULL);
  self->session = g_object_ref (session);
  self->client_id = g_strdup (client_id);
  self->plans = tf_session_dup_plans (session, client_id);
  g_signal_connect_object (self->plans, "items-changed", G_CALLBACK (reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "locking", G_CALLBACK (on_locking_cb), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  restore_draft (self);
  return GTK_WIDGET (self);
}
