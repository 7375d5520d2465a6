-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0016-scheduling.sql: what a therapist's own calendar needs beyond the
-- seed (issue 12, "Scheduling").
--
-- therapist_booking_rules: one row per therapist, written by them, read by
-- every signed-in user (the directory feed, like their hours and prices),
-- so a client's device offers only the times the server will take.  The
-- rules bind a client's booking; the therapist's own may override them
-- (server/tf-sync-rules.c): the least notice a client gives, the minutes
-- kept free between two appointments, how many days ahead a client may
-- book; and what an appointment shows: the link of an online one made from
-- meeting_url_template ({id} becomes the appointment's id), the practice's
-- address for one in person.  NULL: no rule of the therapist (the server's
-- own booking-notice-minutes then; no buffer; no limit ahead).  Not
-- end-to-end encrypted: the server enforces the numbers, and the address
-- and the template are the practice's public details (docs/encryption.md).
--
-- appointments: a move keeps the time it had (previous_datetime), who moved
-- it and when (moved_by, moved_at), written by the device that moves it and
-- signed with the rest; the server takes it only as the stored time, the
-- caller and no moment after its clock.  late_cancellation marks a
-- cancelled appointment as cancelled too late (or not at all), set by its
-- therapist once its time has passed; no default: NULL, as every row from
-- before holds it, means not a late cancellation, and like the move's
-- columns it is left out of what a signature covers while null
-- (TF_COLUMN_SIGNED_IF_SET).  The seed's status CHECK stays.
CREATE TABLE therapist_booking_rules (
  therapist_id UUID PRIMARY KEY REFERENCES therapists(user_id) ON DELETE CASCADE,
  min_notice_minutes INTEGER CHECK (min_notice_minutes BETWEEN 0 AND 129600),
  buffer_minutes INTEGER CHECK (buffer_minutes BETWEEN 0 AND 1440),
  max_days_ahead INTEGER CHECK (max_days_ahead BETWEEN 1 AND 730),
  meeting_url_template VARCHAR(500),
  practice_address VARCHAR(500),
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  CONSTRAINT therapist_booking_rules_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL))
);

ALTER TABLE appointments
  ADD COLUMN previous_datetime TIMESTAMP WITH TIME ZONE,
  ADD COLUMN moved_by UUID REFERENCES users(id),
  ADD COLUMN moved_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN late_cancellation BOOLEAN,
  ADD CONSTRAINT appointments_moved_together
    CHECK ((previous_datetime IS NULL) = (moved_at IS NULL)
           AND (moved_at IS NULL) = (moved_by IS NULL)),
  ADD CONSTRAINT appointments_late_cancellation_cancelled
    CHECK (NOT coalesce(late_cancellation, false) OR status = 'cancelled');
