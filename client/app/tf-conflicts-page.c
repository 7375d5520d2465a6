/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conflicts-page.c: conflict copies waiting for the user, and choosing.
 *
 * When the same field of a record changed on this device and on another one
 * before they synced, the sync keeps both: the server's version is the
 * record and this device's edit a conflict copy (DESIGN.md §3, tf-store.h).
 * This page shows each conflict as a card with the two versions in two
 * columns — "On this device" and "On the server" — that stand side by side
 * where there is room and one above the other on a narrow window (TfSideBySide
 * below decides by the width it is given, so the layout follows any window
 * without timers or resize handlers).  Every field is shown with a human
 * label; the fields that differ are marked in words and in weight, not by
 * colour alone.  The texts are selectable, so a user can copy a sentence
 * from the version they are about to drop.
 *
 * Choosing calls tf_vault_resolve_conflict() (the same as the CLI's
 * `conflicts resolve`): keeping one version discards the other, so it is
 * confirmed first; "Keep both" is offered only for tables whose copies may
 * become records of their own (TfTable.conflict_copy_syncs).
 *
 * The list is reloaded when the profile changes: TfStore::changed for the
 * writes made on this thread (the session's store is the main thread's),
 * and TfSession::synced after a sync, which runs on a connection of its own
 * and is where new conflicts come from.  Reloads are coalesced in an idle.
 * A card is rebuilt only when its conflict really changed (compared by a
 * checksum, so no second copy of the plaintext is kept), so focus and
 * scrolling stay where the user left them; when the focused card goes,
 * focus moves to the next conflict's first choice.  When the session locks,
 * the cards (and the plaintext in them) go; they come back on unlocking.
 */
#define G_LOG_DOMAIN "tf-conflicts-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-form.h"
#include "tf-conflicts-page.h"
#include "tf-time.h"

/* Below this width (of the versions' own box) the two versions stack. */
#define SIDE_BY_SIDE_MIN_WIDTH 500

/* --- TfSideBySide: a row of equal cells when they fit, else a column ----- */

#define TF_TYPE_SIDE_BY_SIDE (tf_side_by_side_get_type ())
G_DECLARE_FINAL_TYPE (TfSideBySide, tf_side_by_side, TF, SIDE_BY_SIDE, GtkWidget)

struct _TfSideBySide
{
  GtkWidget parent_instance;
  int       spacing;
  int       row_min_width; /* narrower than this: a column, whatever fits */
  gboolean  fit_natural;   /* a row only when every child gets its natural width */
};

G_DEFINE_FINAL_TYPE (TfSideBySide, tf_side_by_side, GTK_TYPE_WIDGET)

static guint
side_by_side_n_visible (TfSideBySide *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      n++;
  return n;
}

/* The width of each cell when @width is shared by @n in a row. */
static int
side_by_side_cell (TfSideBySide *self, int width, guint n)
{
  return n > 0 ? MAX (0, (width - self->spacing * ((int) n - 1)) / (int) n) : width;
}

static gboolean
side_by_side_is_row (TfSideBySide *self, int width)
{
  guint n = side_by_side_n_visible (self);
  int cell;

  if (n <= 1)
    return FALSE;
  if (width < self->row_min_width)
    return FALSE;
  cell = side_by_side_cell (self, width, n);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      if (min > cell || (self->fit_natural && nat > cell))
        return FALSE;
    }
  return TRUE;
}

static void
tf_side_by_side_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                     int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  TfSideBySide *self = TF_SIDE_BY_SIDE (widget);
  guint n = side_by_side_n_visible (self);
  gboolean row = FALSE;
  int cell = for_size;

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    {
      row = side_by_side_is_row (self, for_size);
      if (row)
        cell = side_by_side_cell (self, for_size, n);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* As narrow as the widest child (stacked), as wide as all in a row. */
          gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural += nat;
        }
      else
        {
          gtk_widget_measure (child, orientation, cell, &min, &nat, NULL, NULL);
          if (row)
            {
              *minimum = MAX (*minimum, min);
              *natural = MAX (*natural, nat);
            }
          else
            {
              *minimum += min;
              *natural += nat;
            }
        }
    }
  if (n > 1 && (orientation == GTK_ORIENTATION_HORIZONTAL || !row))
    {
      *natural += self->spacing * ((int) n - 1);
      if (orientation == GTK_ORIENTATION_VERTICAL)
        *minimum += self->spacing * ((int) n - 1);
    }
  *natural = MAX (*natural, *minimum);
}

