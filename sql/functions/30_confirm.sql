-- A confirmation in one statement, like the signup (20_signup.sql): look-up of the token with its
-- subscription locked, the checks, the state change, spent tokens, the 'confirmed' ledger event
-- and the CleverReach upsert; one round trip instead of eight (BEGIN, six statements, COMMIT).
-- Returns the outcome (not_found, already_confirmed, expired, suppressed, confirmed) with the
-- subscription's language and its list (NULLs when not found). First written as migration V009.
--
-- The decision is written once, in optin_confirmation_decision: optin_confirm takes it with the
-- subscription locked, and the confirmation page (GET, query confirmation-token-peek) reads it
-- without changing anything, so the page always shows what the POST would answer.

-- What presenting `p_token_hash` leads to now: not_found, already_confirmed (its subscription is
-- confirmed), expired (spent, out of date, or no longer pending), suppressed (the address or its
-- domain was suppressed since the signup), confirmable. Read-only.
CREATE OR REPLACE FUNCTION optin_confirmation_decision(p_token_hash text)
RETURNS TABLE (decision text, subscription_id bigint, subscriber_id bigint, email_hash text,
               language text, list_id bigint, list_slug text, list_name text,
               list_language text, list_group text, list_requires_checkbox boolean,
               list_consent_text text, list_thank_you_url text, list_confirmed_url text)
LANGUAGE sql STABLE AS $$
  SELECT CASE
           WHEN s.status = 'confirmed' THEN 'already_confirmed'
           -- not pending: also a restricted subscription (Art. 18), whose link stays dead
           WHEN t.used_at IS NOT NULL OR t.expires_at < now() OR s.status <> 'pending'
             THEN 'expired'
           WHEN optin_suppressed(u.email, u.email_hash, s.list_id) THEN 'suppressed'
           ELSE 'confirmable'
         END,
         s.id, u.id, u.email_hash, s.language, l.id, l.slug, l.name, l.language,
         coalesce(l.cleverreach_group_id, ''), l.require_consent_checkbox, l.consent_text,
         coalesce(l.thank_you_url, ''), coalesce(l.confirmed_url, '')
  FROM confirmation_tokens t
  JOIN subscriptions s ON s.id = t.subscription_id
  JOIN subscribers u ON u.id = s.subscriber_id
  JOIN lists l ON l.id = s.list_id
  WHERE t.token_hash = p_token_hash
$$;

CREATE OR REPLACE FUNCTION optin_confirm(p_token_hash text, p_ip text, p_user_agent text)
RETURNS TABLE (outcome text, language text, list_id bigint, list_slug text, list_name text,
               list_language text, list_group text, list_requires_checkbox boolean,
               list_consent_text text, list_thank_you_url text, list_confirmed_url text)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_outcome text;
BEGIN
  -- Lock the subscription first; the decision below (a new statement) then sees its latest state.
  PERFORM 1
  FROM confirmation_tokens t JOIN subscriptions s ON s.id = t.subscription_id
  WHERE t.token_hash = p_token_hash
  FOR UPDATE OF s;
  SELECT * INTO r FROM optin_confirmation_decision(p_token_hash) d;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::bigint, NULL::text, NULL::text,
                        NULL::text, NULL::text, NULL::boolean, NULL::text, NULL::text, NULL::text;
    RETURN;
  END IF;

  IF r.decision = 'already_confirmed' THEN
    -- A second click (or a second token of a confirmed subscription): spend what is left.
    UPDATE confirmation_tokens SET used_at = now()
    WHERE confirmation_tokens.subscription_id = r.subscription_id AND used_at IS NULL;
    v_outcome := 'already_confirmed';
  ELSIF r.decision = 'confirmable' THEN
    UPDATE subscriptions SET status = 'confirmed', confirmed_at = now()
    WHERE id = r.subscription_id AND status = 'pending';
    UPDATE confirmation_tokens SET used_at = now()
    WHERE confirmation_tokens.subscription_id = r.subscription_id AND used_at IS NULL;
    INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, ip,
                                user_agent, channel)
    VALUES (r.subscriber_id, r.subscription_id, r.list_id, r.email_hash, 'confirmed',
            nullif(p_ip, '')::inet, nullif(p_user_agent, ''), 'link');
    IF r.list_group <> '' THEN
      INSERT INTO sync_outbox (action, subscription_id, email_hash)
      VALUES ('upsert_receiver', r.subscription_id, r.email_hash);
    END IF;
    v_outcome := 'confirmed';
  ELSE
    -- expired or suppressed: the link is dead, nothing changes.
    v_outcome := r.decision;
  END IF;
  RETURN QUERY SELECT v_outcome, r.language, r.list_id, r.list_slug, r.list_name, r.list_language,
                      r.list_group, r.list_requires_checkbox, r.list_consent_text,
                      r.list_thank_you_url, r.list_confirmed_url;
END $$;
