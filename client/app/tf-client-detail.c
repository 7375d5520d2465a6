/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-client-detail.c: one client, section by section.
 *
 * A header with the client's name (and whether the care is active) over an
 * AdwViewStack of six sections with one bar at the bottom: their switcher
 * where its words fit whole; where they do not (a phone-wide window, and
 * Greek's longer words) a row of tabs that scrolls sideways, one tap on a
 * tab showing its section (client.show-section).  The intake, history,
 * treatment plan and sessions are widgets of their own; the journal and
 * mood sections, both read-only views of what the client shares, are here.
 *
 * Everything is live: the name, the care relationship (and with it whether
 * the client shares their mood), the shared journal entries and the mood
 * check-ins are TfRepositories that reload when the store changes — a
 * write here or a page pulled by a sync — so a journal entry the client
 * shares shows up while the therapist looks at the list.  The journal list
 * is bound to the repository (through a filter on therapist_shared, in
 * case an entry the client stopped sharing is still on this device) and
 * never rebuilt by hand.
 *
 * The header, the sections' stack and its switcher, and the journal and
 * mood sections are the template tf-client-detail.ui; the other sections
 * are made here for this client.
 */
#define G_LOG_DOMAIN "tf-client-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tf-form.h"
#include "tf-client-detail.h"
#include "tf-client-journal-row.h"
#include "tf-end-care.h"
#include "tf-history-form.h"
#include "tf-intake-form.h"
#include "tf-mood-chart.h"
#include "tf-mood-range.h"
#include "tf-mood-days.h"
#include "tf-notes-view.h"
#include "tf-plan-editor.h"
#include "tf-safety-banner.h"
#include "tf-safety-dialog.h"
#include "tf-time.h"

struct _TfClientDetail
{
  GtkWidget           parent_instance;
  TfSession          *session;
  char               *client_id;
  char               *me;          /* the therapist's user id */
  TfRepository       *profile;     /* the client's profile (zero or one), live */
  TfRepository       *care;        /* care relationships of the client, live */
  TfRepository       *journal;     /* the client's journal entries on this device, live */
  GtkFilterListModel *shared;      /* those shared with the therapist; owns its filter */
  TfRepository       *moods;       /* the client's mood check-ins on this device, live */
  GtkWidget          *notes;       /* the sessions section, a TfNotesView */
  guint               mood_range;  /* days shown: 30, 90 or 365 */
  char               *name;        /* as shown */

  /* template */
  GtkWidget          *box;             /* the only child */
  GtkWidget          *back;
  TfSafetyBanner     *key_banner;      /* the client's keys changed (tf-safety-banner.h) */
  AdwWindowTitle     *title;
  AdwViewStack       *sections;
  GtkWidget          *section_scroller; /* the sections' bar where the switcher's words do not fit */
  GtkWidget          *section_tabs;     /* its row of tabs, one per section */
  guint               reveal_tab_id;    /* scrolls the tab of the section shown into sight */
  GtkWidget          *journal_stack;   /* "empty" or "list" */
  GtkListBox         *journal_list;
  GtkWidget          *mood_stack;      /* "not-shared", "empty" or "chart" */
  AdwStatusPage      *mood_not_shared;
  TfMoodChart        *chart;
  GtkLabel           *mood_days;
  GtkLabel           *mood_average;
  GtkLabel           *energy_average;
  GtkLabel           *anxiety_average;
  GtkLabel           *last_checkin;
  TfMoodRange        *range_switcher;
};

G_DEFINE_FINAL_TYPE (TfClientDetail, tf_client_detail, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SHOW_BACK, PROP_SECTION, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SAVED, FAILED, BACK, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- the object ----------------------------------------------------------- */

static void
tf_client_detail_dispose (GObject *object)
{
  TfClientDetail *self = TF_CLIENT_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CLIENT_DETAIL);
  g_clear_object (&self->shared);
  g_clear_object (&self->journal);
  g_clear_object (&self->moods);
  g_clear_object (&self->care);
  g_clear_object (&self->profile);
  g_clear_object (&self->session);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->me, g_free);
  g_clear_pointer (&self->name, g_free);
  G_OBJECT_CLASS (tf_client_detail_parent_class)->dispose (object);
}

