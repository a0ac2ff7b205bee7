// Database health check for /readyz. Stateless.
#pragma once

#include "service/status.h"
#include "storage/pool.h"

namespace optin {

// Ok when a pooled connection answers a trivial query; Unavailable otherwise.
Status PingDatabase(ConnectionPool& pool);

}  // namespace optin
