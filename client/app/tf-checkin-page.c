/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-checkin-page.c: the check-in form and the recent check-ins.
 *
 * The form, its five faces and its emotion chips are the template
 * tf-checkin-page.ui (a chip's name says the key stored, its label what is
 * shown); this file says what each face sets the sliders to, binds the
 * recent check-ins (TfEntryRow) and saves through tf_checkin_save().  What was typed stays in the form until it is saved;
 * a failed save keeps it and says why.
 *
 * The form holds the id of the check-in it saves (editing_id): chosen at
 * the first Save of a new check-in, or the one picked in the list, and
 * forgotten only once it is saved or the edit is cancelled.  Save again
 * after an error, or twice, writes the same record: never a second one.
 *
 * When the session locks with a form that differs from what is saved (or
 * from an empty new check-in), it is kept as a draft (tf-drafts.h) of that
 * check-in, or of "new" with the id already chosen; after the unlock the
 * window hands it back (restore_draft) and the form shows it with a notice
 * and Discard.
 */
#define G_LOG_DOMAIN "tf-checkin-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-checkin-page.h"
#include "tf-checkin.h"
#include "tf-draft-notice.h"
#include "tf-entry-row.h"
#include "tf-form.h"
#include "tf-page.h"
#include "tf-time.h"

struct _TfCheckinPage
{
  GtkWidget      parent_instance;
  TfSession     *session;
  TfRepository  *history;
  char          *editing_id;  /* the check-in the form saves; NULL: none chosen yet */
  gboolean       editing;     /* editing_id is a stored check-in picked in the list */
  /* template */
  GtkWidget     *page;        /* the only child: bound so that dispose unparents it */
  GtkBox        *faces;
  GtkLabel      *status;
  GtkWidget     *cancel;
  GtkWidget     *delete;
  GtkWidget     *save;
  GtkScale      *mood;
  GtkScale      *energy;
  GtkScale      *anxiety;
  GtkFlowBox    *emotions;
  GtkTextView   *note;
  GtkListBox    *list;
  GtkWidget     *draft_notice; /* TfDraftNotice: shown with restored changes */
  GPtrArray     *chips;       /* the template's emotion chips, in its order */
};

static void tf_checkin_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfCheckinPage, tf_checkin_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_checkin_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static gboolean restore_draft (TfPage *page, JsonObject *draft);

static void
tf_checkin_page_page_init (TfPageInterface *iface)
{
  iface->restore_draft = restore_draft;
  iface->name = "checkin";
  iface->title = N_("Check-In");
  iface->icon_name = "emblem-favorite-symbolic";
}

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* What each of the five faces of the one-tap row sets the sliders to, in
 * the order of the template's faces, saddest first: a starting point the
 * person can still move. */
static const struct { int mood, energy, anxiety; } faces[] = {
  { 2, 3, 8 }, { 4, 4, 6 }, { 6, 5, 5 }, { 8, 7, 3 }, { 10, 8, 2 },
};

/* The emotion stored as @key, translated: the label of its chip, or @key
 * itself when no chip offers it. */
static const char *
emotion_label (TfCheckinPage *self, const char *key)
{
  for (guint i = 0; i < self->chips->len; i++)
    {
      GtkWidget *chip = g_ptr_array_index (self->chips, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (chip), "key"), key) == 0)
        return gtk_button_get_label (GTK_BUTTON (chip));
    }
  return key;
}

/* "Mood 6 · Energy 5 · Anxiety 3", and when and what was felt. */
static GtkWidget *
create_row (gpointer item, gpointer data)
{
  TfCheckinPage *self = data;
  TfItem *entry = item;
  g_autofree char *title = g_strdup_printf (_("Mood %d · Energy %d · Anxiety %d"),
                                            (int) tf_item_get_int (entry, "mood_value", 0),
                                            (int) tf_item_get_int (entry, "energy_level", 0),
                                            (int) tf_item_get_int (entry, "anxiety_level", 0));
  g_autofree char *when = tf_form_format_local (tf_item_get_string (entry, "created_at"),
                                                "%x %H:%M");
  g_autoptr(GString) subtitle = g_string_new (when);
  JsonNode *felt = json_object_get_member (tf_item_get_plain (entry), "emotions");
  const char *note = tf_item_get_string (entry, "notes");

  if (felt != NULL && JSON_NODE_HOLDS_ARRAY (felt))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (felt)); i++)
      g_string_append_printf (subtitle, "%s%s", i == 0 ? " — " : ", ",
                              emotion_label (self, json_array_get_string_element (
                                json_node_get_array (felt), i)));
  if (note != NULL && *note != '\0')
    g_string_append_printf (subtitle, "\n%s", note);
  return tf_entry_row_new (entry, title, subtitle->str, 4, FALSE);
}

