// SyncWorker: tells CleverReach what changed here (drains sync_outbox: upserts in batches,
// deactivations, blacklist changes, deletions) and pulls back unsubscribes made there, every
// OPTIN_SYNC_INTERVAL and from webhook deliveries. Retries 429/5xx with exponential backoff and
// jitter (honouring Retry-After); a row that failed 10 times, or was refused for good, becomes a
// dead letter. An upsert whose outcome is unknown (timeout, dropped connection, 5xx) may still
// land at CleverReach later; a deactivation or deletion of those receivers waits until it can no
// longer be overtaken by it. Run() on one thread; counters readable from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "integrations/cleverreach/client.h"
#include "service/app/worker.h"
#include "service/base/config.h"
#include "service/domain/sync_outbox.h"
#include "storage/notification_listener.h"

namespace optin {

struct SyncCounters {
  std::atomic<uint64_t> calls{0};      // CleverReach API calls made
  std::atomic<uint64_t> errors{0};     // calls that failed
  std::atomic<uint64_t> delivered{0};  // outbox rows done
  std::atomic<uint64_t> dead{0};       // rows that became dead letters
  std::atomic<uint64_t> pulled{0};     // unsubscribes applied from CleverReach
};

class SyncWorker : public Worker {
 public:
  static constexpr int kMaxAttempts = 10;
  static constexpr int kClaimLimit = 1000;

  // `unsubscribe_url` builds a subscription's personal unsubscribe link (pushed as attribute).
  // `listener` may be null (then it polls).
  SyncWorker(const Config& config, SyncOutbox& outbox, UnsubscribeRecorder& suppressions,
             std::unique_ptr<cleverreach::CleverReachApi> api,
             std::function<std::string(int64_t)> unsubscribe_url,
             std::unique_ptr<NotificationListener> listener);

  const char* name() const override { return "cleverreach-sync"; }
  void Run(StopSignal& stop) override;
  // `optin sync --once`: drains what is due, applies webhook deliveries, pulls once. Ok when
  // every step succeeded.
  Status RunOnce();
  const SyncCounters& counters() const { return counters_; }

 private:
  // Drains due rows until none is due (or a 429 pauses the sync); false if anything failed.
  bool Drain(StopSignal* stop);
  std::vector<SyncOutcome> Deliver(const std::vector<SyncItem>& items);
  void DeliverUpserts(const std::string& group_id, const std::vector<size_t>& idx,
                      const std::vector<SyncItem>& items, std::vector<SyncOutcome>& out);
  // One non-upsert call.
  Status Send(const SyncItem& item);
  // Turns a failed call into the item's outcome; on 429/5xx also halts the rest of the batch.
  void Fail(const Status& s, const SyncItem& item, SyncOutcome& out);
  cleverreach::Receiver ReceiverOf(const SyncItem& item) const;
  // Remembers the rows of a failed upsert that may still land (see the header comment).
  void MarkUncertain(const Status& s, const std::vector<cleverreach::Receiver>& rows);
  std::chrono::milliseconds Backoff(int attempts) const;
  Status Pull();
  Status ProcessInbox();
  Status Note(const Status& s, const char* what);
  void WaitForWork(StopSignal& stop, std::chrono::steady_clock::time_point next_pull);

  const Config& config_;
  SyncOutbox& outbox_;
  UnsubscribeRecorder& suppressions_;
  const std::unique_ptr<cleverreach::CleverReachApi> api_;
  const std::function<std::string(int64_t)> unsubscribe_url_;
  const std::unique_ptr<NotificationListener> listener_;
  size_t batch_size_ = cleverreach::kDefaultBatchSize;
  std::chrono::steady_clock::time_point paused_until_{};
  bool pass_failed_ = false;
  std::chrono::milliseconds halt_{0};  // > 0: the rest of the current batch is postponed by it
  // Receivers (email) of upserts with an unknown outcome, until when such a call could still land.
  std::map<std::string, std::chrono::steady_clock::time_point> uncertain_until_;
  SyncCounters counters_;
};

}  // namespace optin
