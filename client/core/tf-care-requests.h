/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tf-care-requests.h: a client's request for care, which the therapist
 * accepts or declines (issue 12, "Clients").  Nothing of the client's is
 * shared while it is pending: the server feeds, and the client's device
 * seals, only for an active relationship. */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* The pending requests to this therapist, oldest first: JsonObjects with
 * id, client_id, name (the client's, or "Unknown client" before the
 * therapist's device knows it), started_at, share_mood and share_goals. */
GPtrArray  *tf_care_requests_list   (TfVault     *vault,
                                     GError     **error);
/* Accepts (@accept) or declines request @id to this therapist: active, or
 * declined with ended_at and ended_by.  TF_BOOKING_ERROR_NOT_LINKED when
 * @id is no pending request to this account. */
gboolean    tf_care_request_answer  (TfVault     *vault,
                                     const char  *id,
                                     gboolean     accept,
                                     GError     **error);
/* On the client's device after a pull: a request the therapist accepted
 * (active, signed by the therapist; tf-vault-verify.c let it in only over
 * this device's own pending request) is signed active by the client, and
 * what it shares is sealed to the therapist. */
gboolean    tf_care_settle          (TfVault     *vault,
                                     GError     **error);

G_END_DECLS
