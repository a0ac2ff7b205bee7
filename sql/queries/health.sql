-- name: ping
-- Answers one row when the database is reachable.
SELECT 1
