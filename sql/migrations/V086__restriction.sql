-- Restriction of processing (GDPR Art. 18, CONTRACT §7 §4): a verified request (or an admin) pauses
-- every live subscription of an address — no mail of any kind goes to it, its receivers are
-- deactivated at CleverReach — while all its data is kept; lifting it resumes each subscription
-- where it was. The rules live in sql/functions/40_restriction.sql and in the signup, confirm,
-- mailer, import and sync statements.
--
-- The new enum values are only used by later transactions and by plpgsql bodies (parsed when
-- run): ADD VALUE inside the migration transaction forbids using them before it commits.
ALTER TYPE subscription_status ADD VALUE IF NOT EXISTS 'restricted';
ALTER TYPE consent_event_kind ADD VALUE IF NOT EXISTS 'restricted';
ALTER TYPE consent_event_kind ADD VALUE IF NOT EXISTS 'restriction_lifted';
ALTER TYPE privacy_request_type ADD VALUE IF NOT EXISTS 'restriction';
ALTER TYPE privacy_request_type ADD VALUE IF NOT EXISTS 'lift_restriction';
-- Reactivates a receiver deactivated by a restriction (an upsert cannot: cleverreach-api.md).
ALTER TYPE sync_action ADD VALUE IF NOT EXISTS 'activate_receiver';

-- The address is restricted while restricted_at is set and restriction_lifted_at is NULL; both
-- stay after a lift, so the sync can tell its own deactivation from an unsubscribe at CleverReach.
ALTER TABLE subscribers ADD COLUMN restricted_at timestamptz NULL,
                        ADD COLUMN restriction_lifted_at timestamptz NULL;

-- The status a restricted subscription returns to when the restriction is lifted.
ALTER TABLE subscriptions ADD COLUMN restricted_from subscription_status NULL;
