// In-memory fakes of the sync worker's ports (no database, no network): FakeSyncOutbox offers
// each queued row once and records the outcome the worker reports; FakeUnsubscribes records
// pulled unsubscribes; ScriptedCleverReach answers every call through a test-given function and
// logs the calls it got.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "integrations/cleverreach/client.h"
#include "service/domain/sync_outbox.h"

namespace optin::test {

class FakeSyncOutbox : public SyncOutbox {
 public:
  // Queues a row; ids are given in order from 1.
  int64_t Add(SyncItem item) {
    item.id = static_cast<int64_t>(due_.size() + outcomes_.size() + 1);
    due_.push_back(item);
    return item.id;
  }
  const std::map<int64_t, SyncOutcome>& outcomes() const { return outcomes_; }
  const SyncOutcome& outcome(int64_t id) const { return outcomes_.at(id); }
  int claims = 0;
  int successes = 0;
  int errors = 0;
  std::vector<std::string> groups;

  Result<int> ProcessDue(int limit, const DeliverFn& deliver) override {
    std::vector<SyncItem> batch;
    while (!due_.empty() && static_cast<int>(batch.size()) < limit) {
      batch.push_back(due_.front());
      due_.erase(due_.begin());
    }
    if (batch.empty()) return 0;
    ++claims;
    auto out = deliver(batch);
    if (out.size() != batch.size()) return Status::Internal("one outcome per item expected");
    for (size_t i = 0; i < batch.size(); ++i) outcomes_[batch[i].id] = out[i];
    return static_cast<int>(batch.size());
  }
  Result<int64_t> NextDueInMs() override { return due_.empty() ? -1 : 0; }
  Status RecordSuccess() override {
    ++successes;
    return Status::Ok();
  }
  Status RecordError(const std::string&) override {
    ++errors;
    return Status::Ok();
  }
  Status RecordPull() override { return Status::Ok(); }
  Result<std::vector<std::string>> Groups() override { return groups; }
  Result<int> ProcessInbox(const std::function<bool(const InboxItem&)>&) override { return 0; }

 private:
  std::vector<SyncItem> due_;
  std::map<int64_t, SyncOutcome> outcomes_;
};

class FakeUnsubscribes : public UnsubscribeRecorder {
 public:
  struct Call {
    std::string email, group_id;
    int64_t deactivated;
  };
  std::vector<Call> calls;
  Result<bool> RecordCleverReachUnsubscribe(const std::string& email, const std::string& group_id,
                                            int64_t deactivated, UnsubscribeScope) override {
    calls.push_back({email, group_id, deactivated});
    return true;
  }
};

// One call as ScriptedCleverReach saw it.
struct ApiCall {
  std::string method;  // "upsert", "deactivate", "delete", "blacklist_add", ...
  int64_t group_id = 0;
  std::vector<std::string> emails;  // the rows (upsert) or the one address
};

class ScriptedCleverReach : public cleverreach::CleverReachApi {
 public:
  // Answers an upsert; the default accepts every row.
  std::function<Result<cleverreach::UpsertResult>(const ApiCall&)> on_upsert =
      [](const ApiCall& c) {
        cleverreach::UpsertResult r;
        r.succeeded = c.emails;
        return Result<cleverreach::UpsertResult>(r);
      };
  // Answers every other call; the default succeeds.
  std::function<Status(const ApiCall&)> on_call = [](const ApiCall&) { return Status::Ok(); };
  std::vector<ApiCall>* log;  // where calls are recorded (outlives the worker that owns this)

  explicit ScriptedCleverReach(std::vector<ApiCall>* calls) : log(calls) {}

  Result<cleverreach::UpsertResult> UpsertReceivers(
      int64_t group_id, const std::vector<cleverreach::Receiver>& rows) override {
    ApiCall c{"upsert", group_id, {}};
    for (const auto& r : rows) c.emails.push_back(r.email);
    log->push_back(c);
    return on_upsert(c);
  }
  Status DeactivateReceiver(int64_t group_id, const std::string& email) override {
    return Simple("deactivate", group_id, email);
  }
  Status ActivateReceiver(int64_t group_id, const std::string& email) override {
    return Simple("activate", group_id, email);
  }
  Status DeleteReceiverFromGroup(int64_t group_id, const std::string& email) override {
    return Simple("delete_from_group", group_id, email);
  }
  Status DeleteReceiver(const std::string& email) override { return Simple("delete", 0, email); }
  Status BlacklistAdd(const std::string& email, const std::string&) override {
    return Simple("blacklist_add", 0, email);
  }
  Status BlacklistRemove(const std::string& email) override {
    return Simple("blacklist_remove", 0, email);
  }
  Result<std::vector<cleverreach::InactiveReceiver>> ListInactiveReceivers(int64_t, int,
                                                                           int) override {
    return std::vector<cleverreach::InactiveReceiver>{};
  }
  Result<cleverreach::RemoteReceiver> GetReceiver(int64_t, const std::string&) override {
    return Status::NotFound("not_found", "no such receiver");
  }
  Result<std::vector<cleverreach::Group>> ListGroups() override {
    return std::vector<cleverreach::Group>{};
  }

 private:
  Status Simple(const char* method, int64_t group_id, const std::string& email) {
    ApiCall c{method, group_id, {email}};
    log->push_back(c);
    return on_call(c);
  }
};

}  // namespace optin::test
