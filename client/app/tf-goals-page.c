/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-goals-page.c: goals and habits — a form for a new goal and the list
 * of goals, each with a Done Today check button and its current and best
 * streak.
 *
 * The goals are the session's list of them (tf_session_dup_goals,
 * tf-goals-list.h: each with its streaks and the days done in this
 * period), bound to the list box: a goal or a day done that arrives with a
 * sync changes its own row and the others stay; the page wires no refresh
 * of its own.  Marking a goal done checks the store itself, not the list,
 * so two quick clicks cannot make two records for one day.  The form and the list are the template
 * tf-goals-page.ui; the rows are TfGoalRow, one per goal, each saying how
 * far this period got ("1 of 3 this week") and with Edit, which puts the
 * goal in the form to change or delete it.  The form keeps the id of the
 * goal it saves (editing_id) until it is saved, so Save again after an
 * error never makes a second goal.  Saving and deleting go through
 * tf-goals.c, as in the CLI.  When the session locks with a form that
 * differs from what is saved, it is kept as a draft (tf-drafts.h) of the
 * goal, or of "new" with the id already chosen; after the unlock the
 * window hands it back (restore_draft), shown with a notice and Discard.
 */
#define G_LOG_DOMAIN "tf-goals-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-draft-notice.h"
#include "tf-form.h"
#include "tf-goal-row.h"
#include "tf-goals-page.h"
#include "tf-goals.h"
#include "tf-page.h"
#include "tf-time.h"

struct _TfGoalsPage
{
  GtkWidget       parent_instance;
  TfSession      *session;
  TfRepository   *goals;      /* this account's goals, newest first (tf-goals-list.h) */
  char           *editing_id; /* the goal the form saves; NULL: none chosen yet */
  gboolean        editing;    /* editing_id is a stored goal put in the form by Edit */

  /* template */
  GtkWidget      *page;       /* the only child: bound so that dispose unparents it */
  AdwPreferencesGroup *form;
  GtkWidget      *add;
  GtkWidget      *cancel;
  GtkWidget      *delete;
  AdwEntryRow    *title;
  AdwComboRow    *frequency;
  GtkSpinButton  *target;
  GtkListBox     *list;
  GtkWidget      *draft_notice; /* TfDraftNotice: shown with restored changes */
};

static void tf_goals_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfGoalsPage, tf_goals_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_goals_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static gboolean restore_draft (TfPage *page, JsonObject *draft);

static void
tf_goals_page_page_init (TfPageInterface *iface)
{
  iface->restore_draft = restore_draft;
  iface->name = "goals";
  iface->title = N_("Goals");
  iface->icon_name = "object-select-symbolic";
}

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The frequencies, in the order of the combo row: stored in English. */
static const struct { const char *key; const char *label; } frequencies[] = {
  { "daily", N_("Daily") }, { "weekly", N_("Weekly") }, { "monthly", N_("Monthly") },
};

static void
tf_goals_page_dispose (GObject *object)
{
  TfGoalsPage *self = TF_GOALS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_GOALS_PAGE);
  g_clear_object (&self->goals);
  g_clear_object (&self->session);
  g_clear_pointer (&self->editing_id, g_free);
  G_OBJECT_CLASS (tf_goals_page_parent_class)->dispose (object);
}

static void emit_printf (TfGoalsPage *self, guint signal, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static void
emit_printf (TfGoalsPage *self, guint signal, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit (self, signals[signal], 0, message);
}

static const char *
frequency_label (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (frequencies); i++)
    if (g_strcmp0 (frequencies[i].key, key) == 0)
      return _(frequencies[i].label);
  return _(frequencies[0].label);
}

static char *
dup_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* --- marking done --------------------------------------------------------- */

