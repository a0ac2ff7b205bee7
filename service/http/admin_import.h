// POST /admin/import (CONTRACT §3 admin): a CSV of subscribers who gave double opt-in elsewhere,
// streamed from the socket through the Importer in batches; answers counts per outcome.
#pragma once

#include "service/app/subscription_service.h"
#include "service/base/config.h"
#include "service/http/server.h"
#include "storage/import_store.h"

namespace optin::http {

struct ImportDeps {
  const Config& config;
  SubscriptionService& subscriptions;  // list look-ups (cached)
  ImportStore& store;
};

void RegisterImportRoutes(HttpServer& server, ImportDeps deps);

}  // namespace optin::http