static void
set_chip_active (GtkWidget *chip, gboolean active)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip), active);
}

/* Says in the bar what Save will do, and shows Cancel and Delete while a
 * stored check-in is in the form. */
static void
show_mode (TfCheckinPage *self, const char *when)
{
  g_autofree char *text = NULL;

  if (self->editing)
    text = g_strdup_printf (_("Editing the check-in of %s"), when ? when : "");
  gtk_label_set_text (self->status, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), self->editing);
  gtk_widget_set_visible (self->cancel, self->editing);
  gtk_widget_set_visible (self->delete, self->editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.cancel", self->editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.delete", self->editing);
  gtk_button_set_label (GTK_BUTTON (self->save),
                        self->editing ? _("_Save") : _("_Save Check-In"));
}

static void
reset_form (TfCheckinPage *self)
{
  g_clear_pointer (&self->editing_id, g_free);
  self->editing = FALSE;
  gtk_range_set_value (GTK_RANGE (self->mood), 5);
  gtk_range_set_value (GTK_RANGE (self->energy), 5);
  gtk_range_set_value (GTK_RANGE (self->anxiety), 5);
  for (guint i = 0; i < self->chips->len; i++)
    set_chip_active (g_ptr_array_index (self->chips, i), FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note), "", -1);
  gtk_widget_set_visible (self->draft_notice, FALSE);
  show_mode (self, NULL);
}


/* Puts the stored check-in @entry in the form, to be edited or deleted. */
static void
load_entry (TfCheckinPage *self, TfItem *entry)
{
  JsonObject *plain = tf_item_get_plain (entry);
  JsonNode *felt = json_object_get_member (plain, "emotions");
  g_autofree char *when = tf_form_format_local (tf_item_get_string (entry, "created_at"),
                                                "%x %H:%M");
  const char *note = tf_item_get_string (entry, "notes");

  if (json_object_get_boolean_member_with_default (plain, "unreadable", FALSE))
    return;
  g_free (self->editing_id);
  self->editing_id = g_strdup (tf_json_get_string (plain, "id"));
  self->editing = TRUE;
  gtk_range_set_value (GTK_RANGE (self->mood), tf_item_get_int (entry, "mood_value", 5));
  gtk_range_set_value (GTK_RANGE (self->energy), tf_item_get_int (entry, "energy_level", 5));
  gtk_range_set_value (GTK_RANGE (self->anxiety), tf_item_get_int (entry, "anxiety_level", 5));
  for (guint c = 0; c < self->chips->len; c++)
    {
      GtkWidget *chip = g_ptr_array_index (self->chips, c);
      const char *key = g_object_get_data (G_OBJECT (chip), "key");
      gboolean on = FALSE;

      for (guint i = 0; felt != NULL && JSON_NODE_HOLDS_ARRAY (felt) &&
                        i < json_array_get_length (json_node_get_array (felt)); i++)
        on |= g_strcmp0 (json_array_get_string_element (json_node_get_array (felt), i), key) == 0;
      set_chip_active (chip, on);
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note), note ? note : "", -1);
  gtk_widget_set_visible (self->draft_notice, FALSE);
  show_mode (self, when);
  gtk_widget_grab_focus (GTK_WIDGET (self->mood));
}

static void
on_row_activated (TfCheckinPage *self, GtkListBoxRow *row)
{
  TfItem *entry = TF_IS_ENTRY_ROW (row) ? tf_entry_row_get_item (TF_ENTRY_ROW (row)) : NULL;

  if (entry != NULL && g_strcmp0 (tf_item_get_string (entry, "user_id"),
                                   tf_vault_get_user_id (tf_session_get_vault (self->session))) == 0)
    load_entry (self, entry);
}

