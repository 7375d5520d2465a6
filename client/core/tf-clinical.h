/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clinical.h: a therapist's write paths — a session note and a
 * treatment plan — shared by the app and the CLI.
 *
 * As a check-in (tf-checkin.h), each is saved under an id its caller chose
 * and keeps: the first save makes it, every later one edits it, so a form
 * saved again after an error never makes a second one.  A client's history
 * and intake are one record per client, whose id is the client's.  Each
 * save is one transaction: a note's session (made with the first note of an
 * appointment), the note, and, for Lock and Sign, its lock; a history's or
 * intake's read of the stored record and its write; or nothing.
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* Saves session note @id of this account: @approach (approach_type),
 * @content (note_content) and @risk (risk_assessment; NULL: as stored,
 * none for a new note), borrowed.  A new note belongs to appointment
 * @appointment_id, whose session is made with it when there is none yet
 * (tf_vault_session_for); an edit keeps its session and creation time.
 * With @lock the note is then locked and signed (tf_vault_lock_note), in
 * the same transaction.  Someone else's note is refused
 * (TF_VAULT_ERROR_NOT_OWNER), a locked one too (TF_VAULT_ERROR_LOCKED_NOTE).
 * Nothing is stored when it fails.  @out_plain (optional): the plain form
 * saved, before the lock. */
gboolean tf_note_save (TfVault    *vault,
                       const char *id,
                       const char *appointment_id,
                       const char *approach,
                       JsonNode   *content,
                       JsonNode   *risk,
                       gboolean    lock,
                       JsonObject **out_plain,
                       GError    **error);

/* Session note @id as stored, in the plain form a list gives it (with
 * signature_valid when locked, "unreadable" when its key is not here), or
 * NULL (with @error when it could not be read). */
JsonObject *tf_note_dup_stored (TfVault    *vault,
                                const char *id,
                                GError    **error);

/* What a save of a treatment plan says; the nodes are borrowed. */
typedef struct
{
  JsonNode   *diagnoses;     /* diagnosis_codes: [{"code", "description"?}, …] */
  JsonNode   *goals;         /* treatment_goals: ["…", …] */
  JsonNode   *interventions; /* interventions: ["…", …] */
  const char *review_date;   /* YYYY-MM-DD; NULL or "": none */
  const char *status;        /* "active", "on_hold", "completed", … */
} TfPlan;

/* Saves treatment plan @id of this therapist for client @client_id (a new
 * plan; an edit keeps its client and creation time).  Someone else's plan
 * is refused (TF_VAULT_ERROR_NOT_OWNER).  Nothing is stored when it fails.
 * @out_plain (optional) receives the plain form saved. */
gboolean tf_plan_save (TfVault      *vault,
                       const char   *id,
                       const char   *client_id,
                       const TfPlan *plan,
                       JsonObject  **out_plain,
                       GError      **error);

/* Applies a form's fields to @plain, the record a save writes over;
 * @is_new: nothing was stored yet. */
typedef void (*TfClientRecordEdit) (JsonObject *plain,
                                    gboolean    is_new,
                                    gpointer    data);

/* The records a client has one of, kept by their therapist. */
typedef enum
{
  TF_CLIENT_RECORD_HISTORY,  /* client_histories */
  TF_CLIENT_RECORD_INTAKE,   /* client_intakes */
} TfClientRecord;

/* Saves the one @record of client @client_id: @edit applied to the stored one (the newest, read in
 * the save's transaction: a sync may have brought one since a form was
 * filled) or to a new one, then updated_at set.  A stored record this
 * account cannot open is left as it is: TF_VAULT_ERROR_NO_KEY with
 * @unreadable (translated) as the message.  Nothing is stored when it
 * fails.  @out_plain (optional) receives the plain form saved. */
gboolean tf_client_record_save (TfVault            *vault,
                                TfClientRecord      record,
                                const char         *client_id,
                                TfClientRecordEdit  edit,
                                gpointer            data,
                                const char         *unreadable,
                                JsonObject        **out_plain,
                                GError            **error);

G_END_DECLS
