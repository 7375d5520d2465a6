/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-plan-editor.c: the treatment plan of one client, as their therapist
 * writes it.
 *
 * The plans come live from a repository of the client's treatment_plans;
 * the editor shows this therapist's current one — an active plan before one
 * on hold, before a completed one, the latest of each — or an empty state
 * with the way to create one.  A completed plan can be followed by a new
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
 * A code is checked with the vault's own validator (tf_validate_icd10_code)
 * before it joins the list; the common F-codes are suggested as one types
 * (tf-icd10.c).
 */
#define G_LOG_DOMAIN "tf-plan-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-icd10.h"
#include "tf-form.h"
#include "tf-plan-editor.h"
#include "tf-time.h"
#include "tf-validate.h"

#define N_SUGGESTIONS 6

typedef struct
{
  char *code;
  char *description;  /* NULL: none */
} Diagnosis;

struct _TfPlanEditor
{
  GtkWidget     parent_instance;
  TfSession    *session;
  char         *client_id;
  TfRepository *plans;          /* the client's treatment plans, live */

  char         *plan_id;        /* the plan in the form; NULL: a new one */
  char         *other_status;   /* a status the combo does not name, kept */
  GPtrArray    *diagnoses;      /* Diagnosis* */
  GPtrArray    *goals;          /* char* */
  GPtrArray    *interventions;  /* char* */
  gboolean      dirty;          /* changed since loaded or saved */
  gboolean      filling;        /* the form is being filled: not a change */

  GtkWidget    *stack;          /* "empty", "unreadable" or "plan" */
  GtkWidget    *heading;
  GtkWidget    *new_plan;       /* "New Plan", after a completed one */
  GtkWidget    *status;         /* AdwComboRow */
  GtkStringList *status_labels;
  GtkWidget    *review_date;    /* AdwEntryRow, YYYY-MM-DD */
  GtkWidget    *code;           /* AdwEntryRow */
  GtkWidget    *code_description;
  GtkWidget    *code_error;
  GtkWidget    *suggestions;    /* GtkListBox */
  GtkWidget    *diagnoses_list;
  GtkWidget    *goal;
  GtkWidget    *goals_list;
  GtkWidget    *intervention;
  GtkWidget    *interventions_list;
  GtkWidget    *error;
};

G_DEFINE_FINAL_TYPE (TfPlanEditor, tf_plan_editor, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The statuses the combo offers, in its order. */
static const char *const statuses[] = { "active", "on_hold", "completed" };

static const TfTable *
plans_table (void)
{
  return tf_registry_lookup ("treatment_plans");
}

static void
diagnosis_free (gpointer data)
{
  Diagnosis *d = data;

  g_free (d->code);
  g_free (d->description);
  g_free (d);
}

static Diagnosis *
diagnosis_new (const char *code, const char *description)
{
  Diagnosis *d = g_new0 (Diagnosis, 1);

  d->code = g_strdup (code);
  d->description = description != NULL && *description != '\0' ? g_strdup (description) : NULL;
  return d;
}

static char *
dup_trimmed (GtkWidget *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static void
show_error (GtkWidget *label, GtkWidget *entry, const char *message)
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

static void
mark_changed (TfPlanEditor *self)
{
  if (!self->filling)
    self->dirty = TRUE;
}

/* --- which plan ----------------------------------------------------------- */

static int
status_rank (const char *status)
{
  if (g_strcmp0 (status, "active") == 0 || status == NULL)
    return 0;
  if (g_strcmp0 (status, "on_hold") == 0)
    return 1;
  return 2;
}

static const char *
last_change (TfItem *item)
{
  const char *updated = tf_item_get_string (item, "updated_at");

  return updated != NULL ? updated : tf_item_get_string (item, "created_at");
}

/* This therapist's current plan for the client, or NULL. */
static TfItem *
find_current (TfPlanEditor *self)
{
  GListModel *model = G_LIST_MODEL (self->plans);
  const char *me = tf_vault_get_user_id (tf_session_get_vault (self->session));
  TfItem *best = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, i);
      int rank, best_rank;

      if (g_strcmp0 (tf_item_get_string (item, "therapist_id"), me) != 0)
        continue;
      if (best == NULL)
        {
          best = g_steal_pointer (&item);
          continue;
        }
      rank = status_rank (tf_item_get_string (item, "status"));
      best_rank = status_rank (tf_item_get_string (best, "status"));
      if (rank < best_rank ||
          (rank == best_rank && g_strcmp0 (last_change (item), last_change (best)) > 0))
        {
          g_object_unref (best);
          best = g_steal_pointer (&item);
        }
    }
  return best;
}

