#include "service/commands.h"

#include <signal.h>

#include <cstdio>
#include <thread>

#include "integrations/cleverreach/client.h"
#include "service/links.h"
#include "service/log.h"
#include "service/stop_signal.h"
#include "service/sync_worker.h"
#include "storage/notification_listener.h"
#include "storage/pool.h"
#include "storage/queries.h"
#include "storage/suppression_store.h"
#include "storage/sync_outbox_store.h"

#include "service/retention.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {

Result<std::unique_ptr<ConnectionPool>> MakePool(const Config& config, int size) {
  auto queries = LoadNamedQueries();
  if (!queries.ok()) return queries.status();
  return std::make_unique<ConnectionPool>(config.database_url, size, config.db_acquire_timeout, std::move(*queries));
}

}  // namespace

int RunSyncCommand(const Config& config, bool once) {
  if (!config.cleverreach_enabled()) {
    std::fputs("optin: sync is off: set OPTIN_CLEVERREACH_CLIENT_ID and OPTIN_CLEVERREACH_CLIENT_SECRET\n", stderr);
    return 1;
  }
  auto pool = MakePool(config, 3);
  if (!pool.ok()) {
    std::fprintf(stderr, "optin: %s\n", pool.status().message().c_str());
    return 1;
  }
  SyncOutboxStore outbox(**pool);
  SuppressionStore suppressions(**pool);
  SyncWorker worker(config, outbox, suppressions, std::make_unique<cleverreach::CleverReachClient>(config),
                    [&config](int64_t id) { return UnsubscribeUrl(config, id); },
                    std::make_unique<NotificationListener>(config.database_url, "optin_sync"));
  if (once) {
    Status s = worker.RunOnce();
    if (!s.ok()) {
      std::fprintf(stderr, "optin: sync: %s\n", s.message().c_str());
      return 1;
    }
    std::printf("{\"delivered\":%llu,\"pulled\":%llu}\n", static_cast<unsigned long long>(worker.counters().delivered),
                static_cast<unsigned long long>(worker.counters().pulled));
    return 0;
  }
  StopSignal stop;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread signals([&stop, set] {
    int sig = 0;
    sigwait(&set, &sig);
    stop.Stop();
  });
  signals.detach();
  LogInfo("sync_started");
  worker.Run(stop);
  LogInfo("stopped");
  return 0;
}

int RunPurgeCommand(const Config& config) {
  auto queries = LoadNamedQueries();
  if (!queries.ok()) {
    std::fprintf(stderr, "optin: %s\n", queries.status().message().c_str());
    return 1;
  }
  ConnectionPool pool(config.database_url, 1, config.db_acquire_timeout, std::move(*queries));
  auto counts = RetentionStore(pool).Purge(RetentionRulesFrom(config));
  if (!counts.ok()) {
    std::fprintf(stderr, "optin: purge failed: %s\n", counts.status().message().c_str());
    return 1;
  }
  std::printf("%s\n", PurgeCountsJson(*counts).dump().c_str());
  return 0;
}

}  // namespace optin
