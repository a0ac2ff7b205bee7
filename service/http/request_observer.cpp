#include "service/http/request_observer.h"

#include <cmath>

#include "service/base/log.h"
#include "service/domain/ip_address.h"

namespace optin::http {
namespace {

bool IsProbeRoute(const std::string& route) {
  return route == "/healthz" || route == "/readyz" || route == "/metrics";
}

}  // namespace

RequestObserver MakeRequestObserver(MetricsRegistry& metrics, IpMode ip_mode) {
  CounterFamily& requests = metrics.Counter("optin_http_requests_total",
                                            "HTTP requests by method, route template and status.");
  HistogramFamily& latency =
      metrics.Histogram("optin_http_request_duration_seconds",
                        "Time spent in the handler, by method and route template.");
  return [&requests, &latency, ip_mode](const std::string& method, const std::string& route,
                                        int status, double seconds, const std::string& client_ip) {
    requests.Inc({{"method", method}, {"route", route}, {"status", std::to_string(status)}});
    latency.Observe({{"method", method}, {"route", route}}, seconds);
    // Probes (load balancer, Prometheus) would drown the access log, and formatting a log line
    // was a tenth of a health check's cost: successful ones are counted, not logged.
    if (status < 400 && IsProbeRoute(route)) return;
    nlohmann::json fields = {{"method", method},
                             {"route", route},
                             {"status", status},
                             {"duration_ms", std::round(seconds * 10'000.0) / 10.0}};
    std::string ip = StoredIp(client_ip, ip_mode);
    if (!ip.empty()) fields["client_ip"] = ip;
    LogInfo("request", fields);
  };
}

}  // namespace optin::http