static TfItem *
find_plan (TfPlanEditor *self, const char *id)
{
  GListModel *model = G_LIST_MODEL (self->plans);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (tf_item_get_id (item), id) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

/* --- the lists ------------------------------------------------------------ */

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static GtkWidget *
remove_button (const char *name, const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  tf_form_label_accessibly (button, label);
  return button;
}

static void rebuild_lists (TfPlanEditor *self);

static void
on_remove_diagnosis_cb (GtkButton *button, TfPlanEditor *self)
{
  const char *code = g_object_get_data (G_OBJECT (button), "tf-code");

  for (guint i = 0; i < self->diagnoses->len; i++)
    if (g_strcmp0 (((Diagnosis *) g_ptr_array_index (self->diagnoses, i))->code, code) == 0)
      {
        g_ptr_array_remove_index (self->diagnoses, i);
        break;
      }
  mark_changed (self);
  rebuild_lists (self);
}

static void
on_remove_text_cb (GtkButton *button, TfPlanEditor *self)
{
  GPtrArray *array = g_object_get_data (G_OBJECT (button), "tf-array");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tf-index"));

  if (index < array->len)
    g_ptr_array_remove_index (array, index);
  mark_changed (self);
  rebuild_lists (self);
}

static void
fill_text_list (TfPlanEditor *self, GtkWidget *list, GPtrArray *array, const char *prefix)
{
  clear_list (list);
  for (guint i = 0; i < array->len; i++)
    {
      const char *text = g_ptr_array_index (array, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = g_strdup_printf ("%s-%u", prefix, i);
      g_autofree char *remove_name = g_strdup_printf ("%s-remove-%u", prefix, i);
      g_autofree char *label = array == self->goals
                                 ? g_strdup_printf (_("Remove the goal “%s”"), text)
                                 : g_strdup_printf (_("Remove the intervention “%s”"), text);
      GtkWidget *remove = remove_button (remove_name, label);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      g_object_set_data (G_OBJECT (remove), "tf-array", array);
      g_object_set_data (G_OBJECT (remove), "tf-index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_text_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
}

static void
rebuild_lists (TfPlanEditor *self)
{
  clear_list (self->diagnoses_list);
  for (guint i = 0; i < self->diagnoses->len; i++)
    {
      Diagnosis *d = g_ptr_array_index (self->diagnoses, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = g_strdup_printf ("plan-diagnosis-%s", d->code);
      g_autofree char *remove_name = g_strdup_printf ("plan-diagnosis-remove-%s", d->code);
      g_autofree char *label = g_strdup_printf (_("Remove %s"), d->code);
      GtkWidget *remove = remove_button (remove_name, label);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), d->code);
      if (d->description != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), d->description);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      g_object_set_data_full (G_OBJECT (remove), "tf-code", g_strdup (d->code), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_diagnosis_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (GTK_LIST_BOX (self->diagnoses_list), row);
    }
  fill_text_list (self, self->goals_list, self->goals, "plan-goal");
  fill_text_list (self, self->interventions_list, self->interventions, "plan-intervention");
  /* An empty boxed list would show as a stray line. */
  gtk_widget_set_visible (self->diagnoses_list, self->diagnoses->len > 0);
  gtk_widget_set_visible (self->goals_list, self->goals->len > 0);
  gtk_widget_set_visible (self->interventions_list, self->interventions->len > 0);
}

/* --- diagnoses ------------------------------------------------------------ */

static gboolean
has_code (TfPlanEditor *self, const char *code)
{
  for (guint i = 0; i < self->diagnoses->len; i++)
    if (g_strcmp0 (((Diagnosis *) g_ptr_array_index (self->diagnoses, i))->code, code) == 0)
      return TRUE;
  return FALSE;
}

/* Adds @code (as typed, or a common one in any case) with @description
 * (NULL: the common one's, if any).  FALSE, with the reason shown under the
 * entry, when it is not a code or already listed. */
static gboolean
add_code (TfPlanEditor *self, const char *typed, const char *description)
{
  const TfIcd10Code *known = tf_icd10_lookup (typed);
  const char *code = known != NULL ? known->code : typed;
  g_autoptr(GError) error = NULL;

  if (!tf_validate_icd10_code (code, &error))
    {
      show_error (self->code_error, self->code, error->message);
      return FALSE;
    }
  if (has_code (self, code))
    {
      g_autofree char *message = g_strdup_printf (_("%s is already in the list"), code);

      show_error (self->code_error, self->code, message);
      return FALSE;
    }
  if ((description == NULL || *description == '\0') && known != NULL)
    description = _(known->description);
  g_ptr_array_add (self->diagnoses, diagnosis_new (code, description));
  show_error (self->code_error, self->code, NULL);
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->code), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_description), "");
  self->filling = FALSE;
  gtk_widget_set_visible (self->suggestions, FALSE);
  mark_changed (self);
  rebuild_lists (self);
  return TRUE;
}

