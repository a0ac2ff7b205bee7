// Issue 12: a withdrawal reaches CleverReach however long it is down — never a dead letter — and
// its age is visible while it waits.
#include <catch2/catch.hpp>

#include "tests/fakes/fake_cleverreach.h"
#include "tests/support/optin_fixture.h"
#include "tests/support/sync_helpers.h"
#include "tests/support/wait.h"

using namespace optin::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json SyncState(OptinFixture& f) { return json::parse(f.Admin("GET", "/admin/sync")->body); }

}  // namespace

TEST_CASE(
    "withdrawals: 15 failed calls (more than the old 10 attempts) and the unsubscribe still "
    "arrives",
    "[e2e][db][sync]") {
  FakeCleverReach fake;
  Env env = OptinEnvFor(fake, "2s");
  env["OPTIN_SYNC_RETRY_MAX"] = "150ms";  // the cap keeps 15 attempts within a few seconds
  OptinFixture f(env);
  int64_t gid = SetUpGroup(f, fake);
  const std::string email = "withdrawal@example.com";
  std::string unsubscribe = f.SubscribeAndConfirm(email);
  REQUIRE(WaitUntil([&] { return Active(fake, gid, email); }, 15s));
  CHECK(SyncState(f)["unsubscribe_pending_oldest_seconds"] == 0);

  // CleverReach is down for the deactivation and the blacklist entry, 15 calls each.
  fake.InjectFault("receivers.deactivate", Fault::Status(503), 15);
  fake.InjectFault("blacklist.add", Fault::Status(503), 15);
  int deactivations_before = fake.Calls("receivers.deactivate");
  REQUIRE(f.client()
              .Post(unsubscribe.c_str(), "List-Unsubscribe=One-Click",
                    "application/x-www-form-urlencoded")
              ->status == 200);

  // While it waits, its age shows, and nothing becomes a dead letter.
  CHECK(WaitUntil([&] { return SyncState(f)["unsubscribe_pending_oldest_seconds"] >= 1; }, 15s));
  CHECK(WaitUntil([&] { return fake.Calls("receivers.deactivate") - deactivations_before > 10; },
                  30s));
  CHECK(SyncState(f)["dead_letter_count"] == 0);

  // Then CleverReach recovers: both arrive, the queue is empty, the age is back to 0.
  REQUIRE(WaitUntil([&] { return Deactivated(fake, gid, email); }, 30s));
  REQUIRE(WaitUntil([&] { return Blacklisted(fake, email); }, 30s));
  CHECK(fake.Calls("receivers.deactivate") - deactivations_before >= 16);
  CHECK(fake.Calls("blacklist.add") >= 16);
  CHECK(WaitUntil([&] { return SyncState(f)["queue_depth"] == 0; }, 15s));
  json state = SyncState(f);
  CHECK(state["dead_letter_count"] == 0);
  CHECK(state["unsubscribe_pending_oldest_seconds"] == 0);
  CHECK(f.db().Scalar("SELECT count(*) FROM sync_outbox WHERE dead_at IS NOT NULL") == "0");
}

TEST_CASE("withdrawals: a deactivation CleverReach refuses for good stays queued, never dead",
          "[e2e][db][sync]") {
  FakeCleverReach fake;
  Env env = OptinEnvFor(fake, "2s");
  env["OPTIN_SYNC_RETRY_MAX"] = "100ms";
  OptinFixture f(env);
  int64_t gid = SetUpGroup(f, fake);
  const std::string email = "refused@example.com";
  std::string unsubscribe = f.SubscribeAndConfirm(email);
  REQUIRE(WaitUntil([&] { return Active(fake, gid, email); }, 15s));
  fake.InjectFault("receivers.deactivate", Fault::Status(400), 1000);
  REQUIRE(f.client()
              .Post(unsubscribe.c_str(), "List-Unsubscribe=One-Click",
                    "application/x-www-form-urlencoded")
              ->status == 200);
  // A 400 used to make it a dead letter at once; now it is tried again (at the cap).
  CHECK(WaitUntil(
      [&] {
        return f.db().Scalar(
                   "SELECT coalesce(max(attempts), 0) >= 3 FROM sync_outbox "
                   "WHERE action = 'deactivate_receiver'") == "t";
      },
      20s));
  json state = SyncState(f);
  CHECK(state["dead_letter_count"] == 0);
  CHECK(f.db().Scalar("SELECT count(*) FROM sync_outbox WHERE action = 'deactivate_receiver' "
                      "AND dead_at IS NULL") == "1");
  fake.ClearFaults();
  CHECK(WaitUntil([&] { return Deactivated(fake, gid, email); }, 20s));
}
