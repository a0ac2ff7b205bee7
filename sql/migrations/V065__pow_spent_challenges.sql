-- Proof of work (issue 17): each ALTCHA challenge is accepted once. A solved challenge is kept
-- here until it expires, so a replay fails on every instance that shares the database; the
-- retention run deletes expired rows. The key is the challenge hash itself (unique per salt).
CREATE TABLE pow_spent_challenges (
  challenge text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX pow_spent_challenges_expires ON pow_spent_challenges (expires_at);
