// CleverReach sync routes: GET /admin/sync (queue, last success/error, dead letters),
// POST /admin/sync/retry (dead letters back into the queue), and the optional webhook
// /webhooks/cleverreach (URL check, X-CR-Calltoken, receiver.unsubscribed → inbox for the worker).
#pragma once

#include "service/base/config.h"
#include "service/http/server.h"
#include "storage/sync_outbox_store.h"

namespace optin::http {

void RegisterSyncRoutes(HttpServer& server, const Config& config, SyncOutboxStore& outbox);

}  // namespace optin::http