static void
tf_side_by_side_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TfSideBySide *self = TF_SIDE_BY_SIDE (widget);
  guint n = side_by_side_n_visible (self);
  gboolean row = side_by_side_is_row (self, width);
  int cell = side_by_side_cell (self, width, n);
  int total_natural = 0;
  int x = 0, y = 0;
  guint i = 0;

  if (!row)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int nat = 0;

          if (gtk_widget_should_layout (child))
            {
              gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &nat, NULL, NULL);
              total_natural += nat;
            }
        }
      total_natural += n > 1 ? self->spacing * ((int) n - 1) : 0;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      if (row)
        {
          /* The last cell takes what rounding left over. */
          int w = ++i == n ? width - x : cell;

          gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, w, height }, -1);
          x += w + self->spacing;
        }
      else
        {
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
          /* Natural heights when they fit, else the minimum ones. */
          if (total_natural > height)
            nat = min;
          gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, nat }, -1);
          y += nat + self->spacing;
        }
    }
}

static GtkSizeRequestMode
tf_side_by_side_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tf_side_by_side_dispose (GObject *object)
{
  tf_form_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (tf_side_by_side_parent_class)->dispose (object);
}

static void
tf_side_by_side_class_init (TfSideBySideClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_side_by_side_dispose;
  widget_class->measure = tf_side_by_side_measure;
  widget_class->size_allocate = tf_side_by_side_size_allocate;
  widget_class->get_request_mode = tf_side_by_side_get_request_mode;
}

static void
tf_side_by_side_init (TfSideBySide *self)
{
}

static GtkWidget *
tf_side_by_side_new (int spacing, int row_min_width, gboolean fit_natural)
{
  TfSideBySide *self = g_object_new (TF_TYPE_SIDE_BY_SIDE, NULL);

  self->spacing = spacing;
  self->row_min_width = row_min_width;
  self->fit_natural = fit_natural;
  return GTK_WIDGET (self);
}

static void
tf_side_by_side_append (GtkWidget *box, GtkWidget *child)
{
  gtk_widget_set_parent (child, box);
}

/* --- the page ------------------------------------------------------------ */

struct _TfConflictsPage
{
  GtkWidget    parent_instance;
  TfSession   *session;
  guint        count;        /* conflicts shown */
  guint        reload_id;    /* a coalesced reload waiting in an idle */
  gulong       changed_id;   /* TfStore::changed on the session's store */
  TfStore     *store;        /* whose ::changed we follow */

  GtkStack    *stack;        /* "empty" or "list" */
  AdwPreferencesPage *list;  /* the intro group, then one group per conflict */
  GPtrArray   *cards;        /* the conflict groups in list, to remove on reload */
};

G_DEFINE_FINAL_TYPE (TfConflictsPage, tf_conflicts_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_COUNT, N_PROPS };
enum { SAVED, FAILED, N_SIGNALS };
static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- words for records and values ---------------------------------------- */

/* Column names as a person says them; anything else shows its own name. */
static const struct { const char *column; const char *label; } column_labels[] = {
  { "title", N_("Title") },
  { "content", N_("Content") },
  { "category", N_("Category") },
  { "mood_at_time", N_("Mood at the time") },
  { "mood_value", N_("Mood") },
  { "energy_level", N_("Energy") },
  { "anxiety_level", N_("Anxiety") },
  { "categories", N_("Categories") },
  { "emotions", N_("Emotions") },
  { "notes", N_("Notes") },
  { "description", N_("Description") },
  { "target_date", N_("Target date") },
  { "frequency", N_("Frequency") },
  { "target_count", N_("Times per period") },
  { "status", N_("Status") },
  { "completed_date", N_("Done on") },
  { "approach_type", N_("Approach") },
  { "note_content", N_("Note") },
  { "risk_assessment", N_("Risk assessment") },
  { "therapist_notes", N_("Therapist’s notes") },
  { "session_summary", N_("Session summary") },
  { "homework_assigned", N_("Homework") },
  { "next_session_plan", N_("Plan for the next session") },
  { "actual_start_time", N_("Start") },
  { "actual_end_time", N_("End") },
  { "client_attended", N_("Client attended") },
  { "therapist_attended", N_("Therapist attended") },
  { "technical_issues", N_("Technical issues") },
  { "diagnosis_codes", N_("Diagnosis (ICD-10)") },
  { "treatment_goals", N_("Treatment goals") },
  { "interventions", N_("Interventions") },
  { "review_date", N_("Review date") },
  { "family_history", N_("Family history") },
  { "psychiatric_history", N_("Psychiatric history") },
  { "social_history", N_("Social history") },
  { "medical_history", N_("Medical history") },
  { "emergency_contact_name", N_("Emergency contact") },
  { "emergency_contact_phone", N_("Emergency contact’s phone") },
  { "emergency_contact_relationship", N_("Relationship to the emergency contact") },
  { "medical_conditions", N_("Medical conditions") },
  { "current_medications", N_("Current medications") },
  { "allergies", N_("Allergies") },
  { "previous_therapy", N_("Previous therapy") },
  { "previous_therapy_details", N_("About previous therapy") },
  { "appointment_datetime", N_("Date and time") },
  { "duration", N_("Duration in minutes") },
  { "location_type", N_("Where") },
  { "meeting_url", N_("Meeting link") },
  { "price", N_("Price") },
  { "cancellation_reason", N_("Reason for cancelling") },
  { "cancelled_at", N_("Cancelled on") },
  { "notes_for_therapist", N_("Notes for the therapist") },
  { "first_name", N_("First name") },
  { "last_name", N_("Last name") },
  { "display_name", N_("Display name") },
  { "phone", N_("Phone") },
  { "birth_date", N_("Date of birth") },
  { "created_at", N_("Created on") },
  { "updated_at", N_("Last changed") },
};

