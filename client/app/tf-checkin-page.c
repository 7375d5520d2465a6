/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-checkin-page.c: the check-in form and the recent check-ins.
 *
 * What was typed stays in the form until it is saved; a failed save keeps
 * it and says why.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-checkin-page.h"
#include "tf-form.h"
#include "tf-time.h"

struct _TfCheckinPage
{
  GtkWidget      parent_instance;
  TfSession     *session;
  TfRepository  *history;
  GtkScale      *mood;
  GtkScale      *energy;
  GtkScale      *anxiety;
  GtkFlowBox    *emotions;
  GtkTextView   *note;
  GtkListBox    *list;
};

G_DEFINE_FINAL_TYPE (TfCheckinPage, tf_checkin_page, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The emotions offered as chips: stored in English, shown translated. */
static const struct { const char *key; const char *label; } emotions[] = {
  { "calm", N_("Calm") },       { "happy", N_("Happy") },   { "hopeful", N_("Hopeful") },
  { "grateful", N_("Grateful") }, { "tired", N_("Tired") }, { "anxious", N_("Anxious") },
  { "sad", N_("Sad") },         { "angry", N_("Angry") },   { "lonely", N_("Lonely") },
  { "overwhelmed", N_("Overwhelmed") },
};

static void
tf_checkin_page_dispose (GObject *object)
{
  TfCheckinPage *self = TF_CHECKIN_PAGE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->history);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_checkin_page_parent_class)->dispose (object);
}

static void
tf_checkin_page_class_init (TfCheckinPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tf_checkin_page_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
}

static const char *
emotion_label (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (emotions); i++)
    if (g_strcmp0 (emotions[i].key, key) == 0)
      return _(emotions[i].label);
  return key;
}

/* "Mood 6 · Energy 5 · Anxiety 3", and when and what was felt. */
static GtkWidget *
create_row (gpointer item, gpointer data)
{
  TfItem *entry = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf (_("Mood %d · Energy %d · Anxiety %d"),
                                            (int) tf_item_get_int (entry, "mood_value", 0),
                                            (int) tf_item_get_int (entry, "energy_level", 0),
                                            (int) tf_item_get_int (entry, "anxiety_level", 0));
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (tf_item_get_string (entry, "created_at"),
                                                      NULL);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%x %H:%M") : g_strdup ("");
  g_autoptr(GString) subtitle = g_string_new (when);
  JsonNode *felt = json_object_get_member (tf_item_get_plain (entry), "emotions");
  const char *note = tf_item_get_string (entry, "notes");

  if (felt != NULL && JSON_NODE_HOLDS_ARRAY (felt))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (felt)); i++)
      g_string_append_printf (subtitle, "%s%s", i == 0 ? " — " : ", ",
                              emotion_label (json_array_get_string_element (
                                json_node_get_array (felt), i)));
  if (note != NULL && *note != '\0')
    g_string_append_printf (subtitle, "\n%s", note);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  return row;
}

static void
reset_form (TfCheckinPage *self)
{
  GtkWidget *child;

  gtk_range_set_value (GTK_RANGE (self->mood), 5);
  gtk_range_set_value (GTK_RANGE (self->energy), 5);
  gtk_range_set_value (GTK_RANGE (self->anxiety), 5);
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->emotions)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (
                                    GTK_FLOW_BOX_CHILD (child))), FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note), "", -1);
}

static void
on_save_clicked (TfCheckinPage *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *note = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  JsonArray *felt = json_array_new ();
  GtkTextIter start, end;
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->emotions)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *chip = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (chip)))
        json_array_add_string_element (felt, g_object_get_data (G_OBJECT (chip), "key"));
    }
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (self->note), &start, &end);
  note = gtk_text_buffer_get_text (gtk_text_view_get_buffer (self->note), &start, &end, FALSE);
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "user_id", tf_vault_get_user_id (vault));
  json_object_set_int_member (plain, "mood_value",
                              (int) gtk_range_get_value (GTK_RANGE (self->mood)));
  json_object_set_int_member (plain, "energy_level",
                              (int) gtk_range_get_value (GTK_RANGE (self->energy)));
  json_object_set_int_member (plain, "anxiety_level",
                              (int) gtk_range_get_value (GTK_RANGE (self->anxiety)));
  json_object_set_array_member (plain, "emotions", felt);
  json_object_set_array_member (plain, "categories", json_array_new ());
  if (*g_strstrip (note) != '\0')
    json_object_set_string_member (plain, "notes", note);
  json_object_set_string_member (plain, "created_at", stamp);

  if (!tf_vault_put (vault, tf_registry_lookup ("mood_entries"), id, plain, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The check-in was not saved: %s"),
                                                  error->message);
      g_signal_emit (self, signals[FAILED], 0, message);
      return;
    }
  reset_form (self);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Check-in saved"));
}