static void
on_done_clicked_cb (TfGoalRow *row, TfGoalsPage *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  const char *goal_id = tf_goal_row_get_goal_id (row);
  const char *title = tf_goal_row_get_title (row);
  g_autoptr(GError) error = NULL;
  g_autofree char *today = dup_today ();
  g_autofree char *id = NULL;

  id = g_uuid_string_random ();
  if (!tf_goal_mark_done (vault, id, goal_id, today, NULL, NULL, &error))
    {
      if (g_error_matches (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT))
        emit_printf (self, FAILED, _("“%s” is already marked done today"), title);
      else
        emit_printf (self, FAILED, _("The goal was not marked done: %s"), error->message);
      return;
    }
  tf_session_sync (self->session);
  emit_printf (self, SAVED, _("Well done: “%s” is marked done today"), title);
}

/* --- the form: new or edited --------------------------------------------- */

/* The form says whether it makes a goal or changes one. */
static void
show_mode (TfGoalsPage *self)
{
  adw_preferences_group_set_title (self->form, self->editing ? _("Edit Goal") : _("New Goal"));
  gtk_button_set_label (GTK_BUTTON (self->add), self->editing ? _("_Save") : _("_Add Goal"));
  gtk_widget_set_visible (self->cancel, self->editing);
  gtk_widget_set_visible (self->delete, self->editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "goals.cancel", self->editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "goals.delete", self->editing);
}

static void
reset_form (TfGoalsPage *self)
{
  g_clear_pointer (&self->editing_id, g_free);
  self->editing = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->title), "");
  adw_combo_row_set_selected (self->frequency, 0);
  gtk_spin_button_set_value (self->target, 1);
  gtk_widget_set_visible (self->draft_notice, FALSE);
  show_mode (self);
}

/* Puts @goal's {title, frequency, target_count} in the form. */
static void
fill_form (TfGoalsPage *self, JsonObject *goal)
{
  const char *title = tf_json_get_string (goal, "title");

  gtk_editable_set_text (GTK_EDITABLE (self->title), title != NULL ? title : "");
  adw_combo_row_set_selected (self->frequency, 0);
  for (guint i = 0; i < G_N_ELEMENTS (frequencies); i++)
    if (g_strcmp0 (frequencies[i].key, tf_json_get_string (goal, "frequency")) == 0)
      adw_combo_row_set_selected (self->frequency, i);
  gtk_spin_button_set_value (self->target,
                             json_object_get_int_member_with_default (goal, "target_count", 1));
}

/* --- drafts through a lock ------------------------------------------------ */

static const char *
draft_key (TfGoalsPage *self)
{
  return self->editing ? self->editing_id : "new";
}

static void
forget_draft (TfGoalsPage *self)
{
  tf_draft_notice_forget (self->draft_notice, self->session, "goals", draft_key (self));
}

/* {id (or none yet), title, frequency, target_count}: the form as it is,
 * or (@typed FALSE) as saved, or as reset_form leaves a new one. */
static JsonObject *
dup_fields (TfGoalsPage *self, gboolean typed)
{
  g_autoptr(TfItem) goal = !typed && self->editing
                             ? tf_repository_dup_item (self->goals, self->editing_id) : NULL;
  guint chosen = adw_combo_row_get_selected (self->frequency);
  JsonObject *fields = json_object_new ();

  if (self->editing_id != NULL)
    json_object_set_string_member (fields, "id", self->editing_id);
  if (typed)
    {
      json_object_set_string_member (fields, "title",
                                     gtk_editable_get_text (GTK_EDITABLE (self->title)));
      json_object_set_string_member (fields, "frequency",
                                     frequencies[MIN (chosen, G_N_ELEMENTS (frequencies) - 1)].key);
      json_object_set_int_member (fields, "target_count",
                                  gtk_spin_button_get_value_as_int (self->target));
      return fields;
    }
  json_object_set_string_member (fields, "title",
                                 goal != NULL && tf_item_get_string (goal, "title") != NULL
                                   ? tf_item_get_string (goal, "title") : "");
  json_object_set_string_member (fields, "frequency",
                                 goal != NULL ? tf_item_get_string (goal, "frequency")
                                              : frequencies[0].key);
  json_object_set_int_member (fields, "target_count",
                              goal != NULL ? tf_item_get_int (goal, "target_count", 1) : 1);
  return fields;
}

static void
on_locking_cb (TfGoalsPage *self)
{
  g_autoptr(JsonObject) typed = dup_fields (self, TRUE);
  g_autoptr(JsonObject) saved = dup_fields (self, FALSE);

  tf_draft_keep (self->session, "goals", draft_key (self), typed, saved);
}

