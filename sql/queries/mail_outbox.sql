-- name: claim-due-mail
-- Locks the oldest due mail (skipping rows other senders hold) and deletes it at once, reporting blocked = true, when it is a confirmation mail that must not go out: recipient suppressed (optin_suppressed: sql/functions/10_suppression.sql), or subscription no longer pending (unsubscribed, confirmed, or restricted: sql/functions/40_restriction.sql).
WITH next AS (
  SELECT o.id, o.kind, o.subscription_id, o.email_hash, o.recipient, o.message_id, o.message,
         o.attempts,
         o.kind = 'confirmation' AND (
           s.id IS NULL
           OR s.status <> 'pending'
           OR optin_suppressed(o.recipient, o.email_hash, s.list_id)
         ) AS blocked
  FROM mail_outbox o
  LEFT JOIN subscriptions s ON s.id = o.subscription_id
  WHERE o.dead_at IS NULL AND o.next_attempt_at <= now()
  ORDER BY o.next_attempt_at, o.id
  LIMIT 1
  FOR UPDATE OF o SKIP LOCKED
), dropped AS (
  DELETE FROM mail_outbox WHERE id IN (SELECT id FROM next WHERE blocked) RETURNING id
)
SELECT id, kind, subscription_id, email_hash, recipient, message_id, message, attempts, blocked,
       -- A confirmation mail's token hashes: what the dossier's redacted copy replaces (V051).
       CASE WHEN kind = 'confirmation' THEN
         (SELECT string_agg(t.token_hash, ',') FROM confirmation_tokens t
          WHERE t.subscription_id = next.subscription_id) END AS token_hashes
FROM next

-- name: mark-mail-sent
-- Deletes a sent mail; for a confirmation mail also records the consent event (Message-ID, SHA-256 of the mail as sent, $2; the mail with its token redacted, $3, and that form's SHA-256, $4, both may be NULL) and the subscription's last_confirmation_mail.
WITH gone AS (
  DELETE FROM mail_outbox WHERE id = $1 RETURNING kind, subscription_id, email_hash, message_id
), sub AS (
  UPDATE subscriptions s SET last_confirmation_mail = now()
  FROM gone
  WHERE gone.kind = 'confirmation' AND s.id = gone.subscription_id
  RETURNING s.id, s.subscriber_id, s.list_id, gone.email_hash, gone.message_id
)
INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, channel,
                            message_id, mail_sha256, mail_redacted, mail_redacted_sha256)
SELECT subscriber_id, id, list_id, email_hash, 'confirmation_mail_sent'::consent_event_kind, 'mail',
       message_id, $2::text, $3::text, $4::text
FROM sub

-- name: mark-mail-failed
-- Records a failed attempt: attempts + 1, a short error ($2), the next try after $3 milliseconds; dead when $4 is true.
UPDATE mail_outbox
SET attempts = attempts + 1,
    last_error = left($2::text, 500),
    next_attempt_at = now() + $3::double precision * interval '1 millisecond',
    dead_at = CASE WHEN $4::boolean THEN now() END
WHERE id = $1

-- name: count-mail-outbox
-- Mails waiting (due or not) and dead ones, for metrics.
SELECT count(*) FILTER (WHERE dead_at IS NULL) AS waiting,
       count(*) FILTER (WHERE dead_at IS NOT NULL) AS dead
FROM mail_outbox
