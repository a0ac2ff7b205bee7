// RetentionStore against a real PostgreSQL: exactly what is due goes, in batches; suppression
// entries and recent data stay.
#include <catch2/catch.hpp>

#include "storage/retention_store.h"
#include "tests/support/test_db.h"

using namespace optin;
using namespace optin::test;

namespace {

// A subscriber with one subscription to the default list in `status`, with `age_sql` applied to
// the given timestamp column, a signup event of the same age, and a token.
void Seed(TestDatabase& db, const std::string& email, const std::string& status,
          const std::string& age) {
  db.Exec("INSERT INTO subscribers (email, email_hash) VALUES ('" + email + "', md5('" + email +
          "')) "
          "ON CONFLICT (email) DO NOTHING");
  std::string confirmed = status == "pending" ? "NULL" : "now() - interval '" + age + "'";
  std::string unsubscribed = status == "unsubscribed" ? "now() - interval '" + age + "'" : "NULL";
  std::string list = status == "unsubscribed" && email.rfind("mixed", 0) == 0
                         ? "(SELECT id FROM lists WHERE slug = 'other')"
                         : "(SELECT id FROM lists WHERE slug = 'newsletter')";
  db.Exec(
      "INSERT INTO subscriptions (subscriber_id, list_id, status, language, signed_up_at, "
      "confirmed_at, "
      "unsubscribed_at) SELECT id, " +
      list + ", '" + status + "', 'de', now() - interval '" + age + "', " +
      (status == "unsubscribed" ? "now() - interval '" + age + "'" : confirmed) + ", " +
      unsubscribed + " FROM subscribers WHERE email = '" + email + "'");
  db.Exec(
      "INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, "
      "occurred_at) "
      "SELECT s.subscriber_id, s.id, s.list_id, u.email_hash, 'signup_requested', now() - interval "
      "'" +
      age +
      "' FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id WHERE u.email = '" +
      email + "' AND s.status = '" + status + "'");
  db.Exec(
      "INSERT INTO confirmation_tokens (token_hash, subscription_id, expires_at) SELECT "
      "md5(random()::text), s.id, "
      "now() + interval '1 day' FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id "
      "WHERE u.email = '" +
      email + "' AND s.status = '" + status + "'");
}

std::string Count(TestDatabase& db, const std::string& table, const std::string& where = "true") {
  return db.Scalar("SELECT count(*) FROM " + table + " WHERE " + where);
}

std::string Has(TestDatabase& db, const std::string& email) {
  return Count(db, "subscribers", "email = '" + email + "'");
}

}  // namespace

