// Admin routes (CONTRACT §3 admin): lists, subscriber look-up, suppressions and the bulk check.
// Every route demands `Authorization: Bearer $OPTIN_ADMIN_TOKEN` (constant-time compare); with
// no token configured /admin/* answers 404.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "service/app/subscription_service.h"
#include "service/base/config.h"
#include "service/http/server.h"
#include "storage/list_store.h"
#include "storage/subscriber_store.h"
#include "storage/suppression_store.h"

namespace optin::http {

struct AdminDeps {
  const Config& config;
  SubscriptionService& subscriptions;
  ListStore& lists;
  SuppressionStore& suppressions;
  SubscriberStore& subscribers;
};

void RegisterAdminRoutes(HttpServer& server, AdminDeps deps);

// The bearer check alone: Ok, or the NotFound/Unauthorized status to answer with.
Status CheckAdminToken(const Config& config, const httplib::Request& req);

// Wraps an admin handler with the bearer check. Exposed for the routes other units add.
httplib::Server::Handler AdminOnly(const Config& config, httplib::Server::Handler handler);

// Parses a JSON object body for admin routes (415 for another type, 400 for bad JSON).
Result<nlohmann::json> AdminJsonBody(const httplib::Request& req);

}  // namespace optin::http
