#include "service/app/sync_worker.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "service/base/log.h"
#include "service/domain/address.h"
#include "service/domain/retry_policy.h"

namespace optin {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

SyncOutcome Delivered() { return SyncOutcome{SyncOutcome::Kind::kDelivered, milliseconds(0), ""}; }
SyncOutcome Postponed(milliseconds d) { return SyncOutcome{SyncOutcome::Kind::kPostpone, d, ""}; }

bool IsPermanent(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ||
         s.code() == StatusCode::kConflict || s.code() == StatusCode::kPayloadTooLarge;
}

}  // namespace

SyncWorker::SyncWorker(const Config& config, SyncOutbox& outbox, UnsubscribeRecorder& suppressions,
                       std::unique_ptr<cleverreach::CleverReachApi> api,
                       std::function<std::string(int64_t)> unsubscribe_url,
                       std::unique_ptr<NotificationListener> listener)
    : config_(config),
      outbox_(outbox),
      suppressions_(suppressions),
      api_(std::move(api)),
      unsubscribe_url_(std::move(unsubscribe_url)),
      listener_(std::move(listener)) {}

milliseconds SyncWorker::Backoff(int attempts) const {
  return RetryDelay(RetryPolicy{config_.sync_retry_base, config_.sync_retry_max}, attempts,
                    RandomUnit());
}

cleverreach::Receiver SyncWorker::ReceiverOf(const SyncItem& item) const {
  cleverreach::Receiver r;
  r.email = item.email;
  r.registered = item.registered;
  r.activated = item.activated;
  r.source = item.source.empty() ? "optin" : item.source.substr(0, 250);
  r.attributes = {{"language", item.language},
                  {"unsubscribe_url", unsubscribe_url_(item.subscription_id)}};
  if (!item.name.empty()) r.attributes["name"] = item.name;
  return r;
}

void SyncWorker::Fail(const Status& s, const SyncItem& item, SyncOutcome& out) {
  ++counters_.errors;
  pass_failed_ = true;
  std::string error = std::string(s.error().empty() ? "error" : s.error()) + ": " + s.message();
  if (s.code() == StatusCode::kRateLimited) {
    halt_ = s.retry_after() > 0 ? milliseconds(s.retry_after() * 1000LL)
                                : config_.sync_rate_limit_backoff;
    paused_until_ = Clock::now() + halt_;
    out = Postponed(halt_);
    LogWarn("cleverreach_rate_limited", {{"retry_after_ms", halt_.count()}});
    return;
  }
  bool withdrawal = IsWithdrawal(item.action);
  bool dead = !withdrawal && (IsPermanent(s) || item.attempts + 1 >= kMaxAttempts);
  // A withdrawal CleverReach refuses for good is retried at the cap, and loudly: a person who
  // unsubscribed is still on the list there until someone looks.
  milliseconds wait = withdrawal && IsPermanent(s) ? Backoff(40) : Backoff(item.attempts);
  out = SyncOutcome{dead ? SyncOutcome::Kind::kDead : SyncOutcome::Kind::kRetry, wait, error};
  if (dead) {
    ++counters_.dead;
    LogWarn("sync_dead_letter",
            {{"id", item.id}, {"action", SyncActionName(item.action)}, {"error", error}});
  } else if (withdrawal && IsPermanent(s)) {
    LogError("sync_withdrawal_refused", {{"id", item.id},
                                         {"action", SyncActionName(item.action)},
                                         {"error", error},
                                         {"attempts", item.attempts + 1}});
  }
  // CleverReach is struggling: the rest of this batch waits instead of hammering it.
  if (!IsPermanent(s)) halt_ = Backoff(0);
}

void SyncWorker::DeliverUpserts(const std::string& group_id, const std::vector<size_t>& idx,
                                const std::vector<SyncItem>& items, std::vector<SyncOutcome>& out) {
  auto parsed = ParseGroupId(group_id);
  if (!parsed.ok()) {
    for (size_t i : idx) Fail(parsed.status(), items[i], out[i]);  // permanent: dead letters
    return;
  }
  const int64_t gid = *parsed;
  size_t pos = 0;
  while (pos < idx.size()) {
    size_t n = std::min(batch_size_, idx.size() - pos);
    if (halt_.count() > 0) {
      for (size_t k = pos; k < idx.size(); ++k) out[idx[k]] = Postponed(halt_);
      return;
    }
    std::vector<cleverreach::Receiver> rows;
    for (size_t k = pos; k < pos + n; ++k) rows.push_back(ReceiverOf(items[idx[k]]));
    ++counters_.calls;
    auto result = api_->UpsertReceivers(gid, rows);
    if (!result.ok()) MarkUncertain(result.status(), rows);
    if (!result.ok() && result.status().code() == StatusCode::kPayloadTooLarge && batch_size_ > 1) {
      batch_size_ = std::max<size_t>(1, batch_size_ / 2);
      LogWarn("cleverreach_batch_halved", {{"batch_size", batch_size_}});
      continue;
    }
    std::unordered_set<std::string> succeeded;
    if (result.ok()) succeeded.insert(result->succeeded.begin(), result->succeeded.end());
    for (size_t k = pos; k < pos + n; ++k) {
      size_t i = idx[k];
      if (!result.ok()) {
        Fail(result.status(), items[i], out[i]);
        continue;
      }
      if (succeeded.count(items[i].email) > 0) {
        out[i] = Delivered();
        continue;
      }
      if (halt_.count() > 0) {
        out[i] = Postponed(halt_);
        continue;
      }
      // Missing from the answer: this receiver failed alone; try it once more by itself.
      ++counters_.calls;
      auto single = api_->UpsertReceivers(gid, {ReceiverOf(items[i])});
      if (!single.ok()) MarkUncertain(single.status(), {ReceiverOf(items[i])});
      if (single.ok() && !single->succeeded.empty()) {
        out[i] = Delivered();
      } else {
        Fail(single.ok() ? Status::Unavailable("CleverReach did not accept the receiver")
                         : single.status(),
             items[i], out[i]);
      }
    }
    pos += n;
  }
}

