-- name: import-classify
-- Sorts a batch of import rows (arrays: hash, list id, consented_at, address) before anything is
-- written: invalid (consent in the future), suppressed (optin_suppressed, a restricted address,
-- or an unsubscribe after the imported consent), already_subscribed (confirmed, or
-- repeated within the batch) or ok. One row per input position (1-based), in order.
SELECT x.i,
       CASE
         WHEN x.consented_at > now() THEN 'invalid'
         WHEN optin_suppressed(x.email, x.email_hash, x.list_id)
           THEN 'suppressed'
         -- a restricted address (Art. 18) is not processed: skipped like a suppressed one
         WHEN u.restricted_at IS NOT NULL AND u.restriction_lifted_at IS NULL THEN 'suppressed'
         WHEN s.status = 'confirmed'
           OR row_number() OVER (PARTITION BY x.email_hash, x.list_id ORDER BY x.i) > 1
           THEN 'already_subscribed'
         WHEN s.status = 'unsubscribed' AND s.unsubscribed_at >= x.consented_at THEN 'suppressed'
         ELSE 'ok'
       END
FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[])
       WITH ORDINALITY AS x(email_hash, list_id, consented_at, email, i)
LEFT JOIN subscribers u ON u.email_hash = x.email_hash
LEFT JOIN subscriptions s ON s.subscriber_id = u.id AND s.list_id = x.list_id
ORDER BY x.i

-- name: import-subscribers
-- The subscriber rows of a batch's accepted rows (arrays: email, hash, name); a name is only
-- filled in where none was stored.
INSERT INTO subscribers AS s (email, email_hash, name)
SELECT DISTINCT ON (x.email) x.email, x.email_hash, nullif(x.name, '')
FROM unnest($1::text[], $2::text[], $3::text[]) AS x(email, email_hash, name)
ORDER BY x.email, x.name = ''
ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name
WHERE s.name IS NULL AND EXCLUDED.name IS NOT NULL

-- name: import-subscriptions
-- Confirmed subscriptions for a batch's accepted rows (arrays: hash, list id, consented_at,
-- source, position), signed up and confirmed at consented_at; a pending or ended one becomes
-- confirmed, a confirmed one is kept. Spends open confirmation tokens, writes an 'imported'
-- event each and a CleverReach upsert for lists with a group. Returns the imported positions.
WITH input AS (
  SELECT x.i, x.email_hash, x.list_id, x.consented_at, x.source, u.id AS subscriber_id
  FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::int[])
         AS x(email_hash, list_id, consented_at, source, i)
  JOIN subscribers u ON u.email_hash = x.email_hash
  WHERE u.restricted_at IS NULL OR u.restriction_lifted_at IS NOT NULL  -- never a restricted one
), up AS (
  INSERT INTO subscriptions AS s (subscriber_id, list_id, status, language, source, signed_up_at,
                                  confirmed_at)
  SELECT i.subscriber_id, i.list_id, 'confirmed', l.language, nullif(i.source, ''), i.consented_at,
         i.consented_at
  FROM input i JOIN lists l ON l.id = i.list_id
  ON CONFLICT (subscriber_id, list_id) DO UPDATE SET
    status = 'confirmed', signed_up_at = EXCLUDED.signed_up_at, confirmed_at = EXCLUDED.confirmed_at,
    unsubscribed_at = NULL, last_confirmation_mail = NULL, source = EXCLUDED.source
  WHERE s.status NOT IN ('confirmed', 'restricted')
  RETURNING s.id, s.subscriber_id, s.list_id
), done AS (
  SELECT up.id, up.subscriber_id, up.list_id, i.email_hash, i.consented_at, i.source, i.i
  FROM up JOIN input i ON i.subscriber_id = up.subscriber_id AND i.list_id = up.list_id
), tokens AS (
  UPDATE confirmation_tokens t SET used_at = now()
  FROM done WHERE t.subscription_id = done.id AND t.used_at IS NULL
), events AS (
  INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, channel,
                              detail)
  SELECT d.subscriber_id, d.id, d.list_id, d.email_hash, 'imported', 'import',
         jsonb_build_object('source', d.source,
                            'consented_at', to_char(d.consented_at AT TIME ZONE 'UTC',
                                                    'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
  FROM done d
), sync AS (
  INSERT INTO sync_outbox (action, subscription_id, email_hash)
  SELECT 'upsert_receiver', d.id, d.email_hash
  FROM done d JOIN lists l ON l.id = d.list_id
  WHERE l.cleverreach_group_id IS NOT NULL
)
SELECT i FROM done
