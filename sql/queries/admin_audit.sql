-- name: admin-audit-lock
-- Serialises audit writers until commit, so that id order is commit order and a reader paging by
-- id never skips a row that commits late. Taken last in an admin transaction (nothing waits on it
-- while holding it).
LOCK TABLE admin_audit IN EXCLUSIVE MODE

-- name: admin-audit-add
-- Appends one audit row: admin $1, action $2, target $3, outcome $4, detail $5 (JSON text).
INSERT INTO admin_audit (admin, action, target, outcome, detail)
VALUES ($1, $2, $3, $4, $5::jsonb)

-- name: admin-actor-set
-- Names the admin for the rest of the transaction: consent events written after carry it in
-- `actor` (set by the ledger's insert trigger from optin.actor).
SELECT set_config('optin.actor', $1, true)

-- name: admin-audit-page
-- Up to $3 rows after id $1 (0 = from the start) and at or after time $2 (NULL = any), oldest first.
SELECT id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), admin,
       action, target, outcome, detail::text
FROM admin_audit
WHERE id > $1 AND ($2::timestamptz IS NULL OR occurred_at >= $2::timestamptz)
ORDER BY id
LIMIT $3
