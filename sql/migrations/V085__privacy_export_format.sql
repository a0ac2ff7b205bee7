-- The access export in a format of the person's choice (Art. 20, CONTRACT §7): JSON as before,
-- or CSV. Chosen with the request (`format`), may be changed on the confirmation page.
ALTER TABLE privacy_requests
  ADD COLUMN format text NOT NULL DEFAULT 'json' CHECK (format IN ('json', 'csv'));
