-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0012-signed-grants.sql: a key grant carries the granting user's Ed25519
-- signature over what it grants and a counter (issue 19, plan item 4;
-- common/tf-signed.h).  The server cannot verify the signature — it holds
-- no trusted key — and stores both verbatim; the registry checks their
-- shape before a push reaches this table (a clear error, never this
-- CHECK's text), and the CHECKs keep a direct write in shape too.  Grants
-- from before stay unsigned until their owner's device signs them.

ALTER TABLE key_grants
  ADD COLUMN signature VARCHAR(200) CHECK (signature IS NULL OR signature LIKE 'tfs1:%'),
  ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);
