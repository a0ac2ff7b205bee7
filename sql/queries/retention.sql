-- name: purge-pick-unconfirmed
-- Retention: up to $2 pending signups older than $1 seconds (and not mailed since), locked; their consent events are
-- deleted here (before the rows, which the ledger's append-only trigger requires). Returns the
-- subscription ids and how many events went.
WITH doomed AS (
  SELECT id FROM subscriptions
  WHERE status = 'pending' AND signed_up_at < now() - make_interval(secs => $1)
    AND confirmed_at IS NULL AND unsubscribed_at IS NULL  -- true when pending: index subscriptions_open_age
    AND coalesce(last_confirmation_mail, signed_up_at) < now() - make_interval(secs => $1)
  ORDER BY signed_up_at LIMIT $2
  FOR UPDATE SKIP LOCKED
), events AS (
  DELETE FROM consent_events e USING doomed d WHERE e.subscription_id = d.id RETURNING e.id
)
SELECT d.id, (SELECT count(*) FROM events) FROM doomed d

-- name: purge-pick-ended
-- Retention: up to $2 ended subscriptions unsubscribed more than $1 seconds ago, locked; their
-- consent events are deleted here. Returns the subscription ids and how many events went.
WITH doomed AS (
  SELECT id FROM subscriptions
  WHERE status = 'unsubscribed' AND unsubscribed_at < now() - make_interval(secs => $1)
  ORDER BY unsubscribed_at LIMIT $2
  FOR UPDATE SKIP LOCKED
), events AS (
  DELETE FROM consent_events e USING doomed d WHERE e.subscription_id = d.id RETURNING e.id
)
SELECT d.id, (SELECT count(*) FROM events) FROM doomed d

-- name: purge-subscriptions
-- Retention: deletes the picked subscriptions ($1 ids); tokens and queued mails go with them.
DELETE FROM subscriptions WHERE id = ANY($1::bigint[])

-- name: purge-address-events
-- Retention: up to $2 consent events not tied to a subscription (suppression, privacy requests)
-- older than $1 seconds, of addresses without a pending or confirmed subscription.
DELETE FROM consent_events WHERE id IN (
  SELECT e.id FROM consent_events e
  WHERE e.subscription_id IS NULL AND e.occurred_at < now() - make_interval(secs => $1)
    AND NOT EXISTS (SELECT 1 FROM subscribers u JOIN subscriptions s ON s.subscriber_id = u.id
                    WHERE u.email_hash = e.email_hash AND s.status <> 'unsubscribed')
    -- An erasure's hash-only event stays as long as the suppression entry it explains.
    AND NOT (e.kind = 'erased' AND EXISTS (SELECT 1 FROM suppressions p WHERE p.email_hash = e.email_hash))
  LIMIT $2)

-- name: purge-orphan-subscribers
-- Retention: up to $1 subscriber rows with neither subscriptions nor consent events left.
DELETE FROM subscribers WHERE id IN (
  SELECT u.id FROM subscribers u
  WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.subscriber_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.subscriber_id = u.id)
  LIMIT $1
  FOR UPDATE SKIP LOCKED)

-- name: purge-confirmation-tokens
-- Retention: up to $2 confirmation tokens used or expired more than $1 seconds ago.
DELETE FROM confirmation_tokens WHERE token_hash IN (
  SELECT token_hash FROM confirmation_tokens
  WHERE used_at < now() - make_interval(secs => $1) OR expires_at < now() - make_interval(secs => $1)
  LIMIT $2)

-- name: purge-privacy-tokens
-- Retention: drops the token hash of up to $2 privacy requests carried out or expired more than
-- $1 seconds ago (the request stays as a record).
UPDATE privacy_requests SET token_hash = NULL WHERE id IN (
  SELECT id FROM privacy_requests
  WHERE token_hash IS NOT NULL
    AND (completed_at < now() - make_interval(secs => $1) OR expires_at < now() - make_interval(secs => $1))
  LIMIT $2)

-- name: purge-privacy-requests
-- Retention: up to $3 privacy requests never verified and expired more than $1 seconds ago, or
-- carried out more than $2 seconds ago.
DELETE FROM privacy_requests WHERE id IN (
  SELECT id FROM privacy_requests
  WHERE (completed_at IS NULL AND expires_at < now() - make_interval(secs => $1))
     OR completed_at < now() - make_interval(secs => $2)
  LIMIT $3)

-- name: purge-dead-upserts
-- Retention: up to $2 upsert dead letters older than $1 seconds (withdrawals are never dead).
DELETE FROM sync_outbox WHERE id IN (
  SELECT id FROM sync_outbox
  WHERE action = 'upsert_receiver' AND dead_at < now() - make_interval(secs => $1)
  LIMIT $2)

-- name: purge-pow-challenges
-- Deletes up to $1 spent challenges that have expired (a replay of those fails on expiry).
DELETE FROM pow_spent_challenges
WHERE challenge IN (SELECT challenge FROM pow_spent_challenges WHERE expires_at < now() LIMIT $1)
