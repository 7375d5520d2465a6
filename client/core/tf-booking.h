/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking.h: appointments as the app and the CLI make them — a
 * therapist's services and prices, their free slots, booking, cancelling,
 * and the care link a client needs before booking.
 *
 * Everything works on what this device has synced, through the vault.  A
 * client's device does not see other clients' bookings, so a slot that
 * looks free here may be taken meanwhile: the server has the last word and
 * answers such a booking with slot_taken at the next sync.
 */
#pragma once

#include "tf-booking-rules.h"
#include "tf-slots.h"
#include "tf-sync-client.h"
#include "tf-vault.h"

G_BEGIN_DECLS

#define TF_BOOKING_ERROR (tf_booking_error_quark ())

/* Every one of these is a refusal before anything is written. */
typedef enum
{
  TF_BOOKING_ERROR_INVALID,         /* a malformed id, price, duration; a start in the past;
                                     * no reason for a cancellation */
  TF_BOOKING_ERROR_NOT_OFFERED,     /* the therapist does not offer that service */
  TF_BOOKING_ERROR_NOT_FREE,        /* the start is not one of the therapist's free slots */
  TF_BOOKING_ERROR_NOT_CANCELLABLE, /* completed, cancelled, no-show: it stays as it is */
  TF_BOOKING_ERROR_NOT_YOURS,       /* an appointment of other people */
  TF_BOOKING_ERROR_ALREADY_LINKED,  /* already in active care with that therapist */
  TF_BOOKING_ERROR_UNKNOWN_SERVICE, /* a service this device's catalogue does not have */
  TF_BOOKING_ERROR_NOT_LINKED,      /* not in active care with that therapist */
  TF_BOOKING_ERROR_HOURS_UNKNOWN,   /* no working hours of the therapist here yet */
  TF_BOOKING_ERROR_NOT_STARTED,     /* completed or no-show before the appointment's time */
  TF_BOOKING_ERROR_TAKEN,           /* the therapist has another appointment then */
  TF_BOOKING_ERROR_TOO_SOON,        /* inside the therapist's minimum notice */
  TF_BOOKING_ERROR_TOO_FAR,         /* further ahead than the therapist books */
  TF_BOOKING_ERROR_BUFFER,          /* too close to another appointment of the therapist */
  TF_BOOKING_ERROR_DAY_OFF,         /* on one of the therapist's days off */
} TfBookingError;

GQuark tf_booking_error_quark (void);

/* An appointment lasts this long when no service says otherwise. */
#define TF_BOOKING_DEFAULT_DURATION TF_SLOTS_DEFAULT_DURATION

/* --- services and prices -------------------------------------------------- */

/* The duration (minutes) and price ("60.00") of @service_id with
 * @therapist_id; with @service_id NULL the defaults (50 minutes, "0.00").
 * TF_BOOKING_ERROR_INVALID when @service_id is not a UUID,
 * TF_BOOKING_ERROR_NOT_OFFERED when the therapist does not offer it. */
gboolean    tf_booking_find_offer   (TfVault      *vault,
                                     const char   *therapist_id,
                                     const char   *service_id,
                                     int          *out_duration,
                                     char        **out_price,
                                     GError      **error);

/* One service of the catalogue and a therapist's offer of it. */
typedef struct
{
  JsonObject *service;  /* plain form of the services row */
  JsonObject *offer;    /* the therapist_services row, or NULL: never offered */
} TfOffer;

void        tf_offer_free           (TfOffer      *offer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfOffer, tf_offer_free)

/* The services this device knows (the catalogue, in the order individual,
 * couples, group, evaluation, consultation, then others by name), each with
 * @therapist_id's offer of it.  An empty array when the catalogue has not
 * reached this device. */
GPtrArray  *tf_booking_list_offers  (TfVault      *vault,
                                     const char   *therapist_id,
                                     GError      **error);

/* Whether @offer is offered now (a row that is available). */
gboolean    tf_offer_is_offered     (const TfOffer *offer);

