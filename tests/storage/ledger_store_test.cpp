// The tamper-evident consent ledger against a real PostgreSQL (V050): every writer's events are
// chained by the trigger; a change, deletion or reordering by SQL breaks the address's chain;
// retention and erasure remove events lawfully and the ledger still verifies.
#include "storage/ledger_store.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "service/domain/address.h"
#include "storage/erasure_ops.h"
#include "storage/pool.h"
#include "storage/retention_store.h"
#include "tests/support/test_db.h"

using namespace optin;
using namespace optin::test;

namespace {

// A subscriber `email` with a subscription to `list` and `n` events, the first `age` old.
void Seed(TestDatabase& db, const std::string& email, int n, const std::string& list = "newsletter",
          const std::string& status = "confirmed", const std::string& age = "1 hour") {
  const std::string hash = AddressHash(email);
  db.Exec("INSERT INTO subscribers (email, email_hash) VALUES ('" + email + "', '" + hash +
          "') ON CONFLICT (email) DO NOTHING");
  std::string ended = status == "unsubscribed" ? "now() - interval '" + age + "'" : "NULL";
  db.Exec(
      "INSERT INTO subscriptions (subscriber_id, list_id, status, language, signed_up_at, "
      "confirmed_at, unsubscribed_at) SELECT u.id, l.id, '" +
      status +
      "', 'de', now() - "
      "interval '" +
      age + "', " + (status == "pending" ? "NULL" : "now() - interval '" + age + "'") + ", " +
      ended + " FROM subscribers u, lists l WHERE u.email = '" + email + "' AND l.slug = '" + list +
      "' ON CONFLICT (subscriber_id, list_id) DO NOTHING");
  for (int i = 0; i < n; ++i) {
    db.Exec(
        "INSERT INTO consent_events (subscriber_id, subscription_id, list_id, email_hash, kind, "
        "occurred_at, ip, user_agent, channel, detail) SELECT s.subscriber_id, s.id, s.list_id, '" +
        hash + "', 'signup_requested', now() - interval '" + age + "' + interval '" +
        std::to_string(i) +
        " seconds', '192.0.2.1', 'UA ü', 'form', '{\"n\": " + std::to_string(i) +
        "}' FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id "
        "JOIN lists l ON l.id = s.list_id WHERE u.email = '" +
        email + "' AND l.slug = '" + list + "'");
  }
}

LedgerReport Verify(TestDatabase& db, const std::string& email = "") {
  auto pool = db.MakePool(1);
  auto r = LedgerStore(*pool).Verify(email.empty() ? "" : AddressHash(email));
  REQUIRE(r.ok());
  return *r;
}

std::vector<std::string> BrokenEmails(const LedgerReport& r) {
  std::vector<std::string> out;
  for (const auto& b : r.broken) out.push_back(b.email.empty() ? b.chain.email_hash : b.email);
  return out;
}

std::string EventId(TestDatabase& db, const std::string& email, int nth) {
  return db.Scalar("SELECT id FROM consent_events WHERE email_hash = '" + AddressHash(email) +
                   "' ORDER BY id OFFSET " + std::to_string(nth) + " LIMIT 1");
}

}  // namespace

TEST_CASE("ledger: each event chains to the previous one of its address, the first to the anchor",
          "[ledger][db]") {
  TestDatabase db;
  Seed(db, "anna@example.com", 3);
  Seed(db, "bert@example.com", 2);
  const std::string hash = AddressHash("anna@example.com");
  CHECK(db.Scalar("SELECT prev_sha256 FROM consent_events WHERE email_hash = '" + hash +
                  "' ORDER BY id LIMIT 1") == db.Scalar("SELECT anchor FROM ledger_anchor"));
  CHECK(
      db.Scalar("SELECT count(*) FROM consent_events e WHERE e.email_hash = '" + hash +
                "' AND e.id > (SELECT min(id) FROM consent_events WHERE email_hash = '" + hash +
                "') AND e.prev_sha256 <> (SELECT p.sha256 FROM consent_events p WHERE p.email_hash "
                "= e.email_hash AND p.id < e.id ORDER BY p.id DESC LIMIT 1)") == "0");
  CHECK(db.Scalar("SELECT count(DISTINCT sha256) FROM consent_events") == "5");
  CHECK(db.Scalar("SELECT length(anchor) FROM ledger_anchor") == "64");
  auto r = Verify(db);
  CHECK(r.ok());
  CHECK(r.events == 5);
  CHECK(r.chains == 2);
  // The anchor is fixed, and events stay append-only.
  CHECK_THROWS(db.Exec("UPDATE ledger_anchor SET anchor = 'x'"));
  CHECK_THROWS(db.Exec("UPDATE consent_events SET channel = 'x'"));
}

