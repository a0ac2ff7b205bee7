// The sync worker against in-memory fakes of its ports (tests/fakes/fake_sync_outbox.h): batch
// halving on 413, the 429 pause, upserts with an unknown outcome, dead letters. No database, no
// network.
#include "service/app/sync_worker.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>

#include "tests/fakes/fake_sync_outbox.h"

using namespace std::chrono_literals;

namespace optin {
namespace {

using test::ApiCall;
using test::FakeSyncOutbox;
using test::FakeUnsubscribes;
using test::ScriptedCleverReach;
using Kind = SyncOutcome::Kind;

SyncItem Upsert(const std::string& email, int attempts = 0) {
  SyncItem i;
  i.action = SyncAction::kUpsertReceiver;
  i.email = email;
  i.group_id = "42";
  i.status = "confirmed";
  i.language = "de";
  i.subscription_id = 7;
  i.attempts = attempts;
  return i;
}

SyncItem Other(const std::string& action, const std::string& email, int attempts = 0) {
  SyncItem i;
  i.action = *optin::ParseSyncAction(action);
  i.email = email;
  i.group_id = "42";
  i.attempts = attempts;
  return i;
}

std::string Email(int n) { return "r" + std::to_string(n) + "@example.org"; }

Status TooLarge() { return Status(StatusCode::kPayloadTooLarge, "payload_too_large", "413"); }
Status RateLimited(int retry_after) {
  return Status(StatusCode::kRateLimited, "rate_limited", "429").WithRetryAfter(retry_after);
}

struct Harness {
  Config config;
  FakeSyncOutbox outbox;
  FakeUnsubscribes unsubscribes;
  std::vector<ApiCall> calls;
  ScriptedCleverReach* api = nullptr;
  std::unique_ptr<SyncWorker> worker;

