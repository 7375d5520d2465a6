/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-checkin-page.c: the check-in form and the recent check-ins.
 *
 * The form is the template tf-checkin-page.ui; this file adds the emotion
 * chips from the table below (the keys stored, the labels shown), binds the
 * recent check-ins and saves.  What was typed stays in the form until it is
 * saved; a failed save keeps it and says why.
 */
#define G_LOG_DOMAIN "tf-checkin-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-checkin-page.h"
#include "tf-page.h"
#include "tf-form.h"
#include "tf-time.h"

struct _TfCheckinPage
{
  GtkWidget      parent_instance;
  TfSession     *session;
  TfRepository  *history;
  /* template */
  GtkWidget     *page;        /* the only child: bound so that dispose unparents it */
  GtkScale      *mood;
  GtkScale      *energy;
  GtkScale      *anxiety;
  GtkFlowBox    *emotions;
  GtkTextView   *note;
  GtkListBox    *list;
};

static void tf_checkin_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfCheckinPage, tf_checkin_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_checkin_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static const char *
get_name (TfPage *page)
{
  return "checkin";
}

static const char *
get_title (TfPage *page)
{
  return _("Check-In");
}

static const char *
get_icon_name (TfPage *page)
{
  return "emblem-favorite-symbolic";
}

static void
tf_checkin_page_page_init (TfPageInterface *iface)
{
  iface->get_name = get_name;
  iface->get_title = get_title;
  iface->get_icon_name = get_icon_name;
}

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The emotions offered as chips: stored in English, shown translated. */
static const struct { const char *key; const char *label; } emotions[] = {
  { "calm", N_("Calm") },       { "happy", N_("Happy") },   { "hopeful", N_("Hopeful") },
  { "grateful", N_("Grateful") }, { "tired", N_("Tired") }, { "anxious", N_("Anxious") },
  { "sad", N_("Sad") },         { "angry", N_("Angry") },   { "lonely", N_("Lonely") },
  { "overwhelmed", N_("Overwhelmed") },
};

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

static void
tf_checkin_page_dispose (GObject *object)
{
  TfCheckinPage *self = TF_CHECKIN_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CHECKIN_PAGE);
  g_clear_object (&self->history);
  g_clear_object (&self->session);
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
  BIND (mood);
  BIND (energy);
  BIND (anxiety);
  BIND (emotions);
  BIND (note);
  BIND (list);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
}

/* The chips come from the table of emotions, which also names what is
 * stored for each; the template holds their flow box. */
static void
add_emotion_chips (TfCheckinPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (emotions); i++)
    {
      GtkWidget *chip = gtk_toggle_button_new_with_label (_(emotions[i].label));
      g_autofree char *name = g_strconcat ("emotion-", emotions[i].key, NULL);

      gtk_widget_set_name (chip, name);
      gtk_widget_add_css_class (chip, "pill");
      g_object_set_data (G_OBJECT (chip), "key", (gpointer) emotions[i].key);
      gtk_flow_box_append (self->emotions, chip);
    }
}

static void
tf_checkin_page_init (TfCheckinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_emotion_chips (self);
}

GtkWidget *
tf_checkin_page_new (TfSession *session)
{
  TfCheckinPage *self = g_object_new (TF_TYPE_CHECKIN_PAGE, NULL);
  TfVault *vault = tf_session_get_vault (session);

  self->session = g_object_ref (session);
  self->history = tf_session_dup_records (session, "mood_entries", "user_id",
                                     tf_vault_get_user_id (vault));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->history), create_row, NULL, NULL);
  return GTK_WIDGET (self);
}
