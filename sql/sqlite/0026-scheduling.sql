-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0026-scheduling.sql: a therapist's booking rules and an appointment's
-- move and late cancellation, as PostgreSQL 0016-scheduling.sql has them.

CREATE TABLE therapist_booking_rules (
  therapist_id TEXT PRIMARY KEY NOT NULL,
  min_notice_minutes INTEGER CHECK (min_notice_minutes BETWEEN 0 AND 129600),
  buffer_minutes INTEGER CHECK (buffer_minutes BETWEEN 0 AND 1440),
  max_days_ahead INTEGER CHECK (max_days_ahead BETWEEN 1 AND 730),
  meeting_url_template TEXT,
  practice_address TEXT,
  updated_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;

ALTER TABLE appointments ADD COLUMN previous_datetime TEXT;
ALTER TABLE appointments ADD COLUMN moved_by TEXT;
ALTER TABLE appointments ADD COLUMN moved_at TEXT;
ALTER TABLE appointments ADD COLUMN late_cancellation INTEGER
  CHECK (late_cancellation IN (0, 1));