static void
tf_client_detail_get_property (GObject *object, guint prop_id, GValue *value,
                               GParamSpec *pspec)
{
  TfClientDetail *self = TF_CLIENT_DETAIL (object);

  switch (prop_id)
    {
    case PROP_SHOW_BACK:
      g_value_set_boolean (value, self->back != NULL && gtk_widget_get_visible (self->back));
      break;
    case PROP_SECTION:
      {
        const char *name = self->sections != NULL
                             ? adw_view_stack_get_visible_child_name (self->sections) : NULL;

        g_value_set_string (value, name != NULL ? name : "");
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_client_detail_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  TfClientDetail *self = TF_CLIENT_DETAIL (object);

  switch (prop_id)
    {
    case PROP_SHOW_BACK:
      tf_client_detail_set_show_back (self, g_value_get_boolean (value));
      break;
    case PROP_SECTION:
      if (g_value_get_string (value) != NULL && *g_value_get_string (value) != '\0')
        tf_client_detail_show_section (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void on_back_clicked_cb (TfClientDetail *self);
static void verify_keys_activated (GtkWidget  *widget,
                                   const char *action,
                                   GVariant   *param);
static void end_care_activated    (GtkWidget  *widget,
                                   const char *action,
                                   GVariant   *param);

static void on_range_changed_cb (TfClientDetail *self);

static void
tf_client_detail_class_init (TfClientDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_client_detail_dispose;
  object_class->get_property = tf_client_detail_get_property;
  object_class->set_property = tf_client_detail_set_property;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "client.verify-keys", NULL,
                                   verify_keys_activated);
  gtk_widget_class_install_action (widget_class, "client.end-care", NULL, end_care_activated);

  properties[PROP_SHOW_BACK] = g_param_spec_boolean ("show-back", NULL, NULL, FALSE,
                                                     G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                     G_PARAM_EXPLICIT_NOTIFY);
  /* The section shown, by name (the stack's visible child). */
  properties[PROP_SECTION] = g_param_spec_string ("section", NULL, NULL, "",
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                  G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* A section's tab: one tap shows it. */
  gtk_widget_class_install_property_action (widget_class, "client.show-section", "section");

  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TF_TYPE_MOOD_CHART);
  g_type_ensure (TF_TYPE_SAFETY_BANNER);
  g_type_ensure (TF_TYPE_MOOD_RANGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-client-detail.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfClientDetail, name)
  BIND (box);
  BIND (back);
  BIND (key_banner);
  BIND (title);
  BIND (sections);
  BIND (section_scroller);
  BIND (section_tabs);
  BIND (journal_stack);
  BIND (journal_list);
  BIND (mood_stack);
  BIND (mood_not_shared);
  BIND (chart);
  BIND (mood_days);
  BIND (mood_average);
  BIND (energy_average);
  BIND (anxiety_average);
  BIND (last_checkin);
  BIND (range_switcher);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_range_changed_cb);
}

/* --- the header: name and care -------------------------------------------- */

/* This therapist's relationship with the client: the active one, else the
 * latest that ended; NULL when there is none on this device. */
static TfItem *
dup_my_care (TfClientDetail *self)
{
  GListModel *model = G_LIST_MODEL (self->care);
  TfItem *best = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (tf_item_get_string (item, "therapist_id"), self->me) != 0)
        continue;
      if (g_strcmp0 (tf_item_get_string (item, "status"), "active") == 0)
        {
          g_clear_object (&best);
          return g_steal_pointer (&item);
        }
      if (best == NULL || g_strcmp0 (tf_item_get_string (item, "ended_at"),
                                     tf_item_get_string (best, "ended_at")) > 0)
        g_set_object (&best, item);
    }
  return best;
}

static void
update_header (TfClientDetail *self)
{
  g_autoptr(TfItem) profile = g_list_model_get_item (G_LIST_MODEL (self->profile), 0);
  g_autoptr(TfItem) care = dup_my_care (self);
  g_autofree char *name = tf_client_name_from_profile (profile ? tf_item_get_plain (profile)
                                                               : NULL);
  g_autofree char *subtitle = NULL;

  g_free (self->name);
  self->name = name != NULL ? g_steal_pointer (&name) : g_strdup (_("Unknown client"));
  adw_window_title_set_title (self->title, self->name);
  if (care != NULL && g_strcmp0 (tf_item_get_string (care, "status"), "active") == 0)
    {
      g_autofree char *since = tf_form_format_local (tf_item_get_string (care, "started_at"),
                                                     "%x");

      subtitle = since ? g_strdup_printf (_("In care since %s"), since) : g_strdup (_("In care"));
    }
  else if (care != NULL)
    {
      g_autofree char *ended = tf_form_format_local (tf_item_get_string (care, "ended_at"),
                                                     "%x");

      subtitle = ended ? g_strdup_printf (_("Care ended on %s"), ended)
                       : g_strdup (_("Care ended"));
    }
  adw_window_title_set_subtitle (self->title, subtitle != NULL ? subtitle : "");
  /* Only care that is going on can end. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.end-care",
                                 care != NULL &&
                                 g_strcmp0 (tf_item_get_string (care, "status"), "active") == 0);
  tf_safety_banner_update (self->key_banner, self->session, self->client_id, self->name);
}

/* --- journal -------------------------------------------------------------- */

static gboolean
entry_is_shared (gpointer item, gpointer data)
{
  return tf_item_get_boolean (item, "therapist_shared", FALSE);
}

/* Title; when, category and mood then; the whole text, or why it cannot be
 * read. */
static GtkWidget *
create_journal_row (gpointer item, gpointer data)
{
  g_autofree char *when = tf_form_format_local (tf_item_get_string (item, "created_at"),
                                                "%x %H:%M");

  return tf_client_journal_row_new (item, when);
}

static void
update_journal (TfClientDetail *self)
{
  gboolean any = g_list_model_get_n_items (G_LIST_MODEL (self->shared)) > 0;

  gtk_stack_set_visible_child_name (GTK_STACK (self->journal_stack), any ? "list" : "empty");
}

/* --- mood ----------------------------------------------------------------- */

static char *
format_average (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  /* TRANSLATORS: an average score out of ten, e.g. "6.5 / 10" */
  return g_strdup_printf (_("%.1f / 10"), value);
}

static void
update_mood (TfClientDetail *self)
{
  g_autoptr(TfItem) care = dup_my_care (self);
  g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               json_object_unref);
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(TfMoodDays) days = NULL;
  g_autofree char *days_text = NULL;
  g_autofree char *mood = NULL, *energy = NULL, *anxiety = NULL, *last = NULL;
  GListModel *model = G_LIST_MODEL (self->moods);
  gboolean shares = care != NULL &&
                    g_strcmp0 (tf_item_get_string (care, "status"), "active") == 0 &&
                    tf_item_get_boolean (care, "share_mood", FALSE);
  guint n = g_list_model_get_n_items (model);

  if (!shares)
    {
      /* TRANSLATORS: %s is the client's name */
      g_autofree char *text = g_strdup_printf (_("%s does not share their mood check-ins with "
                                                 "you. The client can turn sharing on in "
                                                 "their own app."), self->name);

      adw_status_page_set_description (self->mood_not_shared, text);
      gtk_stack_set_visible_child_name (GTK_STACK (self->mood_stack), "not-shared");
      return;
    }
  if (n == 0)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->mood_stack), "empty");
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, i);

      g_ptr_array_add (plain, json_object_ref (tf_item_get_plain (item)));
    }
  tf_mood_chart_set_entries (self->chart, plain, today, self->mood_range);
  days = tf_mood_days_new (plain, today, self->mood_range);
  /* TRANSLATORS: days with a check-in out of the days shown, e.g. "12 of 30" */
  days_text = g_strdup_printf (_("%u of %u"), tf_mood_days_get_n_days_with_data (days),
                               tf_mood_days_get_n_days (days));
  mood = format_average (tf_mood_days_get_average (days, TF_MOOD_SERIES_MOOD));
  energy = format_average (tf_mood_days_get_average (days, TF_MOOD_SERIES_ENERGY));
  anxiety = format_average (tf_mood_days_get_average (days, TF_MOOD_SERIES_ANXIETY));
  /* Newest first, as the store lists them. */
  last = tf_form_format_local (tf_json_get_string (g_ptr_array_index (plain, 0), "created_at"),
                               "%x %H:%M");
  gtk_label_set_text (self->mood_days, days_text);
  gtk_label_set_text (self->mood_average, mood);
  gtk_label_set_text (self->energy_average, energy);
  gtk_label_set_text (self->anxiety_average, anxiety);
  gtk_label_set_text (self->last_checkin, last != NULL ? last : "—");
  gtk_stack_set_visible_child_name (GTK_STACK (self->mood_stack), "chart");
}

