-- A NOTIFY makes PostgreSQL serialise the commits of all notifying transactions (a database-wide
-- lock held through the WAL flush), so a NOTIFY per signup capped signups at one fsync each
-- (~300/s here instead of thousands with group commit). The workers drain their outbox until it
-- is empty before they sleep again, so a wake-up is only needed when no older due row is waiting:
-- then the worker may be asleep. In the narrow race where the worker's last, empty claim misses
-- this transaction's commit, the worker's poll interval (≤ 500 ms) picks the row up. An INSERT
-- that inserted nothing (a confirm on a list without a CleverReach group) wakes no one. New
-- functions: notify_sync_outbox() stays as it is for the webhook inbox's trigger (V004).
CREATE FUNCTION notify_mail_outbox_when_idle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted) AND NOT EXISTS (SELECT 1 FROM mail_outbox o
                 WHERE o.dead_at IS NULL AND o.next_attempt_at <= now()
                   AND o.id < (SELECT min(id) FROM inserted)) THEN
    PERFORM pg_notify('optin_mail', '');
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER mail_outbox_notify ON mail_outbox;
CREATE TRIGGER mail_outbox_notify AFTER INSERT ON mail_outbox REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION notify_mail_outbox_when_idle();

CREATE FUNCTION notify_sync_outbox_when_idle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted) AND NOT EXISTS (SELECT 1 FROM sync_outbox o
                 WHERE o.dead_at IS NULL AND o.next_attempt_at <= now()
                   AND o.id < (SELECT min(id) FROM inserted)) THEN
    PERFORM pg_notify('optin_sync', '');
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER sync_outbox_notify ON sync_outbox;
CREATE TRIGGER sync_outbox_notify AFTER INSERT ON sync_outbox REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION notify_sync_outbox_when_idle();