static void
on_add_code_cb (TfPlanEditor *self)
{
  g_autofree char *code = dup_trimmed (self->code);
  g_autofree char *description = dup_trimmed (self->code_description);

  add_code (self, code, description);
}

static void
on_suggestion_activated_cb (TfPlanEditor *self, GtkListBoxRow *row)
{
  add_code (self, g_object_get_data (G_OBJECT (row), "tf-code"), NULL);
}

static void
on_code_changed_cb (TfPlanEditor *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) found = NULL;

  if (self->filling)
    return;
  mark_changed (self);
  text = dup_trimmed (self->code);
  show_error (self->code_error, self->code, NULL);
  clear_list (self->suggestions);
  found = tf_icd10_search (text, N_SUGGESTIONS);
  for (guint i = 0; i < found->len; i++)
    {
      const TfIcd10Code *entry = g_ptr_array_index (found, i);
      g_autofree char *name = NULL;
      GtkWidget *row;

      if (has_code (self, entry->code))
        continue;
      row = adw_action_row_new ();
      name = g_strdup_printf ("plan-suggestion-%s", entry->code);
      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->code);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(entry->description));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("list-add-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "tf-code", (gpointer) entry->code);
      gtk_list_box_append (GTK_LIST_BOX (self->suggestions), row);
    }
  gtk_widget_set_visible (self->suggestions,
                          gtk_widget_get_first_child (self->suggestions) != NULL);
}

/* --- goals and interventions ---------------------------------------------- */

static void
add_text (TfPlanEditor *self, GtkWidget *entry, GPtrArray *array)
{
  g_autofree char *text = dup_trimmed (entry);

  if (*text == '\0')
    return;
  g_ptr_array_add (array, g_steal_pointer (&text));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  mark_changed (self);
  rebuild_lists (self);
}

static void
on_add_goal_cb (TfPlanEditor *self)
{
  add_text (self, self->goal, self->goals);
}

static void
on_add_intervention_cb (TfPlanEditor *self)
{
  add_text (self, self->intervention, self->interventions);
}

