#include "service/wiring/commands.h"

#include <cstdio>

#include "service/app/retention.h"
#include "service/base/log.h"
#include "service/base/stop_signal.h"
#include "service/domain/address.h"
#include "service/wiring/parts.h"
#include "storage/ledger_store.h"
#include "storage/retention_store.h"

namespace optin {

int RunSyncCommand(const Config& config, bool once) {
  if (!config.cleverreach_enabled()) {
    std::fputs(
        "optin: sync is off: set OPTIN_CLEVERREACH_CLIENT_ID and OPTIN_CLEVERREACH_CLIENT_SECRET\n",
        stderr);
    return 1;
  }
  auto pool = OpenConfiguredPool(config, 3);
  if (!pool.ok()) {
    std::fprintf(stderr, "optin: %s\n", pool.status().message().c_str());
    return 1;
  }
  SyncOutboxStore outbox(**pool);
  if (Status s = outbox.SetEnabled(true); !s.ok()) {
    std::fprintf(stderr, "optin: %s\n", s.message().c_str());
    return 1;
  }
  SuppressionStore suppressions(**pool);
  auto worker = MakeSyncWorker(config, outbox, suppressions);
  if (once) {
    Status s = worker->RunOnce();
    if (!s.ok()) {
      std::fprintf(stderr, "optin: sync: %s\n", s.message().c_str());
      return 1;
    }
    std::printf("{\"delivered\":%llu,\"pulled\":%llu}\n",
                static_cast<unsigned long long>(worker->counters().delivered),
                static_cast<unsigned long long>(worker->counters().pulled));
    return 0;
  }
  StopSignal stop;
  StartSignalThread([&stop] { stop.Stop(); });
  LogInfo("sync_started");
  worker->Run(stop);
  LogInfo("stopped");
  return 0;
}

int RunPurgeCommand(const Config& config) {
  auto pool = OpenConfiguredPool(config, 1);
  if (!pool.ok()) {
    std::fprintf(stderr, "optin: %s\n", pool.status().message().c_str());
    return 1;
  }
  auto counts = RetentionStore(**pool).Purge(RetentionRulesFrom(config));
  if (!counts.ok()) {
    std::fprintf(stderr, "optin: purge failed: %s\n", counts.status().message().c_str());
    return 1;
  }
  std::printf("%s\n", PurgeCountsJson(*counts).dump().c_str());
  return 0;
}

int RunVerifyLedgerCommand(const Config& config, const std::string& email) {
  std::string hash;
  if (!email.empty()) {
    auto normalized = NormalizeAddress(email);
    if (!normalized.ok()) {
      std::fprintf(stderr, "optin: --email: %s\n", normalized.status().message().c_str());
      return 2;
    }
    hash = AddressHash(*normalized);
  }
  auto pool = OpenConfiguredPool(config, 1);
  if (!pool.ok()) {
    std::fprintf(stderr, "optin: %s\n", pool.status().message().c_str());
    return 1;
  }
  auto report = LedgerStore(**pool).Verify(hash);
  if (!report.ok()) {
    std::fprintf(stderr, "optin: verify-ledger failed: %s\n", report.status().message().c_str());
    return 1;
  }
  for (const auto& b : report->broken) {
    std::printf("broken: %s (email_hash %s) at event %lld: %s\n",
                b.email.empty() ? "(address erased)" : b.email.c_str(), b.chain.email_hash.c_str(),
                static_cast<long long>(b.chain.event_id), b.chain.reason.c_str());
  }
  std::printf("%s: %lld events in %lld chains, %zu broken\n", report->ok() ? "ok" : "BROKEN",
              static_cast<long long>(report->events), static_cast<long long>(report->chains),
              report->broken.size());
  return report->ok() ? 0 : 1;
}

}  // namespace optin
