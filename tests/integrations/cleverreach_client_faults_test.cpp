// CleverReachClient against injected faults, idempotent calls and paging.
#include <catch2/catch.hpp>
#include <chrono>

#include "integrations/cleverreach/client.h"
#include "tests/fakes/fake_cleverreach.h"
#include "tests/integrations/cleverreach_test_util.h"

using optin::StatusCode;
using optin::cleverreach::CleverReachClient;
using optin::cleverreach::InactiveReceiver;
using optin::cleverreach::IsTransient;
using optin::test::ConfigFor;
using optin::test::FakeCleverReach;
using optin::test::FakeReceiver;
using optin::test::Fault;
using Clock = std::chrono::steady_clock;

namespace {

FakeReceiver Stored(int64_t group_id, const std::string& email, int64_t deactivated) {
  FakeReceiver r;
  r.group_id = group_id;
  r.email = email;
  r.registered = r.activated = 1'700'000'000;
  r.deactivated = deactivated;
  r.active = deactivated == 0;
  return r;
}

}  // namespace

TEST_CASE("5xx answers are transient", "[cleverreach]") {
  FakeCleverReach fake;
  CleverReachClient client(ConfigFor(fake));
  for (int code : {500, 502, 503}) {
    INFO(code);
    fake.InjectFault("groups.list", Fault::Status(code));
    auto result = client.ListGroups();
    CHECK(result.status().code() == StatusCode::kUnavailable);
    CHECK(IsTransient(result.status()));
    CHECK_THAT(result.status().message(), Catch::Contains(std::to_string(code)));
  }
  CHECK(client.ListGroups().ok());
}

TEST_CASE("a call slower than sync_http_timeout fails fast as transient", "[cleverreach]") {
  FakeCleverReach fake;
  CleverReachClient client(ConfigFor(fake, std::chrono::milliseconds(300)));
  REQUIRE(client.ListGroups().ok());
  fake.InjectFault("groups.list", Fault::Delay(std::chrono::seconds(10)));
  auto start = Clock::now();
  auto result = client.ListGroups();
  auto elapsed = Clock::now() - start;
  CHECK(result.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(result.status().message(), Catch::Contains("imeout"));
  CHECK(elapsed >= std::chrono::milliseconds(250));
  CHECK(elapsed < std::chrono::seconds(2));
  CHECK(client.ListGroups().ok());  // a new connection replaces the abandoned one
}

TEST_CASE("a connection dropped without an answer is transient", "[cleverreach]") {
  FakeCleverReach fake;
  CleverReachClient client(ConfigFor(fake));
  REQUIRE(client.ListGroups().ok());
  // curl resends once by itself when a reused connection dies before any answer: drop both.
  fake.InjectFault("groups.list", Fault::Drop(), 2);
  auto start = Clock::now();
  auto result = client.ListGroups();
  CHECK(result.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(result.status().message(), Catch::Contains("(curl 52)"));  // CURLE_GOT_NOTHING
  CHECK(Clock::now() - start < std::chrono::seconds(2));
  fake.ClearFaults();
  CHECK(client.ListGroups().ok());
}

TEST_CASE("a malformed JSON answer is transient", "[cleverreach]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  CleverReachClient client(ConfigFor(fake));
  fake.InjectFault("token", Fault::MalformedJson());
  CHECK(client.ListGroups().status().code() == StatusCode::kUnavailable);
  fake.InjectFault("receivers.get", Fault::MalformedJson());
  auto result = client.GetReceiver(gid, "a@example.org");
  CHECK(result.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(result.status().message(), Catch::Contains("malformed"));
}

TEST_CASE("an unreachable CleverReach is transient", "[cleverreach]") {
  FakeCleverReach fake;
  auto config = ConfigFor(fake);
  config.cleverreach_token_url = "http://127.0.0.1:1/oauth/token.php";
  CleverReachClient client(config);
  auto result = client.ListGroups();
  CHECK(result.status().code() == StatusCode::kUnavailable);
  CHECK(result.status().message().find("127.0.0.1") == std::string::npos);
}

TEST_CASE("adding to the blacklist twice and removing twice succeed", "[cleverreach]") {
  FakeCleverReach fake;
  CleverReachClient client(ConfigFor(fake));
  const std::string email = "o'neil+news@example.org";
  REQUIRE(client.BlacklistAdd(email, "optin: global unsubscribe").ok());
  REQUIRE(client.BlacklistAdd(email, "optin: global unsubscribe").ok());
  auto list = fake.Blacklist();
  REQUIRE(list.size() == 1);
  CHECK(list[0].email == email);
  CHECK(list[0].comment == "optin: global unsubscribe");
  CHECK(fake.Calls("blacklist.add") == 2);
  REQUIRE(client.BlacklistRemove(email).ok());
  REQUIRE(client.BlacklistRemove(email).ok());
  CHECK(fake.Blacklist().empty());
  CHECK(fake.Calls("blacklist.remove") == 2);
}

TEST_CASE("deleting what is not there succeeds, deactivating it is NotFound", "[cleverreach]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  int64_t other = fake.AddGroup("other");
  CleverReachClient client(ConfigFor(fake));
  CHECK(client.DeleteReceiver("nobody@example.org").ok());
  CHECK(client.DeleteReceiverFromGroup(gid, "nobody@example.org").ok());
  CHECK(client.DeactivateReceiver(gid, "nobody@example.org").code() == StatusCode::kNotFound);

  for (int64_t g : {gid, other}) fake.PutReceiver(Stored(g, "x@example.org", 0));
  REQUIRE(client.DeleteReceiverFromGroup(gid, "x@example.org").ok());
  CHECK_FALSE(fake.Receiver(gid, "x@example.org").has_value());
  CHECK(fake.Receiver(other, "x@example.org").has_value());
  REQUIRE(client.DeleteReceiver("x@example.org").ok());
  CHECK_FALSE(fake.Receiver(other, "x@example.org").has_value());
}

TEST_CASE("inactive receivers are read page by page", "[cleverreach]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  for (int i = 0; i < 15; ++i) {
    // 11 unsubscribed, 4 active
    int64_t deactivated = i < 11 ? 1'700'000'500 + i : 0;
    fake.PutReceiver(Stored(gid, "r" + std::to_string(i) + "@example.org", deactivated));
  }
  REQUIRE(fake.UnsubscribeOnCleverReach(gid, "r14@example.org", 1'700'009'999));
  CleverReachClient client(ConfigFor(fake));

  std::vector<InactiveReceiver> all;
  std::vector<size_t> sizes;
  for (int page = 0;; ++page) {
    auto rows = client.ListInactiveReceivers(gid, page, 5);
    REQUIRE(rows.ok());
    sizes.push_back(rows->size());
    all.insert(all.end(), rows->begin(), rows->end());
    if (rows->size() < 5) break;
  }
  CHECK(sizes == std::vector<size_t>{5, 5, 2});
  REQUIRE(all.size() == 12);
  CHECK(all.back().email == "r14@example.org");
  CHECK(all.back().deactivated == 1'700'009'999);
  CHECK(fake.Calls("receivers.list") == 3);
  CHECK(client.ListInactiveReceivers(gid, 0, 5001).status().code() == StatusCode::kInvalidArgument);
}