static const char *
column_label (const char *column)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_labels); i++)
    if (strcmp (column_labels[i].column, column) == 0)
      return _(column_labels[i].label);
  return column;
}

/* "3 March, 21:40" (the year too when it is not this year), local time. */
static char *
format_local (GDateTime *local, gboolean with_time)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gboolean this_year = g_date_time_get_year (now) == g_date_time_get_year (local);

  if (with_time)
    return g_date_time_format (local, this_year ? "%-d %B, %H:%M" : "%-d %B %Y, %H:%M");
  return g_date_time_format (local, "%-d %B %Y");
}

/* A stored timestamp in local time, or NULL when @text is not one. */
static char *
format_stamp (const char *text)
{
  g_autoptr(GDateTime) utc = text != NULL ? tf_time_parse_timestamp (text, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? format_local (local, TRUE) : NULL;
}

static char *
format_date (const char *text)
{
  int year, month, day;
  g_autoptr(GDateTime) date = NULL;

  if (text == NULL || !tf_time_parse_date (text, &year, &month, &day, NULL))
    return NULL;
  date = g_date_time_new_local (year, month, day, 0, 0, 0);
  return date != NULL ? format_local (date, FALSE) : NULL;
}

static void append_json (GString *out, JsonNode *node, guint depth);

/* "family_history" → "Family history": a key of a JSON section. */
static char *
humanize_key (const char *key)
{
  const char *known = column_label (key);
  g_autofree char *spaced = NULL;
  g_autofree char *first = NULL;
  const char *rest;

  if (known != key)
    return g_strdup (known);
  spaced = g_strdelimit (g_strdup (key), "_", ' ');
  rest = g_utf8_next_char (spaced);
  first = g_utf8_strup (spaced, rest - spaced);
  return g_strconcat (first, rest, NULL);
}

/* JSON sections (histories, plans, note contents) as indented lines. */
static void
append_json (GString *out, JsonNode *node, guint depth)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        g_string_append (out, json_node_get_string (node));
      else if (type == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? _("Yes") : _("No"));
      else if (type == G_TYPE_INT64)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          g_string_append (out, text);
        }
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (i > 0)
            g_string_append (out, JSON_NODE_HOLDS_VALUE (element) ? ", " : "\n");
          append_json (out, element, depth);
        }
      return;
    }
  {
    JsonObjectIter iter;
    const char *key;
    JsonNode *member;
    gboolean first = TRUE;

    json_object_iter_init (&iter, json_node_get_object (node));
    while (json_object_iter_next (&iter, &key, &member))
      {
        g_autofree char *label = humanize_key (key);

        if (!first)
          g_string_append_c (out, '\n');
        first = FALSE;
        for (guint i = 0; i < depth; i++)
          g_string_append (out, "  ");
        g_string_append_printf (out, "%s: ", label);
        if (JSON_NODE_HOLDS_OBJECT (member))
          g_string_append_c (out, '\n');
        append_json (out, member, depth + 1);
      }
  }
}

