/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-manage.c: the account's sessions and its two-step sign-in,
 * from a signed-in device.
 *
 * The server decides everything here (which sessions are live, whether a
 * code is good, the state of the second factor); the device only asks,
 * with its own session, and words the answer for the person.  The server
 * answers a wrong code exactly as a wrong password (no enumeration), and
 * for these calls the caller is already signed in, so a refused code can
 * only be the code.  The one thing the device decides is what ending its
 * own session means: a person who ends "this device" in the list expects
 * to be signed out here, not to find the device still holding a token the
 * server refuses, so that is a logout (tf_account_logout).
 */
#define G_LOG_DOMAIN "tf-account"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-account-manage.h"
#include "tf-account-private.h"
#include "tf-time.h"

#define TOTP_DIGITS 6

/* --- TfAccountSession ------------------------------------------------------ */

struct _TfAccountSession
{
  GObject    parent_instance;
  char      *id;            /* the session's uuid, what DELETE /v1/auth/sessions/{id} takes */
  char      *device_id;     /* the device's own uuid */
  char      *device_name;   /* as the device sent it at sign-in; may be NULL */
  char      *label;         /* device_name, or "Unnamed device" */
  GDateTime *created;       /* all four UTC, never NULL */
  GDateTime *last_seen;
  GDateTime *expires;       /* lapses then unless used again */
  GDateTime *ends_at_latest;
  gboolean   current;       /* the session that asked: this device's */
};

G_DEFINE_FINAL_TYPE (TfAccountSession, tf_account_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_DEVICE_ID,
  PROP_DEVICE_NAME,
  PROP_LABEL,
  PROP_CREATED,
  PROP_LAST_SEEN,
  PROP_EXPIRES,
  PROP_ENDS_AT_LATEST,
  PROP_CURRENT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
tf_account_session_finalize (GObject *object)
{
  TfAccountSession *self = TF_ACCOUNT_SESSION (object);

  g_free (self->id);
  g_free (self->device_id);
  g_free (self->device_name);
  g_free (self->label);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->last_seen, g_date_time_unref);
  g_clear_pointer (&self->expires, g_date_time_unref);
  g_clear_pointer (&self->ends_at_latest, g_date_time_unref);
  G_OBJECT_CLASS (tf_account_session_parent_class)->finalize (object);
}

static void
tf_account_session_get_property (GObject *object, guint prop_id, GValue *value,
                                 GParamSpec *pspec)
{
  TfAccountSession *self = TF_ACCOUNT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_DEVICE_ID: g_value_set_string (value, self->device_id); break;
    case PROP_DEVICE_NAME: g_value_set_string (value, self->device_name); break;
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_CREATED: g_value_set_boxed (value, self->created); break;
    case PROP_LAST_SEEN: g_value_set_boxed (value, self->last_seen); break;
    case PROP_EXPIRES: g_value_set_boxed (value, self->expires); break;
    case PROP_ENDS_AT_LATEST: g_value_set_boxed (value, self->ends_at_latest); break;
    case PROP_CURRENT: g_value_set_boolean (value, self->current); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
time_property (const char *name)
{
  return g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
tf_account_session_class_init (TfAccountSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tf_account_session_finalize;
  object_class->get_property = tf_account_session_get_property;
  properties[PROP_ID] = string_property ("id");
  properties[PROP_DEVICE_ID] = string_property ("device-id");
  properties[PROP_DEVICE_NAME] = string_property ("device-name");
  properties[PROP_LABEL] = string_property ("label");
  properties[PROP_CREATED] = time_property ("created");
  properties[PROP_LAST_SEEN] = time_property ("last-seen");
  properties[PROP_EXPIRES] = time_property ("expires");
  properties[PROP_ENDS_AT_LATEST] = time_property ("ends-at-latest");
  properties[PROP_CURRENT] = g_param_spec_boolean ("current", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tf_account_session_init (TfAccountSession *self)
{
}

const char *
tf_account_session_get_id (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), NULL);
  return self->id;
}

const char *
tf_account_session_get_device_id (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), NULL);
  return self->device_id;
}

const char *
tf_account_session_get_device_name (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), NULL);
  return self->device_name;
}

const char *
tf_account_session_get_label (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), NULL);
  return self->label;
}

GDateTime *
tf_account_session_get_created (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), NULL);
  return self->created;
}

GDateTime *
tf_account_session_get_last_seen (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), NULL);
  return self->last_seen;
}

GDateTime *
tf_account_session_get_expires (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), NULL);
  return self->expires;
}

GDateTime *
tf_account_session_get_ends_at_latest (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), NULL);
  return self->ends_at_latest;
}

