-- name: privacy-address-known
-- Whether an address is known (a subscriber row or a suppression entry of its hash), and the
-- language of its newest subscription ('' when none).
SELECT EXISTS (SELECT 1 FROM subscribers WHERE email_hash = $1)
    OR EXISTS (SELECT 1 FROM suppressions WHERE email_hash = $1),
       coalesce((SELECT s.language FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id
                 WHERE u.email_hash = $1 ORDER BY s.signed_up_at DESC LIMIT 1), '')

-- name: privacy-lock-address
-- Serialises privacy requests of one address until the transaction ends (the hourly mail limit).
SELECT pg_advisory_xact_lock(hashtextextended('privacy:' || $1, 0))

-- name: privacy-request-insert
-- Records a verified-by-mail request ($7: the access export's format) unless one was mailed to
-- the address within the last hour; returns its id only when it was recorded.
INSERT INTO privacy_requests (type, email_hash, email, language, token_hash, expires_at, format)
SELECT $1::privacy_request_type, $2, $3, $4, $5, now() + make_interval(secs => $6), $7
WHERE NOT EXISTS (SELECT 1 FROM privacy_requests
                  WHERE email_hash = $2 AND requested_at > now() - interval '1 hour')
RETURNING id

-- name: privacy-event
-- Ledger: a privacy request (privacy_requested / privacy_completed) of an address, by hash and,
-- where it still exists, its subscriber row.
INSERT INTO consent_events (subscriber_id, email_hash, kind, channel, detail)
VALUES ((SELECT id FROM subscribers WHERE email_hash = $1), $1, $2::consent_event_kind, 'privacy',
        $3::jsonb)

-- name: mail-outbox-insert-privacy
-- Queues a rendered privacy verification mail (sent even to suppressed addresses).
INSERT INTO mail_outbox (kind, email_hash, recipient, message_id, message)
VALUES ('privacy_verification', $1, $2, $3, $4)

-- name: privacy-request-by-token
-- The request behind a verification token, read-only (GET pages change nothing).
SELECT id, type, coalesce(email, ''), email_hash, language, completed_at IS NOT NULL,
       expires_at < now(), format
FROM privacy_requests WHERE token_hash = $1

-- name: privacy-request-by-token-locked
-- The request behind a verification token, locked for carrying it out.
SELECT id, type, coalesce(email, ''), email_hash, language, completed_at IS NOT NULL,
       expires_at < now(), format
FROM privacy_requests WHERE token_hash = $1
FOR UPDATE

-- name: privacy-request-complete
-- Marks a request as carried out with its outcome (JSON without addresses).
UPDATE privacy_requests SET completed_at = now(), outcome = $2::jsonb WHERE id = $1

-- name: privacy-requests-of-address
-- Every privacy request of an address, for the access export.
SELECT id, type, language,
       to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(outcome::text, '')
FROM privacy_requests WHERE email_hash = $1 ORDER BY requested_at, id

-- name: subscription-lists-of-subscriber
-- The lists of a subscriber's live (pending, confirmed or restricted) subscriptions.
SELECT DISTINCT list_id FROM subscriptions WHERE subscriber_id = $1 AND status <> 'unsubscribed'

-- name: privacy-request-insert-completed
-- Records a request carried out at once (an admin's erasure): hash only, outcome $3.
INSERT INTO privacy_requests (type, email_hash, language, expires_at, completed_at, outcome)
VALUES ($1::privacy_request_type, $2, 'en', now(), now(), $3::jsonb)

-- name: restriction-apply
-- Restricts an address (Art. 18) in one statement (optin_restrict, sql/functions/40_restriction.sql):
-- $1 hash, $2 channel, $3 event detail (JSON). Returns the subscriptions paused, -1 when unknown.
SELECT optin_restrict($1, $2, $3)

-- name: restriction-lift
-- Lifts it (optin_lift_restriction): the subscriptions resumed, -1 when it was not restricted.
SELECT optin_lift_restriction($1, $2, $3)
