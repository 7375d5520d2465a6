-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0028-session-sharing.sql: whether a session's summary, homework and plan
-- are shared with the client (sql/postgres/0022-session-sharing.sql).
ALTER TABLE sessions ADD COLUMN shared_with_client INTEGER
  CHECK (shared_with_client IS NULL OR shared_with_client IN (0, 1));