/* @node (a field of plain form) as a person reads it; NULL when empty. */
static char *
format_value (const TfColumn *column, JsonNode *node)
{
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  text = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
  switch (column->type)
    {
    case TF_COLUMN_TIMESTAMP:
      {
        char *when = format_stamp (text);
        if (when != NULL)
          return when;
      }
      break;
    case TF_COLUMN_DATE:
      {
        char *day = format_date (text);
        if (day != NULL)
          return day;
      }
      break;
    case TF_COLUMN_TIME:
      if (text != NULL && strlen (text) >= 5)
        return g_strndup (text, 5);
      break;
    case TF_COLUMN_INTEGER:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        {
          gint64 value = json_node_get_int (node);

          /* The scores: "7 out of 10". */
          if (column->has_range && column->min == 1 && column->max == 10)
            return g_strdup_printf (_("%d out of 10"), (int) value);
          return g_strdup_printf ("%" G_GINT64_FORMAT, value);
        }
      break;
    case TF_COLUMN_UUID:
    case TF_COLUMN_TEXT:
    case TF_COLUMN_BOOLEAN:
    case TF_COLUMN_MONEY:
    case TF_COLUMN_JSON:
    default:
      break;
    }
  {
    g_autoptr(GString) out = g_string_new (NULL);

    append_json (out, node, 0);
    return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
  }
}

/* What the record is, in a few words: "Journal entry “Sunday”",
 * "Mood check-in of 3 March, 21:40". @local and @server may each be NULL. */
static char *
describe_record (const TfTable *table, JsonObject *local, JsonObject *server)
{
  JsonObject *sides[] = { server, local };
  const char *title = NULL, *created = NULL, *day = NULL, *appointment = NULL;
  g_autofree char *when = NULL;
  g_autofree char *date = NULL;
  const char *name = table->name;

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      const char *t;

      if (sides[i] == NULL)
        continue;
      t = tf_json_get_string (sides[i], "title");
      if (title == NULL && t != NULL && *t != '\0')
        title = t;
      if (created == NULL)
        created = tf_json_get_string (sides[i], "created_at");
      if (day == NULL)
        day = tf_json_get_string (sides[i], "completed_date");
      if (appointment == NULL)
        appointment = tf_json_get_string (sides[i], "appointment_datetime");
    }
  when = format_stamp (created);

  if (strcmp (name, "journal_entries") == 0)
    {
      if (title != NULL)
        return g_strdup_printf (_("Journal entry “%s”"), title);
      return when ? g_strdup_printf (_("Journal entry of %s"), when)
                  : g_strdup (_("Journal entry"));
    }
  if (strcmp (name, "mood_entries") == 0)
    return when ? g_strdup_printf (_("Mood check-in of %s"), when)
                : g_strdup (_("Mood check-in"));
  if (strcmp (name, "goals") == 0)
    return title ? g_strdup_printf (_("Goal “%s”"), title) : g_strdup (_("Goal"));
  if (strcmp (name, "goal_progress") == 0)
    {
      date = format_date (day);
      return date ? g_strdup_printf (_("Goal marked done on %s"), date)
                  : g_strdup (_("Goal marked done"));
    }
  if (strcmp (name, "session_notes") == 0)
    return when ? g_strdup_printf (_("Session note of %s"), when) : g_strdup (_("Session note"));
  if (strcmp (name, "sessions") == 0)
    return when ? g_strdup_printf (_("Session of %s"), when) : g_strdup (_("Session"));
  if (strcmp (name, "appointments") == 0)
    {
      g_autofree char *at = format_stamp (appointment);

      return at ? g_strdup_printf (_("Appointment of %s"), at) : g_strdup (_("Appointment"));
    }
  if (strcmp (name, "treatment_plans") == 0)
    return g_strdup (_("Treatment plan"));
  if (strcmp (name, "client_histories") == 0)
    return g_strdup (_("Client history"));
  if (strcmp (name, "client_intakes") == 0)
    return g_strdup (_("Intake form"));
  if (strcmp (name, "profiles") == 0)
    return g_strdup (_("Profile"));
  /* TRANSLATORS: %s is the name of a table of the database. */
  return g_strdup_printf (_("A record of “%s”"), name);
}

/* Fields that are not the user's content: ids and keys, and the sharing
 * and signature that a conflict copy resets by design (the original's
 * sharing stays when this device's version is kept). */