TEST_CASE("purge removes exactly what is due", "[retention][db]") {
  TestDatabase db;
  db.Exec("INSERT INTO lists (slug, name) VALUES ('other', 'Other')");
  for (int i = 0; i < 5; ++i)
    Seed(db, "oldpending" + std::to_string(i) + "@example.com", "pending", "40 days");
  Seed(db, "newpending@example.com", "pending", "2 days");
  Seed(db, "oldconfirmed@example.com", "confirmed", "5 years");
  Seed(db, "oldended@example.com", "unsubscribed", "4 years");
  Seed(db, "newended@example.com", "unsubscribed", "1 year");
  Seed(db, "mixed@example.com", "confirmed", "5 years");
  Seed(db, "mixed@example.com", "unsubscribed", "4 years");
  // A pending signup from long ago that was mailed again recently is not due yet.
  Seed(db, "remailed@example.com", "pending", "40 days");
  db.Exec(
      "UPDATE subscriptions SET last_confirmation_mail = now() - interval '1 hour' WHERE "
      "subscriber_id = "
      "(SELECT id FROM subscribers WHERE email = 'remailed@example.com')");
  db.Exec(
      "INSERT INTO mail_outbox (kind, subscription_id, email_hash, recipient, message_id, message) "
      "SELECT 'confirmation', s.id, u.email_hash, u.email, 'm' || s.id, 'x' FROM subscriptions s "
      "JOIN subscribers u ON u.id = s.subscriber_id WHERE u.email LIKE 'oldpending%'");
  // Suppressions (with an old 'suppressed' event) are kept forever.
  db.Exec(
      "INSERT INTO suppressions (email_hash, email, reason, source, created_at) VALUES "
      "(md5('oldended@example.com'), 'oldended@example.com', 'unsubscribed', 'link', now() - "
      "interval '4 years'), "
      "(md5('gone@example.com'), NULL, 'erasure', 'erasure', now() - interval '6 years')");
  db.Exec(
      "INSERT INTO consent_events (email_hash, kind, occurred_at) VALUES "
      "(md5('oldended@example.com'), 'suppressed', now() - interval '4 years'), "
      "(md5('newended@example.com'), 'suppressed', now() - interval '1 year')");
  // Tokens: used two days ago (due), used just now (grace), expired long ago (due).
  db.Exec(
      "UPDATE confirmation_tokens SET used_at = now() - interval '2 days' WHERE subscription_id IN "
      "(SELECT s.id FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id "
      " WHERE u.email = 'oldconfirmed@example.com')");
  db.Exec(
      "UPDATE confirmation_tokens SET used_at = now() WHERE subscription_id IN "
      "(SELECT s.id FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id "
      " WHERE u.email = 'newended@example.com')");
  db.Exec(
      "UPDATE confirmation_tokens SET expires_at = now() - interval '10 days' WHERE "
      "subscription_id IN "
      "(SELECT s.id FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id "
      " WHERE u.email = 'mixed@example.com' AND s.status = 'confirmed')");
  // Privacy requests: completed 2 days ago (token due), open (kept), never verified and long
  // expired (deleted), completed 4 years ago (deleted).
  db.Exec(
      "INSERT INTO privacy_requests (type, email_hash, email, language, token_hash, requested_at, "
      "expires_at, "
      "completed_at) VALUES "
      "('access', 'h1', 'a@example.com', 'de', 't1', now() - interval '3 days', now() - interval "
      "'2 days', now() - interval '2 days'), "
      "('access', 'h2', 'b@example.com', 'de', 't2', now(), now() + interval '1 day', NULL), "
      "('erasure', 'h3', 'c@example.com', 'de', 't3', now() - interval '40 days', now() - interval "
      "'39 days', NULL), "
      "('objection', 'h4', NULL, 'de', NULL, now() - interval '4 years', now() - interval '4 "
      "years', now() - interval '4 years')");

  auto pool = db.MakePool(2);
  RetentionRules rules;
  rules.batch_size = 2;  // several batches per rule
  auto counts = RetentionStore(*pool).Purge(rules);
  REQUIRE(counts.ok());
  CHECK(counts->unconfirmed_signups == 5);
  CHECK(counts->ended_subscriptions == 2);  // oldended, mixed's ended one
  CHECK(counts->consent_events == 5 + 2 + 1);
  CHECK(counts->subscribers == 6);  // the five old pending ones and oldended
  CHECK(counts->confirmation_tokens == 2);
  CHECK(counts->privacy_tokens == 1);
  CHECK(counts->privacy_requests == 2);

  CHECK(Count(db, "subscribers", "email LIKE 'oldpending%'") == "0");
  CHECK(Count(db, "mail_outbox") == "0");
  CHECK(Has(db, "oldended@example.com") == "0");
  CHECK(Has(db, "newpending@example.com") == "1");
  CHECK(Has(db, "remailed@example.com") == "1");
  CHECK(Has(db, "oldconfirmed@example.com") == "1");
  CHECK(Has(db, "newended@example.com") == "1");
  CHECK(Has(db, "mixed@example.com") == "1");
  CHECK(Count(db, "subscriptions") == "5");
  CHECK(Count(db, "subscriptions", "status = 'unsubscribed'") == "1");
  CHECK(Count(db, "consent_events", "kind = 'signup_requested'") == "5");
  CHECK(Count(db, "consent_events", "kind = 'suppressed'") == "1");
  CHECK(Count(db, "suppressions") == "2");
  CHECK(Count(db, "confirmation_tokens") == "3");
  CHECK(Count(db, "privacy_requests", "token_hash IS NOT NULL") == "1");
  CHECK(Count(db, "privacy_requests") == "2");

  // Nothing more is due.
  auto again = RetentionStore(*pool).Purge(rules);
  REQUIRE(again.ok());
  CHECK(again->unconfirmed_signups + again->ended_subscriptions + again->consent_events +
            again->subscribers + again->confirmation_tokens + again->privacy_tokens +
            again->privacy_requests ==
        0);
}

TEST_CASE(
    "purge keeps an erasure's hash-only event while its suppression stays, and drops old dead "
    "upserts",
    "[retention][db]") {
  TestDatabase db;
  db.Exec(
      "INSERT INTO suppressions (email_hash, reason, source) VALUES ('h-kept', 'erasure', "
      "'erasure')");
  db.Exec(
      "INSERT INTO consent_events (email_hash, kind, channel, occurred_at) VALUES "
      "('h-kept', 'erased', 'privacy', now() - interval '5 years'), "
      "('h-lifted', 'erased', 'privacy', now() - interval '5 years')");
  db.Exec(
      "INSERT INTO sync_outbox (action, email_hash, dead_at) VALUES "
      "('upsert_receiver', 'old', now() - interval '4 years'), "
      "('upsert_receiver', 'recent', now() - interval '1 day')");
  db.Exec(
      "INSERT INTO sync_outbox (action, email, email_hash, occurred_at) VALUES "
      "('blacklist_add', 'w@example.com', 'withdrawal', now() - interval '4 years')");
  auto pool = db.MakePool(2);
  auto counts = RetentionStore(*pool).Purge(RetentionRules{});
  REQUIRE(counts.ok());
  CHECK(counts->dead_upserts == 1);
  CHECK(Count(db, "consent_events", "email_hash = 'h-kept'") == "1");
  CHECK(Count(db, "consent_events", "email_hash = 'h-lifted'") == "0");
  CHECK(Count(db, "sync_outbox", "email_hash = 'old'") == "0");
  CHECK(Count(db, "sync_outbox", "email_hash IN ('recent', 'withdrawal')") == "2");
}