TEST_CASE("ledger: the admin named in optin.actor is recorded and hashed", "[ledger][db]") {
  TestDatabase db;
  Seed(db, "anna@example.com", 1);
  db.Exec(
      "BEGIN; SELECT set_config('optin.actor', 'carla', true); "
      "INSERT INTO consent_events (email_hash, kind, channel) VALUES ('" +
      AddressHash("anna@example.com") + "', 'suppressed', 'admin'); COMMIT");
  CHECK(db.Scalar("SELECT actor FROM consent_events ORDER BY id DESC LIMIT 1") == "carla");
  CHECK(db.Scalar("SELECT count(*) FROM consent_events WHERE actor IS NULL") == "1");
  CHECK(db.Scalar(
            "SELECT consent_event_canonical(e) LIKE '%\"actor\": \"carla\"%' FROM consent_events e "
            "ORDER BY id DESC LIMIT 1") == "t");
  CHECK(Verify(db).ok());
}

TEST_CASE("ledger: a change, a deletion or a reordering by SQL names that subscriber",
          "[ledger][db]") {
  TestDatabase db;
  for (const char* e : {"anna@example.com", "bert@example.com", "carl@example.com",
                        "dora@example.com", "emil@example.com"}) {
    Seed(db, e, 3);
  }
  REQUIRE(Verify(db).ok());

  // Changed: the user agent of bert's second event, with the append-only trigger switched off.
  db.Exec(
      "ALTER TABLE consent_events DISABLE TRIGGER USER; UPDATE consent_events SET user_agent = "
      "'forged' WHERE id = " +
      EventId(db, "bert@example.com", 1) + "; ALTER TABLE consent_events ENABLE TRIGGER USER");
  // Deleted outright: carl's middle event (the trigger records an unexplained removal) ...
  db.Exec("DELETE FROM consent_events WHERE id = " + EventId(db, "carl@example.com", 1));
  // ... and dora's first one with every trigger off (a plain gap).
  db.Exec(
      "ALTER TABLE consent_events DISABLE TRIGGER USER; DELETE FROM consent_events WHERE id = " +
      EventId(db, "dora@example.com", 0) + "; ALTER TABLE consent_events ENABLE TRIGGER USER");
  // Reordered: emil's first and last event swap places (ids).
  const std::string first = EventId(db, "emil@example.com", 0),
                    last = EventId(db, "emil@example.com", 2);
  db.Exec(
      "ALTER TABLE consent_events DISABLE TRIGGER USER; "
      "UPDATE consent_events SET id = -1 WHERE id = " +
      first +
      "; "
      "UPDATE consent_events SET id = " +
      first + " WHERE id = " + last +
      "; "
      "UPDATE consent_events SET id = " +
      last +
      " WHERE id = -1; "
      "ALTER TABLE consent_events ENABLE TRIGGER USER");

  auto r = Verify(db);
  std::vector<std::string> broken = BrokenEmails(r);
  std::sort(broken.begin(), broken.end());
  CHECK(broken == std::vector<std::string>{"bert@example.com", "carl@example.com",
                                           "dora@example.com", "emil@example.com"});
  for (const auto& b : r.broken) {
    if (b.email == "bert@example.com") CHECK(b.chain.reason == "altered");
    if (b.email == "carl@example.com") CHECK(b.chain.reason == "unexplained_removal");
    if (b.email == "dora@example.com") CHECK(b.chain.reason == "broken_link");
    if (b.email == "emil@example.com") CHECK(b.chain.reason == "broken_link");
  }
  CHECK(Verify(db, "anna@example.com").ok());
  auto one = Verify(db, "bert@example.com");
  CHECK(BrokenEmails(one) == std::vector<std::string>{"bert@example.com"});
  CHECK(one.chains == 1);
}

