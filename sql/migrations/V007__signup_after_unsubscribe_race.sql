-- A signup racing an unsubscribe of the same address could turn the just-unsubscribed
-- subscription back into 'pending': its suppression check ran before the unsubscribe committed.
-- Unsubscribes now lock the subscriber row first (storage/subscription_store.cpp), and the
-- signup looks at the suppression list again once it holds that lock. Found by the soak test.
--
-- This migration replaced optin_signup with that second look. Its body was removed since issue 14
-- (the function lives in sql/functions/20_signup.sql; why, and how an existing database upgrades:
-- V006).
SELECT 'optin_signup: see sql/functions/20_signup.sql';
