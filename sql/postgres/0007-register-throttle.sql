-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0007-register-throttle.sql: registrations per address, for the register
-- throttle (server/tf-auth.c, register-attempts-per-address).
--
-- Every registration attempt that reaches the database is a row, whether
-- it made an account or was refused (an e-mail or licence number in use):
-- refusals are what someone probing for accounts collects, so they must
-- count.  Rows older than the window are of no use; the throttle reads only
-- the window through the index.
CREATE TABLE register_attempts (
  id BIGSERIAL PRIMARY KEY,
  ip_address INET NOT NULL,
  attempted_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX register_attempts_ip ON register_attempts (ip_address, attempted_at);
