-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0013-record-signatures.sql: the author's revision and signature of every
-- synced record (issue 19; docs/encryption.md, "Against the server itself";
-- common/tf-signed.h), beside the server's version.
--
-- A device signs what it writes at the moment it queues it, over the
-- record's identity, an author revision counter and the columns its author
-- chooses; the server stores both exactly as they came and serves them with
-- the record, and never checks, changes or makes them: it holds no key to.
-- Its own rules check only their shape (common/tf-signed.c,
-- tf_signed_check_envelope), and these CHECKs say the same, so a row that
-- bypasses the server cannot hold a malformed one either.
--
-- One column pair per table rather than a table of their own: the pull and
-- the push read and write a record's row in one registry-built statement
-- already, and a signature belongs to exactly one row at one moment (a write
-- without one, by a device that predates them, must clear the old one, which
-- the same UPDATE does).  key_grants has none: a grant is signed apart
-- (tf_signed_grant_*).  NULL in both: written before signatures.  The
-- columns are author_revision and author_signature (the wire's "revision"
-- and "signature" of the record envelope): session_notes has a column
-- "signature" of its own, the locked note's.

ALTER TABLE profiles
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT profiles_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE therapists
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT therapists_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE therapist_availability
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT therapist_availability_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE therapist_blocked_dates
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT therapist_blocked_dates_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE services
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT services_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE therapist_services
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT therapist_services_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE appointments
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT appointments_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE sessions
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT sessions_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE client_intakes
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT client_intakes_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE treatment_plans
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT treatment_plans_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE session_notes
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT session_notes_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE client_histories
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT client_histories_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE mood_entries
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT mood_entries_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE journal_entries
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT journal_entries_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE goals
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT goals_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE goal_progress
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT goal_progress_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
ALTER TABLE care_relationships
  ADD COLUMN author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  ADD COLUMN author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  ADD CONSTRAINT care_relationships_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL));
