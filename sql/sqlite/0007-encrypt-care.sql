-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0007-encrypt-care.sql: appointments carry their data key too, now that
-- notes_for_therapist and cancellation_reason are encrypted (PostgreSQL
-- 0011, docs/encryption.md).  Those columns, and the session's summary,
-- homework and plan, have no CHECK an envelope would fail; rows from
-- before keep their plaintext until the vault encrypts them.

ALTER TABLE appointments ADD COLUMN enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%');
