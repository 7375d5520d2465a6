-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0025-blocked-periods.sql: the last day of a blocked period (PostgreSQL
-- 0018): NULL for a single day off, which every row from before is.
-- The registry's rule (end_date not before blocked_date) is checked before
-- a row is stored; the CHECK here is the last line, as PostgreSQL's.

ALTER TABLE therapist_blocked_dates ADD COLUMN end_date TEXT
  CHECK (end_date IS NULL OR end_date >= blocked_date);