static GtkScale *
scale_row (AdwPreferencesGroup *group, const char *title, const char *subtitle,
           const char *name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 1, 10, 1);

  gtk_scale_set_digits (GTK_SCALE (scale), 0);
  gtk_scale_set_draw_value (GTK_SCALE (scale), TRUE);
  gtk_scale_set_value_pos (GTK_SCALE (scale), GTK_POS_RIGHT);
  gtk_range_set_value (GTK_RANGE (scale), 5);
  gtk_widget_set_size_request (scale, 220, -1);
  gtk_widget_set_name (scale, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), scale);
  adw_preferences_group_add (group, row);
  return GTK_SCALE (scale);
}

static void
on_synced (TfCheckinPage *self)
{
  if (self->history != NULL)
    tf_repository_refresh (self->history, NULL);
}

static void
build (TfCheckinPage *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *now = adw_preferences_group_new ();
  GtkWidget *felt = adw_preferences_group_new ();
  GtkWidget *note_group = adw_preferences_group_new ();
  GtkWidget *history = adw_preferences_group_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Check-In"));

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Check-In"));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (now), _("How Are You Right Now?"));
  self->mood = scale_row (ADW_PREFERENCES_GROUP (now), _("Mood"), _("1 low, 10 very good"),
                          "checkin-mood");
  self->energy = scale_row (ADW_PREFERENCES_GROUP (now), _("Energy"), _("1 drained, 10 full"),
                            "checkin-energy");
  self->anxiety = scale_row (ADW_PREFERENCES_GROUP (now), _("Anxiety"),
                             _("1 none, 10 overwhelming"), "checkin-anxiety");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (felt), _("Emotions"));
  self->emotions = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->emotions, GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (self->emotions, 6);
  gtk_flow_box_set_column_spacing (self->emotions, 6);
  gtk_flow_box_set_row_spacing (self->emotions, 6);
  for (guint i = 0; i < G_N_ELEMENTS (emotions); i++)
    {
      GtkWidget *chip = gtk_toggle_button_new_with_label (_(emotions[i].label));
      g_autofree char *name = g_strconcat ("emotion-", emotions[i].key, NULL);

      gtk_widget_set_name (chip, name);
      gtk_widget_add_css_class (chip, "pill");
      g_object_set_data (G_OBJECT (chip), "key", (gpointer) emotions[i].key);
      gtk_flow_box_append (self->emotions, chip);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (felt), GTK_WIDGET (self->emotions));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (note_group), _("Note"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (note_group),
                                         _("Only you can read it, unless you share it."));
  self->note = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_widget_set_name (GTK_WIDGET (self->note), "checkin-note");
  gtk_text_view_set_wrap_mode (self->note, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (self->note, 8);
  gtk_text_view_set_bottom_margin (self->note, 8);
  gtk_text_view_set_left_margin (self->note, 8);
  gtk_text_view_set_right_margin (self->note, 8);
  gtk_widget_set_size_request (GTK_WIDGET (self->note), -1, 80);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->note), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Note"), -1);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->note));
  gtk_widget_set_name (save, "checkin-save");
  gtk_widget_add_css_class (save, "pill");
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_halign (save, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (save, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (note_group), frame);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (note_group), save);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (history), _("Recent Check-Ins"));
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->list), "checkin-history");
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_list_box_set_placeholder (self->list, gtk_label_new (_("No check-ins yet")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (history), GTK_WIDGET (self->list));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (now));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (felt));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (note_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (history));
  gtk_widget_set_parent (page, GTK_WIDGET (self));
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked), self);
}

static void
tf_checkin_page_init (TfCheckinPage *self)
{
  build (self);
}

GtkWidget *
tf_checkin_page_new (TfSession *session)
{
  TfCheckinPage *self = g_object_new (TF_TYPE_CHECKIN_PAGE, NULL);
  TfVault *vault = tf_session_get_vault (session);

  self->session = g_object_ref (session);
  self->history = tf_repository_new (vault, tf_registry_lookup ("mood_entries"), "user_id",
                                     tf_vault_get_user_id (vault));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->history), create_row, NULL, NULL);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