/* --- filling the form ----------------------------------------------------- */

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "active") == 0)
    return _("Active");
  if (g_strcmp0 (status, "on_hold") == 0)
    return _("On Hold");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Completed");
  return status;
}

/* The combo names the three statuses, and @other when it is none of them. */
static void
set_status (TfPlanEditor *self, const char *status)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->status_labels));

  g_clear_pointer (&self->other_status, g_free);
  gtk_string_list_splice (self->status_labels, G_N_ELEMENTS (statuses),
                          n - G_N_ELEMENTS (statuses), NULL);
  if (status == NULL)
    status = "active";
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (statuses[i], status) == 0)
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->status), i);
        return;
      }
  self->other_status = g_strdup (status);
  gtk_string_list_append (self->status_labels, status);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->status), G_N_ELEMENTS (statuses));
}

static const char *
get_status (TfPlanEditor *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->status));

  if (selected < G_N_ELEMENTS (statuses))
    return statuses[selected];
  return self->other_status != NULL ? self->other_status : "active";
}

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
        g_ptr_array_add (array, diagnosis_new (json_node_get_string (item), NULL));
      else if (JSON_NODE_HOLDS_OBJECT (item))
        {
          JsonObject *o = json_node_get_object (item);
          const char *code = tf_json_get_string (o, "code");

          if (code != NULL)
            g_ptr_array_add (array, diagnosis_new (code, tf_json_get_string (o, "description")));
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
  show_error (self->code_error, self->code, NULL);
  show_error (self->error, NULL, NULL);
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
}

/* The form from @plan (NULL: a new, empty plan). */
static void
fill_form (TfPlanEditor *self, TfItem *plan)
{
  JsonObject *plain = plan ? tf_item_get_plain (plan) : NULL;
  const char *review = plan ? tf_item_get_string (plan, "review_date") : NULL;

  self->filling = TRUE;
  g_clear_pointer (&self->plan_id, g_free);
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
  set_status (self, plan ? tf_item_get_string (plan, "status") : "active");
  gtk_editable_set_text (GTK_EDITABLE (self->review_date), review ? review : "");
  clear_entries (self);
  rebuild_lists (self);
  update_heading (self, plan);
  self->dirty = FALSE;
  self->filling = FALSE;
}

/* Follows the repository, unless the therapist is changing the form. */
static void
reload (TfPlanEditor *self)
{
  g_autoptr(TfItem) plan = NULL;

  if (self->dirty)
    return;
  plan = self->plan_id ? find_plan (self, self->plan_id) : NULL;
  if (plan == NULL)
    plan = find_current (self);
  if (plan == NULL)
    {
      g_clear_pointer (&self->plan_id, g_free);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  if (tf_item_get_boolean (plan, "unreadable", FALSE))
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "unreadable");
      return;
    }
  fill_form (self, plan);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plan");
}

static void
on_create_clicked_cb (TfPlanEditor *self)
{
  fill_form (self, NULL);
  /* Nothing is stored yet: a reload must not take the form away. */
  self->dirty = TRUE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plan");
  gtk_widget_grab_focus (self->code);
}

static void
on_synced_cb (TfPlanEditor *self)
{
  tf_repository_refresh (self->plans, NULL);
}

/* --- saving --------------------------------------------------------------- */

static void fail (TfPlanEditor *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
fail (TfPlanEditor *self, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  show_error (self->error, NULL, message);
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
      Diagnosis *d = g_ptr_array_index (array, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "code", d->code);
      if (d->description != NULL)
        json_object_set_string_member (o, "description", d->description);
      json_array_add_object_element (items, o);
    }
  json_node_take_array (node, items);
  return node;
}

