// The CleverReach sync end to end: the real binary, a real PostgreSQL, the fake CleverReach.
#include <catch2/catch.hpp>

#include "tests/fakes/fake_cleverreach.h"
#include "tests/support/optin_fixture.h"
#include "tests/support/sync_helpers.h"
#include "tests/support/wait.h"

using namespace optin::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

Env SyncEnv(const FakeCleverReach& fake) { return OptinEnvFor(fake, "2s"); }

// `n` confirmed subscribers of the newsletter list with their upserts queued, straight in SQL.
void SeedConfirmed(OptinFixture& f, int n) {
  f.db().Exec(
      "WITH s AS (INSERT INTO subscribers (email, email_hash) "
      "  SELECT 'bulk' || i || '@example.com', encode(sha256(('bulk' || i || "
      "'@example.com')::bytea), 'hex') "
      "  FROM generate_series(1, " +
      std::to_string(n) +
      ") i RETURNING id, email_hash), "
      "sub AS (INSERT INTO subscriptions (subscriber_id, list_id, status, language, confirmed_at) "
      "  SELECT s.id, 1, 'confirmed', 'de', now() FROM s RETURNING id, subscriber_id) "
      "INSERT INTO sync_outbox (action, subscription_id, email_hash) "
      "SELECT 'upsert_receiver', sub.id, s.email_hash FROM sub JOIN s ON s.id = sub.subscriber_id");
}

std::string Queue(OptinFixture& f) { return f.db().Scalar("SELECT count(*) FROM sync_outbox"); }

}  // namespace

TEST_CASE("sync: confirm, unsubscribe, suppression and objection reach CleverReach",
          "[e2e][db][sync]") {
  FakeCleverReach fake;
  OptinFixture f(SyncEnv(fake));
  int64_t gid = SetUpGroup(f, fake);

  std::string unsubscribe = f.SubscribeAndConfirm("receiver@example.com");
  REQUIRE(WaitUntil([&] { return Active(fake, gid, "receiver@example.com"); }, 15s));
  auto r = *fake.Receiver(gid, "receiver@example.com");
  CHECK(r.registered > 0);
  CHECK(r.activated >= r.registered);
  CHECK(r.deactivated == 0);
  CHECK(r.attributes["language"] == "de");
  std::string url = r.attributes["unsubscribe_url"];
  CHECK(url.find(unsubscribe) != std::string::npos);

  // The link CleverReach carries unsubscribes here, and CleverReach learns it.
  REQUIRE(f.client()
              .Post(unsubscribe.c_str(), "List-Unsubscribe=One-Click",
                    "application/x-www-form-urlencoded")
              ->status == 200);
  REQUIRE(WaitUntil([&] { return !Active(fake, gid, "receiver@example.com"); }, 15s));
  auto listed = [&](const std::string& email) { return Blacklisted(fake, email); };
  REQUIRE(WaitUntil([&] { return listed("receiver@example.com"); }, 15s));

  // An objection lifts the suppression here and there.
  REQUIRE(f.Admin("DELETE", "/admin/suppressions?email=receiver@example.com")->status == 200);
  REQUIRE(WaitUntil([&] { return !listed("receiver@example.com"); }, 15s));
  CHECK(WaitUntil([&] { return Queue(f) == "0"; }, 15s));
  auto state = json::parse(f.Admin("GET", "/admin/sync")->body);
  CHECK(state["enabled"] == true);
  CHECK(state["queue_depth"] == 0);
  CHECK(state["last_success_at"].is_string());
}

