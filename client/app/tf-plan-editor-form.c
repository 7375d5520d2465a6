/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-plan-editor-form.c: the treatment plan's form — the lists of
 * diagnoses, goals and interventions as the therapist adds to them and
 * takes from them (tf-plan-editor.c loads and saves the plan; the widgets
 * are the template tf-plan-editor.ui).
 *
 * The lists are the editor's own copies; each change marks the form dirty
 * and rebuilds the rows (TfRemovableRow, tf-removable-row.ui).  A code is checked with the vault's own validator
 * (tf_validate_icd10_code) before it joins the list; the common F-codes
 * are suggested as one types (tf-icd10.c).
 */
#define G_LOG_DOMAIN "tf-plan-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-date-button.h"
#include "tf-form.h"
#include "tf-icd10.h"
#include "tf-plan-editor-private.h"
#include "tf-removable-row.h"
#include "tf-validate.h"

#define N_SUGGESTIONS 6

/* The statuses the combo offers, in its order. */
static const char *const statuses[] = { "active", "on_hold", "completed" };

/* --- the lists ------------------------------------------------------------ */

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void
on_remove_diagnosis_cb (TfRemovableRow *row, TfPlanEditor *self)
{
  const char *code = g_object_get_data (G_OBJECT (row), "tf-code");

  for (guint i = 0; i < self->diagnoses->len; i++)
    if (g_strcmp0 (((TfPlanDiagnosis *) g_ptr_array_index (self->diagnoses, i))->code, code) == 0)
      {
        g_ptr_array_remove_index (self->diagnoses, i);
        break;
      }
  tf_plan_editor_mark_changed (self);
  tf_plan_editor_rebuild_lists (self);
}

static void
on_remove_text_cb (TfRemovableRow *row, TfPlanEditor *self)
{
  GPtrArray *array = g_object_get_data (G_OBJECT (row), "tf-array");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "tf-index"));

  if (index < array->len)
    g_ptr_array_remove_index (array, index);
  tf_plan_editor_mark_changed (self);
  tf_plan_editor_rebuild_lists (self);
}

static void
fill_text_list (TfPlanEditor *self, GtkWidget *list, GPtrArray *array, const char *prefix)
{
  clear_list (list);
  for (guint i = 0; i < array->len; i++)
    {
      const char *text = g_ptr_array_index (array, i);
      g_autofree char *name = g_strdup_printf ("%s-%u", prefix, i);
      g_autofree char *remove_name = g_strdup_printf ("%s-remove-%u", prefix, i);
      g_autofree char *label = array == self->goals
                                 ? g_strdup_printf (_("Remove the goal “%s”"), text)
                                 : g_strdup_printf (_("Remove the intervention “%s”"), text);
      GtkWidget *row = tf_removable_row_new (name, text, NULL, remove_name, label);

      g_object_set_data (G_OBJECT (row), "tf-array", array);
      g_object_set_data (G_OBJECT (row), "tf-index", GUINT_TO_POINTER (i));
      g_signal_connect (row, "remove", G_CALLBACK (on_remove_text_cb), self);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
}

void
tf_plan_editor_rebuild_lists (TfPlanEditor *self)
{
  clear_list (self->diagnoses_list);
  for (guint i = 0; i < self->diagnoses->len; i++)
    {
      TfPlanDiagnosis *d = g_ptr_array_index (self->diagnoses, i);
      g_autofree char *name = g_strdup_printf ("plan-diagnosis-%s", d->code);
      g_autofree char *remove_name = g_strdup_printf ("plan-diagnosis-remove-%s", d->code);
      g_autofree char *label = g_strdup_printf (_("Remove %s"), d->code);
      GtkWidget *row = tf_removable_row_new (name, d->code, d->description, remove_name, label);

      g_object_set_data_full (G_OBJECT (row), "tf-code", g_strdup (d->code), g_free);
      g_signal_connect (row, "remove", G_CALLBACK (on_remove_diagnosis_cb), self);
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
    if (g_strcmp0 (((TfPlanDiagnosis *) g_ptr_array_index (self->diagnoses, i))->code, code) == 0)
      return TRUE;
  return FALSE;
}

/* Adds @code (as typed, or a common one in any case) with @description
 * (NULL: the common one's, if any).  FALSE, with the reason shown under the
 * entry, when it is not a code or already listed. */
gboolean
tf_plan_editor_add_code (TfPlanEditor *self, const char *typed, const char *description)
{
  const TfIcd10Code *known = tf_icd10_lookup (typed);
  const char *code = known != NULL ? known->code : typed;
  g_autoptr(GError) error = NULL;

  if (!tf_validate_icd10_code (code, &error))
    {
      tf_plan_editor_show_error (self->code_error, self->code, error->message);
      return FALSE;
    }
  if (has_code (self, code))
    {
      g_autofree char *message = g_strdup_printf (_("%s is already in the list"), code);

      tf_plan_editor_show_error (self->code_error, self->code, message);
      return FALSE;
    }
  if ((description == NULL || *description == '\0') && known != NULL)
    description = _(known->description);
  g_ptr_array_add (self->diagnoses, tf_plan_diagnosis_new (code, description));
  tf_plan_editor_show_error (self->code_error, self->code, NULL);
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->code), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_description), "");
  self->filling = FALSE;
  gtk_widget_set_visible (self->suggestions, FALSE);
  tf_plan_editor_mark_changed (self);
  tf_plan_editor_rebuild_lists (self);
  return TRUE;
}

