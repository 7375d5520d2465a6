/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-client.h: the device side of sync over HTTP (DESIGN.md §3).
 *
 * One sync is: push the outbox in batches (each answer applied to the store
 * in one transaction), then pull from the stored cursor until the server has
 * no more (each page applied with its cursor in one transaction).  Every
 * step is idempotent, so a crash or a dropped connection at any point is
 * repaired by simply syncing again.
 */
#pragma once

#include "tf-store.h"

G_BEGIN_DECLS

#define TF_SYNC_ERROR (tf_sync_error_quark ())

typedef enum
{
  TF_SYNC_ERROR_UNAVAILABLE,  /* no network, server down, 5xx: try again later */
  TF_SYNC_ERROR_UNAUTHORIZED, /* the token expired or was revoked: log in again */
  TF_SYNC_ERROR_REFUSED,      /* the server refused the request itself (4xx) */
} TfSyncError;

GQuark tf_sync_error_quark (void);

typedef struct
{
  guint pushed;     /* mutations the server applied */
  guint rejected;   /* mutations refused (kept in the store for the user) */
  guint conflicts;  /* same-field conflicts kept as copies for the user */
  guint edits_kept; /* delete against edit: the edit survived (the user is told) */
  guint pulled;     /* changes received */
} TfSyncReport;

#define TF_TYPE_SYNC_CLIENT (tf_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (TfSyncClient, tf_sync_client, TF, SYNC_CLIENT, GObject)

/* @base_url: "https://sync.example.gr"; @token: this device's session, or
 * NULL before signing in. */
TfSyncClient *tf_sync_client_new  (const char   *base_url,
                                   const char   *token);
void          tf_sync_client_set_token (TfSyncClient *self,
                                        const char   *token);

/* One JSON request (@body may be NULL), blocking: the answer's object on
 * 2xx, else NULL with a TF_SYNC_ERROR whose message is for the user, and
 * the server's error code ("invalid_credentials" ...) in @out_code. */
JsonObject   *tf_sync_client_call (TfSyncClient *self,
                                   const char   *method,
                                   const char   *path,
                                   JsonObject   *body,
                                   char        **out_code,
                                   GError      **error);

/* Runs one full sync of @store, blocking the calling thread. */
gboolean      tf_sync_client_sync (TfSyncClient *self,
                                   TfStore      *store,
                                   TfSyncReport *report,
                                   GError      **error);

G_END_DECLS
