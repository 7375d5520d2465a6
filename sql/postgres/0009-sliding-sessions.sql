-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0009-sliding-sessions.sql: sessions that renew while they are used
-- (docs/protocol.md, "Tokens and sessions").
--
-- A session now lapses when it has not been used for idle_timeout
-- (token-lifetime when it was opened), and at the latest at expires_at
-- (token-max-lifetime after it was opened).  Use moves last_seen_at, so
-- the idle limit slides; the absolute one never moves.  The idle limit is
-- stored with each session so that the token check needs no server
-- setting.  Sessions opened before have none: they keep their fixed
-- expires_at.
ALTER TABLE auth_sessions ADD COLUMN idle_timeout INTERVAL
  CHECK (idle_timeout IS NULL OR idle_timeout > interval '0');
