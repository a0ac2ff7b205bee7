// PowStore: the spent proof-of-work challenges (sql/queries/pow.sql), shared by every instance
// on one database so that a solution is accepted once across all of them (the retention run
// deletes expired ones). Safe for concurrent
// use.
#pragma once

#include <cstdint>
#include <string>

#include "service/base/status.h"

namespace optin {

class ConnectionPool;

class PowStore {
 public:
  explicit PowStore(ConnectionPool& pool) : pool_(pool) {}

  // True the first time `challenge` (valid until unix time `expires_unix`) is spent, false on
  // every later call from any instance. Unavailable when the database cannot be reached.
  Result<bool> Spend(const std::string& challenge, int64_t expires_unix);

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
