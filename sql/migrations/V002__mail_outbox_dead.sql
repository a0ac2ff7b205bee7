-- Mails that the receiving server keeps rejecting permanently (5xx) stop being retried: after 5
-- failed attempts, the last of them permanent, a row gets dead_at and stays for an operator to
-- inspect (it is removed with its subscription).
ALTER TABLE mail_outbox ADD COLUMN dead_at timestamptz NULL;

DROP INDEX mail_outbox_due;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE dead_at IS NULL;
