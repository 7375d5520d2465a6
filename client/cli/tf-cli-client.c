/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-client.c: what a client keeps — mood, journal, goals — and the
 * link to a therapist.  On a therapist's device, mood and journal lists
 * also show what clients share, with the client's name; a therapist ends
 * a client's care here too.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-booking.h"
#include "tf-checkin.h"
#include "tf-goals.h"
#include "tf-journal.h"
#include "tf-cli.h"
#include "tf-error.h"

/* What a write prints: the record with --json, else its id. */
static void
print_saved (TfCli *cli, const char *id, JsonObject *plain)
{
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), plain);
      tf_cli_print_json (node);
    }
  else
    g_print ("%s\n", id);
}

/* Adds "owner_name" to records that are not the user's own. */
static void
name_owners (TfCli *cli, GPtrArray *records, const char *owner_column)
{
  const char *me = tf_vault_get_user_id (cli->vault);

  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *o = g_ptr_array_index (records, i);
      const char *owner = tf_json_get_string (o, owner_column);

      if (owner != NULL && g_strcmp0 (owner, me) != 0)
        {
          g_autofree char *name = tf_cli_user_name (cli, owner);
          json_object_set_string_member (o, "owner_name", name);
        }
    }
}

static GPtrArray *
list (TfCli *cli, const char *table_name, const char *column, const char *value,
      GError **error)
{
  TfVault *vault = tf_cli_vault (cli, error);
  GPtrArray *records;

  if (vault == NULL)
    return NULL;
  records = tf_vault_list (vault, tf_cli_table (table_name), column, value, error);
  if (records != NULL && tf_cli_table (table_name)->owner_column != NULL)
    name_owners (cli, records, tf_cli_table (table_name)->owner_column);
  return records;
}

static const char *
owner_prefix (JsonObject *o, char **buffer)
{
  const char *name = tf_json_get_string (o, "owner_name");

  if (name == NULL)
    return "";
  *buffer = g_strdup_printf ("[%s] ", name);
  return *buffer;
}

static const char *
readable (JsonObject *o, const char *member)
{
  if (json_object_get_boolean_member_with_default (o, "unreadable", FALSE))
    return _("(no longer shared with you)");
  return tf_json_get_string (o, member) ? tf_json_get_string (o, member) : "";
}

/* --- mood ----------------------------------------------------------------- */

static gboolean
mood_add (TfCli *cli, int argc, char **argv, GError **error)
{
  int mood = 0, energy = 0, anxiety = 0;
  g_auto(GStrv) emotions = NULL, categories = NULL;
  g_autofree char *note = NULL, *id = g_uuid_string_random ();
  g_autoptr(JsonObject) plain = NULL;
  GOptionEntry entries[] = {
    { "mood", 0, 0, G_OPTION_ARG_INT, &mood, N_("Mood, 1–10"), N_("N") },
    { "energy", 0, 0, G_OPTION_ARG_INT, &energy, N_("Energy, 1–10"), N_("N") },
    { "anxiety", 0, 0, G_OPTION_ARG_INT, &anxiety, N_("Anxiety, 1–10"), N_("N") },
    { "emotion", 0, 0, G_OPTION_ARG_STRING_ARRAY, &emotions, N_("An emotion (repeatable)"),
      N_("E") },
    { "category", 0, 0, G_OPTION_ARG_STRING_ARRAY, &categories, N_("A category (repeatable)"),
      N_("C") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note, encrypted"), N_("TEXT") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_client_commands[0], entries, &argc, &argv, 0, error) ||
      !tf_cli_check_range ("mood", mood, 1, 10, error) ||
      !tf_cli_check_range ("energy", energy, 1, 10, error) ||
      !tf_cli_check_range ("anxiety", anxiety, 1, 10, error) ||
      tf_cli_vault (cli, error) == NULL)
    return FALSE;
  {
    TfCheckin checkin = { mood, energy, anxiety, (const char * const *) emotions,
                          (const char * const *) categories, note };

    if (!tf_checkin_save (cli->vault, id, &checkin, &plain, error))
      return FALSE;
  }
  print_saved (cli, id, plain);
  return TRUE;
}

static char *
joined (JsonObject *o, const char *member)
{
  JsonNode *node = json_object_get_member (o, member);
  GString *out = g_string_new (NULL);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_string_append_printf (out, "%s%s", out->len ? ", " : "", json_node_get_string (e));
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
mood_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;

  if (!tf_cli_parse (cli, &tf_cli_client_commands[1], NULL, &argc, &argv, 0, error))
    return FALSE;
  records = list (cli, "mood_entries", NULL, NULL, error);
  if (records == NULL)
    return FALSE;
  if (cli->json)
    {
      tf_cli_print_records (records);
      return TRUE;
    }
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *o = g_ptr_array_index (records, i);
      g_autofree char *who = NULL, *emotions = joined (o, "emotions");

      g_print (_("%s  %smood %d, energy %d, anxiety %d%s%s%s%s\n"),
               tf_json_get_string (o, "created_at"), owner_prefix (o, &who),
               (int) json_object_get_int_member_with_default (o, "mood_value", 0),
               (int) json_object_get_int_member_with_default (o, "energy_level", 0),
               (int) json_object_get_int_member_with_default (o, "anxiety_level", 0),
               *emotions ? " — " : "", emotions,
               *readable (o, "notes") ? " — " : "", readable (o, "notes"));
    }
  return TRUE;
}

