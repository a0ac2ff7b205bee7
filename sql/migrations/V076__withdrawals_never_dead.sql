-- Withdrawals (deactivation, blacklist entry, receiver deletion) are never dead letters any more
-- (CONTRACT §6, the 48-hour rule): those given up by the old 10-attempt limit go back in the queue.
UPDATE sync_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = now()
WHERE dead_at IS NOT NULL AND action IN ('deactivate_receiver', 'blacklist_add', 'delete_receiver');
