-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0019-refused-claimed-by.sql: whose the server says a refused record is.
-- A record refused before this device ever held it (one planted in the
-- name of someone whose keys it never pinned, say) leaves no copy to name
-- its author by; the user id the server's copy names — its owner, client
-- or therapist, a grant's granting user — is kept with the refusal, so
-- the person is told who the server claims wrote it and that this device
-- does not know their keys (client/core/tf-refusals.c).  NULL for the rows
-- from before, and for a tombstone that names no one.  Device-only.

ALTER TABLE sync_refused ADD COLUMN claimed_by TEXT;