/* --- journal -------------------------------------------------------------- */

/* Fails with @local (taken); an entry shared with this account, which
 * only its author may change, is a usage error (exit status 2). */
static gboolean
refuse_shared (GError *local, GError **error)
{
  if (g_error_matches (local, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER))
    {
      tf_cli_usage_error (error, "%s", local->message);
      g_error_free (local);
    }
  else
    g_propagate_error (error, local);
  return FALSE;
}

/* Saves @entry as journal entry @id through the one write path, and
 * prints it; an entry shared with this account is a usage error. */
static gboolean
journal_save (TfCli *cli, const char *id, const TfJournalEntry *entry, GError **error)
{
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) local = NULL;

  if (!tf_journal_save (cli->vault, id, entry, &plain, &local))
    return refuse_shared (g_steal_pointer (&local), error);
  print_saved (cli, id, plain);
  return TRUE;
}

static gboolean
journal_add (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *title = NULL, *content = NULL, *category = NULL;
  g_autofree char *id = g_uuid_string_random ();
  gboolean share = FALSE;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Title"), N_("T") },
    { "content", 0, 0, G_OPTION_ARG_STRING, &content, N_("The entry, encrypted"), N_("TEXT") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("Category"), N_("C") },
    { "share", 0, 0, G_OPTION_ARG_NONE, &share, N_("Share with my therapist"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_client_commands[2], entries, &argc, &argv, 0, error))
    return FALSE;
  if (title == NULL || content == NULL)
    return tf_cli_usage_error (error, _("A journal entry needs --title and --content"));
  if (tf_cli_vault (cli, error) == NULL)
    return FALSE;
  {
    TfJournalEntry entry = { title, content, category, share };

    return journal_save (cli, id, &entry, error);
  }
}

static gboolean
journal_edit (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *title = NULL, *content = NULL, *category = NULL;
  gboolean share = FALSE, no_share = FALSE;
  g_autoptr(JsonObject) stored = NULL;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Title"), N_("T") },
    { "content", 0, 0, G_OPTION_ARG_STRING, &content, N_("The entry, encrypted"), N_("TEXT") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("Category"), N_("C") },
    { "share", 0, 0, G_OPTION_ARG_NONE, &share, N_("Share with my therapist"), NULL },
    { "no-share", 0, 0, G_OPTION_ARG_NONE, &no_share, N_("Stop sharing"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_client_commands[3], entries, &argc, &argv, 1, error))
    return FALSE;
  if (share && no_share)
    return tf_cli_usage_error (error, _("Give --share or --no-share, not both"));
  if (title == NULL && content == NULL && category == NULL && !share && !no_share)
    return tf_cli_usage_error (error, _("Nothing to change: give --title, --content, "
                                        "--category, --share or --no-share"));
  /* An edit, never a new entry: the id must be stored. */
  stored = tf_cli_dup_record (cli, "journal_entries", argv[1], _("journal entry"), error);
  if (stored == NULL)
    return FALSE;
  {
    TfJournalEntry entry = { title, content, category, share ? TRUE : no_share ? FALSE : -1 };

    return journal_save (cli, argv[1], &entry, error);
  }
}