/* The name to show for a services row: the translated name of its
 * service_type when it has one, else its own name. */
const char *tf_booking_service_name (JsonObject   *service);

/* A price as typed ("60", "45.5", "45,50", "€ 60") as stored ("60.00"), or
 * NULL with TF_BOOKING_ERROR_INVALID saying why (not a number, negative,
 * more than two decimals, too large). */
char       *tf_booking_parse_price  (const char   *text,
                                     GError      **error);

/* A stored price ("60.00") as shown: with this locale's decimal point and
 * the euro sign where the translation puts it ("€60.00", "60,00 €"). */
char       *tf_booking_format_price (const char   *price);

/* Sets this account's (a therapist's) offer of @service_id: @price as
 * tf_booking_parse_price reads it, @duration minutes (1 … 1440), offered
 * or not.  Replaces the existing therapist_services row of that service, or
 * makes one.  Nothing is written when anything is refused. */
gboolean    tf_booking_set_offer    (TfVault      *vault,
                                     const char   *service_id,
                                     const char   *price,
                                     int           duration,
                                     gboolean      offered,
                                     GError      **error);

/* --- slots and appointments ----------------------------------------------- */

/* The free slots (TfSlot*, as tf_slots_compute returns them) of
 * @therapist_id on the dates @from_date … @to_date ("YYYY-MM-DD", in the
 * therapist's zone) for an appointment of @duration minutes, from the
 * availability, blocked dates and appointments this device has.
 * @out_known is FALSE when the device knows no working hours of the
 * therapist at all (then nothing is free, and the client should sync).
 * TF_PROTOCOL_ERROR_BAD_VALUE for a range or duration the slot rules
 * refuse. */
GPtrArray  *tf_booking_free_slots   (TfVault      *vault,
                                     const char   *therapist_id,
                                     const char   *from_date,
                                     const char   *to_date,
                                     int           duration,
                                     gboolean     *out_known,
                                     GError      **error);

/* Books @start with @therapist_id for this account (a client): the
 * service's duration and price (or the defaults when @service_id is NULL),
 * status pending, @notes_for_therapist (may be NULL).  Refused before
 * anything is written: a start not in the future or, when the device knows
 * the therapist's hours, not one of the free slots (TF_BOOKING_ERROR_NOT_FREE).
 * Returns the new appointment's id. */
char       *tf_booking_book         (TfVault      *vault,
                                     const char   *therapist_id,
                                     GDateTime    *start,
                                     const char   *service_id,
                                     const char   *notes_for_therapist,
                                     GError      **error);

/* Books @start for @client_id, a client in active care with this account
 * (a therapist; TF_BOOKING_ERROR_NOT_YOURS for a client's account), managed
 * or not: status confirmed, the length and price of this therapist's offer
 * of @service_id (the defaults when NULL; the server sets both again from
 * therapist_services).  @location_type is NULL, "online" or "in_person";
 * an online one takes @meeting_url when given, else the link made from the
 * therapist's meeting template (tf_booking_meeting_url).  The therapist
 * may book outside their hours and notice, never over another live
 * appointment of theirs (TF_BOOKING_ERROR_TAKEN) nor for a person not in
 * their care (TF_BOOKING_ERROR_NOT_LINKED).  Nothing is written when
 * anything is refused.  Returns the new appointment's id. */
char       *tf_booking_book_for_client (TfVault      *vault,
                                        const char   *client_id,
                                        GDateTime    *start,
                                        const char   *service_id,
                                        const char   *location_type,
                                        const char   *meeting_url,
                                        GError      **error);

