#include "storage/database.h"

#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kPing("ping");
}  // namespace

Result<std::shared_ptr<ConnectionPool>> OpenPool(const std::string& url, int size,
                                                 std::chrono::milliseconds acquire_timeout) {
  auto queries = LoadNamedQueries();
  if (!queries.ok()) return queries.status();
  return std::make_shared<ConnectionPool>(url, size, acquire_timeout, std::move(*queries));
}

PoolStats StatsOf(const ConnectionPool& pool) { return pool.Stats(); }

Status PingDatabase(ConnectionPool& pool) {
  return RunTransaction(pool, [](pqxx::work& txn) {
    txn.exec_prepared(kPing);
    return Status::Ok();
  });
}

}  // namespace optin
