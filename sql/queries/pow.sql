-- name: pow-spend
-- Marks challenge $1 (valid until unix time $2) as spent; returns a row only the first time.
INSERT INTO pow_spent_challenges (challenge, expires_at) VALUES ($1, to_timestamp($2))
ON CONFLICT (challenge) DO NOTHING
RETURNING 1

