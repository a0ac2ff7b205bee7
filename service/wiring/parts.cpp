#include "service/wiring/parts.h"

#include <signal.h>

#include "integrations/cleverreach/client.h"
#include "service/base/log.h"
#include "service/domain/links.h"
#include "storage/notification_listener.h"

namespace optin {

Result<std::shared_ptr<ConnectionPool>> OpenConfiguredPool(const Config& config, int size) {
  return OpenPool(config.database_url, size, config.db_acquire_timeout);
}

std::unique_ptr<SyncWorker> MakeSyncWorker(const Config& config, SyncOutboxStore& outbox,
                                           SuppressionStore& suppressions) {
  return std::make_unique<SyncWorker>(
      config, outbox, suppressions, std::make_unique<cleverreach::CleverReachClient>(config),
      [&config](int64_t id) { return UnsubscribeUrl(config, id); },
      std::make_unique<NotificationListener>(config.database_url, "optin_sync"));
}

void AddSyncCollector(MetricsRegistry& metrics, const SyncWorker& worker) {
  const SyncCounters* counters = &worker.counters();
  metrics.AddCollector([counters](MetricsWriter& out) {
    out.Counter("optin_sync_calls_total", "CleverReach API calls made.", counters->calls.load());
    out.Counter("optin_sync_errors_total", "CleverReach API calls that failed.",
                counters->errors.load());
    out.Counter("optin_sync_delivered_total", "Outbox rows CleverReach has learnt.",
                counters->delivered.load());
    out.Counter("optin_sync_dead_letters_total", "Outbox rows given up on (dead letters).",
                counters->dead.load());
    out.Counter("optin_sync_pulled_unsubscribes_total",
                "Unsubscribes made at CleverReach applied here.", counters->pulled.load());
  });
}

void StartSignalThread(std::function<void()> on_signal) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, on_signal = std::move(on_signal)] {
    int sig = 0;
    sigwait(&set, &sig);
    LogInfo("shutdown_requested", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
    on_signal();
  }).detach();
}

}  // namespace optin
