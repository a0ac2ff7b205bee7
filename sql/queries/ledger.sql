-- name: ledger-removal-reason
-- Marks this transaction's deletions of consent events as lawful ($1 = retention | erasure): the
-- tombstone the ledger writes for them carries this reason (V050).
SELECT set_config('optin.ledger_removal', $1, true)

-- name: ledger-anchor
-- The per-database anchor the first event of every address chains to.
SELECT anchor FROM ledger_anchor

-- name: ledger-events-page
-- Verification: up to $3 events after (email_hash, id) = ($1, $2) in chain order, each with its
-- canonical serialisation, and for tombstones (ledger_removed, erased) the reason and the removed events' SHA-256s.
SELECT e.id, e.email_hash, e.kind, e.prev_sha256, e.sha256, consent_event_canonical(e),
       CASE WHEN e.kind IN ('ledger_removed', 'erased') THEN e.detail->>'reason' END,
       CASE WHEN e.kind IN ('ledger_removed', 'erased') THEN e.detail->'removed_sha256' END
FROM consent_events e
WHERE (e.email_hash, e.id) > ($1, $2)
ORDER BY e.email_hash, e.id
LIMIT $3

-- name: ledger-events-of
-- Verification of one address ($1 = email_hash), in chain order; columns as ledger-events-page.
SELECT e.id, e.email_hash, e.kind, e.prev_sha256, e.sha256, consent_event_canonical(e),
       CASE WHEN e.kind IN ('ledger_removed', 'erased') THEN e.detail->>'reason' END,
       CASE WHEN e.kind IN ('ledger_removed', 'erased') THEN e.detail->'removed_sha256' END
FROM consent_events e
WHERE e.email_hash = $1
ORDER BY e.id

-- name: ledger-address-of
-- The address behind a hash, while a subscriber row or an unerased suppression holds it.
SELECT coalesce((SELECT email FROM subscribers WHERE email_hash = $1),
                (SELECT email FROM suppressions WHERE email_hash = $1 AND email IS NOT NULL LIMIT 1))