static void
on_save_clicked_cb (TfPlanEditor *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autofree char *review = dup_trimmed (self->review_date);
  g_autofree char *code = dup_trimmed (self->code);
  g_autofree char *id = NULL;
  int year, month, day;

  show_error (self->error, NULL, NULL);
  /* What is typed but not added yet is part of the plan too. */
  if (*code != '\0')
    {
      g_autofree char *description = dup_trimmed (self->code_description);

      if (!add_code (self, code, description))
        {
          fail (self, _("The treatment plan was not saved: %s"),
                gtk_label_get_text (GTK_LABEL (self->code_error)));
          return;
        }
    }
  add_text (self, self->goal, self->goals);
  add_text (self, self->intervention, self->interventions);
  if (*review != '\0' && !tf_time_parse_date (review, &year, &month, &day, NULL))
    {
      gtk_widget_add_css_class (self->review_date, "error");
      fail (self, _("“%s” is not a date; write it as YYYY-MM-DD"), review);
      return;
    }
  gtk_widget_remove_css_class (self->review_date, "error");

  if (self->plan_id != NULL)
    {
      /* An edit is the stored plain form with the changes applied. */
      id = g_strdup (self->plan_id);
      plain = tf_vault_get (vault, plans_table (), id, &error);
      if (plain == NULL)
        {
          fail (self, _("The treatment plan was not saved: %s"), error->message);
          return;
        }
    }
  else
    {
      id = g_uuid_string_random ();
      plain = json_object_new ();
      json_object_set_string_member (plain, "id", id);
      json_object_set_string_member (plain, "client_id", self->client_id);
      json_object_set_string_member (plain, "therapist_id", tf_vault_get_user_id (vault));
      json_object_set_string_member (plain, "created_at", stamp);
    }
  json_object_set_member (plain, "diagnosis_codes", diagnoses_node (self->diagnoses));
  json_object_set_member (plain, "treatment_goals", texts_node (self->goals));
  json_object_set_member (plain, "interventions", texts_node (self->interventions));
  if (*review != '\0')
    json_object_set_string_member (plain, "review_date", review);
  else
    json_object_set_null_member (plain, "review_date");
  json_object_set_string_member (plain, "status", get_status (self));
  json_object_set_string_member (plain, "updated_at", stamp);

  if (!tf_vault_put (vault, plans_table (), id, plain, &error))
    {
      /* The form stays as it is. */
      fail (self, _("The treatment plan was not saved: %s"), error->message);
      return;
    }
  g_free (self->plan_id);
  self->plan_id = g_steal_pointer (&id);
  self->dirty = FALSE;
  tf_repository_refresh (self->plans, NULL);
  reload (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Treatment plan saved"));
}

/* --- building ------------------------------------------------------------- */

static void
tf_plan_editor_dispose (GObject *object)
{
  TfPlanEditor *self = TF_PLAN_EDITOR (object);

  tf_form_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->plans);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->plan_id, g_free);
  g_clear_pointer (&self->other_status, g_free);
  g_clear_pointer (&self->diagnoses, g_ptr_array_unref);
  g_clear_pointer (&self->goals, g_ptr_array_unref);
  g_clear_pointer (&self->interventions, g_ptr_array_unref);
  G_OBJECT_CLASS (tf_plan_editor_parent_class)->dispose (object);
}

static void
tf_plan_editor_class_init (TfPlanEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_plan_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
}

static GtkWidget *
error_label (const char *name, const char *accessible)
{
  GtkWidget *label = tf_form_error_label_new (name, accessible);

  gtk_widget_set_margin_top (label, 6);
  return label;
}

static GtkWidget *
boxed_list (const char *name, const char *accessible)
{
  GtkWidget *list = gtk_list_box_new ();

  if (name != NULL)
    gtk_widget_set_name (list, name);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  tf_form_label_accessibly (list, accessible);
  return list;
}

