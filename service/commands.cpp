#include "service/commands.h"

#include <cstdio>

#include "service/retention.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {

int RunSyncCommand(const Config& config, bool once) {
  (void)config;
  (void)once;
  std::fputs("optin: sync is not implemented yet\n", stderr);
  return 1;
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