static void
on_range_changed_cb (TfClientDetail *self)
{
  self->mood_range = tf_mood_range_get_days (self->range_switcher);
  update_mood (self);
}

/* --- live updates --------------------------------------------------------- */

static void
on_care_changed_cb (TfClientDetail *self)
{
  update_header (self);
  update_mood (self);
}

static void
on_synced_cb (TfClientDetail *self)
{
  /* A sync may have met other keys for the client (tf_account_sync). */
  tf_safety_banner_update (self->key_banner, self->session, self->client_id, self->name);
}

static void
on_child_saved_cb (GtkWidget *child, const char *message, TfClientDetail *self)
{
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
on_child_failed_cb (GtkWidget *child, const char *message, TfClientDetail *self)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

static void
on_back_clicked_cb (TfClientDetail *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

/* --- the safety number ---------------------------------------------------- */

static void
verify_keys_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfClientDetail *self = TF_CLIENT_DETAIL (widget);
  GtkWidget *dialog = tf_safety_dialog_new (self->session, self->client_id, self->name,
                                            GTK_WINDOW (gtk_widget_get_root (widget)));

  g_signal_connect_object (dialog, "verified", G_CALLBACK (update_header), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- ending care ---------------------------------------------------------- */

/* The header follows the care relationship's repository by itself. */
static void
on_care_ended (GtkWidget *from, gboolean ok, const char *message)
{
  TfClientDetail *self = TF_CLIENT_DETAIL (from);

  g_signal_emit (self, signals[ok ? SAVED : FAILED], 0, message);
}

static void
end_care_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfClientDetail *self = TF_CLIENT_DETAIL (widget);

  tf_end_care_ask (widget, self->session, self->client_id, self->name, TRUE, on_care_ended);
}

/* --- building ------------------------------------------------------------- */

static void
tf_client_detail_init (TfClientDetail *self)
{
  self->mood_range = 30;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The tab of section @name in the row of tabs (tf-client-detail.ui). */
static GtkWidget *
find_tab (TfClientDetail *self, const char *name)
{
  for (GtkWidget *tab = gtk_widget_get_first_child (self->section_tabs); tab != NULL;
       tab = gtk_widget_get_next_sibling (tab))
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (tab));

      if (target != NULL && g_str_equal (g_variant_get_string (target, NULL), name))
        return tab;
    }
  g_return_val_if_reached (NULL);
}

/* Once laid out, the row of tabs scrolls the tab of the section shown
 * into sight. */
static gboolean
reveal_tab_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  TfClientDetail *self = TF_CLIENT_DETAIL (widget);
  const char *name = adw_view_stack_get_visible_child_name (self->sections);
  GtkWidget *tab = name != NULL ? find_tab (self, name) : NULL;
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (self->section_scroller));
  graphene_rect_t bounds;

  self->reveal_tab_id = 0;
  if (tab != NULL && gtk_widget_get_mapped (tab) &&
      gtk_widget_compute_bounds (tab, self->section_tabs, &bounds))
    gtk_adjustment_clamp_page (adjustment, bounds.origin.x - 6,
                               bounds.origin.x + bounds.size.width + 6);
  return G_SOURCE_REMOVE;
}

