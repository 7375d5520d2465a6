-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0015-revoke-reasons.sql: why a session was revoked, when a device must
-- hear it (issue 19; docs/protocol.md, "Tokens and sessions").
--
-- A key rotation (POST /v1/keys/rotate) ends every other session of the
-- account.  The device signed out that way must say more than "signed
-- out": the account's keys were replaced on another device, and signing in
-- again gives it the new ones.  The reason is a stable code, never text a
-- person typed or the database wrote; the token check answers it as the
-- error code (401 keys_replaced).  NULL: revoked for no reason a device is
-- told apart (logout, a session ended from another device, a password
-- change or recovery), answered as before (401 unauthorized, "token
-- revoked").
ALTER TABLE auth_sessions ADD COLUMN revoke_reason TEXT
  CHECK (revoke_reason IN ('keys_replaced')),
  ADD CONSTRAINT auth_sessions_reason_revoked
    CHECK (revoke_reason IS NULL OR revoked_at IS NOT NULL);