static gboolean
is_shown (const TfTable *table, const TfColumn *column)
{
  static const char * const hidden[] = { "enc_key", "signature", "locked_at", "is_private" };

  if (column->type == TF_COLUMN_UUID)
    return FALSE;
  if (g_strcmp0 (column->name, table->key_column) == 0 ||
      g_strcmp0 (column->name, table->shared_column) == 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    if (strcmp (column->name, hidden[i]) == 0)
      return FALSE;
  return TRUE;
}

static JsonNode *
member_or_null (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
same_value (JsonNode *a, JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static gboolean
is_unreadable (JsonObject *side)
{
  return side != NULL && json_object_get_boolean_member_with_default (side, "unreadable", FALSE);
}

/* --- a conflict's card --------------------------------------------------- */

static GtkWidget *
new_label (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* One field of one version: its label above its value. */
static void
append_field (GtkWidget *column_box, const char *label, const char *value, gboolean differs)
{
  g_autofree char *caption = NULL;
  GtkWidget *caption_label;
  GtkWidget *value_label = new_label (value != NULL ? value : _("Empty"), NULL);

  /* TRANSLATORS: the label of a field whose two versions differ. */
  caption = differs ? g_strdup_printf (_("%s (differs)"), label) : g_strdup (label);
  caption_label = new_label (caption, "caption-heading");
  gtk_widget_set_margin_top (caption_label, 6);
  gtk_widget_set_name (value_label, "conflict-value");
  /* Selectable, to copy a sentence from the version about to go, but not a
   * tab stop (nor given the window's first focus, which selects it all). */
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_focusable (value_label, FALSE);
  if (value == NULL)
    gtk_widget_add_css_class (value_label, "dim-label");
  if (differs)
    {
      PangoAttrList *bold = pango_attr_list_new ();

      pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      gtk_label_set_attributes (GTK_LABEL (value_label), bold);
      pango_attr_list_unref (bold);
      gtk_widget_add_css_class (caption_label, "accent");
      gtk_widget_add_css_class (value_label, "conflict-differs");
    }
  else
    gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_box_append (GTK_BOX (column_box), caption_label);
  gtk_box_append (GTK_BOX (column_box), value_label);
}

/* One version's column: @side's fields, @other's to compare; @missing
 * says in words why there is nothing to show. */
static GtkWidget *
build_version (const TfTable *table, const char *name, const char *heading, JsonObject *side,
               JsonObject *other, const char *missing)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = new_label (heading, "heading");

  gtk_widget_set_name (box, name);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_valign (box, GTK_ALIGN_START);
  tf_form_label_accessibly (box, heading);
  gtk_widget_set_margin_bottom (title, 4);
  gtk_box_append (GTK_BOX (box), title);
  if (missing != NULL)
    {
      GtkWidget *label = new_label (missing, "dim-label");

      gtk_widget_set_name (label, "conflict-missing");
      gtk_box_append (GTK_BOX (box), label);
    }
  else
    for (guint i = 0; i < table->n_columns; i++)
      {
        const TfColumn *column = &table->columns[i];
        JsonNode *mine = member_or_null (side, column->name);
        JsonNode *theirs = other != NULL && !is_unreadable (other)
                             ? member_or_null (other, column->name) : mine;
        g_autofree char *value = NULL;

        if (!is_shown (table, column) || (mine == NULL && theirs == NULL))
          continue;
        value = format_value (column, mine);
        append_field (box, column_label (column->name), value, !same_value (mine, theirs));
      }
  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_widget_set_margin_start (child, 12);
      gtk_widget_set_margin_end (child, 12);
    }
  gtk_widget_set_margin_top (title, 12);
  gtk_widget_set_margin_bottom (gtk_widget_get_last_child (box), 12);
  return box;
}

static void on_keep_clicked_cb (GtkButton *button, TfConflictsPage *self);

static GtkWidget *
add_keep_button (GtkWidget *box, TfConflictsPage *self, const char *copy_id,
                 gboolean server_gone, TfKeep keep, const char *name, const char *label,
                 const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_name (button, name);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), TRUE);
  gtk_label_set_justify (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))),
                         GTK_JUSTIFY_CENTER);
  g_object_set_data_full (G_OBJECT (button), "tf-copy-id", g_strdup (copy_id), g_free);
  g_object_set_data (G_OBJECT (button), "tf-keep", GINT_TO_POINTER (keep));
  g_object_set_data (G_OBJECT (button), "tf-server-gone", GINT_TO_POINTER (server_gone));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_keep_clicked_cb), self, 0);
  tf_side_by_side_append (box, button);
  return button;
}

/* A conflict {table, id, original_id, local, server} as a group: what it
 * is, the two versions, and the choice. */
