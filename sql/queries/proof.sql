-- name: proof-berlin-time
-- The consent dossier's transaction renders local times in Europe/Berlin (UTC ones explicitly).
SELECT set_config('timezone', 'Europe/Berlin', true)

-- name: proof-subscriber
-- The dossier: the subscriber row of a normalised address ($1): id, address, created (UTC, Berlin).
SELECT id, email, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')
FROM subscribers WHERE email = $1

-- name: proof-subscriptions
-- The dossier: every subscription of subscriber $1 with its list, times (UTC, Berlin), the list's
-- CleverReach group and the outbox rows still waiting for it (action/attempts/error, dead ones).
SELECT s.id, l.slug, l.name, s.status, s.language, coalesce(s.source, ''),
       to_char(s.signed_up_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.signed_up_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
       coalesce(to_char(s.confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(to_char(s.confirmed_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'), ''),
       coalesce(to_char(s.unsubscribed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(to_char(s.unsubscribed_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'), ''),
       l.cleverreach_group_id IS NOT NULL,
       (SELECT count(*) FROM sync_outbox o WHERE o.subscription_id = s.id AND o.dead_at IS NULL),
       (SELECT count(*) FROM sync_outbox o WHERE o.subscription_id = s.id AND o.dead_at IS NOT NULL),
       coalesce((SELECT string_agg(o.action::text || ' (' || o.attempts || ')' ||
                                   coalesce(': ' || o.last_error, ''), '; ' ORDER BY o.id)
                 FROM sync_outbox o WHERE o.subscription_id = s.id), '')
FROM subscriptions s JOIN lists l ON l.id = s.list_id
WHERE s.subscriber_id = $1 ORDER BY s.id

-- name: proof-events
-- The dossier: the consent ledger of an address hash ($1) in chain order, with the words behind
-- each consent-text hash, times in UTC and Berlin, and each event's place in the chain.
SELECT e.id, e.kind, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       to_char(e.occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS.MSTZH:TZM'),
       coalesce(e.subscription_id, 0), coalesce(l.slug, ''), coalesce(host(e.ip), ''),
       coalesce(e.user_agent, ''), coalesce(e.page_url, ''), coalesce(e.channel, ''),
       coalesce(e.actor, ''), coalesce(e.consent_text_sha256, ''), coalesce(t.text, ''),
       coalesce(e.message_id, ''), coalesce(e.mail_sha256, ''), coalesce(e.mail_redacted, ''),
       coalesce(e.mail_redacted_sha256, ''), e.detail::text, e.sha256, e.prev_sha256
FROM consent_events e
LEFT JOIN lists l ON l.id = e.list_id
LEFT JOIN consent_texts t ON t.sha256 = e.consent_text_sha256
WHERE e.email_hash = $1 ORDER BY e.id

-- name: proof-suppressions
-- The dossier: suppression entries of an address hash ($1): scope, reason, source, since, hash-only.
SELECT coalesce(l.slug, 'global'), x.reason, x.source,
       to_char(x.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(x.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'), x.email IS NULL
FROM suppressions x LEFT JOIN lists l ON l.id = x.list_id
WHERE x.email_hash = $1 ORDER BY x.id

-- name: proof-domain-block
-- The dossier: a domain block matching the address's domain ($1, lower case), or no row.
SELECT CASE WHEN d.include_subdomains THEN '*.' ELSE '' END || d.domain
FROM domain_suppressions d
WHERE lower(d.domain) = $1
   OR (d.include_subdomains AND right($1, length(d.domain) + 1) = '.' || lower(d.domain))
LIMIT 1

-- name: proof-sync-state
-- The dossier: whether the CleverReach sync runs and its last success (UTC, Berlin).
SELECT enabled, coalesce(to_char(last_success_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(to_char(last_success_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'), ''),
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(now(), 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')
FROM sync_state
