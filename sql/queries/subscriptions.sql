-- name: suppression-check-one
-- Whether an address is suppressed globally, for list $2, or by its domain $3.
SELECT EXISTS (SELECT 1 FROM suppressions WHERE email_hash = $1 AND (list_id IS NULL OR list_id = $2))
    OR EXISTS (SELECT 1 FROM domain_suppressions d
               WHERE d.domain = $3
                  OR (d.include_subdomains AND right($3, length(d.domain) + 1) = '.' || d.domain))

-- name: subscriber-upsert
-- The subscriber row for an address; a name is only filled in where none was stored.
INSERT INTO subscribers AS s (email, email_hash, name) VALUES ($1, $2, nullif($3, ''))
ON CONFLICT (email) DO UPDATE SET name = coalesce(s.name, EXCLUDED.name)
RETURNING id

-- name: subscription-upsert-signup
-- A signup: new -> pending; unsubscribed (suppression lifted) -> a fresh pending double opt-in;
-- pending stays pending; confirmed is never downgraded.
INSERT INTO subscriptions AS s (subscriber_id, list_id, language, source)
VALUES ($1, $2, $3, nullif($4, ''))
ON CONFLICT (subscriber_id, list_id) DO UPDATE SET
  status = CASE WHEN s.status = 'unsubscribed' THEN 'pending'::subscription_status ELSE s.status END,
  signed_up_at = CASE WHEN s.status = 'unsubscribed' THEN now() ELSE s.signed_up_at END,
  confirmed_at = CASE WHEN s.status = 'unsubscribed' THEN NULL ELSE s.confirmed_at END,
  unsubscribed_at = CASE WHEN s.status = 'unsubscribed' THEN NULL ELSE s.unsubscribed_at END,
  last_confirmation_mail = CASE WHEN s.status = 'unsubscribed' THEN NULL ELSE s.last_confirmation_mail END,
  language = CASE WHEN s.status = 'confirmed' THEN s.language ELSE EXCLUDED.language END,
  source = CASE WHEN s.status = 'confirmed' THEN s.source ELSE EXCLUDED.source END
RETURNING id, status

-- name: subscription-claim-confirmation-mail
-- Takes the right to send a confirmation mail now: at most one per subscription per 10 minutes
-- (the row lock makes concurrent signups of one address agree on a single mail).
UPDATE subscriptions SET last_confirmation_mail = now()
WHERE id = $1 AND status = 'pending'
  AND (last_confirmation_mail IS NULL OR last_confirmation_mail < now() - interval '10 minutes')
RETURNING id

-- name: consent-event-signup
-- Ledger: the form was posted (IP per OPTIN_IP_MODE, user agent, page, consent text hash).
INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, ip,
                            user_agent, page_url, consent_text_sha256, channel, detail)
VALUES ($1, $2, $3, $4, 'signup_requested', $5::inet, nullif($6, ''), nullif($7, ''),
        nullif($8, ''), 'form', $9::jsonb)

-- name: confirmation-token-insert
-- A confirmation token (stored as its hash) valid for $3 seconds.
INSERT INTO confirmation_tokens (token_hash, subscription_id, expires_at)
VALUES ($1, $2, now() + make_interval(secs => $3))

-- name: mail-outbox-insert-confirmation
-- Queues a rendered confirmation mail; the mailer sends it.
INSERT INTO mail_outbox (kind, subscription_id, email_hash, recipient, message_id, message)
VALUES ('confirmation', $1, $2, $3, $4, $5)

-- name: confirmation-token-lookup
-- The subscription behind a confirmation token, locked for its state change.
SELECT t.subscription_id, t.expires_at < now() AS expired, t.used_at IS NOT NULL AS used,
       s.status, s.subscriber_id, u.email, u.email_hash, s.language,
       l.id, l.slug, l.name, l.language, coalesce(l.cleverreach_group_id, ''),
       l.require_consent_checkbox, l.consent_text, coalesce(l.thank_you_url, ''),
       coalesce(l.confirmed_url, '')
FROM confirmation_tokens t
JOIN subscriptions s ON s.id = t.subscription_id
JOIN subscribers u ON u.id = s.subscriber_id
JOIN lists l ON l.id = s.list_id
WHERE t.token_hash = $1
FOR UPDATE OF s

-- name: subscription-confirm
-- pending -> confirmed.
UPDATE subscriptions SET status = 'confirmed', confirmed_at = now()
WHERE id = $1 AND status = 'pending'

-- name: confirmation-tokens-use
-- Every open confirmation token of the subscription is spent.
UPDATE confirmation_tokens SET used_at = now() WHERE subscription_id = $1 AND used_at IS NULL

-- name: consent-event-confirmed
-- Ledger: the confirmation link was used (IP per OPTIN_IP_MODE, user agent).
INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, ip,
                            user_agent, channel)
VALUES ($1, $2, $3, $4, 'confirmed', $5::inet, nullif($6, ''), 'link')

-- name: sync-enqueue-upsert
-- CleverReach must learn a confirmed receiver (only for lists with a group).
INSERT INTO sync_outbox (action, subscription_id, email_hash)
SELECT 'upsert_receiver', $1, $2 FROM lists WHERE id = $3 AND cleverreach_group_id IS NOT NULL

-- name: subscription-for-unsubscribe
-- A subscription with its subscriber and list, locked for unsubscribing.
SELECT s.id, s.status, s.subscriber_id, u.email, u.email_hash, s.language,
       l.id, l.slug, l.name, l.language, coalesce(l.cleverreach_group_id, ''),
       l.require_consent_checkbox, l.consent_text, coalesce(l.thank_you_url, ''),
       coalesce(l.confirmed_url, '')
FROM subscriptions s
JOIN subscribers u ON u.id = s.subscriber_id
JOIN lists l ON l.id = s.list_id
WHERE s.id = $1
FOR UPDATE OF s

-- name: subscriber-by-email
-- The subscriber row of a normalised address, locked.
SELECT id, email_hash FROM subscribers WHERE email = $1 FOR UPDATE

-- name: confirmation-token-peek
-- What a confirmation link leads to, read-only (GET pages change nothing).
SELECT s.status <> 'confirmed' AND (t.expires_at < now() OR t.used_at IS NOT NULL OR s.status <> 'pending')
         AS expired,
       s.language, l.id, l.slug, l.name, l.language, coalesce(l.cleverreach_group_id, ''),
       l.require_consent_checkbox, l.consent_text, coalesce(l.thank_you_url, ''),
       coalesce(l.confirmed_url, '')
FROM confirmation_tokens t
JOIN subscriptions s ON s.id = t.subscription_id
JOIN lists l ON l.id = s.list_id
WHERE t.token_hash = $1

-- name: subscription-peek
-- The list and language of a subscription, read-only.
SELECT s.language, l.id, l.slug, l.name, l.language, coalesce(l.cleverreach_group_id, ''),
       l.require_consent_checkbox, l.consent_text, coalesce(l.thank_you_url, ''),
       coalesce(l.confirmed_url, '')
FROM subscriptions s JOIN lists l ON l.id = s.list_id
WHERE s.id = $1
