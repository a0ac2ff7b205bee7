-- name: pow-spend
-- Marks challenge $1 (valid until unix time $2) as spent; returns a row only the first time. The
-- commit does not wait for the WAL flush (synchronous_commit off for this transaction only): a
-- crash may forget the last fraction of a second of spent challenges, which costs a replay
-- window, not data; waiting for the disk would halve the signup rate with OPTIN_POW=on.
INSERT INTO pow_spent_challenges (challenge, expires_at)
SELECT $1, to_timestamp($2) FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
ON CONFLICT (challenge) DO NOTHING
RETURNING 1
