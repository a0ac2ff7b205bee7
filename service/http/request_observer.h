// The per-request observer App installs on the HttpServer: counts requests by method, route
// template and status, records their latency by route, and writes one access-log line — with the
// client address reduced per OPTIN_IP_MODE, never a raw path, token or address. Safe for
// concurrent use (the registry locks; log lines are written whole).
#pragma once

#include "service/base/config.h"
#include "service/base/metrics.h"
#include "service/http/server.h"

namespace optin::http {

RequestObserver MakeRequestObserver(MetricsRegistry& metrics, IpMode ip_mode);

}  // namespace optin::http