/* Moves @appointment_id (pending or confirmed) to @new_start, keeping the
 * time it had (previous_datetime), who moved it (this account) and when,
 * which both sides see.  Its therapist moves it to any future time that
 * does not overlap another appointment of theirs (TF_BOOKING_ERROR_TAKEN);
 * its client only while pending (TF_BOOKING_ERROR_NOT_YOURS once
 * confirmed), to a free slot that keeps the therapist's rules
 * (TF_BOOKING_ERROR_NOT_FREE, _TOO_SOON, _TOO_FAR, _BUFFER).  A completed,
 * cancelled or missed appointment stays (TF_BOOKING_ERROR_NOT_CANCELLABLE).
 * Nothing is written when anything is refused; the server checks the new
 * time again (slot_taken, outside_hours …). */
gboolean    tf_booking_move            (TfVault      *vault,
                                        const char   *appointment_id,
                                        GDateTime    *new_start,
                                        GError      **error);

/* TF_BOOKING_ERROR_INVALID unless @location_type is NULL, "online" or
 * "in_person" and @meeting_url (may be NULL) an http(s) address of an
 * online appointment. */
gboolean    tf_booking_check_location  (const char   *location_type,
                                        const char   *meeting_url,
                                        GError      **error);

/* The meeting link of online appointment @appointment_id: @entered when
 * given, else the therapist's meeting template with {id} replaced by the
 * appointment's id, else NULL. */
char       *tf_booking_meeting_url     (TfVault      *vault,
                                        const char   *appointment_id,
                                        const char   *entered);

/* --- the practice: booking rules, meeting template, address ---------------- */

/* @therapist_id's therapist_booking_rules row as this device has it (a
 * new reference, or NULL: none set), and its rules in @out_rules (may be
 * NULL; none set when there is no row). */
JsonObject *tf_booking_dup_practice    (TfVault      *vault,
                                        const char   *therapist_id,
                                        TfBookingRules *out_rules);

/* Sets this account's (a therapist's) booking rules — the notice a client
 * gives (-1: none of the therapist's, the server's own then), minutes kept
 * free between appointments, days ahead a client may book (0: no limit) —
 * the meeting link template of online appointments ({id} becomes the
 * appointment's id; NULL or "": none) and the practice's address (NULL or
 * "": none).  TF_BOOKING_ERROR_INVALID for a value out of range or a
 * template that is no http(s) address. */
gboolean    tf_booking_set_practice    (TfVault      *vault,
                                        const TfBookingRules *rules,
                                        const char   *meeting_template,
                                        const char   *address,
                                        GError      **error);

/* The server's refusal @code of a booking, move or mark ("slot_taken",
 * "too_soon", "buffer"…) in words, translated; NULL for another code. */
const char *tf_booking_describe_rejection (const char *code);

/* The server's refusals of this device's changes of appointments (a
 * booking, a move, a mark) not yet dismissed, oldest first: objects {id,
 * mutation_id, code, words (tf_booking_describe_rejection, else a
 * translated "Refused by the server", never the server's English),
 * appointment_datetime (as this device holds it, when
 * it does)}. */
JsonArray  *tf_booking_list_refusals   (TfVault      *vault,
                                        GError      **error);

/* An appointment's status as its therapist reads it ("Pending", "No-show"…);
 * an unknown status as it is. */
const char *tf_appointment_status_label            (const char *status);
/* An appointment's status as its client reads it ("Awaiting confirmation",
 * "Missed"…); an unknown status as it is. */
const char *tf_appointment_status_label_for_client (const char *status);

/* Whether an appointment that is @from ("pending"…) may become @to:
 * pending → confirmed; confirmed → completed or no_show; pending or
 * confirmed → cancelled.  Nothing else. */
gboolean    tf_booking_may_become   (const char   *from,
                                     const char   *to);
/* Whether @appointment_datetime (RFC 3339) is now or past. */
gboolean    tf_booking_has_started  (const char   *appointment_datetime);

/* Sets @appointment_id's status to @to ("confirmed", "completed",
 * "no_show" or "cancelled") and writes the record again.  Confirming and
 * marking completed or no-show is its therapist's (TF_BOOKING_ERROR_NOT_YOURS
 * otherwise); completed and no-show only once it has started
 * (TF_BOOKING_ERROR_NOT_STARTED); a change tf_booking_may_become refuses is
 * TF_BOOKING_ERROR_NOT_CANCELLABLE.  "cancelled" is tf_booking_cancel. */
