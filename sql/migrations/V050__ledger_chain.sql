-- The consent ledger becomes tamper-evident (issue 15): every event holds `prev_sha256`, the
-- SHA-256 of the previous event of the same address (email_hash; the first one chains to the
-- per-database anchor in ledger_anchor), and its own `sha256` over its canonical serialisation,
-- consent_event_canonical(): the row as PostgreSQL's jsonb text without `id` and `sha256`,
-- null-valued keys dropped, timestamps in UTC. Both are set by a trigger, so every writer is
-- covered without touching it; `optin verify-ledger` recomputes the chains.
--
-- Lawful deletions (retention, erasure) say so with SET LOCAL optin.ledger_removal = 'retention'
-- or 'erasure'; a statement trigger then appends one hash-only `ledger_removed` tombstone per
-- address listing the SHA-256 of every removed event, so a verifier can tell a lawful deletion
-- from tampering (an erasure's tombstone is its `erased` event, CONTRACT §7 §5). A DELETE without that setting gets a tombstone with reason 'unexplained',
-- which verify-ledger reports as broken.
--
-- New columns of consent_events enter the hash on their own; they must be nullable without a
-- default (a NULL drops out of the serialisation, so older events still verify).

ALTER TYPE consent_event_kind ADD VALUE IF NOT EXISTS 'ledger_removed';

CREATE TABLE ledger_anchor (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  anchor    text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ledger_anchor (anchor)
VALUES (encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text ||
                                 clock_timestamp()::text, 'UTF8')), 'hex'));
CREATE FUNCTION ledger_anchor_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_anchor is fixed';
END $$;
CREATE TRIGGER ledger_anchor_no_change BEFORE UPDATE OR DELETE ON ledger_anchor
  FOR EACH ROW EXECUTE FUNCTION ledger_anchor_fixed();

ALTER TABLE consent_events ADD COLUMN prev_sha256 text NULL, ADD COLUMN sha256 text NULL,
  ADD COLUMN actor text NULL;  -- the admin whose request caused the event (NULL otherwise)

-- The last event of each address, as SHA-256 (after a removal it may name a removed event: the
-- tombstone that follows lists it). Its row lock serialises the writers of one address. UNLOGGED:
-- no WAL for a row every signup writes; after a crash (or on a promoted replica) it is empty and
-- the trigger falls back to the address's last event in consent_events. Hashes only.
CREATE UNLOGGED TABLE ledger_heads (
  email_hash   text PRIMARY KEY,
  head_sha256  text NOT NULL
);

-- The chain's order within an address is the id order; the look-up of an address's last event.
CREATE INDEX consent_events_chain ON consent_events (email_hash, id);
DROP INDEX consent_events_email_hash;

CREATE FUNCTION consent_event_canonical(e consent_events) RETURNS text
LANGUAGE sql STABLE SET timezone = 'UTC' AS $$
  SELECT jsonb_strip_nulls(to_jsonb(e) - 'id' - 'sha256')::text
$$;

CREATE FUNCTION consent_event_sha256(e consent_events) RETURNS text
LANGUAGE sql STABLE SET timezone = 'UTC' AS $$
  SELECT encode(sha256(convert_to(consent_event_canonical(e), 'UTF8')), 'hex')
$$;

-- BEFORE INSERT: serialises the writers of one address (the lock on its ledger_heads row), takes
-- the id only then (so id order is chain order even between concurrent transactions) and links
-- the event to the address's last one. An address's first event costs an index probe and one
-- INSERT of its head row (a signup's usual case); a later one a locking read and one UPDATE.
CREATE FUNCTION consent_events_chain() RETURNS trigger
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
  v_prev text;
BEGIN
  IF NEW.actor IS NULL THEN
    NEW.actor := nullif(current_setting('optin.actor', true), '');
  END IF;
  LOOP
    -- The head row's lock serialises the writers of one address until commit (a row lock, so a
    -- bulk import does not fill the shared lock table as advisory locks would).
    SELECT h.head_sha256 INTO v_prev FROM ledger_heads h WHERE h.email_hash = NEW.email_hash
    FOR UPDATE;
    IF FOUND THEN
      NEW.prev_sha256 := v_prev;
      -- Inline consent_event_sha256(NEW) (same text; a function with a SET clause per row is slow).
      NEW.sha256 := encode(sha256(convert_to(
          jsonb_strip_nulls(to_jsonb(NEW) - 'id' - 'sha256')::text, 'UTF8')), 'hex');
      UPDATE ledger_heads SET head_sha256 = NEW.sha256 WHERE email_hash = NEW.email_hash;
      EXIT;
    END IF;
    -- No head row: the address's first event, or the first since a crash emptied ledger_heads.
    -- Chain to the address's last event, else to the anchor. A concurrent writer of the same
    -- address makes the INSERT below wait for it and do nothing: then go round and chain to it.
    SELECT e.sha256 INTO v_prev FROM consent_events e WHERE e.email_hash = NEW.email_hash
    ORDER BY e.id DESC LIMIT 1;
    IF v_prev IS NULL THEN
      SELECT a.anchor INTO v_prev FROM ledger_anchor a;
    END IF;
    NEW.prev_sha256 := v_prev;
    NEW.sha256 := encode(sha256(convert_to(
        jsonb_strip_nulls(to_jsonb(NEW) - 'id' - 'sha256')::text, 'UTF8')), 'hex');
    INSERT INTO ledger_heads (email_hash, head_sha256) VALUES (NEW.email_hash, NEW.sha256)
    ON CONFLICT (email_hash) DO NOTHING;
    EXIT WHEN FOUND;
  END LOOP;
  NEW.id := nextval('consent_events_id_seq');  -- the sha256 does not cover the id
  RETURN NEW;
