// Operations routes: /healthz (process alive) and /readyz (database reachable).
#pragma once

#include "service/http/server.h"
#include "storage/pool.h"

namespace optin::http {

void RegisterOpsRoutes(HttpServer& server, ConnectionPool& pool);

}  // namespace optin::http
