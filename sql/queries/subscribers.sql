-- name: subscriber-describe
-- A subscriber by normalised address.
SELECT id, email, email_hash, coalesce(name, ''),
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM subscribers WHERE email = $1

-- name: subscriptions-of-subscriber
-- Every subscription of a subscriber with its list.
SELECT s.id, l.slug, s.status, s.language, coalesce(s.source, ''),
       to_char(s.signed_up_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(to_char(s.confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(to_char(s.unsubscribed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
FROM subscriptions s JOIN lists l ON l.id = s.list_id
WHERE s.subscriber_id = $1 ORDER BY s.id

-- name: consent-events-of-address
-- The consent ledger of an address (by hash: events survive as long as retention allows).
SELECT e.id, e.kind, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       coalesce(l.slug, ''), coalesce(host(e.ip), ''), coalesce(e.user_agent, ''),
       coalesce(e.page_url, ''), coalesce(e.consent_text_sha256, ''), coalesce(e.channel, ''),
       coalesce(e.message_id, ''), coalesce(e.mail_sha256, ''), e.detail::text,
       coalesce(t.text, '')
FROM consent_events e
LEFT JOIN lists l ON l.id = e.list_id
LEFT JOIN consent_texts t ON t.sha256 = e.consent_text_sha256
WHERE e.email_hash = $1 ORDER BY e.occurred_at, e.id