END $$;

-- AFTER DELETE (statement): one tombstone per address whose events went. A chain of nothing but
-- tombstones that retention removes as a whole leaves none (nothing is left to verify). An erasure
-- (reason 'erasure') leaves none either: its one hash-only `erased` event, written by the erasure
-- itself, lists the removed events' hashes in detail->'removed_sha256' the same way.
CREATE FUNCTION consent_events_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g record;
  v_reason text := coalesce(nullif(current_setting('optin.ledger_removal', true), ''), 'unexplained');
BEGIN
  FOR g IN
    SELECT o.email_hash, count(*) AS n, bool_and(o.kind::text IN ('ledger_removed', 'erased')) AS only_tombstones,
           jsonb_agg(o.sha256 ORDER BY o.id) AS shas
    FROM gone o GROUP BY o.email_hash ORDER BY o.email_hash
  LOOP
    -- An erasure writes its own hash-only `erased` event listing what went (storage/erasure_ops).
    IF v_reason = 'erasure' THEN
      CONTINUE;
    END IF;
    IF g.only_tombstones AND v_reason = 'retention'
       AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.email_hash = g.email_hash) THEN
      -- Nothing of the address is left: a later event starts a fresh chain at the anchor.
      DELETE FROM ledger_heads WHERE email_hash = g.email_hash;
      CONTINUE;
    END IF;
    INSERT INTO consent_events (email_hash, kind, channel, detail)
    VALUES (g.email_hash, 'ledger_removed', v_reason,
            jsonb_build_object('reason', v_reason, 'removed', g.n, 'removed_sha256', g.shas));
  END LOOP;
  RETURN NULL;
END $$;

-- Existing events are chained once, in id order per address (the append-only trigger is off for
-- this one UPDATE).
ALTER TABLE consent_events DISABLE TRIGGER consent_events_no_update;
DO $$
DECLARE
  r record;
  v_anchor text := (SELECT anchor FROM ledger_anchor);
  v_hash text := NULL;
  v_prev text;
  v_row consent_events;
BEGIN
  FOR r IN SELECT id, email_hash FROM consent_events ORDER BY email_hash, id LOOP
    IF v_hash IS DISTINCT FROM r.email_hash THEN
      v_hash := r.email_hash;
      v_prev := v_anchor;
    END IF;
    SELECT * INTO v_row FROM consent_events WHERE id = r.id;
    v_row.prev_sha256 := v_prev;
    v_row.sha256 := NULL;
    v_prev := consent_event_sha256(v_row);
    UPDATE consent_events SET prev_sha256 = v_row.prev_sha256, sha256 = v_prev WHERE id = r.id;
    INSERT INTO ledger_heads (email_hash, head_sha256) VALUES (r.email_hash, v_prev)
    ON CONFLICT (email_hash) DO UPDATE SET head_sha256 = EXCLUDED.head_sha256;
  END LOOP;
END $$;
ALTER TABLE consent_events ENABLE TRIGGER consent_events_no_update;

ALTER TABLE consent_events ALTER COLUMN prev_sha256 SET NOT NULL, ALTER COLUMN sha256 SET NOT NULL;

CREATE TRIGGER consent_events_chain BEFORE INSERT ON consent_events
  FOR EACH ROW EXECUTE FUNCTION consent_events_chain();
CREATE TRIGGER consent_events_removed AFTER DELETE ON consent_events
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION consent_events_removed();
