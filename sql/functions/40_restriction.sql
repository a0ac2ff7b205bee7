-- Restriction of processing (Art. 18; migration V086): one statement each to restrict an address
-- and to lift it, so the state change, its ledger events and the CleverReach outbox rows commit
-- together. The subscriber row is locked first (FOR NO KEY UPDATE, as every writer of an address
-- does), then its subscriptions.
--
-- optin_restrict: pending and confirmed subscriptions become 'restricted' (remembering their
-- status); each gets a 'restricted' event (channel p_channel), each confirmed one with a synced
-- group a deactivate_receiver row. The address stays restricted (signups, confirmations, imports
-- and mails are refused: 20_signup.sql, 30_confirm.sql, import.sql, mail_outbox.sql) until lifted.
-- Returns the subscriptions paused, or -1 when the address has no subscriber row. Idempotent.
CREATE OR REPLACE FUNCTION optin_restrict(p_email_hash text, p_channel text, p_detail text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_subscriber subscribers%ROWTYPE;
  v_count integer;
BEGIN
  SELECT * INTO v_subscriber FROM subscribers WHERE email_hash = p_email_hash FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN -1;
  END IF;
  IF v_subscriber.restricted_at IS NULL OR v_subscriber.restriction_lifted_at IS NOT NULL THEN
    UPDATE subscribers SET restricted_at = now(), restriction_lifted_at = NULL
    WHERE id = v_subscriber.id;
  END IF;
  WITH old AS (
    SELECT s.id, s.status, s.list_id FROM subscriptions s
    WHERE s.subscriber_id = v_subscriber.id AND s.status IN ('pending', 'confirmed')
    FOR UPDATE
  ), paused AS (
    UPDATE subscriptions s SET status = 'restricted', restricted_from = old.status
    FROM old WHERE s.id = old.id
    RETURNING s.id, s.list_id, old.status AS old_status
  ), events AS (
    INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, channel,
                                detail)
    SELECT v_subscriber.id, p.id, p.list_id, p_email_hash, 'restricted', p_channel,
           p_detail::jsonb || jsonb_build_object('previous_status', p.old_status)
    FROM paused p
  ), sync AS (
    INSERT INTO sync_outbox (action, subscription_id, group_id, email, email_hash)
    SELECT 'deactivate_receiver', p.id, l.cleverreach_group_id, v_subscriber.email, p_email_hash
    FROM paused p JOIN lists l ON l.id = p.list_id
    WHERE p.old_status = 'confirmed' AND l.cleverreach_group_id IS NOT NULL
  )
  SELECT count(*) INTO v_count FROM paused;
  IF v_count = 0 THEN
    -- Nothing live to pause: the address-wide restriction is the record.
    INSERT INTO consent_events (subscriber_id, email_hash, kind, channel, detail)
    VALUES (v_subscriber.id, p_email_hash, 'restricted', p_channel, p_detail::jsonb);
  END IF;
  RETURN v_count;
END $$;

-- optin_lift_restriction: every 'restricted' subscription returns to the status it had; each gets
-- a 'restriction_lifted' event, and each confirmed one with a synced group an activate_receiver
-- row followed by an upsert_receiver row (a receiver deactivated with a time is only revived by
-- the activate call). Returns the subscriptions resumed, -1 when the address is not restricted.
CREATE OR REPLACE FUNCTION optin_lift_restriction(p_email_hash text, p_channel text, p_detail text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_subscriber subscribers%ROWTYPE;
  v_ids bigint[];
BEGIN
  SELECT * INTO v_subscriber FROM subscribers WHERE email_hash = p_email_hash FOR NO KEY UPDATE;
  IF NOT FOUND OR v_subscriber.restricted_at IS NULL
     OR v_subscriber.restriction_lifted_at IS NOT NULL THEN
    RETURN -1;
  END IF;
  UPDATE subscribers SET restriction_lifted_at = now() WHERE id = v_subscriber.id;
  WITH old AS (
    SELECT s.id FROM subscriptions s
    WHERE s.subscriber_id = v_subscriber.id AND s.status = 'restricted'
    FOR UPDATE
  ), resumed AS (
    UPDATE subscriptions s SET status = coalesce(s.restricted_from, 'pending'), restricted_from = NULL
    FROM old WHERE s.id = old.id
    RETURNING s.id, s.list_id, s.status
  ), events AS (
    INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, channel,
                                detail)
    SELECT v_subscriber.id, r.id, r.list_id, p_email_hash, 'restriction_lifted', p_channel,
           p_detail::jsonb || jsonb_build_object('status', r.status)
    FROM resumed r
  )
  SELECT coalesce(array_agg(r.id ORDER BY r.id), '{}') INTO v_ids FROM resumed r;
  IF cardinality(v_ids) = 0 THEN
    INSERT INTO consent_events (subscriber_id, email_hash, kind, channel, detail)
    VALUES (v_subscriber.id, p_email_hash, 'restriction_lifted', p_channel, p_detail::jsonb);
  END IF;
  INSERT INTO sync_outbox (action, subscription_id, group_id, email, email_hash)
  SELECT 'activate_receiver', s.id, l.cleverreach_group_id, v_subscriber.email, p_email_hash
  FROM subscriptions s JOIN lists l ON l.id = s.list_id
  WHERE s.id = ANY (v_ids) AND s.status = 'confirmed' AND l.cleverreach_group_id IS NOT NULL
  ORDER BY s.id;
  INSERT INTO sync_outbox (action, subscription_id, email_hash)
  SELECT 'upsert_receiver', s.id, p_email_hash
  FROM subscriptions s JOIN lists l ON l.id = s.list_id
  WHERE s.id = ANY (v_ids) AND s.status = 'confirmed' AND l.cleverreach_group_id IS NOT NULL
  ORDER BY s.id;
  RETURN cardinality(v_ids);
END $$;

-- Whether a deactivation CleverReach reports for an address (at unix time p_deactivated) is the
-- one a restriction caused — during it, or before its lift revived the receiver — rather than an
-- unsubscribe made at CleverReach. A minute of slack for the two clocks.
CREATE OR REPLACE FUNCTION optin_restriction_explains(p_email_hash text, p_deactivated bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM subscribers u
                 WHERE u.email_hash = p_email_hash AND u.restricted_at IS NOT NULL
                   AND to_timestamp(p_deactivated) >= u.restricted_at - interval '1 minute'
                   AND (u.restriction_lifted_at IS NULL
                        OR to_timestamp(p_deactivated) <= u.restriction_lifted_at))
$$;