static gboolean
journal_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;

  if (!tf_cli_parse (cli, &tf_cli_client_commands[4], NULL, &argc, &argv, 0, error))
    return FALSE;
  records = list (cli, "journal_entries", NULL, NULL, error);
  if (records == NULL)
    return FALSE;
  if (cli->json)
    {
      tf_cli_print_records (records);
      return TRUE;
    }
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *o = g_ptr_array_index (records, i);
      g_autofree char *who = NULL;

      g_print ("%s  %s  %s%s%s\n", tf_cli_text (o, "id"), tf_cli_text (o, "created_at"),
               owner_prefix (o, &who), tf_cli_text (o, "title"),
               json_object_get_boolean_member_with_default (o, "therapist_shared", FALSE)
                 ? _(" (shared)") : "");
    }
  return TRUE;
}

static gboolean
journal_show (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(JsonObject) plain = NULL;

  if (!tf_cli_parse (cli, &tf_cli_client_commands[5], NULL, &argc, &argv, 1, error))
    return FALSE;
  plain = tf_cli_dup_record (cli, "journal_entries", argv[1], _("journal entry"), error);
  if (plain == NULL)
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), plain);
      tf_cli_print_json (node);
    }
  else
    g_print ("%s\n%s\n\n%s\n", tf_cli_text (plain, "title"),
             tf_json_get_string (plain, "created_at"),
             tf_cli_text (plain, "content"));
  return TRUE;
}

static gboolean
journal_delete (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) local = NULL;

  if (!tf_cli_parse (cli, &tf_cli_client_commands[6], NULL, &argc, &argv, 1, error))
    return FALSE;
  stored = tf_cli_dup_record (cli, "journal_entries", argv[1], _("journal entry"), error);
  if (stored == NULL)
    return FALSE;
  if (!tf_journal_delete (cli->vault, argv[1], &local))
    return refuse_shared (g_steal_pointer (&local), error);
  return TRUE;
}

/* --- goals ---------------------------------------------------------------- */

static gboolean
goal_add (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *title = NULL, *frequency = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) plain = NULL;
  int target = 0;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Title"), N_("T") },
    { "frequency", 0, 0, G_OPTION_ARG_STRING, &frequency, N_("daily, weekly or monthly"),
      N_("F") },
    { "target", 0, 0, G_OPTION_ARG_INT, &target, N_("Times per period"), N_("N") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_client_commands[7], entries, &argc, &argv, 0, error))
    return FALSE;
  if (title == NULL || *title == '\0')
    return tf_cli_usage_error (error, _("A goal needs --title"));
  if (frequency != NULL && g_strcmp0 (frequency, "daily") != 0 &&
      g_strcmp0 (frequency, "weekly") != 0 && g_strcmp0 (frequency, "monthly") != 0)
    return tf_cli_usage_error (error, _("--frequency must be daily, weekly or monthly"));
  if (target != 0 && !tf_cli_check_range ("target", target, 1, 1000, error))
    return FALSE;
  if (tf_cli_vault (cli, error) == NULL)
    return FALSE;
  if (!tf_goal_save (cli->vault, id, title, frequency ? frequency : "daily", target ? target : 1,
                     &plain, error))
    return FALSE;
  print_saved (cli, id, plain);
  return TRUE;
}