void SyncWorker::MarkUncertain(const Status& s, const std::vector<cleverreach::Receiver>& rows) {
  if (IsPermanent(s)) return;  // refused: nothing landed
  auto now = Clock::now();
  for (auto it = uncertain_until_.begin(); it != uncertain_until_.end();) {
    it = it->second <= now ? uncertain_until_.erase(it) : std::next(it);
  }
  // The call may still be in CleverReach's hands up to a timeout after we gave up; twice that.
  auto until = now + 2 * config_.sync_http_timeout;
  for (const auto& r : rows) uncertain_until_[r.email] = until;
}

std::vector<SyncOutcome> SyncWorker::Deliver(const std::vector<SyncItem>& items) {
  std::vector<SyncOutcome> out(items.size());
  std::map<std::string, std::vector<size_t>> upserts;
  halt_ = milliseconds(0);
  for (size_t i = 0; i < items.size(); ++i) {
    const SyncItem& item = items[i];
    if (item.action == SyncAction::kActivateReceiver && item.status != "confirmed") {
      out[i] = Delivered();  // obsolete: restricted again, unsubscribed or erased since
      continue;
    }
    if (item.action == SyncAction::kUpsertReceiver) {
      // Obsolete: unsubscribed, restricted or erased since, or the list is no longer synced.
      if (item.status != "confirmed" || item.group_id.empty())
        out[i] = Delivered();
      else
        upserts[item.group_id].push_back(i);
      continue;
    }
    if (halt_.count() > 0) {
      out[i] = Postponed(halt_);
      continue;
    }
    if (item.action == SyncAction::kDeactivateReceiver ||
        item.action == SyncAction::kDeleteReceiver) {
      auto until = uncertain_until_.find(item.email);
      if (until != uncertain_until_.end() && until->second > Clock::now()) {
        out[i] = Postponed(std::chrono::duration_cast<milliseconds>(until->second - Clock::now()) +
                           milliseconds(1));
        continue;
      }
    }
    Status s = Send(item);
    if (s.ok())
      out[i] = Delivered();
    else
      Fail(s, item, out[i]);
  }
  for (const auto& [group, idx] : upserts) DeliverUpserts(group, idx, items, out);
  for (const auto& o : out) {
    if (o.kind == SyncOutcome::Kind::kDelivered) ++counters_.delivered;
  }
  return out;
}

Status SyncWorker::Send(const SyncItem& item) {
  ++counters_.calls;
  if (item.action == SyncAction::kDeactivateReceiver) {
    auto gid = ParseGroupId(item.group_id);
    if (!gid.ok()) return gid.status();
    Status s = api_->DeactivateReceiver(*gid, item.email);
    return s.code() == StatusCode::kNotFound ? Status::Ok()
                                             : s;  // never arrived there: nothing to do
  }
  if (item.action == SyncAction::kActivateReceiver) {
    auto gid = ParseGroupId(item.group_id);
    if (!gid.ok()) return gid.status();
    Status s = api_->ActivateReceiver(*gid, item.email);
    // Never arrived there: the upsert queued after it creates the receiver active.
    return s.code() == StatusCode::kNotFound ? Status::Ok() : s;
  }
  if (item.action == SyncAction::kBlacklistAdd)
    return api_->BlacklistAdd(item.email, "optin: unsubscribed");
  if (item.action == SyncAction::kBlacklistRemove) return api_->BlacklistRemove(item.email);
  if (item.action == SyncAction::kDeleteReceiver) {
    Status s = api_->DeleteReceiver(item.email);
    return s.code() == StatusCode::kNotFound ? Status::Ok() : s;  // not there: nothing to delete
  }
  return Status::InvalidArgument("unknown_action", "unknown outbox action");
}

