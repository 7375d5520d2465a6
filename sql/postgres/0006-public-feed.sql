-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0006-public-feed.sql: the audience "everyone" gets a feed of its own.
--
-- Public records (the directory: therapists, their profiles, availability,
-- services and prices) were fed to the recipient
-- 00000000-0000-0000-0000-000000000000, which every pull read beside the
-- caller's own rows.  That id was also one a device could choose for an
-- account (register's user_id), and then the account's journal, mood,
-- goals, appointments, sessions and profile went to every signed-in user.
-- Now "everyone" is not a user id at all: public records are fed through
-- sync_public_feed, which has no recipient column, and every pull reads it.
-- The nil and the max UUID can no longer be a user's id (the server refuses
-- them at registration; the CHECK is NOT VALID so that an account made
-- before does not stop the migration).
--
-- The public rows move over.  A record the nil account owned was never
-- public: its copies on other people's devices are revoked through the
-- public feed, and the nil account's own rows take newer versions so that
-- its own devices keep them (a pull sends each record once, at its newest
-- row).

CREATE TABLE sync_public_feed (
  table_name TEXT NOT NULL,
  record_id UUID NOT NULL,
  version BIGINT NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (table_name, record_id)
);
CREATE INDEX sync_public_feed_pull ON sync_public_feed (version);

ALTER TABLE users ADD CONSTRAINT users_id_not_reserved
  CHECK (id NOT IN ('00000000-0000-0000-0000-000000000000',
                    'ffffffff-ffff-ffff-ffff-ffffffffffff')) NOT VALID;

DO $$
DECLARE
  nil CONSTANT UUID := '00000000-0000-0000-0000-000000000000';
BEGIN
  PERFORM pg_advisory_xact_lock(7350288244);

  INSERT INTO sync_public_feed (table_name, record_id, version, revoked)
  SELECT f.table_name, f.record_id, f.version, f.revoked
    FROM sync_feed f LEFT JOIN sync_records r USING (table_name, record_id)
   WHERE f.user_id = nil AND r.owner_id IS DISTINCT FROM nil;
  DELETE FROM sync_feed f
   WHERE f.user_id = nil
     AND EXISTS (SELECT 1 FROM sync_public_feed p
                  WHERE p.table_name = f.table_name AND p.record_id = f.record_id);

  -- What the nil account owned: revoked for everyone, then re-sent to it.
  INSERT INTO sync_public_feed (table_name, record_id, version, revoked)
  SELECT f.table_name, f.record_id, nextval('sync_version_seq'), true
    FROM sync_feed f
   WHERE f.user_id = nil
  ON CONFLICT (table_name, record_id) DO NOTHING;
  UPDATE sync_feed SET version = nextval('sync_version_seq') WHERE user_id = nil;
END;
$$;

-- As in 0002, with a therapist's profile and directory row fed to everyone
-- through the public feed.
CREATE OR REPLACE FUNCTION sync_publish_account(p_user UUID)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  therapist BOOLEAN := EXISTS (SELECT 1 FROM therapists WHERE user_id = p_user);
  v BIGINT;
BEGIN
  PERFORM pg_advisory_xact_lock(7350288244);
  v := nextval('sync_version_seq');
  UPDATE profiles SET version = v WHERE user_id = p_user;
  INSERT INTO sync_records (table_name, record_id, version, owner_id)
    VALUES ('profiles', p_user, v, p_user);
  INSERT INTO sync_feed (user_id, table_name, record_id, version)
    VALUES (p_user, 'profiles', p_user, v);
  IF therapist THEN
    INSERT INTO sync_public_feed (table_name, record_id, version)
      VALUES ('profiles', p_user, v);
    v := nextval('sync_version_seq');
    UPDATE therapists SET version = v WHERE user_id = p_user;
    INSERT INTO sync_records (table_name, record_id, version, owner_id)
      VALUES ('therapists', p_user, v, p_user);
    INSERT INTO sync_public_feed (table_name, record_id, version)
      VALUES ('therapists', p_user, v);
    PERFORM pg_notify('tf_sync', 'public');
  END IF;
  PERFORM pg_notify('tf_sync', p_user::text);
END;
$$;