static gboolean
goal_done (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *date = NULL, *note = NULL, *id = g_uuid_string_random ();
  g_autoptr(JsonObject) goal = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) local = NULL;
  GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("Day it was done (default: today)"),
      N_("YYYY-MM-DD") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A few words about it"), N_("TEXT") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_client_commands[8], entries, &argc, &argv, 1, error))
    return FALSE;
  if (date == NULL)
    {
      g_autoptr(GDateTime) today = g_date_time_new_now_local ();
      date = g_date_time_format (today, "%Y-%m-%d");
    }
  if (!tf_cli_check_date ("date", date, error))
    return FALSE;
  goal = tf_cli_dup_record (cli, "goals", argv[1], _("goal"), error);
  if (goal == NULL)
    return FALSE;
  if (!tf_goal_mark_done (cli->vault, id, argv[1], date, note, &plain, &local))
    {
      if (g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT))
        return tf_cli_usage_error (error, "%s", local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  print_saved (cli, id, plain);
  return TRUE;
}

static int
compare_completed_date (gconstpointer a, gconstpointer b, gpointer data)
{
  return g_strcmp0 (tf_json_get_string (*(JsonObject **) a, "completed_date"),
                    tf_json_get_string (*(JsonObject **) b, "completed_date"));
}

/* The days a goal was done, oldest first, with their notes. */
static JsonArray *
progress_array (GPtrArray *done)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (done, NULL, NULL);
  JsonArray *days = json_array_new ();

  g_ptr_array_sort_with_data (sorted, compare_completed_date, NULL);
  for (guint i = 0; i < sorted->len; i++)
    {
      JsonObject *mark = g_ptr_array_index (sorted, i);
      JsonObject *day = json_object_new ();
      const char *notes = tf_json_get_string (mark, "notes");

      json_object_set_string_member (day, "date", tf_json_get_string (mark, "completed_date"));
      if (notes != NULL)
        json_object_set_string_member (day, "notes", notes);
      else
        json_object_set_null_member (day, "notes");
      json_array_add_object_element (days, day);
    }
  return days;
}

static gboolean
goal_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;

  if (!tf_cli_parse (cli, &tf_cli_client_commands[9], NULL, &argc, &argv, 0, error))
    return FALSE;
  records = list (cli, "goals", NULL, NULL, error);
  if (records == NULL)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *o = g_ptr_array_index (records, i);
      g_autoptr(GPtrArray) done = tf_vault_list (cli->vault, tf_cli_table ("goal_progress"),
                                                 "goal_id",
                                                 tf_json_get_string (o, "id"), error);
      if (done == NULL)
        return FALSE;
      json_object_set_int_member (o, "times_done", done->len);
      json_object_set_array_member (o, "done", progress_array (done));
      if (!cli->json)
        {
          g_autofree char *who = NULL;
          const char *frequency = tf_json_get_string (o, "frequency");

          g_print (_("%s  %s%s (%s), done %u times\n"), tf_cli_text (o, "id"),
                   owner_prefix (o, &who), tf_cli_text (o, "title"), frequency ? frequency : "",
                   done->len);
        }
    }
  if (cli->json)
    tf_cli_print_records (records);
  return TRUE;
}

/* --- therapist ------------------------------------------------------------ */