gboolean
tf_account_session_is_current (TfAccountSession *self)
{
  g_return_val_if_fail (TF_IS_ACCOUNT_SESSION (self), FALSE);
  return self->current;
}

/* A session from one element of the server's list, or NULL when it is not
 * one (the whole answer is then refused as malformed). */
static TfAccountSession *
session_from_json (JsonNode *node)
{
  g_autoptr(TfAccountSession) self = NULL;
  JsonObject *o;
  JsonNode *current;
  const char *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  self = g_object_new (TF_TYPE_ACCOUNT_SESSION, NULL);
  self->id = g_strdup (tf_json_get_string (o, "id"));
  self->device_id = g_strdup (tf_json_get_string (o, "device_id"));
  name = tf_json_get_string (o, "device_name");
  self->device_name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  self->label = g_strdup (self->device_name != NULL ? self->device_name : _("Unnamed device"));
#define TIME_MEMBER(field, member)                                                   \
  if (tf_json_get_string (o, member) != NULL)                                        \
    self->field = tf_time_parse_timestamp (tf_json_get_string (o, member), NULL);
  TIME_MEMBER (created, "created_at")
  TIME_MEMBER (last_seen, "last_seen_at")
  TIME_MEMBER (expires, "expires_at")
  TIME_MEMBER (ends_at_latest, "ends_at_latest")
#undef TIME_MEMBER
  current = json_object_get_member (o, "current");
  if (self->id == NULL || !g_uuid_string_is_valid (self->id) || self->device_id == NULL ||
      self->created == NULL || self->last_seen == NULL || self->expires == NULL ||
      self->ends_at_latest == NULL || current == NULL ||
      json_node_get_value_type (current) != G_TYPE_BOOLEAN)
    return NULL;
  self->current = json_node_get_boolean (current);
  return g_steal_pointer (&self);
}

/* --- calls ------------------------------------------------------------------ */

static gboolean
malformed (GError **error)
{
  g_set_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE,
               _("The server’s answer was malformed"));
  return FALSE;
}

/* One call with this profile's session, renewed first when it lapsed: the
 * answer, or NULL with @out_code the server's error code for the caller to
 * word (a TF_SYNC_ERROR meanwhile in @error). */
static JsonObject *
call (TfVault *vault, const char *method, const char *path, JsonObject *body, char **out_code,
      GError **error)
{
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (vault, error);
  g_autoptr(GError) local = NULL;
  JsonObject *answer;

  if (client == NULL)
    return NULL;
  answer = tf_sync_client_call (client, method, path, body, out_code, &local);
  if (answer == NULL && g_error_matches (local, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED))
    {
      g_clear_error (&local);
      g_clear_pointer (out_code, g_free);
      if (!tf_account_renew_session (vault, client, error))
        return NULL;
      answer = tf_sync_client_call (client, method, path, body, out_code, &local);
    }
  if (answer == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return answer;
}

void
tf_account_set_totp_wrong (GError **error)
{
  g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_WRONG,
               _("This code is wrong or was already used; type the one your authenticator app "
                 "shows now"));
}

/* Words the refusals that any of these calls may meet; FALSE when @code
 * is none of them (the caller words it or passes @error on). */
static gboolean
explain_common (const char *code, GError **error)
{
  if (tf_account_explain_wait (code, error))
    ;
  else if (g_strcmp0 (code, "invalid_credentials") == 0)
    tf_account_set_totp_wrong (error);
  else
    return FALSE;
  return TRUE;
}

/* Replaces @error (a TF_SYNC_ERROR) with the wording of @code when known. */
static void
reword (GError **error, GError *local, const char *code, int state_code, const char *state)
{
  if (explain_common (code, error))
    ;
  else if (state != NULL && g_strcmp0 (code, "conflict") == 0)
    g_set_error_literal (error, TF_ACCOUNT_ERROR, state_code, state);
  else
    {
      g_propagate_error (error, local);
      return;
    }
  g_error_free (local);
}

char *
tf_account_totp_code_normalize (const char *typed, GError **error)
{
  g_autoptr(GString) code = g_string_new (NULL);

  g_return_val_if_fail (typed != NULL, NULL);

  /* Authenticator apps show "123 456"; people copy it so. */
  for (const char *p = typed; *p != '\0' && code->len <= TOTP_DIGITS; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (code, *p);
    else if (*p != ' ' && *p != '\t' && *p != '-')
      {
        g_string_truncate (code, 0);
        break;
      }
  if (code->len != TOTP_DIGITS)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_WRONG,
                   _("A code is the 6 digits your authenticator app shows (got “%s”)"), typed);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&code), FALSE);
}

/* --- sessions ----------------------------------------------------------------- */

