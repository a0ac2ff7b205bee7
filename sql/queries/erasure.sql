-- name: erasure-sync-drop
-- Erasure: every CleverReach outbox row of the address goes (they carry the address).
DELETE FROM sync_outbox WHERE email_hash = $1

-- name: erasure-events-delete
-- Erasure: the consent ledger of the address, by hash and by subscriber row ($2, may be NULL).
-- Runs before the subscriber is deleted (the ledger's append-only trigger forbids SET NULL).
-- Returns each removed event's SHA-256 in chain order (the erased event lists them, V050).
WITH gone AS (DELETE FROM consent_events WHERE email_hash = $1 OR subscriber_id = $2
              RETURNING id, sha256)
SELECT count(*), coalesce(jsonb_agg(sha256 ORDER BY id), '[]'::jsonb)::text FROM gone

-- name: erasure-mails-delete
-- Erasure: queued mails to the address.
DELETE FROM mail_outbox WHERE email_hash = $1

-- name: erasure-subscriber-delete
-- Erasure: the subscriber row; subscriptions and their tokens go with it (ON DELETE CASCADE).
-- Returns how many subscriptions it had.
WITH subs AS (SELECT count(*) AS n FROM subscriptions WHERE subscriber_id = $1),
     gone AS (DELETE FROM subscribers WHERE id = $1 RETURNING id)
SELECT (SELECT n FROM subs), (SELECT count(*) FROM gone)

-- name: erasure-suppressions-strip
-- Erasure: suppression entries keep only the hash of the address.
UPDATE suppressions SET email = NULL WHERE email_hash = $1 AND email IS NOT NULL

-- name: erasure-suppression-global
-- Erasure: a global hash-only suppression entry, so the address is never imported or mailed again.
INSERT INTO suppressions (email_hash, email, list_id, reason, source)
VALUES ($1, NULL, NULL, 'erasure', 'erasure')
ON CONFLICT (email_hash, list_id) DO NOTHING

-- name: erasure-privacy-requests-strip
-- Erasure: privacy requests of the address keep only its hash.
UPDATE privacy_requests SET email = NULL WHERE email_hash = $1 AND email IS NOT NULL

-- name: erasure-sync-delete-receiver
-- Erasure with CleverReach on: one row telling it to delete the receiver everywhere (the only
-- place the address stays until the sync has delivered it).
INSERT INTO sync_outbox (action, email, email_hash) VALUES ('delete_receiver', $1, $2)

-- name: erasure-event
-- Erasure: the one event that stays, hash-only (no subscriber row, no address, no IP): proof that
-- the address was erased and why its hash is on the suppression list. It is also the ledger's
-- tombstone of the erased chain: reason 'erasure' and the removed events' SHA-256s ($4, a jsonb
-- array in chain order), so verify-ledger tells it from tampering.
INSERT INTO consent_events (email_hash, kind, channel, detail)
VALUES ($1, 'erased', $2, jsonb_build_object('subscriptions', $3::bigint, 'reason', 'erasure',
                                             'removed', jsonb_array_length($4::jsonb),
                                             'removed_sha256', $4::jsonb))
