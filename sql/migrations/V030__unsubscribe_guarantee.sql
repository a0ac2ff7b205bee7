-- The unsubscribe guarantee (issue 12): what the sync needs to prove that every withdrawal reaches
-- CleverReach in time, to act on domain blocks and bounces, and to keep nothing in clear while
-- the sync is off.

-- An erasure leaves one hash-only ledger event (no address, no IP), kept as long as the
-- suppression entry it explains. (ADD VALUE runs in a transaction since PostgreSQL 12; the value
-- is only used by later transactions.)
ALTER TYPE consent_event_kind ADD VALUE IF NOT EXISTS 'erased';

-- Whether the optin processes run the CleverReach sync (written by `serve` and `sync` at start).
-- While false, no outbox row that holds an address is queued (see the trigger below);
-- reconciliation brings CleverReach up to date when the sync is turned on again.
ALTER TABLE sync_state ADD COLUMN enabled boolean NOT NULL DEFAULT true,
                       ADD COLUMN last_reconcile_at timestamptz NULL;

CREATE FUNCTION sync_outbox_only_when_enabled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.email IS NOT NULL AND NOT (SELECT enabled FROM sync_state) THEN
    RETURN NULL;  -- nothing would ever drain it: do not keep the address
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER sync_outbox_address_only_when_enabled BEFORE INSERT ON sync_outbox
  FOR EACH ROW WHEN (NEW.email IS NOT NULL) EXECUTE FUNCTION sync_outbox_only_when_enabled();

-- Withdrawals are never dead letters (CONTRACT §6): the age of the oldest one is the number the
-- 48-hour rule is measured by.
CREATE INDEX sync_outbox_withdrawal_age ON sync_outbox (occurred_at)
  WHERE action IN ('deactivate_receiver', 'blacklist_add', 'delete_receiver');

-- Bounces and complaints pulled from CleverReach, each applied once (across processes): `key` is
-- the group's bounce ("group:<gid>") or the account bounce ("account:<type>:<last_update>").
CREATE TABLE cleverreach_bounces (
  email_hash  text NOT NULL,
  key         text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (email_hash, key)
);