TEST_CASE("ledger: retention and erasure remove events lawfully and the ledger still verifies",
          "[ledger][db]") {
  TestDatabase db;
  db.Exec("INSERT INTO lists (slug, name) VALUES ('other', 'Other')");
  // Anna: an old ended subscription and a current one, their events interleaved in one chain.
  Seed(db, "anna@example.com", 2, "other", "unsubscribed", "4 years");
  Seed(db, "anna@example.com", 2, "newsletter", "confirmed", "1 hour");
  Seed(db, "anna@example.com", 1, "other", "unsubscribed",
       "4 years");  // a later event of the old one
  Seed(db, "bert@example.com", 2, "newsletter", "pending", "60 days");  // unconfirmed, due
  Seed(db, "carl@example.com", 3);
  REQUIRE(Verify(db).ok());

  auto pool = db.MakePool(1);
  RetentionRules rules;
  auto purged = RetentionStore(*pool).Purge(rules);
  REQUIRE(purged.ok());
  CHECK(purged->ended_subscriptions == 1);
  CHECK(purged->unconfirmed_signups == 1);
  const std::string anna = AddressHash("anna@example.com"), bert = AddressHash("bert@example.com");
  CHECK(db.Scalar("SELECT count(*) FROM consent_events WHERE email_hash = '" + anna +
                  "' AND kind = 'signup_requested'") == "2");
  CHECK(db.Scalar("SELECT detail->>'reason' || ' ' || (detail->>'removed') FROM consent_events "
                  "WHERE kind = 'ledger_removed' AND email_hash = '" +
                  anna + "'") == "retention 3");
  CHECK(db.Scalar("SELECT count(*) FROM consent_events WHERE email_hash = '" + bert +
                  "' AND kind = 'ledger_removed' AND subscriber_id IS NULL AND ip IS NULL") == "1");
  auto after_retention = Verify(db);
  CHECK(BrokenEmails(after_retention).empty());

  // Erasure of carl: everything of the address goes, one hash-only erased event stays.
  REQUIRE(RunTransaction(*pool, [&](pqxx::work& txn) {
            EraseInTxn(txn, "carl@example.com", false, "admin");
            return Status::Ok();
          }).ok());
  const std::string carl = AddressHash("carl@example.com");
  CHECK(db.Scalar("SELECT string_agg(kind::text || '/' || channel, ',' ORDER BY id) FROM "
                  "consent_events WHERE "
                  "email_hash = '" +
                  carl + "'") == "erased/admin");
  // The erased event is the chain's tombstone: it lists the three removed events' hashes.
  CHECK(
      db.Scalar("SELECT (detail->>'reason') || ' ' || jsonb_array_length(detail->'removed_sha256') "
                "FROM consent_events WHERE email_hash = '" +
                carl + "'") == "erasure 3");
  CHECK(db.Scalar("SELECT count(*) FROM consent_events WHERE email_hash = '" + carl +
                  "' AND (subscriber_id IS NOT NULL OR user_agent IS NOT NULL)") == "0");
  CHECK(Verify(db).ok());

  // New events after a removal chain on to the tombstone and verify too.
  Seed(db, "carl@example.com", 1);
  CHECK(Verify(db).ok());
}

TEST_CASE("ledger: once retention removes an erased chain whole, a new signup chains to the anchor",
          "[ledger][db]") {
  TestDatabase db;
  Seed(db, "dora@example.com", 2);
  auto pool = db.MakePool(1);
  REQUIRE(RunTransaction(*pool, [&](pqxx::work& txn) {
            EraseInTxn(txn, "dora@example.com", false, "admin");
            return Status::Ok();
          }).ok());
  const std::string dora = AddressHash("dora@example.com");
  db.Exec("DELETE FROM suppressions WHERE email_hash = '" + dora + "'");  // lifted by objection
  RetentionRules rules;
  rules.consent = std::chrono::seconds(0);
  REQUIRE(RetentionStore(*pool).Purge(rules).ok());
  REQUIRE(db.Scalar("SELECT count(*) FROM consent_events WHERE email_hash = '" + dora + "'") ==
          "0");
  Seed(db, "dora@example.com", 1);
  CHECK(db.Scalar("SELECT prev_sha256 = (SELECT anchor FROM ledger_anchor) FROM consent_events "
                  "WHERE email_hash = '" +
                  dora + "'") == "t");
  CHECK(Verify(db).ok());
}

TEST_CASE("ledger: after a crash empties the unlogged heads, events chain to the last one stored",
          "[ledger][db]") {
  TestDatabase db;
  Seed(db, "erik@example.com", 2);
  const std::string erik = AddressHash("erik@example.com");
  const std::string last = db.Scalar("SELECT sha256 FROM consent_events WHERE email_hash = '" +
                                     erik + "' ORDER BY id DESC LIMIT 1");
  db.Exec("TRUNCATE ledger_heads");  // what crash recovery does to an UNLOGGED table
  Seed(db, "erik@example.com", 1);
  CHECK(db.Scalar("SELECT prev_sha256 FROM consent_events WHERE email_hash = '" + erik +
                  "' ORDER BY id DESC LIMIT 1") == last);
  CHECK(Verify(db).ok());
}

TEST_CASE("ledger: concurrent writers of one address never fork its chain", "[ledger][db]") {
  TestDatabase db;
  Seed(db, "anna@example.com", 1);
  const std::string hash = AddressHash("anna@example.com");
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      auto pool = db.MakePool(1);
      for (int i = 0; i < 25; ++i) {
        REQUIRE(RunTransaction(*pool, [&](pqxx::work& txn) {
                  txn.exec_params(
                      "INSERT INTO consent_events (email_hash, kind, channel) VALUES "
                      "($1, 'privacy_requested', 'privacy')",
                      hash);
                  txn.exec("SELECT pg_sleep(0.001)");
                  txn.exec_params(
                      "INSERT INTO consent_events (email_hash, kind, channel) VALUES "
                      "($1, 'privacy_completed', 'privacy')",
                      hash);
                  return Status::Ok();
                }).ok());
      }
    });
  }
  for (auto& w : writers) w.join();
  CHECK(db.Scalar("SELECT count(DISTINCT prev_sha256) FROM consent_events") == "201");
  auto r = Verify(db);
  CHECK(r.ok());
  CHECK(r.events == 201);
}
