// Operations routes: /healthz (process alive), /readyz (database reachable) and /metrics (the
// Prometheus exposition of a MetricsRegistry). Stateless beyond the references they hold.
#pragma once

#include "service/base/metrics.h"
#include "service/http/server.h"
#include "storage/database.h"

namespace optin::http {

void RegisterOpsRoutes(HttpServer& server, ConnectionPool& pool);
void RegisterMetricsRoute(HttpServer& server, const MetricsRegistry& metrics);

}  // namespace optin::http
