-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0029-managed-clients.sql: the device's copy of the two synced tables of
-- managed clients (PostgreSQL 0017; docs/encryption.md, "Managed clients
-- and the hand-over").  managed_clients is the therapist's: the client's
-- keys, the referral source and the therapist's notes, encrypted under the
-- therapist's keys.  client_details is the client's (written in their name
-- while the therapist manages them): every personal detail encrypted.

CREATE TABLE managed_clients (
  client_id TEXT PRIMARY KEY NOT NULL,
  therapist_id TEXT NOT NULL,
  client_keys TEXT CHECK (client_keys IS NULL OR client_keys LIKE 'tf1:%'),
  referral_source TEXT CHECK (referral_source IS NULL OR referral_source LIKE 'tf1:%'),
  notes TEXT CHECK (notes IS NULL OR notes LIKE 'tf1:%'),
  handed_over_at TEXT,
  created_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;

CREATE TABLE client_details (
  client_id TEXT PRIMARY KEY NOT NULL,
  email TEXT CHECK (email IS NULL OR email LIKE 'tf1:%'),
  phone TEXT CHECK (phone IS NULL OR phone LIKE 'tf1:%'),
  address TEXT CHECK (address IS NULL OR address LIKE 'tf1:%'),
  birth_date TEXT CHECK (birth_date IS NULL OR birth_date LIKE 'tf1:%'),
  gender TEXT CHECK (gender IS NULL OR gender LIKE 'tf1:%'),
  amka TEXT CHECK (amka IS NULL OR amka LIKE 'tf1:%'),
  emergency_contact TEXT CHECK (emergency_contact IS NULL OR emergency_contact LIKE 'tf1:%'),
  created_at TEXT,
  updated_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