gboolean    tf_booking_set_status   (TfVault      *vault,
                                     const char   *appointment_id,
                                     const char   *to,
                                     const char   *reason,
                                     GError      **error);

/* Marks @appointment_id, whose time has passed (TF_BOOKING_ERROR_NOT_STARTED
 * before), a late cancellation: its therapist's mark (TF_BOOKING_ERROR_NOT_YOURS
 * otherwise) on one the client cancelled too late, or on a pending or
 * confirmed one it cancels then, with @reason when given (may be NULL).
 * Completed, missed or already late: TF_BOOKING_ERROR_NOT_CANCELLABLE. */
gboolean    tf_booking_mark_late_cancellation (TfVault    *vault,
                                               const char *appointment_id,
                                               const char *reason,
                                               GError    **error);

/* Whether @appointment (plain appointments fields) is a late cancellation. */
gboolean    tf_booking_is_late_cancellation   (JsonObject *appointment);

/* Cancels @appointment_id with @reason (required: the other side reads
 * it), setting cancelled_by (this account) and cancelled_at (now).  Only a
 * pending or confirmed appointment of this account (as client or as
 * therapist) can be cancelled.  An unknown id is TF_STORE_ERROR_NOT_FOUND. */
gboolean    tf_booking_cancel       (TfVault      *vault,
                                     const char   *appointment_id,
                                     const char   *reason,
                                     GError      **error);

/* --- care ----------------------------------------------------------------- */

/* The therapists this account (a client) is in active care with, as user
 * ids, oldest link first. */
GStrv       tf_booking_list_therapists (TfVault   *vault,
                                        GError   **error);

/* Asks @therapist_id for care for this account (a client): a pending care
 * relationship, which will share mood and goals as asked once the
 * therapist accepts it (tf_care_request_answer) — nothing before.  The
 * therapist's keys should be known first (tf_account_find_therapist does
 * both), so that what the client shares reaches them.
 * TF_BOOKING_ERROR_ALREADY_LINKED when an active link or a pending request
 * exists.  Returns the relationship's id. */
char       *tf_booking_link_therapist  (TfVault   *vault,
                                        const char *therapist_id,
                                        gboolean   share_mood,
                                        gboolean   share_goals,
                                        GError   **error);

/* Ends the active care relationship between this account and @other_id:
 * their therapist when this account is the client, their client when it
 * is the therapist (the server lets a therapist only end it).  From then on
 * nothing of the client's reaches the therapist.  Ended by the client,
 * every record shared with the therapist is re-keyed, their grants deleted
 * and the grants of the readers who stay sealed again in the same local
 * transaction (tf-vault-share.c); ended by the therapist, the client's
 * device does so when the end reaches it.  TF_BOOKING_ERROR_NOT_LINKED
 * when there is no such relationship. */
gboolean    tf_booking_end_care        (TfVault   *vault,
                                        const char *other_id,
                                        GError   **error);

/* Linking from the app, in two halves.  tf_account_find_therapist() looks
 * the therapist up and remembers their keys in one blocking call on the
 * vault's thread; the app must not block its window on the network, and a
 * TfStore is used from one thread at a time, so it runs the lookup
 * (tf_account_lookup_therapist) in a worker thread and this back on the
 * main thread. */
/* On the vault's thread: remembers the keys of @entry (as the lookup gave
 * it; a server presenting other keys than the ones pinned earlier is
 * refused) and links with that therapist as tf_booking_link_therapist
 * does.  Returns the therapist's user id. */
char       *tf_booking_link_found      (TfVault      *vault,
                                        JsonObject   *entry,
                                        const char   *email,
                                        gboolean      share_mood,
                                        gboolean      share_goals,
                                        GError      **error);

G_END_DECLS
