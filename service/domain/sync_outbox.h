// The sync worker's ports: SyncOutbox (the CleverReach outbox as the sync worker sees it, with the
// rows it claims and the outcomes it reports) and UnsubscribeRecorder (applies an unsubscribe made
// at CleverReach). storage/ implements them (SyncOutboxStore, SuppressionStore); the tests use
// in-memory fakes (tests/fakes/). Implementations are safe for concurrent use.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "service/base/config.h"
#include "service/base/status.h"
#include "service/domain/sync_action.h"

namespace optin {

// One claimed row; for upserts the receiver as it is now.
struct SyncItem {
  int64_t id = 0;
  SyncAction action = SyncAction::kUpsertReceiver;
  int attempts = 0;
  std::string email;
  std::string email_hash;
  std::string group_id;  // "" = the list has no group (upserts become obsolete)
  std::string status;    // subscription status, for upserts
  int64_t registered = 0;
  int64_t activated = 0;
  std::string source;
  std::string name;
  std::string language;
  int64_t subscription_id = 0;
};

struct SyncOutcome {
  enum class Kind { kDelivered, kRetry, kDead, kPostpone };
  Kind kind = Kind::kDelivered;
  std::chrono::milliseconds delay{0};  // kRetry, kPostpone
  std::string error;                   // kRetry, kDead: short, no address, no secret
};

struct InboxItem {
  int64_t id = 0;
  std::string group_id, pool_id;
  int attempts = 0;
};

// A CleverReach group id as stored ("12345"): digits only, 1 .. 2^63-1. InvalidArgument
// ("invalid_group_id") otherwise — never an exception.
Result<int64_t> ParseGroupId(const std::string& text);

class SyncOutbox {
 public:
  using DeliverFn = std::function<std::vector<SyncOutcome>(const std::vector<SyncItem>&)>;
  virtual ~SyncOutbox() = default;

  // Claims up to `limit` due rows and calls `deliver` with them while they stay claimed; applies
  // the outcomes (one per item, same order). Returns how many rows were claimed.
  virtual Result<int> ProcessDue(int limit, const DeliverFn& deliver) = 0;
  // Milliseconds until the next row falls due; -1 when nothing waits.
  virtual Result<int64_t> NextDueInMs() = 0;
  virtual Status RecordSuccess() = 0;
  virtual Status RecordError(const std::string& message) = 0;
  virtual Status RecordPull() = 0;
  // The CleverReach groups lists are synced to.
  virtual Result<std::vector<std::string>> Groups() = 0;
  // Like ProcessDue for webhook deliveries: `handle` returns true when done (or to be dropped).
  virtual Result<int> ProcessInbox(const std::function<bool(const InboxItem&)>& handle) = 0;
};

class UnsubscribeRecorder {
 public:
  virtual ~UnsubscribeRecorder() = default;
  // An unsubscribe made at CleverReach at `deactivated` (unix s) for a normalised address, applied
  // per `scope` for every list synced to that group. True when applied now, false when it had
  // been before.
  virtual Result<bool> RecordCleverReachUnsubscribe(const std::string& email,
                                                    const std::string& group_id,
                                                    int64_t deactivated,
                                                    UnsubscribeScope scope) = 0;
};

}  // namespace optin
