/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-sync.c: sync, status, conflicts list | resolve.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-booking.h"
#include "tf-cli.h"

static void
print_rejections (TfCli *cli, JsonArray *rejections)
{
  for (guint i = 0; i < json_array_get_length (rejections); i++)
    {
      JsonObject *r = json_array_get_object_element (rejections, i);
      const char *code = json_object_get_string_member (r, "code");
      /* A booking's refusal in this program's words; others as the server
       * said them. */
      const char *words = tf_booking_describe_rejection (code);

      g_printerr (_("Refused by the server: %s %s: %s (%s)\n"),
                  json_object_get_string_member (r, "table"),
                  json_object_get_string_member (r, "id"),
                  words != NULL ? words : json_object_get_string_member (r, "message"), code);
    }
}

/* Syncs, settles what it brought (tf_account_settle: old plaintext, keys of
 * people in care, key grants, shares), then pushes at once what that
 * queued (tf_account_sync_settled).  The session's token opens with the
 * master key only, so the vault is opened first (a conflict copy is then
 * also re-encrypted for its own id and syncs too). */
static gboolean
run_sync (TfCli *cli, TfSyncReport *report, GError **error)
{
  g_autoptr(TfSyncClient) client = NULL;
  TfStore *store = tf_cli_store (cli, error);
  TfVault *vault;
  TfSettleReport settled;
  gboolean ok;

  if (store == NULL || !tf_account_has_session (store, error))
    return FALSE;
  vault = tf_cli_vault (cli, error);
  if (vault == NULL)
    return FALSE;
  client = tf_account_new_sync_client (vault, error);
  if (client == NULL)
    return FALSE;
  ok = tf_account_sync_settled (vault, client, report, &settled, error);
  if (settled.legacy_error != NULL)
    g_printerr (_("Old entries stay unencrypted for now: %s\n"), settled.legacy_error);
  if (ok && settled.pending > 0)
    g_printerr (ngettext ("%u share waits for a key the server does not have yet.\n",
                          "%u shares wait for keys the server does not have yet.\n",
                          settled.pending), settled.pending);
  tf_settle_report_clear (&settled);
  return ok;
}

/* Waits up to @seconds for another device's change (long-poll), then
 * syncs again if there was one. */
static gboolean
wait_and_sync (TfCli *cli, int seconds, TfSyncReport *report, GError **error)
{
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (cli->vault, error);
  g_autoptr(GTimer) timer = g_timer_new ();
  gboolean changes = FALSE;

  if (client == NULL)
    return FALSE;
  while (!changes && g_timer_elapsed (timer, NULL) < seconds)
    {
      int left = seconds - (int) g_timer_elapsed (timer, NULL);

      if (!tf_sync_client_wait (client, cli->store, MAX (left, 1), &changes, NULL, error))
        return FALSE;
    }
  if (!changes)
    return TRUE;
  {
    TfSyncReport again = { 0 };

    if (!run_sync (cli, &again, error))
      return FALSE;
    tf_sync_report_add (report, &again);
  }
  return TRUE;
}

