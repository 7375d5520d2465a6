-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0018-blocked-periods.sql: a therapist's days off as a period, a vacation
-- from one date to another, not only one day at a time (issue 12).
--
-- blocked_date stays the first day off (the seed's column, and the one the
-- UNIQUE (therapist_id, blocked_date) of 0001 is on); end_date is the last
-- day off, included, and NULL for the one day, which every row from before
-- is.  The server refuses a booking whose start, in the therapist's time
-- zone, falls on any day from blocked_date to end_date (blocked_date,
-- server/tf-sync-rules.c), and the slots the devices offer leave those
-- days out (common/tf-slots.c).  Directory data, in plaintext like the rest
-- of the row.  A signed record from before has no end_date: its null is
-- left out of what the author signs (TF_COLUMN_SIGNED_IF_SET), so those
-- signatures still verify.
ALTER TABLE therapist_blocked_dates
  ADD COLUMN end_date DATE,
  ADD CONSTRAINT therapist_blocked_dates_period
    CHECK (end_date IS NULL OR end_date >= blocked_date);
