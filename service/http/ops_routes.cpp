#include "service/http/ops_routes.h"

#include "service/http/respond.h"

namespace optin::http {

void RegisterOpsRoutes(HttpServer& server, ConnectionPool& pool) {
  server.Handle("GET", "/healthz", [](const httplib::Request&, httplib::Response& res) {
    WriteJson(res, 200, {{"status", "ok"}});
  });
  server.Handle("GET", "/readyz", [&pool](const httplib::Request&, httplib::Response& res) {
    Status s = PingDatabase(pool);
    if (!s.ok()) return WriteError(res, s);
    WriteJson(res, 200, {{"status", "ready"}});
  });
}

void RegisterMetricsRoute(HttpServer& server, const MetricsRegistry& metrics) {
  server.Handle("GET", "/metrics", [&metrics](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_content(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace optin::http
