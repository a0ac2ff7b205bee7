#include "storage/health.h"

#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kPing("ping");
}  // namespace

Status PingDatabase(ConnectionPool& pool) {
  return RunTransaction(pool, [](pqxx::work& txn) {
    txn.exec_prepared(kPing);
    return Status::Ok();
  });
}

}  // namespace optin
