-- Created the signup function optin_signup (one round trip per signup instead of nine). Since
-- issue 14 numbered migrations hold DDL and data only, and every function body lives once, in
-- sql/functions/ (here: 20_signup.sql), which `migrate` re-applies after the migrations.
--
-- The body was removed from this file on purpose, the one kind of edit an applied migration may
-- get. Fresh databases get the function from sql/functions/. A database that applied the original
-- V006-V009 keeps the old function until migrate replaces it in the same run and transaction; it
-- was migrated before checksums were recorded, so migrate records this file's SHA-256 as it is now
-- (schema_migrations.sha256 backfill) and, from then on, refuses any further edit.
SELECT 'optin_signup: see sql/functions/20_signup.sql';
