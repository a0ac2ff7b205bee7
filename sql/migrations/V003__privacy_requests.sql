-- Privacy requests (GDPR Art. 15/17/21 and "unsubscribe me everywhere"): each request made for a
-- known address and its outcome. The link in the verification mail is random; only its SHA-256
-- is stored. `email` holds the address while it is needed to carry the request out and is set to
-- NULL by an erasure of that address, so that afterwards only the hash remains.

CREATE TYPE privacy_request_type AS ENUM ('access', 'erasure', 'objection', 'unsubscribe');

CREATE TABLE privacy_requests (
  id            bigserial PRIMARY KEY,
  type          privacy_request_type NOT NULL,
  email_hash    text NOT NULL,
  email         text NULL,
  language      text NOT NULL CHECK (language IN ('de', 'nl', 'en')),
  token_hash    text NULL UNIQUE,  -- NULL once retention dropped the spent or expired token
  requested_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  completed_at  timestamptz NULL,
  outcome       jsonb NULL  -- what was done (counts, never addresses)
);
CREATE INDEX privacy_requests_email_hash ON privacy_requests (email_hash, requested_at);
CREATE INDEX privacy_requests_expiry ON privacy_requests (expires_at) WHERE completed_at IS NULL;

-- Retention looks for ended subscriptions by age.
CREATE INDEX subscriptions_ended_age ON subscriptions (unsubscribed_at) WHERE status = 'unsubscribed';
CREATE INDEX consent_events_subscription ON consent_events (subscription_id);