GPtrArray *
tf_account_list_sessions (TfVault *vault, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autofree char *code = NULL;
  JsonNode *list;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  answer = call (vault, "GET", "/v1/auth/sessions", NULL, &code, error);
  if (answer == NULL)
    return NULL;
  list = json_object_get_member (answer, "sessions");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      malformed (error);
      return NULL;
    }
  sessions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      TfAccountSession *session =
        session_from_json (json_array_get_element (json_node_get_array (list), i));

      if (session == NULL)
        {
          malformed (error);
          return NULL;
        }
      g_ptr_array_add (sessions, session);
    }
  return g_steal_pointer (&sessions);
}

static gboolean
no_such_session (const char *id, GError **error)
{
  g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_SUCH_SESSION,
               _("No live sign-in of this account has the id %s; it may have ended already"),
               id);
  return FALSE;
}

gboolean
tf_account_revoke_session (TfVault *vault, const char *session_id, gboolean *out_this_device,
                           GError **error)
{
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *id = NULL, *path = NULL, *code = NULL;
  gboolean ended = FALSE;
  TfAccountSession *found = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);

  if (out_this_device != NULL)
    *out_this_device = FALSE;
  if (!g_uuid_string_is_valid (session_id))
    return no_such_session (session_id, error);
  /* The server takes ids in lower case only; people paste them as they are. */
  id = g_ascii_strdown (session_id, -1);
  /* Whether it is this device's own is the server's to say. */
  sessions = tf_account_list_sessions (vault, error);
  if (sessions == NULL)
    return FALSE;
  for (guint i = 0; i < sessions->len && found == NULL; i++)
    if (strcmp (tf_account_session_get_id (g_ptr_array_index (sessions, i)), id) == 0)
      found = g_ptr_array_index (sessions, i);
  if (found == NULL)
    return no_such_session (session_id, error);
  if (tf_account_session_is_current (found))
    {
      if (!tf_account_logout (tf_vault_get_store (vault), vault, &ended, error))
        return FALSE;
      if (out_this_device != NULL)
        *out_this_device = TRUE;
      /* Listed a moment ago, so the server was there: a logout that did not
       * reach it now leaves the token forgotten here all the same. */
      return TRUE;
    }
  path = g_strconcat ("/v1/auth/sessions/", id, NULL);
  answer = call (vault, "DELETE", path, NULL, &code, &local);
  if (answer != NULL)
    return TRUE;
  /* Ended meanwhile (by another device, or it lapsed). */
  if (g_strcmp0 (code, "not_found") == 0)
    return no_such_session (session_id, error);
  reword (error, g_steal_pointer (&local), code, 0, NULL);
  return FALSE;
}

/* --- the second factor ------------------------------------------------------ */

char *
tf_account_mfa_setup (TfVault *vault, char **out_secret, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *code = NULL;
  const char *uri, *secret;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  answer = call (vault, "POST", "/v1/auth/mfa/setup", NULL, &code, &local);
  if (answer == NULL)
    {
      reword (error, g_steal_pointer (&local), code, TF_ACCOUNT_ERROR_MFA_STATE,
              _("Two-step sign-in is already on; turn it off first to set it up again"));
      return NULL;
    }
  uri = tf_json_get_string (answer, "otpauth_uri");
  secret = tf_json_get_string (answer, "secret");
  if (uri == NULL || secret == NULL || !g_str_has_prefix (uri, "otpauth://totp/"))
    {
      malformed (error);
      return NULL;
    }
  if (out_secret != NULL)
    *out_secret = g_strdup (secret);
  return g_strdup (uri);
}

static gboolean
change_mfa (TfVault *vault, const char *path, const char *typed, const char *state,
            GError **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *digits = NULL, *code = NULL;

  digits = tf_account_totp_code_normalize (typed, error);
  if (digits == NULL)
    return FALSE;
  json_object_set_string_member (body, "code", digits);
  answer = call (vault, "POST", path, body, &code, &local);
  if (answer != NULL)
    return TRUE;
  reword (error, g_steal_pointer (&local), code, TF_ACCOUNT_ERROR_MFA_STATE, state);
  return FALSE;
}

gboolean
tf_account_mfa_enable (TfVault *vault, const char *code, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  /* The server says "conflict" both when nothing was set up and when it is
   * on already; either way setting up (again) is the way on. */
  return change_mfa (vault, "/v1/auth/mfa/enable", code,
                     _("Two-step sign-in is already on, or has not been set up yet (set it "
                       "up first)"), error);
}

gboolean
tf_account_mfa_disable (TfVault *vault, const char *code, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  return change_mfa (vault, "/v1/auth/mfa/disable", code, _("Two-step sign-in is not on"),
                     error);
}
