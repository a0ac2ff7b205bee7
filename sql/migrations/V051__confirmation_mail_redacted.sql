-- The consent dossier (issue 15, GET /admin/proof) shows the confirmation mail as it was sent,
-- its link redacted: when the mailer records `confirmation_mail_sent` it also stores the mail with
-- the confirmation token replaced by a fixed placeholder of the same length (mail_redacted) and
-- that form's SHA-256 (mail_redacted_sha256), beside the SHA-256 of the mail as sent (mail_sha256).
-- Putting the token of the recipient's link back in place of the placeholder gives the mail whose
-- SHA-256 is mail_sha256. Nullable without a default, so older events still verify (V050).
ALTER TABLE consent_events ADD COLUMN mail_redacted text NULL,
                           ADD COLUMN mail_redacted_sha256 text NULL;
