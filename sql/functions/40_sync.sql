-- Which CleverReach outbox actions are withdrawals (the person unsubscribed, was suppressed or
-- erased): they must reach CleverReach within 48 hours (CONTRACT §6), are never dead letters, and
-- the age of the oldest one is the unsubscribe_pending_oldest_seconds gauge. The C++ twin is
-- IsWithdrawal (service/domain/sync_action.h); tests/storage/sync_action_test.cpp holds both, and
-- the partial index sync_outbox_withdrawal_age (V030, whose predicate must stay implied by this
-- body), to every value of sync_action. A plain SQL expression, so the planner inlines it and can
-- prove that predicate.
CREATE OR REPLACE FUNCTION optin_is_withdrawal(action sync_action)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT action IN ('deactivate_receiver', 'blacklist_add', 'delete_receiver')
$$;
