-- Concurrent first signups of one address could fail with a unique violation (answered 409): the
-- signup's and the import's `INSERT ... ON CONFLICT (email)` only arbitrate the `email` key, and a
-- second unique index on `email_hash` (the same fact, since the hash is derived from the address)
-- raised the error when the racing insert reached that index first. Found by
-- `e2e:concurrent signups of one address send one mail` (199 of 200 answered 202; issue 17 point 9).
-- `email` stays the one unique key; `email_hash` keeps a plain index for the lookups by hash.
ALTER TABLE subscribers DROP CONSTRAINT subscribers_email_hash_key;
CREATE INDEX subscribers_email_hash ON subscribers (email_hash);
