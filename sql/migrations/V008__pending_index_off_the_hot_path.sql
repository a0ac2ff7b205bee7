-- Found by the benchmark: the partial index subscriptions_pending_age (WHERE status = 'pending')
-- matched the guard of the signup's mail claim and of the confirmation ("WHERE id = $1 AND status
-- = 'pending'"). With statistics from when the table was small, the planner preferred that small
-- index to the primary key and walked every pending subscription to find one id: each signup and
-- each confirmation cost O(pending rows) — 10 000 rows scanned per signup at 10 000 pending.
-- The retention index now carries a predicate no hot statement implies, so those statements can
-- only use the primary key; the CHECK makes the predicate's meaning (a pending subscription has
-- neither ended nor been confirmed) a rule instead of a habit.
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_pending_is_open
  CHECK (status <> 'pending' OR (confirmed_at IS NULL AND unsubscribed_at IS NULL));
DROP INDEX subscriptions_pending_age;
CREATE INDEX subscriptions_open_age ON subscriptions (signed_up_at)
  WHERE confirmed_at IS NULL AND unsubscribed_at IS NULL;