bool SyncWorker::Drain(StopSignal* stop) {
  bool ok = true;
  while (stop == nullptr || !stop->stopped()) {
    if (Clock::now() < paused_until_) return false;
    pass_failed_ = false;
    auto claimed = outbox_.ProcessDue(
        kClaimLimit, [this](const std::vector<SyncItem>& items) { return Deliver(items); });
    if (!claimed.ok()) return Note(claimed.status(), "outbox").ok();
    if (*claimed == 0) break;
    if (pass_failed_) {
      ok = false;
      outbox_.RecordError("CleverReach call failed; rows will be retried");
    } else {
      outbox_.RecordSuccess();
    }
  }
  return ok;
}

Status SyncWorker::Note(const Status& s, const char* what) {
  if (!s.ok()) {
    LogWarn("sync_failed", {{"step", what}, {"error", s.message()}});
    outbox_.RecordError(std::string(what) + ": " + s.message());
  }
  return s;
}

Status SyncWorker::Pull() {
  auto groups = outbox_.Groups();
  if (!groups.ok()) return Note(groups.status(), "pull");
  for (const auto& group : *groups) {
    auto gid = ParseGroupId(group);
    if (!gid.ok()) return Note(gid.status(), "pull");
    for (int page = 0;; ++page) {
      ++counters_.calls;
      auto rows = api_->ListInactiveReceivers(*gid, page, cleverreach::kMaxPageSize);
      if (!rows.ok()) {
        ++counters_.errors;
        return Note(rows.status(), "pull");
      }
      for (const auto& row : *rows) {
        if (row.deactivated == 0) continue;  // never activated: not an unsubscribe
        auto email = NormalizeAddress(row.email);
        if (!email.ok()) continue;
        auto applied = suppressions_.RecordCleverReachUnsubscribe(*email, group, row.deactivated,
                                                                  config_.unsubscribe_scope);
        if (!applied.ok()) return Note(applied.status(), "pull");
        if (*applied) {
          ++counters_.pulled;
          LogInfo("cleverreach_unsubscribe_applied",
                  {{"address", AddressTag(*email)}, {"group", group}});
        }
      }
      if (rows->size() < static_cast<size_t>(cleverreach::kMaxPageSize)) break;
    }
  }
  return outbox_.RecordPull();
}

Status SyncWorker::ProcessInbox() {
  auto processed = outbox_.ProcessInbox([this](const InboxItem& item) {
    auto gid = ParseGroupId(item.group_id);
    if (!gid.ok()) return true;  // cannot be asked about: dropped
    ++counters_.calls;
    auto receiver = api_->GetReceiver(*gid, item.pool_id);
    if (!receiver.ok()) return receiver.status().code() == StatusCode::kNotFound;
    if (receiver->active) return true;
    auto email = NormalizeAddress(receiver->data.email);
    if (!email.ok()) return true;
    int64_t at = receiver->data.deactivated;
    if (at == 0)
      at = std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
    auto applied = suppressions_.RecordCleverReachUnsubscribe(*email, item.group_id, at,
                                                              config_.unsubscribe_scope);
    if (applied.ok() && *applied) ++counters_.pulled;
    return applied.ok();
  });
  return processed.ok() ? Status::Ok() : Note(processed.status(), "webhook");
}

Status SyncWorker::RunOnce() {
  bool ok = Drain(nullptr);
  Status inbox = ProcessInbox();
  Status pull = Pull();
  if (!ok)
    return Status::Unavailable("some outbox rows could not be delivered; they will be retried");
  if (!inbox.ok()) return inbox;
  return pull;
}

void SyncWorker::WaitForWork(StopSignal& stop, Clock::time_point next_pull) {
  auto now = Clock::now();
  milliseconds wait = std::chrono::duration_cast<milliseconds>(next_pull - now);
  if (paused_until_ > now)
    wait = std::min(wait, std::chrono::duration_cast<milliseconds>(paused_until_ - now));
  auto due = outbox_.NextDueInMs();
  if (due.ok() && *due >= 0) wait = std::min(wait, milliseconds(*due));
  wait = std::clamp(wait, milliseconds(5), milliseconds(500));
  if (listener_ && listener_->connected()) {
    if (!listener_->Wait(wait).ok()) stop.SleepFor(wait);
  } else {
    if (listener_) listener_->Connect();
    stop.SleepFor(wait);
  }
}

void SyncWorker::Run(StopSignal& stop) {
  if (listener_) listener_->Connect();
  auto next_pull = Clock::now();
  while (!stop.stopped()) {
    Drain(&stop);
    ProcessInbox();
    if (Clock::now() >= next_pull && !stop.stopped()) {
      Pull();
      next_pull = Clock::now() + config_.sync_interval;
    }
    WaitForWork(stop, next_pull);
  }
}

}  // namespace optin