  Harness() {
    config.sync_retry_base = 1000ms;
    config.sync_rate_limit_backoff = 60'000ms;
    config.sync_http_timeout = 30'000ms;
    auto scripted = std::make_unique<ScriptedCleverReach>(&calls);
    api = scripted.get();
    worker = std::make_unique<SyncWorker>(
        config, outbox, unsubscribes, std::move(scripted),
        [](int64_t id) { return "https://x/u/" + std::to_string(id); }, nullptr);
  }
  std::vector<ApiCall> Calls(const std::string& method) const {
    std::vector<ApiCall> out;
    for (const auto& c : calls)
      if (c.method == method) out.push_back(c);
    return out;
  }
};

}  // namespace

TEST_CASE("a batch the server finds too large is halved until it fits", "[app][sync]") {
  struct Row {
    size_t server_limit;  // the largest batch the fake accepts; 0 = none
    int rows;
    bool all_delivered;
    size_t first_accepted_batch;
  };
  auto row = GENERATE(Row{1000, 300, true, 250}, Row{100, 300, true, 62}, Row{125, 300, true, 125},
                      Row{1, 3, true, 1}, Row{0, 2, false, 0});
  CAPTURE(row.server_limit, row.rows);
  Harness h;
  h.api->on_upsert = [&](const ApiCall& c) -> Result<cleverreach::UpsertResult> {
    if (c.emails.size() > row.server_limit) return TooLarge();
    cleverreach::UpsertResult r;
    r.succeeded = c.emails;
    return r;
  };
  for (int n = 0; n < row.rows; ++n) h.outbox.Add(Upsert(Email(n)));
  Status s = h.worker->RunOnce();
  CHECK(s.ok() == row.all_delivered);

  std::multiset<std::string> accepted;
  size_t first_accepted = 0;
  for (const auto& c : h.Calls("upsert")) {
    CHECK(c.group_id == 42);
    if (c.emails.size() <= row.server_limit) {
      if (first_accepted == 0) first_accepted = c.emails.size();
      accepted.insert(c.emails.begin(), c.emails.end());
    }
  }
  CHECK(first_accepted == row.first_accepted_batch);
  for (const auto& [id, outcome] : h.outbox.outcomes()) {
    CAPTURE(id);
    if (row.all_delivered) {
      CHECK(outcome.kind == Kind::kDelivered);
    } else {
      CHECK(outcome.kind == Kind::kDead);  // 413 even for a single receiver: refused for good
    }
  }
  if (row.all_delivered) {
    CHECK(accepted.size() == static_cast<size_t>(row.rows));  // every receiver once, none twice
    CHECK(std::set<std::string>(accepted.begin(), accepted.end()).size() == accepted.size());
  }
}

TEST_CASE("429 pauses the sync for Retry-After, or the configured backoff without it",
          "[app][sync]") {
  struct Row {
    int retry_after;
    std::chrono::milliseconds pause;
  };
  auto row = GENERATE(Row{7, 7000ms}, Row{0, 60'000ms});
  CAPTURE(row.retry_after);
  Harness h;
  int upserts = 0;
  h.api->on_upsert = [&](const ApiCall&) -> Result<cleverreach::UpsertResult> {
    ++upserts;
    return RateLimited(row.retry_after);
  };
  h.api->on_call = [&](const ApiCall& c) {
    return c.method == "blacklist_add" ? RateLimited(row.retry_after) : Status::Ok();
  };
  int64_t blacklist = h.outbox.Add(Other("blacklist_add", Email(0)));
  int64_t later = h.outbox.Add(Other("blacklist_remove", Email(1)));
  int64_t upsert = h.outbox.Add(Upsert(Email(2)));
  CHECK_FALSE(h.worker->RunOnce().ok());

  // The call that got 429 and everything after it waits for the pause; nothing else was sent.
  for (int64_t id : {blacklist, later, upsert}) {
    CAPTURE(id);
    CHECK(h.outbox.outcome(id).kind == Kind::kPostpone);
    CHECK(h.outbox.outcome(id).delay == row.pause);
  }
  CHECK(h.Calls("blacklist_remove").empty());
  CHECK(upserts == 0);
  CHECK(h.worker->counters().errors == 1);

  // Still paused: the next round sends nothing.
  h.outbox.Add(Other("blacklist_remove", Email(3)));
  size_t before = h.calls.size();
  CHECK_FALSE(h.worker->RunOnce().ok());
  CHECK(h.calls.size() == before);
}

TEST_CASE("an upsert that timed out is retried, and a later deactivation waits for it",
          "[app][sync]") {
  Harness h;
  h.api->on_upsert = [](const ApiCall&) -> Result<cleverreach::UpsertResult> {
    return Status::Unavailable("timeout after sending");
  };
  int64_t upsert = h.outbox.Add(Upsert(Email(1)));
  CHECK_FALSE(h.worker->RunOnce().ok());
  CHECK(h.outbox.outcome(upsert).kind == Kind::kRetry);  // not dead, not delivered
  CHECK(h.Calls("upsert").size() == 1);

  // The timed-out call may still land at CleverReach: deactivating that receiver now could be
  // overtaken by it, so it waits (about twice the HTTP timeout); another receiver is not held up.
  int64_t same = h.outbox.Add(Other("deactivate_receiver", Email(1)));
  int64_t other = h.outbox.Add(Other("deactivate_receiver", Email(2)));
  int64_t erase = h.outbox.Add(Other("delete_receiver", Email(1)));
  CHECK(h.worker->RunOnce().ok());
  CHECK(h.outbox.outcome(same).kind == Kind::kPostpone);
  CHECK(h.outbox.outcome(same).delay > 59'000ms);
  CHECK(h.outbox.outcome(same).delay <= 60'001ms);
  CHECK(h.outbox.outcome(erase).kind == Kind::kPostpone);
  CHECK(h.outbox.outcome(other).kind == Kind::kDelivered);
  auto sent = h.Calls("deactivate");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].emails == std::vector<std::string>{Email(2)});
  CHECK(h.Calls("delete").empty());
}

TEST_CASE("a receiver missing from a batch answer is re-checked alone, the others are not re-sent",
          "[app][sync]") {
  struct Row {
    bool alone_succeeds;
    Kind missing_outcome;
  };
  auto row = GENERATE(Row{true, Kind::kDelivered}, Row{false, Kind::kRetry});
  Harness h;
  h.api->on_upsert = [&](const ApiCall& c) -> Result<cleverreach::UpsertResult> {
    cleverreach::UpsertResult r;
    for (const auto& e : c.emails) {
      if (e != Email(1) || (c.emails.size() == 1 && row.alone_succeeds))
        r.succeeded.push_back(e);
      else
        r.failed.push_back(e);
    }
    return r;
  };
  int64_t a = h.outbox.Add(Upsert(Email(0)));
  int64_t b = h.outbox.Add(Upsert(Email(1)));
  int64_t c = h.outbox.Add(Upsert(Email(2)));
  h.worker->RunOnce();
  auto upserts = h.Calls("upsert");
  REQUIRE(upserts.size() == 2);
  CHECK(upserts[0].emails.size() == 3);
  CHECK(upserts[1].emails == std::vector<std::string>{Email(1)});
  CHECK(h.outbox.outcome(a).kind == Kind::kDelivered);
  CHECK(h.outbox.outcome(c).kind == Kind::kDelivered);
  CHECK(h.outbox.outcome(b).kind == row.missing_outcome);
}

TEST_CASE("only upserts become dead letters, withdrawals are retried for as long as it takes",
          "[app][sync]") {
  struct Row {
    const char* action;
    int attempts;
    StatusCode code;
    Kind expected;
    bool at_cap;  // a permanently refused withdrawal waits the cap (OPTIN_SYNC_RETRY_MAX)
  };
  const int last = SyncWorker::kMaxAttempts - 1;
  auto row =
      GENERATE_COPY(Row{"blacklist_add", 0, StatusCode::kUnavailable, Kind::kRetry, false},
                    Row{"blacklist_add", last, StatusCode::kUnavailable, Kind::kRetry, false},
                    Row{"blacklist_add", 40, StatusCode::kUnavailable, Kind::kRetry, true},
                    Row{"blacklist_add", 0, StatusCode::kInvalidArgument, Kind::kRetry, true},
                    Row{"deactivate_receiver", last, StatusCode::kUnavailable, Kind::kRetry, false},
                    Row{"deactivate_receiver", 0, StatusCode::kInvalidArgument, Kind::kRetry, true},
                    Row{"delete_receiver", last, StatusCode::kUnavailable, Kind::kRetry, false},
                    Row{"blacklist_remove", last, StatusCode::kUnavailable, Kind::kDead, false},
                    Row{"upsert_receiver", last - 1, StatusCode::kUnavailable, Kind::kRetry, false},
                    Row{"upsert_receiver", last, StatusCode::kUnavailable, Kind::kDead, false},
                    Row{"upsert_receiver", 0, StatusCode::kInvalidArgument, Kind::kDead, false});
  CAPTURE(row.action, row.attempts);
  Harness h;
  Status failure(row.code, "e", "refused");
  h.api->on_upsert = [&](const ApiCall&) -> Result<cleverreach::UpsertResult> { return failure; };
  h.api->on_call = [&](const ApiCall&) { return failure; };
  SyncItem item = std::string(row.action) == "upsert_receiver"
                      ? Upsert(Email(0), row.attempts)
                      : Other(row.action, Email(0), row.attempts);
  int64_t id = h.outbox.Add(item);
  CHECK_FALSE(h.worker->RunOnce().ok());
  const SyncOutcome& o = h.outbox.outcome(id);
  CHECK(o.kind == row.expected);
  CHECK_FALSE(o.error.empty());
  CHECK(o.error.find("example.org") == std::string::npos);  // no address in the stored error
  CHECK(h.worker->counters().dead == (row.expected == Kind::kDead ? 1u : 0u));
  if (row.expected == Kind::kRetry) {
    // base * 2^attempts, capped at OPTIN_SYNC_RETRY_MAX (15 min by default), jittered by ±20 %
    double expected = row.at_cap ? 900'000.0 : 1000.0 * static_cast<double>(1LL << row.attempts);
    CHECK(o.delay.count() >= static_cast<int64_t>(expected * 0.8) - 1);
    CHECK(o.delay.count() <= static_cast<int64_t>(expected * 1.2) + 1);
  }
}

TEST_CASE("a 404 for a receiver that is not there counts as a done withdrawal", "[app][sync]") {
  auto action = GENERATE(as<std::string>{}, "deactivate_receiver", "delete_receiver");
  CAPTURE(action);
  Harness h;
  h.api->on_call = [&](const ApiCall&) {
    return Status(StatusCode::kNotFound, "not_found", "no such receiver");
  };
  int64_t id = h.outbox.Add(Other(action, Email(0), 3));
  CHECK(h.worker->RunOnce().ok());
  CHECK(h.outbox.outcome(id).kind == Kind::kDelivered);
  CHECK(h.worker->counters().dead == 0u);
}

TEST_CASE("an upsert of a row no longer confirmed, or of a list without group, is obsolete",
          "[app][sync]") {
  Harness h;
  SyncItem gone = Upsert(Email(0));
  gone.status = "unsubscribed";
  SyncItem nogroup = Upsert(Email(1));
  nogroup.group_id = "";
  int64_t a = h.outbox.Add(gone);
  int64_t b = h.outbox.Add(nogroup);
  CHECK(h.worker->RunOnce().ok());
  CHECK(h.outbox.outcome(a).kind == Kind::kDelivered);
  CHECK(h.outbox.outcome(b).kind == Kind::kDelivered);
  CHECK(h.calls.empty());
}

}  // namespace optin

namespace optin {

TEST_CASE("a CleverReach group id is parsed with a range check", "[app][sync]") {
  struct Row {
    const char* text;
    int64_t value;  // 0 = refused
  };
  auto row = GENERATE(Row{"1", 1}, Row{"42", 42}, Row{"9223372036854775807", INT64_MAX},
                      Row{"9223372036854775808", 0}, Row{"18446744073709551616", 0},
                      Row{"99999999999999999999999", 0}, Row{"0", 0}, Row{"-5", 0}, Row{"+5", 0},
                      Row{"", 0}, Row{" 42", 0}, Row{"42 ", 0}, Row{"4x2", 0}, Row{"0x10", 0});
  CAPTURE(row.text);
  auto parsed = ParseGroupId(row.text);
  if (row.value == 0) {
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().error() == "invalid_group_id");
    CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
  } else {
    REQUIRE(parsed.ok());
    CHECK(*parsed == row.value);
  }
}

TEST_CASE("a group id above 2^63 gives a clear error, never a throw", "[app][sync]") {
  Harness h;
  h.outbox.groups = {"9223372036854775808"};
  int64_t upsert = h.outbox.Add([] {
    SyncItem i = Upsert(Email(0));
    i.group_id = "9223372036854775808";
    return i;
  }());
  int64_t deactivate = h.outbox.Add([] {
    SyncItem i = Other("deactivate_receiver", Email(1));
    i.group_id = "9223372036854775808";
    return i;
  }());
  Status s = Status::Ok();
  REQUIRE_NOTHROW(s = h.worker->RunOnce());
  CHECK_FALSE(s.ok());
  for (int64_t id : {upsert, deactivate}) {
    CAPTURE(id);
    // The upsert dies; the withdrawal stays queued (at the cap, loudly) until someone fixes it.
    CHECK(h.outbox.outcome(id).kind == (id == upsert ? Kind::kDead : Kind::kRetry));
    CHECK(h.outbox.outcome(id).error.find("invalid_group_id") != std::string::npos);
  }
  CHECK(h.calls.empty());  // nothing was sent to a group that cannot exist
}

}  // namespace optin
