#include "storage/pool.h"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <thread>

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

TEST_CASE("a deadlock victim's transaction is run again, not reported as an error", "[pool][db]") {
  // libpqxx 6.4 throws pqxx::deadlock_detected, which is not a pqxx::sql_error; it once ended as
  // "unexpected database error" (a 500) instead of being retried.
  optin::test::TestDatabase db;
  db.Exec(
      "CREATE TABLE pair (id int PRIMARY KEY, n int NOT NULL); INSERT INTO pair VALUES (1, 0), (2, "
      "0)");
  auto pool = db.MakePool(2);
  pqxx::connection other(db.url());
  pqxx::work b(other);
  // b detects nothing itself: the transaction below is the one whose check finds the cycle.
  b.exec("SET LOCAL deadlock_timeout = '1h'");
  b.exec("SET LOCAL lock_timeout = '30s'");
  b.exec("UPDATE pair SET n = n + 10 WHERE id = 2");
  int attempts = 0;
  optin::Status status = optin::Status::Internal("not run");
  std::thread a([&] {
    status = optin::RunTransaction(*pool, [&](pqxx::work& txn) {
      ++attempts;
      txn.exec("SET LOCAL deadlock_timeout = '2s'");
      txn.exec("UPDATE pair SET n = n + 1 WHERE id = 1");
      txn.exec("UPDATE pair SET n = n + 1 WHERE id = 2");  // waits for b
      return optin::Status::Ok();
    });
  });
  bool a_waits = optin::test::WaitUntil(
      [&] {
        return db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db.name() +
                         "' AND wait_event_type = 'Lock'") == "1";
      },
      10s);
  if (a_waits) b.exec("UPDATE pair SET n = n + 10 WHERE id = 1");  // the cycle; a is aborted
  b.commit();
  a.join();
  REQUIRE(a_waits);
  CHECK(status.ok());
  CHECK(attempts == 2);
  CHECK(db.Scalar("SELECT string_agg(n::text, ',' ORDER BY id) FROM pair") == "11,11");
}