static void
on_section_shown_cb (TfClientDetail *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
  if (self->reveal_tab_id == 0)
    self->reveal_tab_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_tab_tick,
                                                        NULL, NULL);
}

/* Section @name, its title and icon those of its tab (an icon and a
 * label). */
static void
add_section (TfClientDetail *self, GtkWidget *child, const char *name)
{
  GtkWidget *tab = gtk_button_get_child (GTK_BUTTON (find_tab (self, name)));
  GtkImage *icon = GTK_IMAGE (gtk_widget_get_first_child (tab));
  GtkLabel *title = GTK_LABEL (gtk_widget_get_last_child (tab));
  AdwViewStackPage *page = adw_view_stack_add_titled (self->sections, child, name,
                                                      gtk_label_get_text (title));

  adw_view_stack_page_set_icon_name (page, gtk_image_get_icon_name (icon));
  /* The sections of other files say what happened; the window shows it. */
  if (g_signal_lookup ("saved", G_OBJECT_TYPE (child)) != 0)
    {
      g_signal_connect_object (child, "saved", G_CALLBACK (on_child_saved_cb), self, 0);
      g_signal_connect_object (child, "failed", G_CALLBACK (on_child_failed_cb), self, 0);
    }
}

/* The sections in their order; the forms are made for this client. */
static void
add_sections (TfClientDetail *self)
{
  add_section (self, tf_intake_form_new (self->session, self->client_id), "intake");
  add_section (self, tf_history_form_new (self->session, self->client_id), "history");
  add_section (self, tf_plan_editor_new (self->session, self->client_id), "plan");
  self->notes = tf_notes_view_new (self->session, self->client_id);
  add_section (self, self->notes, "sessions");
  add_section (self, self->journal_stack, "journal");
  add_section (self, self->mood_stack, "mood");
  g_signal_connect_object (self->sections, "notify::visible-child",
                           G_CALLBACK (on_section_shown_cb), self, G_CONNECT_SWAPPED);
  on_section_shown_cb (self);
}

