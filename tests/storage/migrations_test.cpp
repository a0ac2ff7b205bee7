#include "storage/migrations.h"

#include <catch2/catch.hpp>
#include <future>

#include "tests/support/test_db.h"

using optin::test::TestDatabase;

TEST_CASE("migrations apply in order and a second run is a no-op", "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  auto all = optin::EmbeddedMigrations();
  REQUIRE(all.ok());
  REQUIRE_FALSE(all->empty());
  auto first = optin::Migrate(db.url());
  REQUIRE(first.ok());
  CHECK(*first == static_cast<int>(all->size()));
  auto second = optin::Migrate(db.url());
  REQUIRE(second.ok());
  CHECK(*second == 0);
  CHECK(db.Scalar("SELECT count(*) FROM schema_migrations") == std::to_string(all->size()));
  CHECK(db.Scalar("SELECT language FROM lists WHERE slug = 'newsletter'") == "de");
}

TEST_CASE("concurrent migrations do not corrupt the schema", "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  std::vector<std::future<optin::Result<int>>> runs;
  for (int i = 0; i < 4; ++i) {
    runs.push_back(std::async(std::launch::async, [&] { return optin::Migrate(db.url()); }));
  }
  int applied = 0;
  for (auto& r : runs) {
    auto result = r.get();
    REQUIRE(result.ok());
    applied += *result;
  }
  auto all = optin::EmbeddedMigrations();
  CHECK(applied == static_cast<int>(all->size()));
  CHECK(db.Scalar("SELECT count(*) FROM lists") == "1");
}

TEST_CASE("a migration file name without a version is rejected", "[migrations]") {
  // The embedded set is well-formed; this checks that versions are unique and ascending.
  auto all = optin::EmbeddedMigrations();
  REQUIRE(all.ok());
  for (size_t i = 1; i < all->size(); ++i) CHECK((*all)[i - 1].version < (*all)[i].version);
}

TEST_CASE("consent events cannot be updated", "[migrations][db]") {
  TestDatabase db;
  db.Exec("INSERT INTO consent_events (email_hash, kind) VALUES ('x', 'signup_requested')");
  CHECK_THROWS(db.Exec("UPDATE consent_events SET email_hash = 'y'"));
  CHECK(db.Scalar("SELECT email_hash FROM consent_events") == "x");
}

TEST_CASE("no subscriptions index is partial on status, and pending means open", "[migrations][db]") {
  TestDatabase db;
  // An index "WHERE status = 'pending'" matched the guard of "WHERE id = $1 AND status =
  // 'pending'" (signup, confirmation), and the planner walked all pending rows instead of using
  // the primary key (V008). Partial indexes must use a predicate those statements do not imply.
  CHECK(db.Scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'subscriptions' "
                  "AND indexdef ~* 'WHERE.*status = ''pending'''") == "0");
  CHECK(db.Scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'subscriptions_open_age'") == "1");
  db.Exec("INSERT INTO subscribers (email, email_hash) VALUES ('a@example.com', 'h')");
  CHECK_THROWS(db.Exec(
      "INSERT INTO subscriptions (subscriber_id, list_id, language, status, unsubscribed_at) "
      "SELECT id, 1, 'de', 'pending', now() FROM subscribers"));
  CHECK(db.Scalar("SELECT count(*) FROM subscriptions") == "0");
}
