/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-record.h: the record of a held appointment (the seed's
 * sessions table) — when it actually began and ended, who attended,
 * technical problems, the therapist's own notes on it, and what the client
 * takes away: the summary, the homework and the plan for next time, which
 * reach the client only when the therapist shares them (issue 12).
 *
 * One write path for the app and the CLI.  The session is the one its notes
 * belong to (tf_vault_session_for): writing the record first or a note
 * first makes the same session.  Sharing seals the session's care key to
 * the client; unsharing takes it back and re-keys the session, so what is
 * written afterwards stays closed to them (tf-vault-share.c).
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* What a save of a session record says; strings borrowed, NULL: none. */
typedef struct
{
  const char *actual_start;        /* RFC 3339 */
  const char *actual_end;          /* RFC 3339, not before actual_start */
  gboolean    client_attended;
  gboolean    therapist_attended;
  gboolean    technical_issues;
  const char *therapist_notes;     /* the therapist's alone */
  const char *summary;             /* for the client, */
  const char *homework;            /*   when shared */
  const char *next_session_plan;
  gboolean    shared_with_client;
} TfSessionRecord;

/* Saves the session record of appointment @appointment_id, the therapist's
 * (TF_VAULT_ERROR_NOT_OWNER otherwise).  The appointment must have begun
 * and not be cancelled (TF_VALIDATION_ERROR_INCONSISTENT); the actual times
 * may not lie in the future and the end not before the start
 * (TF_VALIDATION_ERROR_INCONSISTENT); an unknown appointment is
 * TF_STORE_ERROR_NOT_FOUND.  Made with the session when there is none yet;
 * every column is replaced by @record's.  Nothing is stored when it fails.
 * @out_plain (optional): the plain form saved. */
gboolean    tf_session_record_save (TfVault               *vault,
                                    const char            *appointment_id,
                                    const TfSessionRecord *record,
                                    JsonObject           **out_plain,
                                    GError               **error);

/* The session record of appointment @appointment_id as this account may
 * read it, or NULL (no error) when there is none here.  The client's has
 * therapist_notes null, and, until the therapist shares it, "unreadable":
 * true with summary, homework and plan null. */
JsonObject *tf_session_record_dup  (TfVault               *vault,
                                    const char            *appointment_id,
                                    GError               **error);

/* Whether @plain (a session record) is shared with the client: true, or
 * null (a session from before the choice). */
gboolean    tf_session_record_is_shared (JsonObject       *plain);

G_END_DECLS
