// The scrape-time families of GET /metrics that are read rather than counted: mailer counters,
// connection pool usage, and the mail/sync outbox gauges (one SQL query per scrape). Installed
// once by App as collectors on its MetricsRegistry; the collectors are safe for concurrent use.
#pragma once

#include "service/base/metrics.h"

namespace optin {

class ConnectionPool;
struct MailerCounters;

// `mailer` may be null (no mailer in this process): its counters then read 0.
void AddOperationsCollectors(MetricsRegistry& metrics, ConnectionPool& pool,
                             const MailerCounters* mailer);

}  // namespace optin
