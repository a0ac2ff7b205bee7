// The parts that `serve`, `sync` and `purge` build alike, made in one place: the connection pool,
// the CleverReach sync worker with its metrics, and the signal thread. Functions only; each
// result belongs to the caller.
#pragma once

#include <functional>
#include <memory>
#include <thread>

#include "service/app/sync_worker.h"
#include "service/base/config.h"
#include "service/base/metrics.h"
#include "service/base/status.h"
#include "storage/database.h"
#include "storage/suppression_store.h"
#include "storage/sync_outbox_store.h"

namespace optin {

// REQUIRES: config.database_url set.
Result<std::shared_ptr<ConnectionPool>> OpenConfiguredPool(const Config& config, int size);

// REQUIRES: config.cleverreach_enabled().
std::unique_ptr<SyncWorker> MakeSyncWorker(const Config& config, SyncOutboxStore& outbox,
                                           SuppressionStore& suppressions);
// Exposes the worker's counters on /metrics. REQUIRES: `worker` outlives `metrics`' use.
void AddSyncCollector(MetricsRegistry& metrics, const SyncWorker& worker);

// Blocks SIGINT/SIGTERM in the calling thread (and so in every thread started after it) and
// starts a detached thread that waits for one of them, logs it and calls `on_signal` once.
void StartSignalThread(std::function<void()> on_signal);

}  // namespace optin
