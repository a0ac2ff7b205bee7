// Admin routes (CONTRACT §3 admin): lists, subscriber look-up, suppressions, the bulk check and
// the audit trail. Every route demands `Authorization: Bearer <token>` of one of the named admin
// tokens (OPTIN_ADMIN_TOKENS, OPTIN_ADMIN_TOKEN = `admin`; constant-time compare); with no token
// configured /admin/* answers 404. Routes that change something get the admin's name and audit
// the change through the store (admin_audit, same transaction).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "service/app/subscription_service.h"
#include "service/base/config.h"
#include "service/http/server.h"
#include "storage/admin_audit_store.h"
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
  AdminAuditStore& audit;
};

void RegisterAdminRoutes(HttpServer& server, AdminDeps deps);

// The bearer check: the name of the admin the token belongs to, or the NotFound/Unauthorized
// status to answer with.
Result<std::string> AuthenticateAdmin(const Config& config, const httplib::Request& req);
// The same without the name.
Status CheckAdminToken(const Config& config, const httplib::Request& req);

// Wraps a read-only admin handler with the bearer check. Exposed for the routes other units add.
httplib::Server::Handler AdminOnly(const Config& config, httplib::Server::Handler handler);

// Wraps an admin handler that changes something: it gets the admin's name, to build the
// AdminAction its store call audits.
using AdminChangeHandler =
    std::function<void(const std::string& admin, const httplib::Request&, httplib::Response&)>;
httplib::Server::Handler AdminChange(const Config& config, AdminChangeHandler handler);

// Parses a JSON object body for admin routes (415 for another type, 400 for bad JSON).
Result<nlohmann::json> AdminJsonBody(const httplib::Request& req);

}  // namespace optin::http