/* --- drafts through a lock ------------------------------------------------ */

static const char *
draft_key (TfCheckinPage *self)
{
  return self->editing ? self->editing_id : "new";
}

/* Forgets the draft of the check-in in the form, and the notice with it. */
static void
forget_draft (TfCheckinPage *self)
{
  tf_draft_notice_forget (self->draft_notice, self->session, "mood_entries", draft_key (self));
}

/* The form as it is: {id (or none yet), mood_value, energy_level,
 * anxiety_level, emotions, notes}. */
static JsonObject *
dup_typed (TfCheckinPage *self)
{
  JsonObject *typed = json_object_new ();
  JsonArray *felt = json_array_new ();
  g_autofree char *note = tf_form_dup_text (self->note);

  if (self->editing_id != NULL)
    json_object_set_string_member (typed, "id", self->editing_id);
  json_object_set_int_member (typed, "mood_value", (int) gtk_range_get_value (GTK_RANGE (
                                                            self->mood)));
  json_object_set_int_member (typed, "energy_level", (int) gtk_range_get_value (GTK_RANGE (
                                                              self->energy)));
  json_object_set_int_member (typed, "anxiety_level", (int) gtk_range_get_value (GTK_RANGE (
                                                               self->anxiety)));
  for (guint i = 0; i < self->chips->len; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (self->chips, i)))
      json_array_add_string_element (felt, g_object_get_data (g_ptr_array_index (self->chips, i),
                                                              "key"));
  json_object_set_array_member (typed, "emotions", felt);
  json_object_set_string_member (typed, "notes", note);
  return typed;
}

/* Puts @typed (from dup_typed) in the form. */
static void
fill_typed (TfCheckinPage *self, JsonObject *typed)
{
  JsonArray *felt = json_object_get_array_member (typed, "emotions");
  const char *note = tf_json_get_string (typed, "notes");

  gtk_range_set_value (GTK_RANGE (self->mood),
                       json_object_get_int_member_with_default (typed, "mood_value", 5));
  gtk_range_set_value (GTK_RANGE (self->energy),
                       json_object_get_int_member_with_default (typed, "energy_level", 5));
  gtk_range_set_value (GTK_RANGE (self->anxiety),
                       json_object_get_int_member_with_default (typed, "anxiety_level", 5));
  for (guint c = 0; c < self->chips->len; c++)
    {
      GtkWidget *chip = g_ptr_array_index (self->chips, c);
      const char *key = g_object_get_data (G_OBJECT (chip), "key");
      gboolean on = FALSE;

      for (guint i = 0; felt != NULL && i < json_array_get_length (felt); i++)
        on |= g_strcmp0 (json_array_get_string_element (felt, i), key) == 0;
      set_chip_active (chip, on);
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note), note ? note : "", -1);
}

/* The check-in the form edits as saved, or a new one as reset_form
 * leaves it, in the shape of dup_typed. */
static JsonObject *
dup_saved (TfCheckinPage *self)
{
  g_autoptr(TfItem) entry = self->editing
                              ? tf_repository_dup_item (self->history, self->editing_id) : NULL;
  JsonObject *plain = entry != NULL ? tf_item_get_plain (entry) : NULL;
  JsonNode *felt = plain != NULL ? json_object_get_member (plain, "emotions") : NULL;
  const char *note = plain != NULL ? tf_json_get_string (plain, "notes") : NULL;
  JsonObject *saved = json_object_new ();

  if (self->editing_id != NULL)
    json_object_set_string_member (saved, "id", self->editing_id);
  json_object_set_int_member (saved, "mood_value",
                              entry ? tf_item_get_int (entry, "mood_value", 5) : 5);
  json_object_set_int_member (saved, "energy_level",
                              entry ? tf_item_get_int (entry, "energy_level", 5) : 5);
  json_object_set_int_member (saved, "anxiety_level",
                              entry ? tf_item_get_int (entry, "anxiety_level", 5) : 5);
  json_object_set_member (saved, "emotions",
                          felt != NULL && JSON_NODE_HOLDS_ARRAY (felt)
                            ? json_node_copy (felt)
                            : json_node_init_array (json_node_alloc (), json_array_new ()));
  json_object_set_string_member (saved, "notes", note != NULL ? note : "");
  return saved;
}

