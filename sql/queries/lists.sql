-- name: list-by-slug
-- One list by its slug.
SELECT id, slug, name, language, coalesce(cleverreach_group_id, ''), require_consent_checkbox,
       consent_text, coalesce(thank_you_url, ''), coalesce(confirmed_url, ''), languages
FROM lists WHERE slug = $1

-- name: list-all
-- Every list, by slug.
SELECT id, slug, name, language, coalesce(cleverreach_group_id, ''), require_consent_checkbox,
       consent_text, coalesce(thank_you_url, ''), coalesce(confirmed_url, ''), languages
FROM lists ORDER BY slug

-- name: list-upsert
-- Creates or updates a list; NULL parameters keep the current value ('' clears optional URLs and
-- the group; languages: comma-separated codes, '' = only the list's own). Returns the row, whether
-- the CleverReach group changed to a new non-empty one, and the languages.
WITH old AS (SELECT cleverreach_group_id FROM lists WHERE slug = $1 FOR UPDATE)
INSERT INTO lists AS l (slug, name, language, cleverreach_group_id, require_consent_checkbox,
                        consent_text, thank_you_url, confirmed_url, languages)
VALUES ($1, coalesce($2, $1), coalesce($3, 'de'), nullif($4, ''), coalesce($5, false),
        coalesce($6, ''), nullif($7, ''), nullif($8, ''), coalesce($9, ''))
ON CONFLICT (slug) DO UPDATE SET
  name = coalesce($2, l.name),
  language = coalesce($3, l.language),
  cleverreach_group_id = CASE WHEN $4 IS NULL THEN l.cleverreach_group_id ELSE nullif($4, '') END,
  require_consent_checkbox = coalesce($5, l.require_consent_checkbox),
  consent_text = coalesce($6, l.consent_text),
  thank_you_url = CASE WHEN $7 IS NULL THEN l.thank_you_url ELSE nullif($7, '') END,
  confirmed_url = CASE WHEN $8 IS NULL THEN l.confirmed_url ELSE nullif($8, '') END,
  languages = coalesce($9, l.languages),
  updated_at = now()
RETURNING id, slug, name, language, coalesce(cleverreach_group_id, ''), require_consent_checkbox,
          consent_text, coalesce(thank_you_url, ''), coalesce(confirmed_url, ''),
          (cleverreach_group_id IS NOT NULL AND cleverreach_group_id IS DISTINCT FROM
             (SELECT cleverreach_group_id FROM old)) AS group_changed,
          languages

-- name: sync-enqueue-list-upserts
-- After a list's CleverReach group changed: every confirmed subscription is upserted there.
INSERT INTO sync_outbox (action, subscription_id, email_hash)
SELECT 'upsert_receiver', s.id, u.email_hash
FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id
WHERE s.list_id = $1 AND s.status = 'confirmed'

-- name: consent-text-remember
-- Keeps every consent text by its SHA-256, so a consent event's hash resolves to the words shown.
INSERT INTO consent_texts (sha256, text) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING
