-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0011-encrypt-care.sql: what a client and a therapist write to each other
-- about an appointment or a session is encrypted on the device
-- (docs/encryption.md, column by column): the appointment's
-- notes_for_therapist and cancellation_reason, the session's
-- session_summary, homework_assigned and next_session_plan.  No rule of
-- the server reads them (a cancellation is checked by its status,
-- cancelled_by and cancelled_at).
--
--   * appointments gets enc_key, the record's data key wrapped by whoever
--     created the key; the other side finds the record's care key sealed to
--     them in key_grants.  Sessions have their enc_key since 0001.
--   * The triggers guard the new columns; encrypt_json_field() (as of 0010)
--     lets an old row's plaintext stay while other columns change, until
--     the devices encrypt it (client/core/tf-vault-legacy.c).

ALTER TABLE appointments ADD COLUMN enc_key TEXT;

CREATE TRIGGER encrypt_appointments
  BEFORE INSERT OR UPDATE ON appointments
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('notes_for_therapist', 'cancellation_reason');
DROP TRIGGER encrypt_sessions ON sessions;
CREATE TRIGGER encrypt_sessions
  BEFORE INSERT OR UPDATE ON sessions
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field(
    'therapist_notes', 'session_summary', 'homework_assigned', 'next_session_plan');