static GtkWidget *
entry_row (const char *name, const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static GtkWidget *
add_button (const char *name, const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("list-add-symbolic");

  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  tf_form_label_accessibly (button, label);
  return button;
}

/* A group with its list, an entry to add to it and its add button. */
static GtkWidget *
text_group (TfPlanEditor *self, const char *title, const char *description,
            GtkWidget **out_list, GtkWidget **out_entry, const char *name,
            const char *entry_title, const char *add_label, GCallback on_add)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *entries = boxed_list (NULL, entry_title);
  g_autofree char *list_name = g_strdup_printf ("%ss", name);
  g_autofree char *add_name = g_strdup_printf ("%s-add", name);
  GtkWidget *add = add_button (add_name, add_label);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  *out_list = boxed_list (list_name, title);
  gtk_widget_set_margin_bottom (*out_list, 12);
  *out_entry = entry_row (name, entry_title);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (*out_entry), add);
  g_signal_connect_swapped (add, "clicked", on_add, self);
  g_signal_connect_swapped (*out_entry, "entry-activated", on_add, self);
  g_signal_connect_swapped (*out_entry, "changed", G_CALLBACK (mark_changed), self);
  gtk_list_box_append (GTK_LIST_BOX (entries), *out_entry);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), *out_list);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), entries);
  return group;
}

static GtkWidget *
build_status_group (TfPlanEditor *self)
{
  GtkWidget *group = adw_preferences_group_new ();

  self->status_labels = gtk_string_list_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    gtk_string_list_append (self->status_labels, status_label (statuses[i]));
  self->status = adw_combo_row_new ();
  gtk_widget_set_name (self->status, "plan-status");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status), _("Status"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->status), G_LIST_MODEL (self->status_labels));
  g_object_unref (self->status_labels); /* the combo row holds it */
  g_signal_connect_swapped (self->status, "notify::selected", G_CALLBACK (mark_changed), self);

  self->review_date = entry_row ("plan-review-date", _("Review Date (YYYY-MM-DD)"));
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->review_date),
                            tf_form_date_button_new (self->review_date));
  g_signal_connect_swapped (self->review_date, "changed", G_CALLBACK (mark_changed), self);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Treatment Plan"));
  self->heading = gtk_label_new (NULL);
  gtk_widget_set_name (self->heading, "plan-heading");
  gtk_widget_add_css_class (self->heading, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (self->heading), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->heading), 0);
  gtk_widget_set_margin_bottom (self->heading, 6);
  self->new_plan = gtk_button_new_with_mnemonic (_("_New Plan"));
  gtk_widget_set_name (self->new_plan, "plan-new");
  gtk_widget_set_tooltip_text (self->new_plan, _("Start a new plan after this completed one"));
  gtk_widget_add_css_class (self->new_plan, "flat");
  gtk_widget_set_valign (self->new_plan, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->new_plan, "clicked", G_CALLBACK (on_create_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), self->new_plan);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->heading);
  {
    GtkWidget *rows = boxed_list (NULL, _("Status and review"));

    gtk_list_box_append (GTK_LIST_BOX (rows), self->status);
    gtk_list_box_append (GTK_LIST_BOX (rows), self->review_date);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), rows);
  }
  return group;
}

