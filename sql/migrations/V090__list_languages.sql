-- The languages a list offers its visitors besides its own (PUT /admin/lists/{slug} `languages`,
-- issue 13): comma-separated codes, '' = only the list's own language.
ALTER TABLE lists ADD COLUMN languages text NOT NULL DEFAULT ''
  CONSTRAINT lists_languages_codes CHECK (languages ~ '^((de|nl|en)(,(de|nl|en))*)?$');