static gboolean
therapist_link (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *email = NULL, *therapist_id = NULL, *care_id = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) local = NULL;
  gboolean share_mood = FALSE, share_goals = FALSE;
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The therapist’s e-mail address"),
      N_("E") },
    { "share-mood", 0, 0, G_OPTION_ARG_NONE, &share_mood, N_("Share my mood entries"), NULL },
    { "share-goals", 0, 0, G_OPTION_ARG_NONE, &share_goals, N_("Share my goals"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_client_commands[10], entries, &argc, &argv, 0, error))
    return FALSE;
  if (email == NULL)
    return tf_cli_usage_error (error, _("--email E is required"));
  if (tf_cli_require_role (cli, "client", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  therapist_id = tf_account_find_therapist (cli->vault, email, error);
  if (therapist_id == NULL)
    return FALSE;
  care_id = tf_booking_link_therapist (cli->vault, therapist_id, share_mood, share_goals,
                                       &local);
  if (care_id == NULL)
    {
      if (g_error_matches (local, TF_BOOKING_ERROR, TF_BOOKING_ERROR_ALREADY_LINKED))
        return tf_cli_usage_error (error, "%s: %s", email, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (cli->json)
    {
      stored = tf_vault_get (cli->vault, tf_cli_table ("care_relationships"), care_id, error);
      if (stored == NULL)
        return FALSE;
    }
  print_saved (cli, care_id, stored);
  if (!cli->json)
    {
      g_autoptr(JsonObject) key = tf_store_lookup_key (cli->store, therapist_id, NULL);

      if (key != NULL)
        g_print (_("The fingerprint of %s’s keys is %s. Compare it with the one their app "
                   "shows before you share anything.\n"), email,
                 json_object_get_string_member (key, "fingerprint"));
      g_print ("%s\n", _("Your request waits for the therapist’s answer; nothing is shared "
                         "with them before they accept it."));
    }
  return TRUE;
}

static gboolean
therapist_end (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *email = NULL, *therapist_id = NULL;
  g_autoptr(GError) local = NULL;
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The therapist’s e-mail address"),
      N_("E") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_client_commands[11], entries, &argc, &argv, 0, error))
    return FALSE;
  if (email == NULL)
    return tf_cli_usage_error (error, _("--email E is required"));
  if (tf_cli_require_role (cli, "client", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  /* Offline: the therapists of this client's care, known by their keys. */
  {
    g_auto(GStrv) therapists = tf_booking_list_therapists (cli->vault, error);

    if (therapists == NULL)
      return FALSE;
    for (guint i = 0; therapists[i] != NULL && therapist_id == NULL; i++)
      {
        g_autoptr(JsonObject) key = tf_store_lookup_key (cli->store, therapists[i], NULL);

        if (key != NULL && g_ascii_strcasecmp (tf_json_get_string (key, "email") ?: "",
                                               email) == 0)
          therapist_id = g_strdup (therapists[i]);
      }
  }
  if (therapist_id == NULL)
    return tf_cli_usage_error (error, _("You are not in care with %s"), email);
  if (!tf_booking_end_care (cli->vault, therapist_id, &local))
    {
      if (g_error_matches (local, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_LINKED))
        return tf_cli_usage_error (error, _("You are not in care with %s"), email);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!cli->json)
    g_print (_("Care with %s ended. What you shared was locked again with new keys; what you "
               "write from now on does not reach them.\n"), email);
  return TRUE;
}

/* client end ID: a therapist ends a client's care (tf_booking_end_care, as
 * the app's End Care… on the client's page).  Nothing of the client's
 * reaches them from then on: the client's device, when the end reaches it,
 * locks what it shared with them again under new keys. */
static gboolean
client_end (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!tf_cli_parse (cli, &tf_cli_client_commands[12], NULL, &argc, &argv, 1, error))
    return FALSE;
  if (tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  if (!tf_booking_end_care (cli->vault, argv[1], &local))
    {
      if (g_error_matches (local, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_LINKED))
        return tf_cli_usage_error (error, _("You are not in care with %s"), argv[1]);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!cli->json)
    g_print ("%s\n", _("Care with this client ended. When their device next syncs it locks "
                       "what they shared with you again under new keys; what they write from "
                       "then on does not reach you."));
  return TRUE;
}

const TfCliCommand tf_cli_client_commands[] = {
  { "mood", "add", mood_add,
    "--mood N --energy N --anxiety N [--emotion E]... [--category C]... [--note TEXT]" },
  { "mood", "list", mood_list, "" },
  { "journal", "add", journal_add, "--title T --content TEXT [--category C] [--share]" },
  { "journal", "edit", journal_edit, "ID [--title T] [--content TEXT] [--share | --no-share]" },
  { "journal", "list", journal_list, "" },
  { "journal", "show", journal_show, "ID" },
  { "journal", "delete", journal_delete, "ID" },
  { "goal", "add", goal_add, "--title T [--frequency daily|weekly|monthly] [--target N]" },
  { "goal", "done", goal_done, "ID [--date D] [--note TEXT]" },
  { "goal", "list", goal_list, "" },
  { "therapist", "link", therapist_link, "--email E [--share-mood] [--share-goals]" },
  { "therapist", "end", therapist_end, "--email E" },
  { "client", "end", client_end, "ID" },
  { NULL }
};