/* After the unlock: the goal (or a new one, with the id it had) in the
 * form as it was. */
static gboolean
restore_draft (TfPage *page, JsonObject *draft)
{
  TfGoalsPage *self = TF_GOALS_PAGE (page);
  const char *key = tf_json_get_string (draft, "record_key");
  JsonObject *typed = json_object_get_object_member (draft, "content");
  gboolean editing = g_strcmp0 (key, "new") != 0;

  if (g_strcmp0 (tf_json_get_string (draft, "form"), "goals") != 0 || typed == NULL)
    return FALSE;
  if (editing)
    {
      g_autoptr(TfItem) goal = tf_repository_dup_item (self->goals, key);

      if (goal == NULL)
        return FALSE;
    }
  g_free (self->editing_id);
  self->editing_id = g_strdup (editing ? key : tf_json_get_string (typed, "id"));
  self->editing = editing;
  fill_form (self, typed);
  show_mode (self);
  gtk_widget_set_visible (self->draft_notice, TRUE);
  return TRUE;
}

/* Discard on the notice: the goal as saved (or an empty new one). */
static void
on_draft_discard_cb (TfGoalsPage *self)
{
  g_autoptr(JsonObject) saved = dup_fields (self, FALSE);

  forget_draft (self);
  if (self->editing)
    fill_form (self, saved);
  else
    reset_form (self);
}

static void
on_edit_clicked_cb (TfGoalRow *row, TfGoalsPage *self)
{
  const char *id = tf_goal_row_get_goal_id (row);
  g_autoptr(TfItem) goal = tf_repository_dup_item (self->goals, id);

  if (goal == NULL)
    return;
  g_free (self->editing_id);
  self->editing_id = g_strdup (id);
  self->editing = TRUE;
  fill_form (self, tf_item_get_plain (goal));
  gtk_widget_set_visible (self->draft_notice, FALSE);
  show_mode (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->title));
}

static void
on_cancel_clicked_cb (TfGoalsPage *self)
{
  forget_draft (self);
  reset_form (self);
}

/* Asked first: the days the goal was done go with it. */
static void
delete_goal (GtkWidget *widget, const char *id)
{
  TfGoalsPage *self = TF_GOALS_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!tf_goal_delete (tf_session_get_vault (self->session), id, &error))
    {
      emit_printf (self, FAILED, _("The goal was not deleted: %s"), error->message);
      return;
    }
  if (self->editing && g_strcmp0 (self->editing_id, id) == 0)
    {
      forget_draft (self);
      reset_form (self);
    }
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Goal deleted"));
}

static void
on_delete_clicked_cb (TfGoalsPage *self)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (!self->editing || self->editing_id == NULL)
    return;
  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title))));
  body = g_strdup_printf (_("“%s” and the days it was done will be deleted from this computer "
                            "and, at the next sync, from your other devices. This cannot be "
                            "undone."), title);
  tf_form_confirm_delete (GTK_WIDGET (self), "goals-delete-dialog", _("Delete This Goal?"), body,
                          self->editing_id, delete_goal);
}

/* "1 of 3 this week": the days done in this period, of the target. */
static char *
dup_so_far (const char *frequency, guint done, guint target)
{
  if (g_strcmp0 (frequency, "weekly") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u this week",
                                         "%u of %u this week", target), done, target);
  if (g_strcmp0 (frequency, "monthly") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u this month",
                                         "%u of %u this month", target), done, target);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u today", "%u of %u today",
                                       target), done, target);
}

/* --- the list ------------------------------------------------------------- */

