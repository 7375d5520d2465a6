-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0017-managed-clients.sql: clients a therapist adds who have no app account
-- yet, and the invitation that hands their records over to them (issue 12;
-- docs/encryption.md, "Managed clients and the hand-over").
--
-- A managed client is a users row like any other, so every reference to a
-- client (appointments.client_id, care_relationships.client_id, ...) keeps
-- working, but with no credentials: no e-mail, no password hash, no KDF or
-- wrapped master key in user_keys — only the public halves of the key pairs
-- the therapist's device made for them, so other devices verify what is
-- signed in the client's name and seal to them.  managed_by names the
-- therapist who may write as the client (POST /v1/clients makes the row;
-- the push lets that therapist write the client's own records while it
-- stays set).  The client registering with an invitation code takes the row
-- over: e-mail, password hash and full keys are set and managed_by cleared
-- in the registration's transaction, after which the therapist writes only
-- as themselves.
--
-- managed_clients (synced, the therapist's alone) holds, encrypted under
-- the therapist's keys, the client's key pairs and master key, so every
-- device of the therapist can write as the client; client_details (synced,
-- the client's, read by their therapists in care) holds the personal
-- details the server has no need of, all encrypted.  client_invites is the
-- server's: the key bundle sealed under the invitation's secret, which the
-- server never learns.

ALTER TABLE users
  ADD COLUMN managed_by UUID REFERENCES users(id),
  ALTER COLUMN email DROP NOT NULL,
  ALTER COLUMN password_hash DROP NOT NULL,
  ADD CONSTRAINT users_credentials_unless_managed
    CHECK (managed_by IS NOT NULL OR (email IS NOT NULL AND password_hash IS NOT NULL)),
  ADD CONSTRAINT users_managed_is_client
    CHECK (managed_by IS NULL OR (role = 'client' AND password_hash IS NULL));
CREATE INDEX users_managed_by ON users (managed_by) WHERE managed_by IS NOT NULL;

-- A managed client's keys: the public halves only, until the hand-over.
ALTER TABLE user_keys
  ALTER COLUMN kdf_salt DROP NOT NULL,
  ALTER COLUMN kdf_opslimit DROP NOT NULL,
  ALTER COLUMN kdf_memlimit DROP NOT NULL,
  ALTER COLUMN wrapped_master_key DROP NOT NULL,
  ALTER COLUMN wrapped_recovery_key DROP NOT NULL,
  ALTER COLUMN wrapped_identity_key DROP NOT NULL,
  ALTER COLUMN wrapped_signing_key DROP NOT NULL,
  ADD CONSTRAINT user_keys_wrapped_together
    CHECK ((kdf_salt IS NULL) = (kdf_opslimit IS NULL)
           AND (kdf_salt IS NULL) = (kdf_memlimit IS NULL)
           AND (kdf_salt IS NULL) = (wrapped_master_key IS NULL)
           AND (kdf_salt IS NULL) = (wrapped_recovery_key IS NULL)
           AND (kdf_salt IS NULL) = (wrapped_identity_key IS NULL)
           AND (kdf_salt IS NULL) = (wrapped_signing_key IS NULL));

CREATE TABLE managed_clients (
  client_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  therapist_id UUID NOT NULL REFERENCES therapists(user_id),
  client_keys JSONB,          -- encrypted: the client's master key and key pairs
  referral_source TEXT,       -- encrypted
  notes TEXT,                 -- encrypted: the therapist's own notes on the client
  handed_over_at TIMESTAMP WITH TIME ZONE,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT,
  author_revision BIGINT CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  author_signature TEXT CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  CONSTRAINT managed_clients_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL))
);
CREATE INDEX managed_clients_therapist ON managed_clients (therapist_id);
CREATE TRIGGER encrypt_managed_clients
  BEFORE INSERT OR UPDATE ON managed_clients
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('client_keys', 'referral_source', 'notes');

CREATE TABLE client_details (
  client_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  email TEXT,                 -- encrypted, like every column below
  phone TEXT,
  address TEXT,
  birth_date TEXT,
  gender TEXT,
  amka TEXT,
  emergency_contact JSONB,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT,
  author_revision BIGINT CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  author_signature TEXT CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  CONSTRAINT client_details_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL))
);
CREATE TRIGGER encrypt_client_details
  BEFORE INSERT OR UPDATE ON client_details
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('email', 'phone', 'address', 'birth_date',
                                                   'gender', 'amka', 'emergency_contact');

-- An invitation: the client's key bundle (their master key wrapped under a
-- key derived from the code's secret, their key pairs wrapped under the
-- master key) for the client to fetch by the code's id.  Used once; expires.
CREATE TABLE client_invites (
  id UUID PRIMARY KEY,
  client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  bundle JSONB NOT NULL CHECK (jsonb_typeof(bundle) = 'object' AND length(bundle::text) <= 4000),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  used_at TIMESTAMP WITH TIME ZONE,
  CHECK (expires_at > created_at)
);
CREATE INDEX client_invites_client ON client_invites (client_id);

-- A client's details reach the therapists in care with them, as their
-- intake does (0002's sync_refresh_care, with client_details beside it).
CREATE OR REPLACE FUNCTION sync_refresh_care(p_therapist UUID, p_client UUID)
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
       AND (r.table_name IN ('client_intakes', 'profiles', 'client_histories', 'client_details')
            OR (r.table_name = 'journal_entries'
                AND EXISTS (SELECT 1 FROM journal_entries j
                             WHERE j.id = r.record_id AND j.therapist_shared))
            OR (r.table_name = 'mood_entries' AND coalesce(rel.share_mood, false))
            OR (r.table_name IN ('goals', 'goal_progress') AND coalesce(rel.share_goals, false)));
  END IF;

  INSERT INTO sync_feed (user_id, table_name, record_id, version, revoked)
  SELECT p_therapist, w.table_name, w.record_id, nextval('sync_version_seq'), false
    FROM sync_care_wanted w
   WHERE NOT EXISTS (SELECT 1 FROM sync_feed f
                      WHERE f.user_id = p_therapist AND f.table_name = w.table_name
                        AND f.record_id = w.record_id AND NOT f.revoked)
  ON CONFLICT (user_id, table_name, record_id)
  DO UPDATE SET version = EXCLUDED.version, revoked = false;

  UPDATE sync_feed f SET revoked = true, version = nextval('sync_version_seq')
   WHERE f.user_id = p_therapist AND NOT f.revoked
     AND f.table_name IN ('client_intakes', 'profiles', 'client_histories', 'client_details',
                          'journal_entries', 'mood_entries', 'goals', 'goal_progress')
     AND EXISTS (SELECT 1 FROM sync_records r
                  WHERE r.table_name = f.table_name AND r.record_id = f.record_id
                    AND r.owner_id = p_client)
     AND NOT EXISTS (SELECT 1 FROM sync_care_wanted w
                      WHERE w.table_name = f.table_name AND w.record_id = f.record_id);
  RETURN NEXT p_therapist;
END;
$$;
