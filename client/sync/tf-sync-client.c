/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-client.c: push and pull over libsoup, applied through the store.
 *
 * Failures are sorted for the caller: a server that cannot be reached or
 * answers 5xx is "unavailable" (local work goes on; sync again later), 401
 * is "unauthorized", any other refusal is "refused" with the server's
 * message.  Nothing is lost in any of them: the outbox keeps what was not
 * acknowledged, the cursor what was not applied.
 */
#define G_LOG_DOMAIN "tf-sync-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tf-sync-client.h"

#define PUSH_BATCH 200
#define PULL_PAGE  500

G_DEFINE_QUARK (tf-sync-error-quark, tf_sync_error)

struct _TfSyncClient
{
  GObject      parent_instance;
  char        *base_url;
  char        *token;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (TfSyncClient, tf_sync_client, G_TYPE_OBJECT)

static void
tf_sync_client_finalize (GObject *object)
{
  TfSyncClient *self = TF_SYNC_CLIENT (object);

  g_free (self->base_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_sync_client_parent_class)->finalize (object);
}

static void
tf_sync_client_class_init (TfSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tf_sync_client_finalize;
}

static void
tf_sync_client_init (TfSyncClient *self)
{
}

TfSyncClient *
tf_sync_client_new (const char *base_url, const char *token)
{
  TfSyncClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (TF_TYPE_SYNC_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  self->token = g_strdup (token);
  self->session = soup_session_new_with_options ("timeout", 60,
                                                 "user-agent", "therapy-field/" PACKAGE_VERSION,
                                                 NULL);
  return self;
}

/* One request; the parsed JSON object of a 2xx answer, else NULL and an error. */
static JsonObject *
request_full (TfSyncClient *self, const char *method, const char *path, const char *body,
              char **out_code, GError **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autofree char *auth = self->token != NULL ? g_strdup_printf ("Bearer %s", self->token) : NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint status;

  if (msg == NULL)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_REFUSED, _("“%s” is not a server address"),
                   self->base_url);
      return NULL;
    }
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (self->session, msg, NULL, &local_error);
  if (reply == NULL)
    {
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server cannot be reached (%s); your changes are kept and will sync later"),
                   local_error->message);
      return NULL;
    }
  status = soup_message_get_status (msg);
  text = g_strndup (g_bytes_get_data (reply, NULL) ? g_bytes_get_data (reply, NULL) : "",
                    g_bytes_get_size (reply));
  root = json_from_string (text, NULL);
  if (status >= 200 && status < 300 && root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));

  {
    const char *message = NULL;
    if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
        json_object_has_member (json_node_get_object (root), "error"))
      {
        JsonObject *e = json_object_get_object_member (json_node_get_object (root), "error");

        if (e != NULL)
          {
            message = json_object_get_string_member_with_default (e, "message", NULL);
            if (out_code != NULL)
              *out_code = g_strdup (json_object_get_string_member_with_default (e, "code", NULL));
          }
      }
    if (status == SOUP_STATUS_UNAUTHORIZED)
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED,
                   _("The server no longer accepts this device’s sign-in (%s); log in again"),
                   message ? message : "401");
    else if (status >= 500 || status == 429 || status < 200)
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
                   _("The server is not available right now (%u); your changes are kept and "
                     "will sync later"), status);
    else
      g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_REFUSED, _("The server refused: %s"),
                   message ? message : text);
  }
  return NULL;
}

static JsonObject *
request (TfSyncClient *self, const char *method, const char *path, const char *body,
         GError **error)
{
  return request_full (self, method, path, body, NULL, error);
}

JsonObject *
tf_sync_client_call (TfSyncClient *self, const char *method, const char *path, JsonObject *body,
                     char **out_code, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (TF_IS_SYNC_CLIENT (self), NULL);

  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      text = json_to_string (node, FALSE);
    }
  return request_full (self, method, path, text, out_code, error);
}

void
tf_sync_client_set_token (TfSyncClient *self, const char *token)
{
  g_return_if_fail (TF_IS_SYNC_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

static gboolean
push_all (TfSyncClient *self, TfStore *store, TfSyncReport *report, GError **error)
{
  gint64 last_sent = 0;

  for (;;)
    {
      g_autoptr(JsonArray) batch = tf_store_outbox_peek (store, PUSH_BATCH, error);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *body = NULL;
      g_autoptr(JsonObject) answer = NULL;
      JsonArray *results;
      gint64 first;

      if (batch == NULL)
        return FALSE;
      if (json_array_get_length (batch) == 0)
        return TRUE;
      first = json_object_get_int_member (json_array_get_object_element (batch, 0), "mutation_id");
      /* What is left is what the server keeps for a merge: stop. */
      if (first <= last_sent)
        return TRUE;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, 1);
      json_builder_set_member_name (b, "mutations");
      json_builder_add_value (b, json_node_init_array (json_node_alloc (), batch));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      body = json_to_string (root, FALSE);
      answer = request (self, "POST", "/v1/sync/push", body, error);
      if (answer == NULL)
        return FALSE;
      results = json_object_get_array_member (answer, "results");
      if (!tf_store_apply_push_results (store, results, NULL, error))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);
          const char *status = json_object_get_string_member_with_default (result, "status", "");

          if (strcmp (status, "applied") == 0)
            report->pushed++;
          else if (strcmp (status, "rejected") == 0)
            report->rejected++;
          else if (strcmp (status, "conflict") == 0)
            {
              /* Merge against the base copy; an automatic merge is queued
               * again (with a new mutation id) and goes in the next batch. */
              TfMergeOutcome outcome;

              if (!tf_store_merge_conflict (store,
                                            json_object_get_int_member (result, "mutation_id"),
                                            json_object_get_member (result, "record"),
                                            &outcome, error))
                return FALSE;
              if (outcome == TF_MERGE_CONFLICT_COPY)
                report->conflicts++;
              else if (outcome == TF_MERGE_EDIT_KEPT)
                report->edits_kept++;
            }
        }
      last_sent = json_object_get_int_member (json_array_get_object_element (
                    batch, json_array_get_length (batch) - 1), "mutation_id");
    }
}

static gboolean
pull_all (TfSyncClient *self, TfStore *store, TfSyncReport *report, GError **error)
{
  gboolean more = TRUE;

  while (more)
    {
      gint64 cursor = tf_store_get_cursor (store, error);
      g_autofree char *path = NULL;
      g_autoptr(JsonObject) page = NULL;
      JsonArray *changes;

      if (cursor < 0)
        return FALSE;
      path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%d", cursor,
                              PULL_PAGE);
      page = request (self, "GET", path, NULL, error);
      if (page == NULL)
        return FALSE;
      changes = json_object_get_array_member (page, "changes");
      if (!tf_store_apply_pull (store, changes, json_object_get_int_member (page, "next_cursor"),
                                error))
        return FALSE;
      report->pulled += json_array_get_length (changes);
      more = json_object_get_boolean_member_with_default (page, "has_more", FALSE);
    }
  return TRUE;
}

gboolean
tf_sync_client_sync (TfSyncClient *self, TfStore *store, TfSyncReport *report, GError **error)
{
  TfSyncReport local = { 0 };

  g_return_val_if_fail (TF_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (TF_IS_STORE (store), FALSE);

  if (report == NULL)
    report = &local;
  memset (report, 0, sizeof *report);
  return push_all (self, store, report, error) && pull_all (self, store, report, error);
}
