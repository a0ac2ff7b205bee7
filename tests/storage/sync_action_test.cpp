// SyncAction (service/domain/sync_action.h) against the PostgreSQL type it mirrors: every value of
// sync_action round-trips through ParseSyncAction/SyncActionName and back, and IsWithdrawal, the
// SQL function optin_is_withdrawal and the predicate of the partial index
// sync_outbox_withdrawal_age agree on each; the queries that measure the oldest withdrawal use that
// index.
#include "service/domain/sync_action.h"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <set>

#include "storage/queries.h"
#include "tests/support/test_db.h"

using namespace optin;
using namespace optin::test;

namespace {

std::vector<std::string> PgLabels(const TestDatabase& db) {
  pqxx::connection conn(db.url());
  pqxx::nontransaction n(conn);
  std::vector<std::string> labels;
  for (const auto& row : n.exec("SELECT enumlabel FROM pg_enum WHERE enumtypid = "
                                "'sync_action'::regtype ORDER BY enumsortorder")) {
    labels.push_back(row[0].c_str());
  }
  return labels;
}

}  // namespace

TEST_CASE("SyncAction mirrors the PostgreSQL enum sync_action", "[sync][db]") {
  TestDatabase db;
  const auto labels = PgLabels(db);
  REQUIRE(labels.size() == AllSyncActions().size());
  for (size_t i = 0; i < labels.size(); ++i) {
    CAPTURE(labels[i]);
    auto value = ParseSyncAction(labels[i]);
    REQUIRE(value.has_value());
    CHECK(*value == AllSyncActions()[i]);
    CHECK(SyncActionName(*value) == labels[i]);
  }
  CHECK_FALSE(ParseSyncAction("").has_value());
  CHECK_FALSE(ParseSyncAction("Upsert_receiver").has_value());
}

TEST_CASE("IsWithdrawal, optin_is_withdrawal and the withdrawal index agree", "[sync][db]") {
  TestDatabase db;
  const std::string predicate = db.Scalar(
      "SELECT pg_get_expr(indpred, indrelid) FROM pg_index "
      "WHERE indexrelid = 'sync_outbox_withdrawal_age'::regclass");
  REQUIRE_FALSE(predicate.empty());
  int withdrawals = 0;
  for (SyncAction a : AllSyncActions()) {
    const std::string label = SyncActionName(a);
    CAPTURE(label);
    const std::string value = "'" + label + "'::sync_action";
    CHECK((db.Scalar("SELECT optin_is_withdrawal(" + value + ")") == "t") == IsWithdrawal(a));
    CHECK((db.Scalar("SELECT " + predicate + " FROM (SELECT " + value + " AS action) t") == "t") ==
          IsWithdrawal(a));
    withdrawals += IsWithdrawal(a) ? 1 : 0;
  }
  CHECK(withdrawals == 3);
}

TEST_CASE("the oldest-withdrawal gauges use the partial index", "[sync][db]") {
  TestDatabase db;
  pqxx::connection conn(db.url());
  pqxx::work t(conn);
  t.exec("SET LOCAL enable_seqscan = off");
  const auto queries = LoadNamedQueries();
  REQUIRE(queries.ok());
  for (const char* name : {"outbox-gauges", "sync-status"}) {
    CAPTURE(name);
    auto it = queries->find(name);
    REQUIRE(it != queries->end());
    std::string plan;
    for (const auto& row : t.exec("EXPLAIN " + it->second))
      plan += row[0].c_str() + std::string("\n");
    CAPTURE(plan);
    CHECK(plan.find("sync_outbox_withdrawal_age") != std::string::npos);
  }
}
