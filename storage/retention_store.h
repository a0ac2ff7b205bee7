// RetentionStore: the deletions `optin purge` and the daily retention run make (CONTRACT §5), in
// bounded batches of one transaction each, so a large backlog never holds long locks. Suppression
// entries are never touched. Safe for concurrent use; two runs at once skip each other's rows.
#pragma once

#include <chrono>
#include <cstdint>

#include "service/base/status.h"

namespace optin {

class ConnectionPool;

struct RetentionRules {
  std::chrono::seconds unconfirmed{30LL * 24 * 3600};   // OPTIN_UNCONFIRMED_RETENTION
  std::chrono::seconds consent{3LL * 365 * 24 * 3600};  // OPTIN_CONSENT_RETENTION
  // Spent or expired links are kept this long so that a second click still gets "already
  // confirmed" or "expired" instead of "invalid link".
  std::chrono::seconds token_grace{24 * 3600};
  int64_t batch_size = 1000;
};

struct PurgeCounts {
  int64_t unconfirmed_signups = 0;  // pending subscriptions deleted
  int64_t ended_subscriptions = 0;  // unsubscribed subscriptions deleted with their events
  int64_t consent_events = 0;
  int64_t subscribers = 0;  // subscriber rows with nothing left
  int64_t confirmation_tokens = 0;
  int64_t privacy_tokens = 0;
  int64_t privacy_requests = 0;
  int64_t dead_upserts = 0;    // upsert dead letters older than the consent retention
  int64_t pow_challenges = 0;  // spent proof-of-work challenges past their expiry
};

class RetentionStore {
 public:
  explicit RetentionStore(ConnectionPool& pool) : pool_(pool) {}

  // Deletes everything due under `rules`; stops at the first database error.
  Result<PurgeCounts> Purge(const RetentionRules& rules);

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
