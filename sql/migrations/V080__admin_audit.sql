-- The admin audit trail (issue 15): one row per admin request that changed something (or was
-- carried out and found nothing to change), written in the transaction of the change itself.
-- Append-only like the ledger: UPDATE, DELETE and TRUNCATE are refused. It holds no address,
-- only the SHA-256 of a normalised address as `target`, and is kept without time limit.
CREATE TABLE admin_audit (
  id           bigserial PRIMARY KEY,
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  admin        text NOT NULL CHECK (admin ~ '^[a-z0-9_.-]{1,64}$'),
  action       text NOT NULL CHECK (action ~ '^[a-z_.]{1,64}$'),
  target       text NOT NULL DEFAULT '',
  outcome      text NOT NULL CHECK (outcome IN ('ok', 'unchanged', 'failed')),
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE FUNCTION admin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_audit is append-only';
END $$;
CREATE TRIGGER admin_audit_no_change BEFORE UPDATE OR DELETE ON admin_audit
  FOR EACH ROW EXECUTE FUNCTION admin_audit_append_only();
CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
  FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_append_only();