TEST_CASE("sync: an unsubscribe made at CleverReach is recorded here once", "[e2e][db][sync]") {
  FakeCleverReach fake;
  OptinFixture f(SyncEnv(fake));
  int64_t gid = SetUpGroup(f, fake);
  f.SubscribeAndConfirm("leaver@example.com");
  REQUIRE(WaitUntil([&] { return Active(fake, gid, "leaver@example.com"); }, 15s));
  REQUIRE(fake.UnsubscribeOnCleverReach(gid, "leaver@example.com", 1'700'000'000));
  REQUIRE(WaitUntil(
      [&] { return f.db().Scalar("SELECT status FROM subscriptions") == "unsubscribed"; }, 15s));
  // Several more pulls happen; the unsubscribe stays recorded exactly once.
  int pulls = fake.Calls("receivers.list");
  REQUIRE(WaitUntil([&] { return fake.Calls("receivers.list") >= pulls + 3; }, 15s));
  CHECK(f.db().Scalar("SELECT count(*) FROM consent_events WHERE kind = 'unsubscribed' AND channel "
                      "= 'cleverreach'") == "1");
  CHECK(f.db().Scalar("SELECT count(*) FROM suppressions WHERE source = 'cleverreach'") == "1");
}

TEST_CASE("sync: 3x500 then 429 then delivered, and an expired token is refreshed",
          "[e2e][db][sync]") {
  FakeCleverReach fake;
  OptinFixture f(SyncEnv(fake));
  int64_t gid = SetUpGroup(f, fake);
  fake.InjectFault("receivers.upsert", Fault::Status(500), 3);
  fake.InjectFault("receivers.upsert", Fault::RateLimited(), 1);
  f.SubscribeAndConfirm("patient@example.com");
  REQUIRE(WaitUntil([&] { return Active(fake, gid, "patient@example.com"); }, 20s));
  CHECK(fake.Calls("receivers.upsert") == 5);

  fake.ExpireAllTokens();
  int tokens = fake.TokensIssued();
  f.SubscribeAndConfirm("later@example.com");
  REQUIRE(WaitUntil([&] { return Active(fake, gid, "later@example.com"); }, 20s));
  CHECK(fake.TokensIssued() == tokens + 1);
  CHECK(WaitUntil([&] { return Queue(f) == "0"; }, 10s));
  CHECK(f.process().Log().find(FakeCleverReach::kClientSecret) == std::string::npos);
}

TEST_CASE("sync: a permanent refusal is a dead letter, visible and retryable", "[e2e][db][sync]") {
  // Only upserts can become dead letters; withdrawals never do (withdrawal_retry_test.cpp).
  FakeCleverReach fake;
  OptinFixture f(SyncEnv(fake));
  int64_t gid = SetUpGroup(f, fake);
  fake.InjectFault("receivers.upsert", Fault::Status(400), 1);
  f.SubscribeAndConfirm("refused@example.com");
  REQUIRE(WaitUntil(
      [&] {
        return f.db().Scalar("SELECT count(*) FROM sync_outbox WHERE dead_at IS NOT NULL") == "1";
      },
      15s));
  json state;
  // The dead letter commits with its batch; the sync state's last error is recorded just after.
  CHECK(WaitUntil([&] {
    state = json::parse(f.Admin("GET", "/admin/sync")->body);
    return state["last_error"].is_string();
  }));
  CHECK(state["dead_letter_count"] == 1);
  CHECK(state["dead_letters"][0]["action"] == "upsert_receiver");
  CHECK(f.Admin("POST", "/admin/sync/retry", json::object())->status == 200);
  REQUIRE(WaitUntil([&] { return Queue(f) == "0"; }, 15s));
  CHECK(Active(fake, gid, "refused@example.com"));
}

TEST_CASE("sync: kill -9 in the middle of a batch loses nothing", "[e2e][db][sync]") {
  FakeCleverReach fake;
  OptinFixture f(SyncEnv(fake));
  int64_t gid = SetUpGroup(f, fake);
  f.process().Terminate();
  SeedConfirmed(f, 1200);
  fake.InjectFault("receivers.upsert", Fault::Delay(1500ms), 2);
  f.Restart();
  REQUIRE(WaitUntil([&] { return fake.Calls("receivers.upsert") >= 1; }, 15s));
  f.process().Kill();  // mid-call: the claim transaction dies with the process
  fake.ClearFaults();
  f.Restart();
  REQUIRE(WaitUntil([&] { return Queue(f) == "0"; }, 30s));
  CHECK(fake.Receivers(gid).size() == 1200);
}

TEST_CASE("sync: two optin processes drain one outbox, each item sent once", "[e2e][db][sync]") {
  FakeCleverReach fake;
  // A generous HTTP timeout: a call that times out is sent again (at least once), and this test
  // counts sends; under sanitizers and load 2 s was seen to be too short.
  Env env = SyncEnv(fake);
  env["OPTIN_SYNC_HTTP_TIMEOUT"] = "20s";
  OptinFixture f(env);
  int64_t gid = SetUpGroup(f, fake);
  f.process().Terminate();
  SeedConfirmed(f, 3000);
  OptinProcess second(f.process().env());
  second.Start();
  f.Restart();
  second.WaitForPort();
  REQUIRE(WaitUntil([&] { return Queue(f) == "0"; }, 60s));
  CHECK(fake.Receivers(gid).size() == 3000);
  CHECK(fake.UpsertedRows() == 3000);
  CHECK(second.Terminate() == 0);
}

TEST_CASE("sync: optin sync --once drains and pulls, failing loudly when CleverReach is down",
          "[e2e][db][sync]") {
  FakeCleverReach fake;
  OptinFixture f(SyncEnv(fake));
  int64_t gid = SetUpGroup(f, fake);
  f.process().Terminate();
  SeedConfirmed(f, 10);
  Env env = f.process().env();
  fake.InjectFault("", Fault::Status(502), 100);
  auto failed = RunOptin({"sync", "--once"}, env);
  CHECK(failed.exit_code == 1);
  CHECK(Queue(f) == "10");
  fake.ClearFaults();
  f.db().Exec("UPDATE sync_outbox SET next_attempt_at = now()");
  auto ok = RunOptin({"sync", "--once"}, env);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(Queue(f) == "0");
  CHECK(fake.Receivers(gid).size() == 10);
}

TEST_CASE("sync: webhook URL check, call token and receiver.unsubscribed", "[e2e][db][sync]") {
  FakeCleverReach fake;
  Env env = SyncEnv(fake);
  env["OPTIN_CLEVERREACH_CALLTOKEN"] = "calltoken-123";
  env["OPTIN_CLEVERREACH_VERIFY"] = "verify-abc";
  env["OPTIN_SYNC_INTERVAL"] = "1h";  // only the webhook can tell
  OptinFixture f(env);
  int64_t gid = SetUpGroup(f, fake);
  f.SubscribeAndConfirm("hooked@example.com");
  REQUIRE(WaitUntil([&] { return Active(fake, gid, "hooked@example.com"); }, 15s));

  auto check = f.client().Get("/webhooks/cleverreach?secret=XYZ");
  REQUIRE(check);
  CHECK(check->status == 200);
  CHECK(check->body == "verify-abc XYZ");

  REQUIRE(fake.UnsubscribeOnCleverReach(gid, "hooked@example.com", 1'700'000'001));
  int64_t pool_id = fake.Receiver(gid, "hooked@example.com")->id;
  json event = {{"event", "receiver.unsubscribed"},
                {"condition", std::to_string(gid)},
                {"payload", {{"pool_id", pool_id}, {"group_id", gid}}}};
  auto wrong = f.client().Post("/webhooks/cleverreach", {{"X-CR-Calltoken", "nope"}}, event.dump(),
                               "application/json");
  CHECK(wrong->status == 401);
  auto right = f.client().Post("/webhooks/cleverreach", {{"X-CR-Calltoken", "calltoken-123"}},
                               event.dump(), "application/json");
  CHECK(right->status == 200);
  REQUIRE(WaitUntil(
      [&] { return f.db().Scalar("SELECT status FROM subscriptions") == "unsubscribed"; }, 15s));
}
