-- CleverReach sync bookkeeping: what the workers last achieved (shared by every optin process),
-- which unsubscribes made at CleverReach were already applied here (each exactly once), and
-- webhook deliveries waiting for the worker (no network calls on request threads).

CREATE TABLE sync_state (
  id               boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_success_at  timestamptz NULL,
  last_error_at    timestamptz NULL,
  last_error       text NULL,
  last_pull_at     timestamptz NULL
);
INSERT INTO sync_state DEFAULT VALUES;

CREATE TABLE cleverreach_pulled (
  group_id     text NOT NULL,
  email_hash   text NOT NULL,
  deactivated  bigint NOT NULL,  -- CleverReach's unsubscribe time (unix s)
  applied_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, email_hash, deactivated)
);

CREATE TABLE cleverreach_inbox (
  id           bigserial PRIMARY KEY,
  event        text NOT NULL,
  group_id     text NOT NULL,
  pool_id      text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  attempts     integer NOT NULL DEFAULT 0
);

CREATE TRIGGER cleverreach_inbox_notify AFTER INSERT ON cleverreach_inbox
  FOR EACH STATEMENT EXECUTE FUNCTION notify_sync_outbox();
