-- name: subscriptions-end
-- Ends subscriber $1's subscriptions (all, or list $2's), spends their tokens (queued
-- confirmation mails are then dropped by the mailer), writes one 'unsubscribed' event each (channel $4) and tells
-- CleverReach to deactivate receivers that were confirmed. Returns how many ended.
WITH old AS (
  SELECT s.id, s.status, s.list_id FROM subscriptions s
  WHERE s.subscriber_id = $1 AND ($2::bigint IS NULL OR s.list_id = $2) AND s.status <> 'unsubscribed'
  FOR UPDATE
), ended AS (
  UPDATE subscriptions s SET status = 'unsubscribed', unsubscribed_at = now()
  FROM old WHERE s.id = old.id
  RETURNING s.id, s.list_id, old.status AS old_status
), events AS (
  INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, channel, detail)
  SELECT $1, e.id, e.list_id, $3, 'unsubscribed', $4, jsonb_build_object('previous_status', e.old_status)
  FROM ended e
), tokens AS (
  UPDATE confirmation_tokens t SET used_at = now()
  FROM ended e WHERE t.subscription_id = e.id AND t.used_at IS NULL
), sync AS (
  INSERT INTO sync_outbox (action, subscription_id, group_id, email, email_hash)
  SELECT 'deactivate_receiver', e.id, l.cleverreach_group_id, $5, $3
  FROM ended e JOIN lists l ON l.id = e.list_id
  WHERE e.old_status = 'confirmed' AND l.cleverreach_group_id IS NOT NULL
)
SELECT count(*) FROM ended

-- name: subscriber-drop-profile-if-inactive
-- Profile data (the name) goes as soon as no subscription is pending or confirmed.
UPDATE subscribers SET name = NULL
WHERE id = $1 AND name IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE subscriber_id = $1 AND status <> 'unsubscribed')

-- name: suppression-add
-- Puts an address on the suppression list (global when $3 is NULL); returns a row when new.
INSERT INTO suppressions (email_hash, email, list_id, reason, source)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (email_hash, list_id) DO NOTHING
RETURNING id

-- name: consent-event-simple
-- Ledger: an event without request data (suppressed, suppression_lifted, ...).
INSERT INTO consent_events (subscriber_id, list_id, email_hash, kind, channel, detail)
VALUES ($1, $2, $3, $4::consent_event_kind, $5, $6::jsonb)

-- name: sync-enqueue-address
-- CleverReach must learn an account-wide change of an address (blacklist, deletion).
INSERT INTO sync_outbox (action, email, email_hash) VALUES ($1::sync_action, $2, $3)

-- name: suppressions-lift
-- Removes every suppression of an address (objection or admin); returns the removed scopes.
DELETE FROM suppressions WHERE email_hash = $1 RETURNING list_id IS NULL AS global, email

-- name: suppressions-of-address
-- Every suppression entry of an address, for admins and access exports.
SELECT coalesce(l.slug, 'global'), s.reason, s.source,
       to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM suppressions s LEFT JOIN lists l ON l.id = s.list_id
WHERE s.email_hash = $1 ORDER BY s.created_at

-- name: suppressions-check-hashes
-- Positions (1-based, in no particular order) of the hashes in $1 that are suppressed globally
-- or for list $2. The LATERAL ... LIMIT 1 keeps the plan an index probe per hash: given the array
-- as a constant, the planner would hash all suppression entries instead (twice as slow at 1 M).
SELECT x.i FROM unnest($1::text[]) WITH ORDINALITY AS x(h, i)
CROSS JOIN LATERAL (SELECT 1 FROM suppressions s
                    WHERE s.email_hash = x.h AND (s.list_id IS NULL OR s.list_id = $2)
                    LIMIT 1) hit

-- name: bulk-read-settings
-- For one transaction that passes a large array: plan once without looking at the array (a custom
-- plan for a 50 000-element constant takes 40 ms to make) and without JIT compilation.
SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('jit', 'off', true)

-- name: domain-suppression-add
-- Blocks a whole domain (and its subdomains when $2).
INSERT INTO domain_suppressions (domain, include_subdomains, reason) VALUES ($1, $2, $3)
ON CONFLICT (domain) DO UPDATE SET include_subdomains = EXCLUDED.include_subdomains,
                                   reason = EXCLUDED.reason

-- name: domain-suppression-end-subscriptions
-- A domain block ($1 domain, $2 with subdomains, $3 reason) ends every subscription of a matching
-- address in the caller's transaction: one 'suppressed' event per subscription (channel admin),
-- tokens spent, profile data dropped, and for each ended confirmed receiver a deactivation per
-- synced group plus one blacklist entry per address (CleverReach has no documented domain
-- entries). Lifting the block later resubscribes nobody. Returns ended subscriptions and addresses.
WITH hit AS (
  SELECT u.id, u.email, u.email_hash FROM subscribers u
  WHERE optin_domain_block_covers($1, $2, u.email)
), old AS (
  SELECT s.id, s.status, s.list_id, h.id AS subscriber_id, h.email, h.email_hash
  FROM subscriptions s JOIN hit h ON h.id = s.subscriber_id
  WHERE s.status <> 'unsubscribed'
  FOR UPDATE OF s
), ended AS (
  UPDATE subscriptions s SET status = 'unsubscribed', unsubscribed_at = now()
  FROM old WHERE s.id = old.id
  RETURNING s.id, s.list_id, old.status AS old_status, old.subscriber_id, old.email, old.email_hash
), events AS (
  INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, channel, detail)
  SELECT e.subscriber_id, e.id, e.list_id, e.email_hash, 'suppressed', 'admin',
         jsonb_build_object('scope', 'domain', 'domain', CASE WHEN $2 THEN '*.' ELSE '' END || $1,
                            'reason', $3::text, 'previous_status', e.old_status)
  FROM ended e
), tokens AS (
  UPDATE confirmation_tokens t SET used_at = now()
  FROM ended e WHERE t.subscription_id = e.id AND t.used_at IS NULL
), profile AS (
  UPDATE subscribers u SET name = NULL
  FROM (SELECT DISTINCT subscriber_id FROM ended) e WHERE u.id = e.subscriber_id AND u.name IS NOT NULL
), deactivate AS (
  INSERT INTO sync_outbox (action, subscription_id, group_id, email, email_hash)
  SELECT 'deactivate_receiver', e.id, l.cleverreach_group_id, e.email, e.email_hash
  FROM ended e JOIN lists l ON l.id = e.list_id
  WHERE e.old_status = 'confirmed' AND l.cleverreach_group_id IS NOT NULL
), blacklist AS (
  INSERT INTO sync_outbox (action, email, email_hash)
  SELECT DISTINCT 'blacklist_add'::sync_action, e.email, e.email_hash
  FROM ended e WHERE e.old_status = 'confirmed'
)
SELECT count(*), count(DISTINCT subscriber_id) FROM ended

-- name: domain-suppression-remove
-- Unblocks a domain.
DELETE FROM domain_suppressions WHERE domain = $1

-- name: domain-suppressions-all
-- Every blocked domain.
SELECT domain, include_subdomains FROM domain_suppressions

-- name: lists-by-group
-- The lists synced to CleverReach group $1.
SELECT id FROM lists WHERE cleverreach_group_id = $1 ORDER BY id