static gboolean
sync_command (TfCli *cli, int argc, char **argv, GError **error)
{
  TfSyncReport report = { 0 };
  g_autoptr(JsonArray) rejections = NULL;
  int wait = 0;
  GOptionEntry entries[] = {
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait,
      N_("Then wait up to this many seconds for changes from other devices"), N_("SECONDS") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_sync_commands[0], entries, &argc, &argv, 0, error) ||
      (wait != 0 && !tf_cli_check_range ("wait", wait, 1, 3600, error)) ||
      !run_sync (cli, &report, error) ||
      (wait > 0 && !wait_and_sync (cli, wait, &report, error)))
    return FALSE;
  rejections = tf_store_list_rejections (cli->store, error);
  if (rejections == NULL)
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_int_member (o, "pushed", report.pushed);
      json_object_set_int_member (o, "pulled", report.pulled);
      json_object_set_int_member (o, "rejected", report.rejected);
      json_object_set_int_member (o, "conflicts", report.conflicts);
      json_object_set_int_member (o, "edits_kept", report.edits_kept);
      json_object_set_int_member (o, "renumbered", report.renumbered);
      json_object_set_int_member (o, "server_lost", report.server_lost);
      json_object_set_int_member (o, "resent", report.resent);
      json_object_set_int_member (o, "unkept", report.unkept);
      json_object_set_int_member (o, "refused", report.refused);
      json_object_set_array_member (o, "rejections", json_array_ref (rejections));
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
    }
  else
    {
      g_print (_("Sent %u changes, received %u.\n"), report.pushed, report.pulled);
      if (report.conflicts > 0)
        g_print (ngettext ("%u conflict needs you: see “conflicts list”.\n",
                           "%u conflicts need you: see “conflicts list”.\n", report.conflicts),
                 report.conflicts);
      if (report.edits_kept > 0)
        g_print (ngettext ("%u record deleted elsewhere was kept because you changed it.\n",
                           "%u records deleted elsewhere were kept because you changed them.\n",
                           report.edits_kept), report.edits_kept);
      if (report.renumbered > 0)
        g_print (ngettext ("This profile was restored from a backup or copied: %u change is "
                           "sent again under a new number.\n",
                           "This profile was restored from a backup or copied: %u changes are "
                           "sent again under new numbers.\n", report.renumbered),
                 report.renumbered);
      print_rejections (cli, rejections);
    }
  tf_cli_print_key_changes (cli);
  if (report.server_lost > 0)
    {
      g_autofree char *text = tf_sync_server_lost_text (report.resent, report.unkept);
      g_printerr ("%s\n", text);
    }
  if (report.refused > 0)
    g_printerr (ngettext ("%u record from the server was refused: its author did not write or "
                          "sign it. See “status”.\n",
                          "%u records from the server were refused: their authors did not write "
                          "or sign them. See “status”.\n", report.refused), report.refused);
  /* Told once: status counts refusals no sync has reported yet. */
  return tf_store_dismiss_rejections (cli->store, error);
}

