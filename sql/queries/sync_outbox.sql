-- name: sync-claim-due
-- Due outbox rows, locked for this worker (others skip them), oldest first, at most $1. A row
-- waits while an older unfinished row for the same address exists, so CleverReach sees each
-- address's changes in order. Upserts carry the receiver as it is now.
SELECT o.id, o.action, o.attempts, coalesce(o.email, u.email, ''), o.email_hash,
       coalesce(o.group_id, l.cleverreach_group_id, ''), coalesce(s.status::text, ''),
       coalesce(extract(epoch FROM s.signed_up_at)::bigint, 0),
       coalesce(extract(epoch FROM s.confirmed_at)::bigint, 0),
       coalesce(s.source, ''), coalesce(u.name, ''), coalesce(s.language, ''),
       coalesce(o.subscription_id, 0)
FROM sync_outbox o
LEFT JOIN subscriptions s ON s.id = o.subscription_id
LEFT JOIN subscribers u ON u.id = s.subscriber_id
LEFT JOIN lists l ON l.id = s.list_id
WHERE o.dead_at IS NULL AND o.next_attempt_at <= now()
  AND NOT EXISTS (SELECT 1 FROM sync_outbox p
                  WHERE p.email_hash = o.email_hash AND p.id < o.id AND p.dead_at IS NULL)
ORDER BY o.id
LIMIT $1
FOR UPDATE OF o SKIP LOCKED

-- name: sync-delivered
-- Delivered (or obsolete) rows are done (array of ids: one statement per claimed batch).
DELETE FROM sync_outbox WHERE id = ANY($1::bigint[])

-- name: sync-failed
-- A failed attempt: retry at now + $2 ms, or dead letter once $3 is true.
UPDATE sync_outbox
SET attempts = attempts + 1, last_error = $4,
    next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
    dead_at = CASE WHEN $3 THEN now() ELSE NULL END
WHERE id = $1

-- name: sync-postpone
-- Rate limited: try again at now + $2 ms without counting an attempt.
UPDATE sync_outbox SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
                       last_error = 'rate limited (429)'
WHERE id = $1

-- name: sync-next-due
-- Milliseconds until the next row falls due (NULL when nothing waits).
SELECT greatest(0, extract(epoch FROM min(next_attempt_at) - now()) * 1000)::bigint
FROM sync_outbox WHERE dead_at IS NULL

-- name: sync-state-success
-- Records a successful pass.
UPDATE sync_state SET last_success_at = now()

-- name: sync-state-error
-- Records the last error (never an address or a secret).
UPDATE sync_state SET last_error_at = now(), last_error = $1

-- name: sync-state-pulled
-- Records a completed pull of unsubscribes.
UPDATE sync_state SET last_pull_at = now()

-- name: sync-status
-- The numbers behind GET /admin/sync.
SELECT (SELECT count(*) FROM sync_outbox WHERE dead_at IS NULL),
       (SELECT count(*) FROM sync_outbox WHERE dead_at IS NULL AND next_attempt_at <= now()),
       coalesce((SELECT extract(epoch FROM now() - min(created_at))::bigint
                 FROM sync_outbox WHERE dead_at IS NULL AND next_attempt_at <= now()), 0),
       (SELECT count(*) FROM sync_outbox WHERE dead_at IS NOT NULL),
       coalesce(to_char(st.last_success_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(to_char(st.last_error_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(st.last_error, ''),
       coalesce(to_char(st.last_pull_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce((SELECT extract(epoch FROM now() - min(occurred_at))::bigint FROM sync_outbox
                 WHERE optin_is_withdrawal(action)), 0)
FROM sync_state st

-- name: sync-dead-letters
-- Dead letters for operators, newest first.
SELECT id, action, coalesce(email, ''), attempts, coalesce(last_error, ''),
       to_char(dead_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM sync_outbox WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, id DESC LIMIT 100

-- name: sync-retry-dead
-- Puts dead letters (all, or one id) back in the queue.
UPDATE sync_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = now()
WHERE dead_at IS NOT NULL AND ($1::bigint IS NULL OR id = $1)

-- name: sync-groups
-- The CleverReach groups that lists are synced to.
SELECT DISTINCT cleverreach_group_id FROM lists WHERE cleverreach_group_id IS NOT NULL

-- name: pulled-unsubscribe-mark
-- Marks a CleverReach unsubscribe as applied; a row comes back only the first time.
INSERT INTO cleverreach_pulled (group_id, email_hash, deactivated) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING RETURNING 1

-- name: pulled-unsubscribe-is-restriction
-- Whether CleverReach's deactivation of address $1 at unix time $2 is the one a restriction caused
-- (optin_restriction_explains, sql/functions/40_restriction.sql), not an unsubscribe.
SELECT optin_restriction_explains($1, $2)

-- name: inbox-insert
-- A webhook delivery for the worker.
INSERT INTO cleverreach_inbox (event, group_id, pool_id) VALUES ($1, $2, $3)

-- name: inbox-claim
-- Webhook deliveries to process, locked.
SELECT id, group_id, pool_id, attempts FROM cleverreach_inbox ORDER BY id LIMIT 100
FOR UPDATE SKIP LOCKED

-- name: inbox-done
-- A processed webhook delivery.
DELETE FROM cleverreach_inbox WHERE id = $1

-- name: inbox-failed
-- A webhook delivery that could not be resolved yet (dropped after 10 attempts).
UPDATE cleverreach_inbox SET attempts = attempts + 1 WHERE id = $1

-- name: sync-state-set-enabled
-- Records whether the sync runs ($1). Turning it off drops the queued rows that hold an address
-- (nothing would drain them; reconciliation replaces them); turning it on after it was off makes a
-- reconciliation due at once. Returns whether it was enabled before.
WITH old AS (SELECT enabled FROM sync_state FOR UPDATE),
dropped AS (DELETE FROM sync_outbox WHERE NOT $1 AND email IS NOT NULL)
UPDATE sync_state SET enabled = $1,
  last_reconcile_at = CASE WHEN $1 AND NOT (SELECT enabled FROM old) THEN NULL ELSE last_reconcile_at END
RETURNING (SELECT enabled FROM old)
