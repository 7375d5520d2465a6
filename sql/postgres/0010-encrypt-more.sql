-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0010-encrypt-more.sql: less for the server to read.  Journal titles and
-- the emotions and categories of a mood check-in are encrypted on the
-- device now (docs/encryption.md, column by column): no rule of the server
-- reads them.
--
--   * journal_entries.title becomes TEXT: an envelope is longer than the
--     plaintext it holds, so VARCHAR(255) would refuse long titles.  The
--     255-character limit stays, on the plaintext, checked by the device
--     before encrypting (common/tf-validate.c).  emotions and categories
--     stay JSONB and hold the envelope as a JSON string, as the other
--     encrypted JSONB columns do.
--   * encrypt_json_field() (0001, D7) now checks on UPDATE only the guarded
--     values that change.  Rows written before this migration still hold
--     plaintext in the newly guarded columns until their owner's device
--     encrypts them (client/core/tf-vault-legacy.c); an update that leaves
--     such a value alone (a sharing flag, a tombstone) must not fail
--     because of it.  Columns guarded since 0001 never held plaintext, so
--     for them nothing changes.
--   * The triggers of the two tables guard the new columns too, so any new
--     plaintext there is refused.

ALTER TABLE journal_entries ALTER COLUMN title TYPE TEXT;

CREATE OR REPLACE FUNCTION encrypt_json_field()
RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  row_json JSONB := to_jsonb(NEW);
  old_json JSONB := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
  col TEXT;
  val JSONB;
BEGIN
  FOREACH col IN ARRAY TG_ARGV LOOP
    IF NOT row_json ? col THEN
      RAISE EXCEPTION 'encrypt_json_field: %.% does not exist', TG_TABLE_NAME, col;
    END IF;
    val := row_json -> col;
    IF val IS NULL OR jsonb_typeof(val) = 'null' THEN
      CONTINUE;
    END IF;
    IF old_json IS NOT NULL AND (old_json -> col) IS NOT DISTINCT FROM val THEN
      CONTINUE;
    END IF;
    IF jsonb_typeof(val) <> 'string'
       OR (val #>> '{}') !~ '^tf1:[A-Za-z0-9+/]{54,}={0,2}$' THEN
      RAISE EXCEPTION '%.% must be encrypted on the device', TG_TABLE_NAME, col
        USING ERRCODE = 'check_violation', COLUMN = col, TABLE = TG_TABLE_NAME;
    END IF;
  END LOOP;
  RETURN NEW;
END;
$$;

DROP TRIGGER encrypt_mood_entries ON mood_entries;
CREATE TRIGGER encrypt_mood_entries
  BEFORE INSERT OR UPDATE ON mood_entries
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('notes', 'emotions', 'categories');
DROP TRIGGER encrypt_journal_entries ON journal_entries;
CREATE TRIGGER encrypt_journal_entries
  BEFORE INSERT OR UPDATE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('content', 'title');
