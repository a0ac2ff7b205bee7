// Api: optin's whole HTTP interface (public, privacy, admin, sync and operations routes) behind
// one facade, so that the composition root never sees cpp-httplib. Built once at start-up from
// the use cases and stores it serves; Serve() runs on one thread, Stop() may come from any other.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "service/app/privacy_service.h"
#include "service/app/proof_of_work.h"
#include "service/app/subscription_service.h"
#include "service/base/config.h"
#include "service/base/metrics.h"
#include "service/base/status.h"
#include "service/domain/rate_limiter.h"
#include "storage/database.h"
#include "storage/import_store.h"
#include "storage/list_store.h"
#include "storage/subscriber_store.h"
#include "storage/suppression_store.h"
#include "storage/sync_outbox_store.h"

namespace optin::http {

// What the routes call into. Every reference must outlive the Api.
struct ApiDeps {
  const Config& config;
  MetricsRegistry& metrics;
  ConnectionPool& pool;  // /readyz
  SubscriptionService& subscriptions;
  PrivacyService& privacy;
  RateLimiter& per_client;  // /subscribe and /privacy/request, by client address
  ListStore& lists;
  SuppressionStore& suppressions;
  SubscriberStore& subscribers;
  ImportStore& imports;
  SyncOutboxStore& sync_outbox;
  const ProofOfWork& pow;  // /pow/*, /subscribe and /privacy/request
};

class Api {
 public:
  explicit Api(ApiDeps deps);
  ~Api();

  // Binds to config.listen; returns the bound port.
  Result<int> Bind();
  // Serves until Stop(); returns after in-flight requests finished.
  void Serve();
  // Thread-safe; returns at once.
  void Stop();
  // Every registered route as (method, route template), in registration order.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  class Server;
  std::unique_ptr<Server> server_;
};

}  // namespace optin::http
