#include "storage/pow_store.h"

#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kSpend("pow-spend");
}  // namespace

Result<bool> PowStore::Spend(const std::string& challenge, int64_t expires_unix) {
  bool first = false;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    first = !txn.exec_prepared(kSpend, challenge, expires_unix).empty();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return first;
}

}  // namespace optin