GtkWidget *
tf_client_detail_new (TfSession *session, const char *client_id)
{
  TfClientDetail *self;
  TfVault *vault;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (TF_TYPE_CLIENT_DETAIL, NULL);
  vault = tf_session_get_vault (session);
  self->session = g_object_ref (session);
  self->client_id = g_strdup (client_id);
  self->me = g_strdup (tf_vault_get_user_id (vault));
  self->profile = tf_session_dup_profile (session, client_id);
  self->care = tf_session_dup_care (session, client_id);
  self->journal = tf_session_dup_journal (session, client_id);
  self->shared = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->journal)),
                                            GTK_FILTER (gtk_custom_filter_new (entry_is_shared,
                                                                               NULL, NULL)));
  self->moods = tf_session_dup_moods (session, client_id);
  add_sections (self);

  gtk_list_box_bind_model (self->journal_list, G_LIST_MODEL (self->shared), create_journal_row,
                           NULL, NULL);
  g_signal_connect_object (self->shared, "items-changed", G_CALLBACK (update_journal), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profile, "items-changed", G_CALLBACK (on_care_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->care, "items-changed", G_CALLBACK (on_care_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->moods, "items-changed", G_CALLBACK (update_mood), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  update_header (self);
  update_journal (self);
  update_mood (self);
  return GTK_WIDGET (self);
}

const char *
tf_client_detail_get_client_id (TfClientDetail *self)
{
  g_return_val_if_fail (TF_IS_CLIENT_DETAIL (self), NULL);

  return self->client_id;
}

void
tf_client_detail_set_show_back (TfClientDetail *self, gboolean show_back)
{
  g_return_if_fail (TF_IS_CLIENT_DETAIL (self));

  show_back = !!show_back;
  /* After dispose, a binding to the leaflet's "folded" may still set it. */
  if (self->back == NULL || gtk_widget_get_visible (self->back) == show_back)
    return;
  gtk_widget_set_visible (self->back, show_back);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BACK]);
}

/* The forms of a client's detail whose drafts it restores, and their
 * sections.  The intake, the history and the plan show their draft when
 * they are made for the client; a note opens in the sessions section. */
static const struct
{
  const char *form;
  const char *section;
} draft_sections[] = {
  { "client_intakes", "intake" },
  { "client_histories", "history" },
  { "treatment_plans", "plan" },
  { "session_notes", "sessions" },
};

static const char *
draft_section (JsonObject *draft)
{
  const char *form = tf_json_get_string (draft, "form");

  for (guint i = 0; i < G_N_ELEMENTS (draft_sections); i++)
    if (g_strcmp0 (form, draft_sections[i].form) == 0)
      return draft_sections[i].section;
  return NULL;
}

gboolean
tf_client_detail_owns_draft (JsonObject *draft)
{
  g_return_val_if_fail (draft != NULL, FALSE);

  return draft_section (draft) != NULL;
}

gboolean
tf_client_detail_restore_draft (TfClientDetail *self, JsonObject *draft)
{
  const char *section;

  g_return_val_if_fail (TF_IS_CLIENT_DETAIL (self), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  section = draft_section (draft);
  if (section == NULL)
    return FALSE;
  if (g_strcmp0 (section, "sessions") == 0 &&
      !tf_notes_view_restore_draft (TF_NOTES_VIEW (self->notes), draft))
    return FALSE;
  adw_view_stack_set_visible_child_name (self->sections, section);
  return TRUE;
}

void
tf_client_detail_show_section (TfClientDetail *self, const char *name)
{
  g_return_if_fail (TF_IS_CLIENT_DETAIL (self));
  g_return_if_fail (name != NULL);

  adw_view_stack_set_visible_child_name (self->sections, name);
}
