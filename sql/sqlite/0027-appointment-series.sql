-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0027-appointment-series.sql: the series a repeating appointment belongs
-- to (PostgreSQL 0021): the same UUID on every occurrence, NULL for a
-- single appointment, which every row from before is.

ALTER TABLE appointments ADD COLUMN series_id TEXT;
CREATE INDEX appointments_series ON appointments (series_id) WHERE series_id IS NOT NULL;
