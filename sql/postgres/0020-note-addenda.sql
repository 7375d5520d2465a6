-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0020-note-addenda.sql: addenda to locked session notes (issue 12).
--
-- A locked note never changes (0003-locks-recovery.sql).  What a therapist
-- has to add later (a correction, what the client said on the phone the day
-- after) is an addendum: a record of its own, appended to the note, written
-- once and locked at that moment with its author's Ed25519 signature over
-- its identity, the note it belongs to, its ciphertext and the moment
-- (client/core/tf-vault-notes.c).  The original stays untouched, and every
-- device verifies both signatures whenever it reads them.  The sync server
-- takes an addendum only for a locked note of the same therapist and only
-- locked (server/tf-sync-push-access.c); like a locked note it can then be
-- neither changed nor deleted.
--
-- content is the addendum's text, encrypted on the device under the
-- record's data key (enc_key); the server sees its length and when it was
-- written, nothing else.

CREATE TABLE note_addenda (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  note_id UUID NOT NULL REFERENCES session_notes(id),
  therapist_id UUID NOT NULL REFERENCES therapists(user_id),
  content TEXT CHECK (content IS NULL OR content LIKE 'tf1:%'),
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  enc_key TEXT,
  locked_at TIMESTAMP WITH TIME ZONE,
  signature TEXT,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  author_revision BIGINT
    CHECK (author_revision BETWEEN 1 AND 9007199254740991),
  author_signature TEXT
    CHECK (author_signature LIKE 'tfs1:%' AND length(author_signature) <= 200),
  CONSTRAINT note_addenda_lock_signed CHECK ((locked_at IS NULL) = (signature IS NULL)),
  CONSTRAINT note_addenda_signed_together
    CHECK ((author_revision IS NULL) = (author_signature IS NULL))
);
CREATE INDEX note_addenda_note ON note_addenda (note_id);
CREATE INDEX note_addenda_therapist ON note_addenda (therapist_id);
