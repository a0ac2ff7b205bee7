-- optin's core schema: lists, subscribers, subscriptions, the consent ledger, the suppression
-- list ("blacklist") and the mail outbox. Addresses are stored normalised (service/address.cpp);
-- email_hash is the lower-case hex SHA-256 of the normalised address.

CREATE TYPE subscription_status AS ENUM ('pending', 'confirmed', 'unsubscribed');

CREATE TYPE consent_event_kind AS ENUM (
  'signup_requested',        -- the form was posted
  'confirmation_mail_sent',  -- the confirmation mail left optin (Message-ID, SHA-256 of the mail)
  'confirmed',               -- the confirmation link was clicked and POSTed
  'unsubscribed',            -- consent withdrawn (channel says how)
  'suppressed',              -- the address was put on the suppression list
  'suppression_lifted',      -- objection or admin lifted it
  'imported',                -- consent given elsewhere, imported by an admin
  'privacy_requested',       -- access / erasure / objection / unsubscribe requested
  'privacy_completed'        -- ... and carried out
);

CREATE TABLE lists (
  id                        bigserial PRIMARY KEY,
  slug                      text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  language                  text NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'nl', 'en')),
  cleverreach_group_id      text NULL CHECK (cleverreach_group_id ~ '^[0-9]{1,20}$'),
  require_consent_checkbox  boolean NOT NULL DEFAULT false,
  consent_text              text NOT NULL DEFAULT '',
  thank_you_url             text NULL,
  confirmed_url             text NULL,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);

INSERT INTO lists (slug, name, language) VALUES ('newsletter', 'Newsletter', 'de');

-- Every consent text ever shown, by hash, so that the hash in a consent event can be resolved
-- to the words the person agreed to.
CREATE TABLE consent_texts (
  sha256      text PRIMARY KEY,
  text        text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subscribers (
  id          bigserial PRIMARY KEY,
  email       text NOT NULL UNIQUE,
  email_hash  text NOT NULL UNIQUE,
  name        text NULL,  -- voluntary profile data; deleted on unsubscribe
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subscriptions (
  id                      bigserial PRIMARY KEY,
  subscriber_id           bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  list_id                 bigint NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
  status                  subscription_status NOT NULL DEFAULT 'pending',
  language                text NOT NULL CHECK (language IN ('de', 'nl', 'en')),
  source                  text NULL,  -- page the form was on, or the import's source
  signed_up_at            timestamptz NOT NULL DEFAULT now(),
  confirmed_at            timestamptz NULL,
  unsubscribed_at         timestamptz NULL,
  last_confirmation_mail  timestamptz NULL,  -- at most one confirmation mail per 10 minutes
  UNIQUE (subscriber_id, list_id),
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL AND unsubscribed_at IS NULL)
         OR status <> 'confirmed')
);
CREATE INDEX subscriptions_list_status ON subscriptions (list_id, status);
CREATE INDEX subscriptions_pending_age ON subscriptions (signed_up_at) WHERE status = 'pending';

-- Confirmation tokens are random; only their SHA-256 is stored.
CREATE TABLE confirmation_tokens (
  token_hash       text PRIMARY KEY,
  subscription_id  bigint NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  used_at          timestamptz NULL
);
CREATE INDEX confirmation_tokens_subscription ON confirmation_tokens (subscription_id);
CREATE INDEX confirmation_tokens_expiry ON confirmation_tokens (expires_at);

-- The consent ledger: append-only. Rows are deleted only by retention (optin purge) and by
-- erasure; no UPDATE is possible.
CREATE TABLE consent_events (
  id                   bigserial PRIMARY KEY,
  subscriber_id        bigint NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  subscription_id      bigint NULL REFERENCES subscriptions (id) ON DELETE SET NULL,
  list_id              bigint NULL REFERENCES lists (id) ON DELETE SET NULL,
  email_hash           text NOT NULL,
  kind                 consent_event_kind NOT NULL,
  occurred_at          timestamptz NOT NULL DEFAULT now(),
  ip                   inet NULL,
  user_agent           text NULL,
  page_url             text NULL,
  consent_text_sha256  text NULL,
  channel              text NULL,   -- form, link, one-click, cleverreach, admin, privacy, import
  message_id           text NULL,
  mail_sha256          text NULL,
  detail               jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX consent_events_subscriber ON consent_events (subscriber_id, occurred_at);
CREATE INDEX consent_events_email_hash ON consent_events (email_hash);

CREATE FUNCTION consent_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_events is append-only';
END $$;
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION consent_events_append_only();

-- The suppression list. list_id NULL = global. email is NULL after an erasure: the hash alone
-- still blocks the address.
CREATE TABLE suppressions (
  id          bigserial PRIMARY KEY,
  email_hash  text NOT NULL,
  email       text NULL,
  list_id     bigint NULL REFERENCES lists (id) ON DELETE CASCADE,
  reason      text NOT NULL,
  source      text NOT NULL,  -- link, one-click, cleverreach, admin, privacy, erasure
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (email_hash, list_id)
);

-- Whole domains: "example.com" (exact) or "*.example.com" (the domain and all subdomains).
CREATE TABLE domain_suppressions (
  domain              text PRIMARY KEY,
  include_subdomains  boolean NOT NULL,
  reason              text NOT NULL DEFAULT '',
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE mail_kind AS ENUM ('confirmation', 'privacy_verification');

-- Mails waiting to be sent: rendered in the transaction that decided to send them, so an
-- acknowledged signup's mail survives any crash. Rows are deleted once sent.
CREATE TABLE mail_outbox (
  id               bigserial PRIMARY KEY,
  kind             mail_kind NOT NULL,
  subscription_id  bigint NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  email_hash       text NOT NULL,
  recipient        text NOT NULL,
  message_id       text NOT NULL UNIQUE,
  message          text NOT NULL,  -- the whole RFC 5322 message, CRLF line ends
  created_at       timestamptz NOT NULL DEFAULT now(),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);

CREATE FUNCTION notify_mail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('optin_mail', '');
  RETURN NULL;
END $$;
CREATE TRIGGER mail_outbox_notify AFTER INSERT ON mail_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION notify_mail_outbox();

-- What CleverReach must learn, written in the same transaction as the change itself and drained
-- by the sync worker (one sender per row: FOR UPDATE SKIP LOCKED). Upserts carry only the
-- subscription: the receiver is built from current data when sent.
CREATE TYPE sync_action AS ENUM (
  'upsert_receiver',      -- subscription_id; group from its list
  'deactivate_receiver',  -- email + group_id captured at unsubscribe time
  'blacklist_add',        -- email
  'blacklist_remove',     -- email
  'delete_receiver'       -- email: erasure, receiver deleted everywhere
);

CREATE TABLE sync_outbox (
  id               bigserial PRIMARY KEY,
  action           sync_action NOT NULL,
  subscription_id  bigint NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  group_id         text NULL,
  email            text NULL,
  email_hash       text NOT NULL,
  occurred_at      timestamptz NOT NULL DEFAULT now(),  -- when the change happened
  created_at       timestamptz NOT NULL DEFAULT now(),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text NULL,
  dead_at          timestamptz NULL  -- dead letter after 10 failed attempts
);
CREATE INDEX sync_outbox_due ON sync_outbox (next_attempt_at) WHERE dead_at IS NULL;
CREATE INDEX sync_outbox_email_hash ON sync_outbox (email_hash);

CREATE FUNCTION notify_sync_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('optin_sync', '');
  RETURN NULL;
END $$;
CREATE TRIGGER sync_outbox_notify AFTER INSERT ON sync_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION notify_sync_outbox();