static GtkWidget *
build_card (TfConflictsPage *self, JsonObject *conflict)
{
  const TfTable *table = tf_registry_lookup (tf_json_get_string (conflict, "table"));
  const char *copy_id = tf_json_get_string (conflict, "id");
  JsonNode *local_node = json_object_get_member (conflict, "local");
  JsonNode *server_node = json_object_get_member (conflict, "server");
  JsonObject *local = local_node && JSON_NODE_HOLDS_OBJECT (local_node)
                        ? json_node_get_object (local_node) : NULL;
  JsonObject *server = server_node && JSON_NODE_HOLDS_OBJECT (server_node)
                         ? json_node_get_object (server_node) : NULL;
  gboolean local_unreadable = local == NULL || is_unreadable (local);
  gboolean server_unreadable = is_unreadable (server);
  gboolean server_locked = server != NULL && tf_json_get_string (server, "locked_at") != NULL;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *versions = tf_side_by_side_new (12, SIDE_BY_SIDE_MIN_WIDTH, FALSE);
  GtkWidget *buttons = tf_side_by_side_new (6, 0, TRUE);
  GtkWidget *keep_local, *keep_both;
  g_autofree char *title = NULL;
  g_autofree char *name = g_strconcat ("conflict-", copy_id, NULL);
  const char *unreadable = _("This version cannot be opened with this account’s keys: it is "
                             "not shared with you, or no longer is.");

  title = describe_record (table, local_unreadable ? NULL : local,
                           server_unreadable ? NULL : server);
  gtk_widget_set_name (group, name);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (group),
    server == NULL ? _("Changed on this device and deleted on another one. Keep this device’s "
                       "version to bring it back, or let it go.")
                   : _("Changed on this device and on another one before they synced. Nothing "
                       "is lost until you choose."));

  gtk_widget_set_name (versions, "conflict-versions");
  gtk_widget_set_hexpand (versions, TRUE);
  tf_side_by_side_append (versions,
                      build_version (table, "conflict-local", _("On this device"), local,
                                     server, local_unreadable ? unreadable : NULL));
  tf_side_by_side_append (versions,
                      build_version (table, "conflict-server", _("On the server"), server,
                                     local_unreadable ? NULL : local,
                                     server == NULL
                                       ? _("Deleted on another device.")
                                       : server_unreadable ? unreadable : NULL));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), versions);

  gtk_widget_set_name (buttons, "conflict-buttons");
  gtk_widget_set_margin_top (buttons, 12);
  keep_local = add_keep_button (buttons, self, copy_id, server == NULL, TF_KEEP_LOCAL,
                                "conflict-keep-local", _("Keep this device’s"),
                                _("Keep the version from this device; the server’s version "
                                  "is replaced"));
  add_keep_button (buttons, self, copy_id, server == NULL, TF_KEEP_SERVER,
                   "conflict-keep-server", _("Keep the server’s"),
                   server == NULL ? _("Let the record go; this device’s version is discarded")
                                  : _("Keep the version from the server; this device’s version "
                                      "is discarded"));
  if (local_unreadable)
    {
      gtk_widget_set_sensitive (keep_local, FALSE);
      gtk_widget_set_tooltip_text (keep_local, unreadable);
    }
  else if (server_locked)
    {
      gtk_widget_set_sensitive (keep_local, FALSE);
      gtk_widget_set_tooltip_text (keep_local, _("The server’s version is a locked note: it "
                                                 "can no longer change"));
    }
  if (table->conflict_copy_syncs)
    {
      keep_both = add_keep_button (buttons, self, copy_id, server == NULL, TF_KEEP_BOTH,
                                   "conflict-keep-both", _("Keep both"),
                                   _("Keep both as separate records; the one from this device "
                                     "is not shared with anyone until you share it"));
      gtk_widget_add_css_class (keep_both, "suggested-action");
      gtk_widget_set_sensitive (keep_both, !local_unreadable);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  g_object_set_data (G_OBJECT (group), "tf-buttons", buttons);
  return group;
}

/* --- loading ------------------------------------------------------------- */

/* Of one conflict's content: a card stays as long as its conflict does not
 * change, so focus and scrolling stay where the user left them. */
static char *
checksum_of (JsonObject *conflict)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), conflict);
  g_autofree char *text = json_to_string (node, FALSE);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
set_count (TfConflictsPage *self, guint count)
{
  if (self->count == count)
    return;
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

/* The card of @copy_id with content @checksum, taken out of @cards; NULL
 * when there is none. */
static GtkWidget *
take_card (GPtrArray *cards, const char *copy_id, const char *checksum)
{
  for (guint i = 0; i < cards->len; i++)
    {
      GtkWidget *card = g_ptr_array_index (cards, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (card), "tf-copy-id"), copy_id) == 0 &&
          g_strcmp0 (g_object_get_data (G_OBJECT (card), "tf-checksum"), checksum) == 0)
        return g_ptr_array_steal_index (cards, i);
    }
  return NULL;
}

/* Focus leaves @cards before they go (a window left holding a removed focus
 * widget trips GTK 4.8 up): to the first choice a keyboard user can make
 * next, or nowhere. */
