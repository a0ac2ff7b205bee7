#include "storage/pow_store.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "storage/pool.h"
#include "storage/retention_store.h"
#include "tests/support/test_db.h"

using namespace optin;
using namespace optin::test;

namespace {

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("a proof-of-work challenge is spent once, on every instance", "[pow][db]") {
  TestDatabase db;
  // Two pools stand for two optin instances on one database.
  auto pool_a = db.MakePool(2);
  auto pool_b = db.MakePool(2);
  PowStore a(*pool_a), b(*pool_b);
  const std::string challenge(64, 'c');
  auto first = a.Spend(challenge, UnixNow() + 600);
  REQUIRE(first.ok());
  CHECK(*first);
  auto again_here = a.Spend(challenge, UnixNow() + 600);
  REQUIRE(again_here.ok());
  CHECK_FALSE(*again_here);
  auto on_other_instance = b.Spend(challenge, UnixNow() + 600);
  REQUIRE(on_other_instance.ok());
  CHECK_FALSE(*on_other_instance);
  auto other = b.Spend(std::string(64, 'd'), UnixNow() + 600);
  REQUIRE(other.ok());
  CHECK(*other);
  CHECK(db.Scalar("SELECT count(*) FROM pow_spent_challenges") == "2");
}

TEST_CASE("spent challenges are kept until they expire, then purged", "[pow][db]") {
  TestDatabase db;
  auto pool = db.MakePool(2);
  PowStore store(*pool);
  REQUIRE(*store.Spend(std::string(64, 'e'), UnixNow() - 5));    // expired already
  REQUIRE(*store.Spend(std::string(64, 'f'), UnixNow() + 600));  // still valid
  RetentionStore retention(*pool);
  auto counts = retention.Purge(RetentionRules{});
  REQUIRE(counts.ok());
  CHECK(counts->pow_challenges == 1);
  CHECK(db.Scalar("SELECT challenge FROM pow_spent_challenges") == std::string(64, 'f'));
  // The unexpired one still refuses a replay.
  CHECK_FALSE(*store.Spend(std::string(64, 'f'), UnixNow() + 600));
}