static GtkWidget *
create_row (gpointer item, gpointer data)
{
  TfGoalsPage *self = data;
  TfItem *goal = item;
  GtkWidget *row;
  const char *title = tf_item_get_string (goal, "title");
  const char *frequency = tf_item_get_string (goal, "frequency");
  gint64 target = tf_item_get_int (goal, "target_count", 1);
  gboolean done_today = tf_item_get_boolean (goal, "done_today", FALSE);
  g_autofree char *streaks = NULL;
  g_autofree char *times = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *so_far = NULL;

  if (title == NULL)
    title = "";
  times = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d time", "%d times", (gulong) target),
                           (int) target);
  streaks = g_strdup_printf (_("Current streak: %u · Best streak: %u"),
                             (guint) tf_item_get_int (goal, "current_streak", 0),
                             (guint) tf_item_get_int (goal, "best_streak", 0));
  so_far = dup_so_far (frequency, (guint) tf_item_get_int (goal, "done_in_period", 0),
                       (guint) target);
  subtitle = g_strdup_printf ("%s · %s%s%s\n%s · %s", frequency_label (frequency), times,
                              done_today ? " · " : "", done_today ? _("Done today") : "",
                              so_far, streaks);
  row = tf_goal_row_new (tf_item_get_id (goal), title, subtitle, done_today);
  g_signal_connect_object (row, "done", G_CALLBACK (on_done_clicked_cb), self, 0);
  g_signal_connect_object (row, "edit", G_CALLBACK (on_edit_clicked_cb), self, 0);
  return row;
}

/* --- a new goal ----------------------------------------------------------- */

static void
on_add_clicked_cb (TfGoalsPage *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                   self->title))));
  guint chosen = adw_combo_row_get_selected (self->frequency);
  gboolean edit = self->editing;

  if (*title == '\0')
    {
      g_signal_emit (self, signals[FAILED], 0, _("Give the goal a title"));
      gtk_widget_grab_focus (GTK_WIDGET (self->title));
      return;
    }
  if (chosen >= G_N_ELEMENTS (frequencies))
    chosen = 0;
  /* The id is chosen once per goal and kept through failures. */
  if (self->editing_id == NULL)
    self->editing_id = g_uuid_string_random ();
  if (!tf_goal_save (vault, self->editing_id, title, frequencies[chosen].key,
                     gtk_spin_button_get_value_as_int (self->target), NULL, &error))
    {
      /* What was typed stays in the form. */
      emit_printf (self, FAILED, _("The goal was not saved: %s"), error->message);
      return;
    }
  forget_draft (self);
  reset_form (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, edit ? _("Goal changed") : _("Goal added"));
}

/* --- building ------------------------------------------------------------- */

/* --- actions -------------------------------------------------------------- */

/* Saves the form; not from the list beside it, where Ctrl+S has no form
 * in hand. */
static void
save_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfGoalsPage *self = TF_GOALS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list)))
    return;
  on_add_clicked_cb (self);
}

static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_cancel_clicked_cb (TF_GOALS_PAGE (widget));
}

static void
delete_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_delete_clicked_cb (TF_GOALS_PAGE (widget));
}

static void
tf_goals_page_class_init (TfGoalsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_goals_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-goals-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfGoalsPage, name)
  BIND (page);
  BIND (form);
  BIND (add);
  BIND (cancel);
  BIND (delete);
  BIND (title);
  BIND (frequency);
  BIND (target);
  BIND (list);
  BIND (draft_notice);
#undef BIND
  g_type_ensure (TF_TYPE_DRAFT_NOTICE);
  gtk_widget_class_bind_template_callback (widget_class, on_draft_discard_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);

  gtk_widget_class_install_action (widget_class, "goals.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "goals.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "goals.delete", NULL, delete_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "goals.save",
                                       NULL);
}

static void
tf_goals_page_init (TfGoalsPage *self)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The choices come from the table the stored keys come from. */
  for (guint i = 0; i < G_N_ELEMENTS (frequencies); i++)
    gtk_string_list_append (choices, _(frequencies[i].label));
  adw_combo_row_set_model (self->frequency, G_LIST_MODEL (choices));
}

GtkWidget *
tf_goals_page_new (TfSession *session)
{
  TfGoalsPage *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);

  self = g_object_new (TF_TYPE_GOALS_PAGE, NULL);
  self->session = g_object_ref (session);
  self->goals = tf_session_dup_goals (session);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->goals), create_row, self, NULL);
  g_signal_connect_object (session, "locking", G_CALLBACK (on_locking_cb), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
