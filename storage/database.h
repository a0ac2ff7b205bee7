// The database as the composition root and the HTTP adapter see it: an opaque connection pool
// (every named query loaded and prepared per connection) and its load figures, so that nothing
// outside storage/ includes pqxx. Safe for concurrent use.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "service/base/status.h"

namespace optin {

class ConnectionPool;

struct PoolStats {
  int size = 0;
  int in_use = 0;
  int waiting = 0;
};

// Loads the named queries and builds a pool of `size` lazily opened connections.
// REQUIRES: size >= 1. Fails (InvalidArgument) when a query name in use has no SQL.
Result<std::shared_ptr<ConnectionPool>> OpenPool(const std::string& url, int size,
                                                 std::chrono::milliseconds acquire_timeout);

PoolStats StatsOf(const ConnectionPool& pool);

// Ok when a pooled connection answers a trivial query; Unavailable otherwise.
Status PingDatabase(ConnectionPool& pool);

}  // namespace optin