/* The session locks: a form that differs from what is saved is kept,
 * encrypted. */
static void
on_locking_cb (TfCheckinPage *self)
{
  g_autoptr(JsonObject) typed = dup_typed (self);
  g_autoptr(JsonObject) saved = dup_saved (self);

  tf_draft_keep (self->session, "mood_entries", draft_key (self), typed, saved);
}

/* After the unlock: the check-in (or a new one, with the id it had) in the
 * form as it was. */
static gboolean
restore_draft (TfPage *page, JsonObject *draft)
{
  TfCheckinPage *self = TF_CHECKIN_PAGE (page);
  const char *key = tf_json_get_string (draft, "record_key");
  JsonObject *typed = json_object_get_object_member (draft, "content");

  if (g_strcmp0 (tf_json_get_string (draft, "form"), "mood_entries") != 0 || typed == NULL)
    return FALSE;
  if (g_strcmp0 (key, "new") != 0)
    {
      g_autoptr(TfItem) entry = tf_repository_dup_item (self->history, key);

      if (entry == NULL)
        return FALSE;
      load_entry (self, entry);
    }
  else
    {
      reset_form (self);
      self->editing_id = g_strdup (tf_json_get_string (typed, "id"));
    }
  fill_typed (self, typed);
  gtk_widget_set_visible (self->draft_notice, TRUE);
  return TRUE;
}

/* Discard on the notice: the check-in as saved (or an empty new one). */
static void
on_draft_discard_cb (TfCheckinPage *self)
{
  g_autoptr(TfItem) entry = self->editing
                              ? tf_repository_dup_item (self->history, self->editing_id) : NULL;

  forget_draft (self);
  if (entry != NULL)
    load_entry (self, entry);
  else
    reset_form (self);
}

static void
on_cancel_clicked (TfCheckinPage *self)
{
  forget_draft (self);
  reset_form (self);
}

/* Asked first, as for a journal entry: a tap beside Save must not lose a
 * check-in. */
static void
delete_checkin (GtkWidget *widget, const char *id)
{
  TfCheckinPage *self = TF_CHECKIN_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!tf_checkin_delete (tf_session_get_vault (self->session), id, &error))
    {
      tf_form_fail (self, _("The check-in was not deleted: %s"), error->message);
      return;
    }
  if (self->editing && g_strcmp0 (self->editing_id, id) == 0)
    {
      forget_draft (self);
      reset_form (self);
    }
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Check-in deleted"));
}

static void
on_delete_clicked (TfCheckinPage *self)
{
  if (!self->editing || self->editing_id == NULL)
    return;
  tf_form_confirm_delete (GTK_WIDGET (self), "checkin-delete-dialog", _("Delete This Check-in?"),
                          _("The check-in will be deleted from this computer and, at the next "
                            "sync, from your other devices. This cannot be undone."),
                          self->editing_id, delete_checkin);
}

static void
on_save_clicked (TfCheckinPage *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GPtrArray) felt = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *note = tf_form_dup_text (self->note);
  gboolean edit = self->editing;
  TfCheckin checkin = { 0 };

  for (guint i = 0; i < self->chips->len; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (self->chips, i)))
      g_ptr_array_add (felt, g_object_get_data (g_ptr_array_index (self->chips, i), "key"));
  g_ptr_array_add (felt, NULL);
  checkin.mood = (int) gtk_range_get_value (GTK_RANGE (self->mood));
  checkin.energy = (int) gtk_range_get_value (GTK_RANGE (self->energy));
  checkin.anxiety = (int) gtk_range_get_value (GTK_RANGE (self->anxiety));
  checkin.emotions = (const char * const *) felt->pdata;
  checkin.notes = g_strstrip (note);

  /* The id is chosen once per check-in and kept through failures. */
  if (self->editing_id == NULL)
    self->editing_id = g_uuid_string_random ();
  if (!tf_checkin_save (vault, self->editing_id, &checkin, NULL, &error))
    {
      tf_form_fail (self, _("The check-in was not saved: %s"), error->message);
      return;
    }
  forget_draft (self);
  reset_form (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, edit ? _("Check-in changed") : _("Check-in saved"));
}