static GtkWidget *
build_diagnoses_group (TfPlanEditor *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *entries = boxed_list (NULL, _("Add a diagnosis"));
  GtkWidget *add = add_button ("plan-code-add", _("Add Diagnosis"));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Diagnoses (ICD-10)"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Type a code such as F41.1, or words of its name, "
                                           "and choose from the common codes."));
  self->diagnoses_list = boxed_list ("plan-diagnoses", _("Diagnoses"));
  gtk_widget_set_margin_bottom (self->diagnoses_list, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->diagnoses_list);

  self->code = entry_row ("plan-code", _("ICD-10 Code"));
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->code), add);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_code_cb), self);
  g_signal_connect_swapped (self->code, "entry-activated", G_CALLBACK (on_add_code_cb), self);
  g_signal_connect_swapped (self->code, "changed", G_CALLBACK (on_code_changed_cb), self);
  self->code_description = entry_row ("plan-code-description", _("Description (optional)"));
  g_signal_connect_swapped (self->code_description, "entry-activated",
                            G_CALLBACK (on_add_code_cb), self);
  g_signal_connect_swapped (self->code_description, "changed", G_CALLBACK (mark_changed), self);
  gtk_list_box_append (GTK_LIST_BOX (entries), self->code);
  gtk_list_box_append (GTK_LIST_BOX (entries), self->code_description);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), entries);

  self->code_error = error_label ("plan-code-error", _("Problem with the code"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->code_error);
  self->suggestions = boxed_list ("plan-suggestions", _("Common ICD-10 codes"));
  gtk_widget_set_margin_top (self->suggestions, 6);
  gtk_widget_set_visible (self->suggestions, FALSE);
  g_signal_connect_swapped (self->suggestions, "row-activated",
                            G_CALLBACK (on_suggestion_activated_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->suggestions);
  return group;
}

static GtkWidget *
build_plan (TfPlanEditor *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *save_group = adw_preferences_group_new ();
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Plan"));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (build_status_group (self)));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (build_diagnoses_group (self)));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (text_group (
                              self, _("Treatment Goals"),
                              _("What the client and you are working towards."),
                              &self->goals_list, &self->goal, "plan-goal", _("New Goal"),
                              _("Add Goal"), G_CALLBACK (on_add_goal_cb))));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (text_group (
                              self, _("Interventions"),
                              _("The methods and techniques you plan to use."),
                              &self->interventions_list, &self->intervention,
                              "plan-intervention", _("New Intervention"),
                              _("Add Intervention"), G_CALLBACK (on_add_intervention_cb))));

  self->error = error_label ("plan-error", _("Problem with the plan"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (save_group), self->error);
  gtk_widget_set_name (save, "plan-save");
  gtk_widget_set_tooltip_text (save, _("Save the treatment plan"));
  gtk_widget_add_css_class (save, "pill");
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_halign (save, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (save, 12);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (save_group), save);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (save_group));
  return page;
}

static GtkWidget *
build_empty (TfPlanEditor *self)
{
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *create = gtk_button_new_with_mnemonic (_("_Create a Treatment Plan"));

  gtk_widget_set_name (status, "plan-empty");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "document-edit-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Treatment Plan"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Diagnoses, goals and interventions for this client, "
                                     "readable only by you."));
  gtk_widget_set_name (create, "plan-create");
  gtk_widget_add_css_class (create, "pill");
  gtk_widget_add_css_class (create, "suggested-action");
  gtk_widget_set_halign (create, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (create, "clicked", G_CALLBACK (on_create_clicked_cb), self);
  adw_status_page_set_child (ADW_STATUS_PAGE (status), create);
  gtk_widget_add_css_class (status, "compact");
  return status;
}

static GtkWidget *
build_unreadable (void)
{
  GtkWidget *status = adw_status_page_new ();

  gtk_widget_set_name (status, "plan-unreadable");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-password-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status),
                             _("This Treatment Plan Cannot Be Opened on This Device"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Its key is not on this computer. Sync again, or open "
                                     "it on the device where you wrote it."));
  gtk_widget_add_css_class (status, "compact");
  return status;
}

static void
tf_plan_editor_init (TfPlanEditor *self)
{
  self->diagnoses = g_ptr_array_new_with_free_func (diagnosis_free);
  self->goals = g_ptr_array_new_with_free_func (g_free);
  self->interventions = g_ptr_array_new_with_free_func (g_free);

  self->stack = gtk_stack_new ();
  gtk_widget_set_name (self->stack, "plan-stack");
  gtk_stack_add_named (GTK_STACK (self->stack), build_empty (self), "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), build_unreadable (), "unreadable");
  gtk_stack_add_named (GTK_STACK (self->stack), build_plan (self), "plan");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
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
  self->plans = tf_repository_new (tf_session_get_vault (session), plans_table (), "client_id",
                                   client_id);
  g_signal_connect_object (self->plans, "items-changed", G_CALLBACK (reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  return GTK_WIDGET (self);
}
