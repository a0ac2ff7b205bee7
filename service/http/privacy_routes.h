// Privacy routes (CONTRACT §3 privacy): the request form and its POST, the verification link's
// page and POST (access export download, erasure, objection, unsubscribe), and the admin's
// DELETE /admin/subscribers (erasure without verification).
#pragma once

#include "service/app/privacy_service.h"
#include "service/app/proof_of_work.h"
#include "service/app/subscription_service.h"
#include "service/base/config.h"
#include "service/domain/rate_limiter.h"
#include "service/http/server.h"

namespace optin::http {

struct PrivacyDeps {
  const Config& config;
  PrivacyService& privacy;
  SubscriptionService& subscriptions;  // unsubscribe links in the access export
  RateLimiter& per_client;             // shared with /subscribe
  const ProofOfWork& pow;
};

void RegisterPrivacyRoutes(HttpServer& server, PrivacyDeps deps);

}  // namespace optin::http
