// Retention (CONTRACT §5): the rules taken from Config, the daily worker inside `optin serve`
// (first run shortly after start-up) and the counts `optin purge` prints. The worker runs on one
// thread; the free functions are stateless.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>

#include "service/app/worker.h"
#include "service/base/config.h"
#include "storage/retention_store.h"

namespace optin {

RetentionRules RetentionRulesFrom(const Config& config);
nlohmann::json PurgeCountsJson(const PurgeCounts& counts);

// Runs RetentionStore::Purge after `first_delay`, then every `interval` (an hour after a
// failure). Logs the counts.
class RetentionWorker : public Worker {
 public:
  RetentionWorker(RetentionStore& store, RetentionRules rules,
                  std::chrono::milliseconds first_delay = std::chrono::seconds(30),
                  std::chrono::milliseconds interval = std::chrono::hours(24))
      : store_(store), rules_(rules), first_delay_(first_delay), interval_(interval) {}

  const char* name() const override { return "retention"; }
  void Run(StopSignal& stop) override;

 private:
  RetentionStore& store_;
  const RetentionRules rules_;
  const std::chrono::milliseconds first_delay_;
  const std::chrono::milliseconds interval_;
};

}  // namespace optin
