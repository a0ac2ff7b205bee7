// SyncOutboxStore: the CleverReach outbox as the sync worker sees it — claiming due rows (one
// sender per row across every optin process: FOR UPDATE SKIP LOCKED, held while the rows are
// sent), applying per-row outcomes, dead letters, the shared sync state, and webhook deliveries.
// Safe for concurrent use.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "service/base/status.h"
#include "service/domain/sync_outbox.h"

namespace optin {

class ConnectionPool;

struct SyncStatus {
  int64_t queued = 0;  // not dead
  int64_t due = 0;
  int64_t oldest_due_age_seconds = 0;
  int64_t dead = 0;
  int64_t unsubscribe_pending_oldest_seconds =
      0;  // oldest withdrawal CleverReach has not acknowledged
  std::string last_success_at, last_error_at, last_error, last_pull_at;
};

struct DeadLetter {
  int64_t id = 0;
  std::string action, email;
  int attempts = 0;
  std::string last_error, dead_at;
};

class SyncOutboxStore : public SyncOutbox {
 public:
  explicit SyncOutboxStore(ConnectionPool& pool) : pool_(pool) {}

  // Claims up to `limit` due rows and calls `deliver` with them while they stay locked; applies
  // the outcomes (one per item, same order) and commits. Returns how many rows were claimed.
  // A crash before the commit releases the rows, so nothing is lost (sends are idempotent).
  Result<int> ProcessDue(int limit, const DeliverFn& deliver) override;
  // Milliseconds until the next row falls due; -1 when nothing waits.
  Result<int64_t> NextDueInMs() override;

  // Records whether this deployment runs the sync (serve and sync call it at start). While off,
  // no outbox row that holds an address is queued (a trigger drops it) and such rows already
  // queued are deleted; turning it on makes a reconciliation due.
  Status SetEnabled(bool enabled);

  Status RecordSuccess() override;
  Status RecordError(const std::string& message) override;
  Status RecordPull() override;
  Result<SyncStatus> Snapshot();
  Result<std::vector<DeadLetter>> DeadLetters();
  // Requeues dead letters: all when id == 0. Returns how many.
  Result<int64_t> RetryDead(int64_t id);
  // The CleverReach groups lists are synced to.
  Result<std::vector<std::string>> Groups() override;

  Status InboxAdd(const std::string& event, const std::string& group_id,
                  const std::string& pool_id);
  // Like ProcessDue for webhook deliveries: `handle` returns true when done (or to be dropped).
  Result<int> ProcessInbox(const std::function<bool(const InboxItem&)>& handle) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
