-- The signup transaction as one server-side function (one round trip instead of nine: BEGIN, seven
-- statements, COMMIT). Each statement sees the latest committed data (READ COMMITTED), and the
-- function runs atomically as the statement that calls it. Returns the outcome: 'suppressed',
-- 'restricted', 'already_confirmed', 'throttled' or 'mail_queued'. History: V006 (first version), V007 (the second
-- suppression look after the subscriber lock, against a racing unsubscribe; found by the soak
-- test); since issue 14 the live definition is this file alone.
--
-- The signature lost p_domain (the suppression rule finds the domain itself): the 16-argument
-- version of V006/V007 is dropped first, as CREATE OR REPLACE cannot change an argument list.
DROP FUNCTION IF EXISTS optin_signup(text, text, text, text, bigint, text, text, text, text, text,
                                     text, text, text, bigint, text, text);
CREATE OR REPLACE FUNCTION optin_signup(
  p_email text, p_email_hash text, p_name text, p_list_id bigint, p_language text,
  p_page_url text, p_ip text, p_user_agent text, p_consent_text_sha256 text, p_consent_text text,
  p_detail text, p_token_hash text, p_ttl_seconds bigint, p_message_id text, p_message text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_subscriber_id bigint;
  v_subscription_id bigint;
  v_status subscription_status;
  v_restricted boolean;
BEGIN
  -- A suppressed address is never written or mailed (sql/functions/10_suppression.sql).
  IF optin_suppressed(p_email, p_email_hash, p_list_id) THEN
    RETURN 'suppressed';
  END IF;

  -- A restricted address (Art. 18, 40_restriction.sql) is neither changed nor mailed: not even its
  -- name is filled in, and no subscription is started or resumed.
  INSERT INTO subscribers AS s (email, email_hash, name) VALUES (p_email, p_email_hash, nullif(p_name, ''))
  ON CONFLICT (email) DO UPDATE SET
    name = CASE WHEN s.restricted_at IS NOT NULL AND s.restriction_lifted_at IS NULL THEN s.name
                ELSE coalesce(s.name, EXCLUDED.name) END
  RETURNING id, restricted_at IS NOT NULL AND restriction_lifted_at IS NULL
  INTO v_subscriber_id, v_restricted;

  -- The subscriber row is now locked, and every unsubscribe, suppression or restriction of this
  -- address locks it first: look again, so one that committed after the first look is not undone.
  IF optin_suppressed(p_email, p_email_hash, p_list_id) THEN
    RETURN 'suppressed';
  END IF;
  IF v_restricted THEN
    RETURN 'restricted';
  END IF;

  -- new -> pending; unsubscribed (suppression lifted) -> a fresh pending double opt-in; pending
  -- stays pending; confirmed is never downgraded.
  INSERT INTO subscriptions AS s (subscriber_id, list_id, language, source)
  VALUES (v_subscriber_id, p_list_id, p_language, nullif(p_page_url, ''))
  ON CONFLICT (subscriber_id, list_id) DO UPDATE SET
    status = CASE WHEN s.status = 'unsubscribed' THEN 'pending'::subscription_status ELSE s.status END,
    signed_up_at = CASE WHEN s.status = 'unsubscribed' THEN now() ELSE s.signed_up_at END,
    confirmed_at = CASE WHEN s.status = 'unsubscribed' THEN NULL ELSE s.confirmed_at END,
    unsubscribed_at = CASE WHEN s.status = 'unsubscribed' THEN NULL ELSE s.unsubscribed_at END,
    last_confirmation_mail = CASE WHEN s.status = 'unsubscribed' THEN NULL ELSE s.last_confirmation_mail END,
    language = CASE WHEN s.status = 'confirmed' THEN s.language ELSE EXCLUDED.language END,
    source = CASE WHEN s.status = 'confirmed' THEN s.source ELSE EXCLUDED.source END
  RETURNING id, status INTO v_subscription_id, v_status;
  IF v_status = 'confirmed' THEN
    RETURN 'already_confirmed';
  END IF;

  IF p_consent_text <> '' THEN
    INSERT INTO consent_texts (sha256, text) VALUES (p_consent_text_sha256, p_consent_text)
    ON CONFLICT (sha256) DO NOTHING;
  END IF;
  INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, ip,
                              user_agent, page_url, consent_text_sha256, channel, detail)
  VALUES (v_subscriber_id, v_subscription_id, p_list_id, p_email_hash, 'signup_requested',
          nullif(p_ip, '')::inet, nullif(p_user_agent, ''), nullif(p_page_url, ''),
          nullif(p_consent_text_sha256, ''), 'form', p_detail::jsonb);

  -- The right to send a confirmation mail now: at most one per subscription per 10 minutes (the
  -- row lock makes concurrent signups of one address agree on a single mail).
  UPDATE subscriptions SET last_confirmation_mail = now()
  WHERE id = v_subscription_id AND status = 'pending'
    AND (last_confirmation_mail IS NULL OR last_confirmation_mail < now() - interval '10 minutes');
  IF NOT FOUND THEN
    RETURN 'throttled';
  END IF;
  INSERT INTO confirmation_tokens (token_hash, subscription_id, expires_at)
  VALUES (p_token_hash, v_subscription_id, now() + make_interval(secs => p_ttl_seconds));
  INSERT INTO mail_outbox (kind, subscription_id, email_hash, recipient, message_id, message)
  VALUES ('confirmation', v_subscription_id, p_email_hash, p_email, p_message_id, p_message);
  RETURN 'mail_queued';
END $$;
