-- name: outbox-gauges
-- Mail and sync outbox depth, dead letters and the age of the oldest waiting row, in one cheap round trip for GET /metrics.
SELECT
  (SELECT count(*) FROM mail_outbox WHERE dead_at IS NULL) AS mail_waiting,
  (SELECT count(*) FROM mail_outbox WHERE dead_at IS NOT NULL) AS mail_dead,
  (SELECT coalesce(extract(epoch FROM now() - min(next_attempt_at)), 0)::double precision
   FROM mail_outbox WHERE dead_at IS NULL AND next_attempt_at <= now()) AS mail_oldest_due_seconds,
  (SELECT count(*) FROM sync_outbox WHERE dead_at IS NULL) AS sync_waiting,
  (SELECT count(*) FROM sync_outbox WHERE dead_at IS NOT NULL) AS sync_dead,
  (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::double precision
   FROM sync_outbox WHERE dead_at IS NULL) AS sync_oldest_seconds,
  (SELECT coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::double precision
   FROM sync_outbox WHERE optin_is_withdrawal(action))
    AS unsubscribe_pending_oldest_seconds
