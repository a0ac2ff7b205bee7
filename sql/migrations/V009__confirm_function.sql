-- A confirmation in one statement, like the signup (V006): look-up of the token with its
-- subscription locked, the checks, the state change, spent tokens, the 'confirmed' ledger event
-- and the CleverReach upsert; one round trip instead of eight (BEGIN, six statements, COMMIT).
--
-- This migration created optin_confirm. Its body was removed since issue 14 (the function lives in
-- sql/functions/30_confirm.sql; why, and how an existing database upgrades: V006).
SELECT 'optin_confirm: see sql/functions/30_confirm.sql';