static void
on_add_code_cb (TfPlanEditor *self)
{
  g_autofree char *code = tf_plan_editor_dup_trimmed (self->code);
  g_autofree char *description = tf_plan_editor_dup_trimmed (self->code_description);

  tf_plan_editor_add_code (self, code, description);
}

static void
on_suggestion_activated_cb (TfPlanEditor *self, GtkListBoxRow *row)
{
  tf_plan_editor_add_code (self, g_object_get_data (G_OBJECT (row), "tf-code"), NULL);
}

static void
on_code_changed_cb (TfPlanEditor *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) found = NULL;

  if (self->filling)
    return;
  tf_plan_editor_mark_changed (self);
  text = tf_plan_editor_dup_trimmed (self->code);
  tf_plan_editor_show_error (self->code_error, self->code, NULL);
  clear_list (self->suggestions);
  found = tf_icd10_search (text, N_SUGGESTIONS);
  for (guint i = 0; i < found->len; i++)
    {
      const TfIcd10Code *entry = g_ptr_array_index (found, i);
      g_autofree char *name = NULL;
      GtkWidget *row;

      if (has_code (self, entry->code))
        continue;
      name = g_strdup_printf ("plan-suggestion-%s", entry->code);
      row = tf_removable_row_new_suggestion (name, entry->code, _(entry->description));
      g_object_set_data (G_OBJECT (row), "tf-code", (gpointer) entry->code);
      gtk_list_box_append (GTK_LIST_BOX (self->suggestions), row);
    }
  gtk_widget_set_visible (self->suggestions,
                          gtk_widget_get_first_child (self->suggestions) != NULL);
}

/* --- goals and interventions ---------------------------------------------- */

void
tf_plan_editor_add_text (TfPlanEditor *self, GtkWidget *entry, GPtrArray *array)
{
  g_autofree char *text = tf_plan_editor_dup_trimmed (entry);

  if (*text == '\0')
    return;
  g_ptr_array_add (array, g_steal_pointer (&text));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  tf_plan_editor_mark_changed (self);
  tf_plan_editor_rebuild_lists (self);
}

static void
on_add_goal_cb (TfPlanEditor *self)
{
  tf_plan_editor_add_text (self, self->goal, self->goals);
}

static void
on_add_intervention_cb (TfPlanEditor *self)
{
  tf_plan_editor_add_text (self, self->intervention, self->interventions);
}

/* --- the status ----------------------------------------------------------- */

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
void
tf_plan_editor_set_status (TfPlanEditor *self, const char *status)
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

const char *
tf_plan_editor_get_status (TfPlanEditor *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->status));

  if (selected < G_N_ELEMENTS (statuses))
    return statuses[selected];
  return self->other_status != NULL ? self->other_status : "active";
}

/* --- the template --------------------------------------------------------- */

/* Binds the template callbacks this file holds. */
void
tf_plan_editor_class_bind_form (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_add_code_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_code_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_goal_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_intervention_cb);
}

/* What the template cannot say: the statuses' labels, from the table of
 * statuses stored, and the review date's calendar button (tf-date-button.h). */
void
tf_plan_editor_init_form (TfPlanEditor *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    gtk_string_list_append (labels, status_label (statuses[i]));
  self->status_labels = labels;
  /* Selecting the first status is not a change the therapist made. */
  self->filling = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->status), G_LIST_MODEL (labels));
  self->filling = FALSE;
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->review_date),
                            tf_date_button_new (self->review_date));
}
