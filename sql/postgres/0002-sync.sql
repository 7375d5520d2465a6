-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0002-sync.sql: accounts, sessions and the sync machinery (DESIGN.md §3-§5).
--
-- Versions: every accepted write takes its version from sync_version_seq
-- while holding the transaction-level advisory lock SYNC_LOCK (see
-- server/tf-sync.c), so versions are assigned in commit order and a pull
-- that has seen version V has seen every version below V.

-- End-to-end encryption material of an account.  The server cannot use any
-- of it: the master key and private keys are wrapped by keys it never sees.
CREATE TABLE user_keys (
  user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  kdf_salt TEXT NOT NULL,                    -- base64, 16 bytes
  kdf_opslimit BIGINT NOT NULL CHECK (kdf_opslimit >= 1),
  kdf_memlimit BIGINT NOT NULL CHECK (kdf_memlimit >= 8192),
  wrapped_master_key TEXT NOT NULL,          -- "tf1:" envelope under the KEK
  wrapped_recovery_key TEXT NOT NULL,        -- master key under the recovery key
  identity_public_key TEXT NOT NULL,         -- X25519, base64
  wrapped_identity_key TEXT NOT NULL,        -- secret half under the master key
  signing_public_key TEXT NOT NULL,          -- Ed25519, base64
  wrapped_signing_key TEXT NOT NULL,         -- secret half under the master key
  fingerprint TEXT NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Bearer tokens: 256-bit random, stored only as SHA-256.
CREATE TABLE auth_sessions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash BYTEA NOT NULL UNIQUE,
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id UUID NOT NULL,
  device_name TEXT,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  revoked_at TIMESTAMP WITH TIME ZONE,
  ip_address INET,
  user_agent TEXT
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id) WHERE revoked_at IS NULL;

