-- A confirmation in one statement, like the signup (20_signup.sql): look-up of the token with its
-- subscription locked, the checks, the state change, spent tokens, the 'confirmed' ledger event
-- and the CleverReach upsert; one round trip instead of eight (BEGIN, six statements, COMMIT).
-- Returns the outcome (not_found, already_confirmed, expired, confirmed) with the subscription's
-- language and its list (NULLs when not found). First written as migration V009.
-- The confirmation page (GET, query confirmation-token-peek) predicts this outcome with the same
-- checks in the same order: keep the two in step.
CREATE OR REPLACE FUNCTION optin_confirm(p_token_hash text, p_ip text, p_user_agent text)
RETURNS TABLE (outcome text, language text, list_id bigint, list_slug text, list_name text,
               list_language text, list_group text, list_requires_checkbox boolean,
               list_consent_text text, list_thank_you_url text, list_confirmed_url text)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_outcome text;
BEGIN
  SELECT t.subscription_id, t.expires_at < now() AS expired, t.used_at IS NOT NULL AS used,
         s.status, s.subscriber_id, u.email, u.email_hash, s.language AS sub_language,
         l.id AS l_id, l.slug, l.name, l.language AS l_language,
         coalesce(l.cleverreach_group_id, '') AS l_group, l.require_consent_checkbox,
         l.consent_text, coalesce(l.thank_you_url, '') AS l_thanks,
         coalesce(l.confirmed_url, '') AS l_confirmed
  INTO r
  FROM confirmation_tokens t
  JOIN subscriptions s ON s.id = t.subscription_id
  JOIN subscribers u ON u.id = s.subscriber_id
  JOIN lists l ON l.id = s.list_id
  WHERE t.token_hash = p_token_hash
  FOR UPDATE OF s;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::bigint, NULL::text, NULL::text,
                        NULL::text, NULL::text, NULL::boolean, NULL::text, NULL::text, NULL::text;
    RETURN;
  END IF;

  IF r.status = 'confirmed' THEN
    -- A second click (or a second token of a confirmed subscription): spend what is left.
    UPDATE confirmation_tokens SET used_at = now()
    WHERE subscription_id = r.subscription_id AND used_at IS NULL;
    v_outcome := 'already_confirmed';
  ELSIF r.used OR r.expired OR r.status <> 'pending' THEN
    -- Also a restricted subscription (Art. 18): its link is dead until the restriction is lifted.
    v_outcome := 'expired';
  ELSIF optin_suppressed(r.email, r.email_hash, r.l_id) THEN
    -- Suppressed since the signup: the link is dead, nothing changes.
    v_outcome := 'expired';
  ELSE
    UPDATE subscriptions SET status = 'confirmed', confirmed_at = now()
    WHERE id = r.subscription_id AND status = 'pending';
    UPDATE confirmation_tokens SET used_at = now()
    WHERE subscription_id = r.subscription_id AND used_at IS NULL;
    INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, ip,
                                user_agent, channel)
    VALUES (r.subscriber_id, r.subscription_id, r.l_id, r.email_hash, 'confirmed',
            nullif(p_ip, '')::inet, nullif(p_user_agent, ''), 'link');
    IF r.l_group <> '' THEN
      INSERT INTO sync_outbox (action, subscription_id, email_hash)
      VALUES ('upsert_receiver', r.subscription_id, r.email_hash);
    END IF;
    v_outcome := 'confirmed';
  END IF;
  RETURN QUERY SELECT v_outcome, r.sub_language, r.l_id, r.slug, r.name, r.l_language, r.l_group,
                      r.require_consent_checkbox, r.consent_text, r.l_thanks, r.l_confirmed;
END $$;