static void
move_focus_out (TfConflictsPage *self, GPtrArray *cards)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean inside = FALSE;

  for (guint i = 0; focus != NULL && i < cards->len; i++)
    inside |= gtk_widget_is_ancestor (focus, g_ptr_array_index (cards, i));
  if (!inside)
    return;
  for (guint i = 0; i < self->cards->len; i++)
    {
      GtkWidget *buttons = g_object_get_data (g_ptr_array_index (self->cards, i), "tf-buttons");

      for (GtkWidget *b = gtk_widget_get_first_child (buttons); b != NULL;
           b = gtk_widget_get_next_sibling (b))
        if (gtk_widget_is_sensitive (b) && gtk_widget_grab_focus (b))
          return;
    }
  gtk_root_set_focus (root, NULL);
}

static void
reload (TfConflictsPage *self)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (vault == NULL)
    return; /* locked: the window puts the pages away */
  conflicts = tf_vault_list_conflicts (vault, &error);
  if (conflicts == NULL)
    {
      tf_form_fail (self, _("The conflicts could not be listed: %s"), error->message);
      return;
    }

  /* Cards whose conflict is unchanged stay; the others go, and new ones
   * are added after them. */
  old = g_steal_pointer (&self->cards);
  self->cards = g_ptr_array_new ();
  for (guint i = 0; i < conflicts->len; i++)
    {
      JsonObject *conflict = g_ptr_array_index (conflicts, i);
      const char *copy_id = tf_json_get_string (conflict, "id");
      g_autofree char *checksum = NULL;
      GtkWidget *card;

      if (tf_registry_lookup (tf_json_get_string (conflict, "table")) == NULL || copy_id == NULL)
        continue;
      checksum = checksum_of (conflict);
      card = take_card (old, copy_id, checksum);
      if (card == NULL)
        {
          card = build_card (self, conflict);
          g_object_set_data_full (G_OBJECT (card), "tf-copy-id", g_strdup (copy_id), g_free);
          g_object_set_data_full (G_OBJECT (card), "tf-checksum", g_steal_pointer (&checksum),
                                  g_free);
          adw_preferences_page_add (self->list, ADW_PREFERENCES_GROUP (card));
        }
      g_ptr_array_add (self->cards, card);
    }
  move_focus_out (self, old);
  for (guint i = 0; i < old->len; i++)
    adw_preferences_page_remove (self->list, g_ptr_array_index (old, i));
  gtk_stack_set_visible_child_name (self->stack, self->cards->len > 0 ? "list" : "empty");
  set_count (self, self->cards->len);
}

static gboolean
reload_cb (gpointer data)
{
  TfConflictsPage *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* Many writes (a pulled page) make one reload. */
static void
schedule_reload (TfConflictsPage *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_cb, self, NULL);
}

static void
on_store_changed_cb (TfStore *store, const char *table, const char *id, TfConflictsPage *self)
{
  schedule_reload (self);
}

static void
on_synced_cb (TfConflictsPage *self)
{
  schedule_reload (self);
}

/* Locked: the decrypted versions leave the screen and memory with the
 * keys; unlocked again, they come back. */
static void
on_unlocked_cb (TfConflictsPage *self)
{
  g_autoptr(GPtrArray) old = NULL;

  if (tf_session_is_unlocked (self->session))
    {
      schedule_reload (self);
      return;
    }
  g_clear_handle_id (&self->reload_id, g_source_remove);
  old = g_steal_pointer (&self->cards);
  self->cards = g_ptr_array_new ();
  move_focus_out (self, old);
  for (guint i = 0; i < old->len; i++)
    adw_preferences_page_remove (self->list, g_ptr_array_index (old, i));
  gtk_stack_set_visible_child_name (self->stack, "empty");
  set_count (self, 0);
}

/* --- choosing ------------------------------------------------------------ */

static void
resolve (TfConflictsPage *self, const char *copy_id, TfKeep keep)
{
  TfVault *vault = tf_session_get_vault (self->session);
  g_autoptr(GError) error = NULL;
  const char *message;

  if (vault == NULL)
    return;
  if (!tf_vault_resolve_conflict (vault, copy_id, keep, &error))
    {
      /* Both versions stay as they were; the list shows what is left. */
      tf_form_fail (self, _("The conflict was not resolved: %s"), error->message);
      reload (self);
      return;
    }
  reload (self);
  tf_session_sync (self->session);
  switch (keep)
    {
    case TF_KEEP_LOCAL:
      message = _("This device’s version was kept");
      break;
    case TF_KEEP_SERVER:
      message = _("The server’s version was kept");
      break;
    case TF_KEEP_BOTH:
    default:
      message = _("Both versions were kept");
      break;
    }
  g_signal_emit (self, signals[SAVED], 0, message);
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog, const char *response, TfConflictsPage *self)
{
  const char *copy_id = g_object_get_data (G_OBJECT (dialog), "tf-copy-id");
  TfKeep keep = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "tf-keep"));

  if (g_strcmp0 (response, "keep") != 0 || copy_id == NULL)
    return;
  resolve (self, copy_id, keep);
}

