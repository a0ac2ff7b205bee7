-- name: subscription-confirm-all
-- A confirmation in one statement (optin_confirm, sql/functions/30_confirm.sql): outcome, language
-- and list.
SELECT * FROM optin_confirm($1, $2, $3)

-- name: subscription-signup
-- A signup in one statement (optin_signup, sql/functions/20_signup.sql): suppression check,
-- subscriber and subscription upserts, consent event, mail claim, token and queued mail. Returns
-- the outcome.
SELECT optin_signup($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)

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
-- The subscriber row of a normalised address, locked against the other writers of the address.
-- FOR NO KEY UPDATE, not FOR UPDATE: it still serialises them (and signup's ON CONFLICT DO UPDATE)
-- but lets a concurrent foreign-key check pass (the mailer recording "confirmation_mail_sent"
-- while it holds a mail row this transaction may wait for), which FOR UPDATE turned into a deadlock.
SELECT id, email_hash FROM subscribers WHERE email = $1 FOR NO KEY UPDATE

-- name: confirmation-token-peek
-- What a confirmation link leads to, read-only (GET pages change nothing): the decision
-- optin_confirm takes (sql/functions/30_confirm.sql), so the page shows what the POST answers.
SELECT decision, language, list_id, list_slug, list_name, list_language, list_group,
       list_requires_checkbox, list_consent_text, list_thank_you_url, list_confirmed_url
FROM optin_confirmation_decision($1)

-- name: subscription-peek
-- The list and language of a subscription, read-only.
SELECT s.language, l.id, l.slug, l.name, l.language, coalesce(l.cleverreach_group_id, ''),
       l.require_consent_checkbox, l.consent_text, coalesce(l.thank_you_url, ''),
       coalesce(l.confirmed_url, '')
FROM subscriptions s JOIN lists l ON l.id = s.list_id
WHERE s.id = $1

-- name: subscriber-lock-for-subscription
-- Locks the subscriber of a subscription before it is unsubscribed: signups lock the same row,
-- so the two never interleave (see V007). FOR NO KEY UPDATE as in subscriber-by-email.
SELECT u.id FROM subscribers u JOIN subscriptions s ON s.subscriber_id = u.id
WHERE s.id = $1 FOR NO KEY UPDATE OF u
