-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0021-appointment-series.sql: repeating appointments (issue 12).
--
-- A series (weekly, every two weeks, monthly on the same weekday) is
-- booked as ordinary appointments, one row each, every one checked by the
-- same rules as a single booking (server/tf-sync-rules.c: overlaps,
-- blocked days, hours for a client); series_id, the same random UUID on
-- each, is what makes them one series, so the therapist can cancel or
-- change "this and the following" ones.  The series' rule itself is not
-- stored: only its occurrences are, as the device previewed and booked
-- them (client/core/tf-booking-series.c).  NULL for a single appointment,
-- which every row from before is.  Fixed once set (TF_COLUMN_IMMUTABLE),
-- signed with the rest when set (TF_COLUMN_SIGNED_IF_SET: older records'
-- signatures still verify), and plaintext: it says no more than the times
-- the server already sees.
ALTER TABLE appointments ADD COLUMN series_id UUID;
CREATE INDEX idx_appointments_series ON appointments (series_id, appointment_datetime)
  WHERE series_id IS NOT NULL;