-- Failed logins, for throttling per account and per address.
CREATE TABLE auth_failures (
  id BIGSERIAL PRIMARY KEY,
  email TEXT,
  ip_address INET,
  failed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX auth_failures_email ON auth_failures (lower(email), failed_at);
CREATE INDEX auth_failures_ip ON auth_failures (ip_address, failed_at);

-- One row per device and user: where its mutation ids are.
CREATE TABLE sync_devices (
  device_id UUID NOT NULL,
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  last_mutation_id BIGINT NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (device_id, user_id)
);

-- The answer given to each mutation, so a retry gets the same answer.
CREATE TABLE sync_mutation_results (
  device_id UUID NOT NULL,
  user_id UUID NOT NULL,
  mutation_id BIGINT NOT NULL,
  result JSONB NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (device_id, user_id, mutation_id)
);

CREATE SEQUENCE sync_version_seq;

-- Every synced record once: its current version and where it lives.  Makes
-- record ids unique per table across partitions and is what compare-and-set
-- locks.
CREATE TABLE sync_records (
  table_name TEXT NOT NULL,
  record_id UUID NOT NULL,
  version BIGINT NOT NULL,
  owner_id UUID,
  deleted BOOLEAN NOT NULL DEFAULT false,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (table_name, record_id)
);

-- The fan-out feed: one row per (recipient, record), holding the latest
-- version that recipient should fetch.  revoked = the recipient lost access
-- (the device drops its copy).  The directory recipient
-- 00000000-0000-0000-0000-000000000000 stands for every signed-in user.
CREATE TABLE sync_feed (
  user_id UUID NOT NULL,
  table_name TEXT NOT NULL,
  record_id UUID NOT NULL,
  version BIGINT NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (user_id, table_name, record_id)
);
CREATE INDEX sync_feed_pull ON sync_feed (user_id, version);

-- Therapist <-> client: decides who receives what (DESIGN.md §3).
CREATE TABLE care_relationships (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  therapist_id UUID NOT NULL REFERENCES therapists(user_id),
  client_id UUID NOT NULL REFERENCES users(id),
  status VARCHAR(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  share_mood BOOLEAN DEFAULT false,
  share_goals BOOLEAN DEFAULT false,
  started_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  ended_at TIMESTAMP WITH TIME ZONE,
  ended_by UUID REFERENCES users(id),
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
CREATE UNIQUE INDEX care_relationships_active ON care_relationships (therapist_id, client_id)
  WHERE status = 'active';
CREATE INDEX care_relationships_client ON care_relationships (client_id) WHERE status = 'active';

-- A record's data key sealed to a recipient's identity key (DESIGN.md §5).
CREATE TABLE key_grants (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  table_name TEXT NOT NULL,
  record_id UUID NOT NULL,
  owner_id UUID NOT NULL REFERENCES users(id),
  recipient_id UUID NOT NULL REFERENCES users(id),
  sealed_key TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  UNIQUE (table_name, record_id, recipient_id)
);
CREATE INDEX key_grants_recipient ON key_grants (recipient_id);

-- Brings a therapist's feed in line with one care relationship: while it is
-- active, the therapist receives the client's intake, profile and history, the
-- journal entries the client shares, and mood or goals when the client
-- shares them; when it ends or a share stops, those rows are revoked.  Each
-- changed feed row takes a new version, so the therapist's next pull sees it.
-- Called by the sync server inside the push transaction, under its lock.
CREATE FUNCTION sync_refresh_care(p_therapist UUID, p_client UUID)
RETURNS SETOF UUID
LANGUAGE plpgsql AS $$
DECLARE
  rel care_relationships;
BEGIN
  SELECT * INTO rel FROM care_relationships
   WHERE therapist_id = p_therapist AND client_id = p_client AND status = 'active'
     AND deleted_at IS NULL
   LIMIT 1;

  CREATE TEMP TABLE IF NOT EXISTS sync_care_wanted (table_name TEXT, record_id UUID)
    ON COMMIT DROP;
  TRUNCATE sync_care_wanted;
  IF FOUND THEN
    INSERT INTO sync_care_wanted
    SELECT r.table_name, r.record_id FROM sync_records r
     WHERE r.owner_id = p_client
       AND (r.table_name IN ('client_intakes', 'profiles', 'client_histories')
            OR (r.table_name = 'journal_entries'
                AND EXISTS (SELECT 1 FROM journal_entries j
                             WHERE j.id = r.record_id AND j.therapist_shared))
            OR (r.table_name = 'mood_entries' AND coalesce(rel.share_mood, false))
            OR (r.table_name IN ('goals', 'goal_progress') AND coalesce(rel.share_goals, false)));
  END IF;

  -- Newly visible (or visible again).
  INSERT INTO sync_feed (user_id, table_name, record_id, version, revoked)
  SELECT p_therapist, w.table_name, w.record_id, nextval('sync_version_seq'), false
    FROM sync_care_wanted w
   WHERE NOT EXISTS (SELECT 1 FROM sync_feed f
                      WHERE f.user_id = p_therapist AND f.table_name = w.table_name
                        AND f.record_id = w.record_id AND NOT f.revoked)
  ON CONFLICT (user_id, table_name, record_id)
  DO UPDATE SET version = EXCLUDED.version, revoked = false;

  -- No longer visible.
  UPDATE sync_feed f SET revoked = true, version = nextval('sync_version_seq')
   WHERE f.user_id = p_therapist AND NOT f.revoked
     AND f.table_name IN ('client_intakes', 'profiles', 'client_histories', 'journal_entries',
                          'mood_entries', 'goals', 'goal_progress')
     AND EXISTS (SELECT 1 FROM sync_records r
                  WHERE r.table_name = f.table_name AND r.record_id = f.record_id
                    AND r.owner_id = p_client)
     AND NOT EXISTS (SELECT 1 FROM sync_care_wanted w
                      WHERE w.table_name = f.table_name AND w.record_id = f.record_id);
  RETURN NEXT p_therapist;
END;
$$;

-- A new account's profile (and a therapist's directory row) enter sync:
-- versioned under the sync lock, recorded, and fed to their recipients (the
-- owner; everyone for a therapist, whose profile is public).  Called in the
-- registration transaction.
CREATE FUNCTION sync_publish_account(p_user UUID)
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
    INSERT INTO sync_feed (user_id, table_name, record_id, version)
      VALUES ('00000000-0000-0000-0000-000000000000', 'profiles', p_user, v);
    v := nextval('sync_version_seq');
    UPDATE therapists SET version = v WHERE user_id = p_user;
    INSERT INTO sync_records (table_name, record_id, version, owner_id)
      VALUES ('therapists', p_user, v, p_user);
    INSERT INTO sync_feed (user_id, table_name, record_id, version)
      VALUES ('00000000-0000-0000-0000-000000000000', 'therapists', p_user, v);
    PERFORM pg_notify('tf_sync', '00000000-0000-0000-0000-000000000000');
  END IF;
  PERFORM pg_notify('tf_sync', p_user::text);
END;
$$;
