#include "storage/pool.h"

#include <catch2/catch.hpp>

#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/queries.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/test_db.h"
#include "tests/support/wait.h"

using namespace std::chrono_literals;

TEST_CASE("named queries parse and every registered name exists", "[queries]") {
  auto parsed = optin::ParseNamedQueries(
      "-- name: one\n-- does one thing\nSELECT 1;\n\n-- name: two\n-- two\nSELECT\n  2\n");
  REQUIRE(parsed.ok());
  CHECK(parsed->at("one") == "SELECT 1");
  CHECK(parsed->at("two") == "SELECT\n  2");
  CHECK_FALSE(optin::ParseNamedQueries("-- name: a\nSELECT 1\n-- name: a\nSELECT 2\n").ok());
  CHECK_FALSE(optin::ParseNamedQueries("-- name: empty\n-- nothing\n").ok());
  CHECK(optin::LoadNamedQueries().ok());
}

TEST_CASE("the pool hands out at most its size and times out with Unavailable", "[pool][db]") {
  optin::test::TestDatabase db;
  auto queries = optin::LoadNamedQueries();
  optin::ConnectionPool pool(db.url(), 2, 200ms, *queries);
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(pool.Stats().in_use == 2);
  auto start = std::chrono::steady_clock::now();
  auto c = pool.Acquire();
  CHECK_FALSE(c.ok());
  CHECK(c.status().code() == optin::StatusCode::kUnavailable);
  CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("the pool recovers after PostgreSQL restarts", "[pool][db]") {
  optin::test::PgCluster cluster;
  cluster.CreateDatabase("optin");
  REQUIRE(optin::Migrate(cluster.Url("optin")).ok());
  auto queries = optin::LoadNamedQueries();
  optin::ConnectionPool pool(cluster.Url("optin"), 2, 1s, *queries);
  REQUIRE(optin::PingDatabase(pool).ok());

  cluster.Stop();
  auto start = std::chrono::steady_clock::now();
  optin::Status down = optin::PingDatabase(pool);
  CHECK(down.code() == optin::StatusCode::kUnavailable);
  CHECK(std::chrono::steady_clock::now() - start < 5s);

  cluster.Start();
  CHECK(optin::test::WaitUntil([&] { return optin::PingDatabase(pool).ok(); }, 20s));
}
