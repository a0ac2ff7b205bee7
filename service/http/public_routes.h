// Public routes: the signup form's POST, confirmation and unsubscribe links (CONTRACT §3), the
// built-in pages behind them, and the copy-paste signup form.
#pragma once

#include "service/app/proof_of_work.h"
#include "service/app/subscription_service.h"
#include "service/base/config.h"
#include "service/domain/rate_limiter.h"
#include "service/http/server.h"

namespace optin::http {

struct PublicDeps {
  const Config& config;
  SubscriptionService& subscriptions;
  RateLimiter& per_client;  // /subscribe and /privacy/request, by client address
  const ProofOfWork& pow;
};

void RegisterPublicRoutes(HttpServer& server, PublicDeps deps);

}  // namespace optin::http