static gboolean
status_command (TfCli *cli, int argc, char **argv, GError **error)
{
  TfStore *store;
  g_autofree char *email = NULL, *server = NULL, *last = NULL, *last_error = NULL;
  g_autofree char *server_lost = NULL, *server_lost_text = NULL;
  g_autoptr(JsonArray) refused = NULL;
  gint64 pending, cursor, rejected, conflicts = 0;
  guint n_tables;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  if (!tf_cli_parse (cli, &tf_cli_sync_commands[1], NULL, &argc, &argv, 0, error))
    return FALSE;
  store = tf_cli_store (cli, error);
  if (store == NULL)
    return FALSE;
  email = tf_account_get (store, "email");
  server = tf_account_get (store, "server");
  last = tf_store_dup_state (store, "last_sync", NULL);
  last_error = tf_store_dup_state (store, "last_sync_error", NULL);
  server_lost_text = tf_sync_server_lost_notice (store, &server_lost);
  if ((pending = tf_store_outbox_count (store, error)) < 0 ||
      (cursor = tf_store_get_cursor (store, error)) < 0 ||
      (rejected = tf_store_rejection_count (store, error)) < 0 ||
      (refused = tf_store_list_refused (store, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < n_tables; i++)
    {
      gint64 n = tf_store_conflict_count (store, &tables[i], error);
      if (n < 0)
        return FALSE;
      conflicts += n;
    }

  if (cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (o, "account", email);
      json_object_set_string_member (o, "server", server);
      json_object_set_int_member (o, "pending", pending);
      json_object_set_string_member (o, "last_sync", last);
      json_object_set_string_member (o, "last_sync_error", last_error);
      json_object_set_int_member (o, "cursor", cursor);
      json_object_set_int_member (o, "conflicts", conflicts);
      json_object_set_int_member (o, "rejected", rejected);
      json_object_set_string_member (o, "server_lost", server_lost);
      json_object_set_string_member (o, "server_lost_notice", server_lost_text);
      json_object_set_int_member (o, "refused", json_array_get_length (refused));
      json_object_set_array_member (o, "refusals", json_array_ref (refused));
      json_object_set_int_member (o, "key_changes", tf_cli_count_key_changes (cli));
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
      return TRUE;
    }
  g_print (_("Account: %s\n"), email ? email : _("none"));
  g_print (_("Server: %s\n"), server ? server : _("none (this computer only)"));
  g_print (_("Changes waiting to be sent: %lld\n"), (long long) pending);
  g_print (_("Last sync: %s\n"), last ? last : _("never"));
  if (last_error != NULL)
    g_print (_("Last sync failed: %s\n"), last_error);
  g_print (_("Cursor: %lld\n"), (long long) cursor);
  g_print (_("Unresolved conflicts: %lld\n"), (long long) conflicts);
  g_print (_("Changes refused by the server: %lld\n"), (long long) rejected);
  if (server_lost != NULL)
    g_print (_("Found on %s: %s\n"), server_lost, server_lost_text);
  g_print (_("Records from the server refused here: %u\n"), json_array_get_length (refused));
  for (guint i = 0; i < json_array_get_length (refused); i++)
    {
      JsonObject *r = json_array_get_object_element (refused, i);

      g_print (_("  %s %s (version %lld, %s): %s (%s)\n"),
               json_object_get_string_member (r, "table"),
               json_object_get_string_member (r, "id"),
               (long long) json_object_get_int_member (r, "version"),
               json_object_get_string_member (r, "refused_at"),
               json_object_get_string_member (r, "message"),
               json_object_get_string_member (r, "code"));
    }
  tf_cli_print_key_changes (cli);
  return TRUE;
}

static char *
describe (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(deleted)"));
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      const char *members[] = { "content", "title", "notes", "note_content", NULL };

      for (guint i = 0; members[i] != NULL; i++)
        {
          JsonNode *m = json_object_get_member (o, members[i]);
          if (m != NULL && JSON_NODE_HOLDS_VALUE (m) &&
              json_node_get_value_type (m) == G_TYPE_STRING)
            return g_strdup (json_node_get_string (m));
        }
    }
  return json_to_string (node, FALSE);
}

static gboolean
conflicts_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  TfVault *vault;

  if (!tf_cli_parse (cli, &tf_cli_sync_commands[2], NULL, &argc, &argv, 0, error))
    return FALSE;
  vault = tf_cli_vault (cli, error);
  if (vault == NULL)
    return FALSE;
  conflicts = tf_vault_list_conflicts (vault, error);
  if (conflicts == NULL)
    return FALSE;
  if (cli->json)
    {
      tf_cli_print_records (conflicts);
      return TRUE;
    }
  for (guint i = 0; i < conflicts->len; i++)
    {
      JsonObject *c = g_ptr_array_index (conflicts, i);
      g_autofree char *local = describe (json_object_get_member (c, "local"));
      g_autofree char *server = describe (json_object_get_member (c, "server"));

      g_print (_("%s  %s\n  here:  %s\n  other: %s\n"),
               json_object_get_string_member (c, "id"), json_object_get_string_member (c, "table"),
               local, server);
    }
  if (conflicts->len == 0)
    g_print ("%s\n", _("No conflicts."));
  return TRUE;
}

static gboolean
conflicts_resolve (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *keep = NULL;
  g_autoptr(GError) local = NULL;
  TfKeep how;
  TfVault *vault;
  GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_STRING, &keep, N_("local, server or both"), N_("WHICH") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_sync_commands[3], entries, &argc, &argv, 1, error))
    return FALSE;
  if (g_strcmp0 (keep, "local") == 0)
    how = TF_KEEP_LOCAL;
  else if (g_strcmp0 (keep, "server") == 0)
    how = TF_KEEP_SERVER;
  else if (g_strcmp0 (keep, "both") == 0)
    how = TF_KEEP_BOTH;
  else
    return tf_cli_usage_error (error, _("--keep must be local, server or both"));
  if (!g_uuid_string_is_valid (argv[1]))
    return tf_cli_usage_error (error, _("“%s” is not an id of a conflict"), argv[1]);
  vault = tf_cli_vault (cli, error);
  if (vault == NULL)
    return FALSE;
  if (!tf_vault_resolve_conflict (vault, argv[1], how, &local))
    {
      if (g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
        return tf_cli_usage_error (error, _("There is no conflict with the id %s"), argv[1]);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!cli->json)
    g_print ("%s\n", _("Resolved; it syncs with the next “sync”."));
  return TRUE;
}

const TfCliCommand tf_cli_sync_commands[] = {
  { "sync", NULL, sync_command, "[--wait SECONDS]" },
  { "status", NULL, status_command, "" },
  { "conflicts", "list", conflicts_list, "" },
  { "conflicts", "resolve", conflicts_resolve, "ID --keep local|server|both" },
  { NULL }
};