/* A chip that is on has the accent colour, not only a slightly darker
 * grey, so what was picked is plain to see. */
static void
on_chip_toggled_cb (GtkToggleButton *chip, TfCheckinPage *self)
{
  if (gtk_toggle_button_get_active (chip))
    gtk_widget_add_css_class (GTK_WIDGET (chip), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (chip), "suggested-action");
}

static void
on_face_clicked_cb (GtkButton *button, TfCheckinPage *self)
{
  guint i = 0;

  for (GtkWidget *face = gtk_widget_get_first_child (GTK_WIDGET (self->faces));
       face != GTK_WIDGET (button); face = gtk_widget_get_next_sibling (face))
    i++;
  g_assert (i < G_N_ELEMENTS (faces));
  gtk_range_set_value (GTK_RANGE (self->mood), faces[i].mood);
  gtk_range_set_value (GTK_RANGE (self->energy), faces[i].energy);
  gtk_range_set_value (GTK_RANGE (self->anxiety), faces[i].anxiety);
}

/* The template's chips, each holding as "key" what it stores: its name
 * without "emotion-". */
static void
collect_emotion_chips (TfCheckinPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->emotions));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *chip = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      const char *name = gtk_widget_get_name (chip);

      g_assert (g_str_has_prefix (name, "emotion-"));
      g_object_set_data_full (G_OBJECT (chip), "key", g_strdup (name + strlen ("emotion-")),
                              g_free);
      g_ptr_array_add (self->chips, chip);
    }
}

/* --- actions -------------------------------------------------------------- */

/* Saves the form; not from the list beside it, where Ctrl+S has no form
 * in hand. */
static void
save_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfCheckinPage *self = TF_CHECKIN_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list)))
    return;
  on_save_clicked (self);
}

static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_cancel_clicked (TF_CHECKIN_PAGE (widget));
}

static void
delete_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  on_delete_clicked (TF_CHECKIN_PAGE (widget));
}

static void
tf_checkin_page_dispose (GObject *object)
{
  TfCheckinPage *self = TF_CHECKIN_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CHECKIN_PAGE);
  g_clear_object (&self->history);
  g_clear_object (&self->session);
  g_clear_pointer (&self->editing_id, g_free);
  g_clear_pointer (&self->chips, g_ptr_array_unref);
  G_OBJECT_CLASS (tf_checkin_page_parent_class)->dispose (object);
}

static void
tf_checkin_page_class_init (TfCheckinPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_checkin_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-checkin-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfCheckinPage, name)
  BIND (page);
  BIND (faces);
  BIND (status);
  BIND (cancel);
  BIND (delete);
  BIND (save);
  BIND (mood);
  BIND (energy);
  BIND (anxiety);
  BIND (emotions);
  BIND (note);
  BIND (list);
  BIND (draft_notice);
#undef BIND
  g_type_ensure (TF_TYPE_DRAFT_NOTICE);
  gtk_widget_class_bind_template_callback (widget_class, on_draft_discard_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_face_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_chip_toggled_cb);

  gtk_widget_class_install_action (widget_class, "checkin.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "checkin.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "checkin.delete", NULL, delete_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "checkin.save", NULL);
}

static void
tf_checkin_page_init (TfCheckinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Cancel and Delete are for a check-in being edited. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.delete", FALSE);
  self->chips = g_ptr_array_new ();
  collect_emotion_chips (self);
}

GtkWidget *
tf_checkin_page_new (TfSession *session)
{
  TfCheckinPage *self = g_object_new (TF_TYPE_CHECKIN_PAGE, NULL);

  self->session = g_object_ref (session);
  self->history = tf_session_dup_moods (session, NULL);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->history), create_row, self, NULL);
  g_signal_connect_object (session, "locking", G_CALLBACK (on_locking_cb), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