/* Keeping one version discards the other: asked first.  Keeping both
 * loses nothing and happens at once. */
static void
on_keep_clicked_cb (GtkButton *button, TfConflictsPage *self)
{
  const char *copy_id = g_object_get_data (G_OBJECT (button), "tf-copy-id");
  TfKeep keep = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tf-keep"));
  gboolean gone = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "tf-server-gone"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *heading, *body;
  GtkWidget *dialog;

  if (keep == TF_KEEP_BOTH)
    {
      resolve (self, copy_id, keep);
      return;
    }
  if (keep == TF_KEEP_LOCAL)
    {
      heading = gone ? _("Bring This Record Back?") : _("Replace the Server’s Version?");
      body = gone ? _("The record comes back with the version from this device, here and, at "
                      "the next sync, on your other devices.")
                  : _("The version from this device replaces the other one here and, at the "
                      "next sync, on your other devices. The other version cannot be brought "
                      "back.");
    }
  else
    {
      heading = _("Discard This Device’s Version?");
      body = gone ? _("The changes made on this device are deleted and the record stays "
                      "deleted. They cannot be brought back.")
                  : _("The changes made on this device are deleted and the server’s version "
                      "stays. They cannot be brought back.");
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "keep", keep != TF_KEEP_LOCAL ? _("_Discard")
                                            : gone ? _("_Bring Back") : _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "keep",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "conflict-confirm-dialog");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "tf-copy-id", g_strdup (copy_id), g_free);
  g_object_set_data (G_OBJECT (dialog), "tf-keep", GINT_TO_POINTER (keep));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- the object ---------------------------------------------------------- */

static void
tf_conflicts_page_dispose (GObject *object)
{
  TfConflictsPage *self = TF_CONFLICTS_PAGE (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->changed_id != 0)
    {
      g_signal_handler_disconnect (self->store, self->changed_id);
      self->changed_id = 0;
    }
  g_clear_object (&self->store);
  tf_form_unparent_children (GTK_WIDGET (self));
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_conflicts_page_parent_class)->dispose (object);
}

static void
tf_conflicts_page_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  TfConflictsPage *self = TF_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_conflicts_page_class_init (TfConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tf_conflicts_page_dispose;
  object_class->get_property = tf_conflicts_page_get_property;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  /* Conflicts waiting for the user. */
  properties[PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                              G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
}

static void
tf_conflicts_page_init (TfConflictsPage *self)
{
  GtkWidget *empty = adw_status_page_new ();
  GtkWidget *intro = adw_preferences_group_new ();

  self->cards = g_ptr_array_new ();
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_name (GTK_WIDGET (self->stack), "conflicts-stack");

  gtk_widget_set_name (empty, "conflicts-empty");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Conflicts"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("When something is changed on two devices before they "
                                     "sync, both versions wait here for you to choose."));
  gtk_stack_add_named (self->stack, empty, "empty");

  self->list = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_name (GTK_WIDGET (self->list), "conflicts-list");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (intro), _("Conflicts"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (intro),
                                         _("These records were changed on this device and on "
                                           "another one before they could sync. For each, "
                                           "choose the version to keep."));
  adw_preferences_page_add (self->list, ADW_PREFERENCES_GROUP (intro));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->list), "list");
  gtk_stack_set_visible_child_name (self->stack, "empty");
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));
}

GtkWidget *
tf_conflicts_page_new (TfSession *session)
{
  TfConflictsPage *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);

  self = g_object_new (TF_TYPE_CONFLICTS_PAGE, NULL);
  self->session = g_object_ref (session);
  self->store = g_object_ref (tf_session_get_store (session));
  self->changed_id = g_signal_connect (self->store, "changed",
                                       G_CALLBACK (on_store_changed_cb), self);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::unlocked", G_CALLBACK (on_unlocked_cb), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  return GTK_WIDGET (self);
}

guint
tf_conflicts_page_get_count (TfConflictsPage *self)
{
  g_return_val_if_fail (TF_IS_CONFLICTS_PAGE (self), 0);

  return self->count;
}
