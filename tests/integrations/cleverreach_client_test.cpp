#include <catch2/catch.hpp>

#include "integrations/cleverreach/client.h"
#include "integrations/cleverreach/response.h"
#include "service/base/log.h"
#include "tests/fakes/fake_cleverreach.h"
#include "tests/integrations/cleverreach_test_util.h"

using optin::StatusCode;
using optin::cleverreach::CleverReachClient;
using optin::cleverreach::Receiver;
using optin::test::ConfigFor;
using optin::test::FakeCleverReach;
using optin::test::Fault;

namespace {

Receiver Row(const std::string& email) {
  Receiver r;
  r.email = email;
  r.registered = 1'700'000'000;
  r.activated = 1'700'000'100;
  r.source = "optin";
  r.attributes = {
      {"name", "Ada"}, {"language", "de"}, {"unsubscribe_url", "https://news.example/u/tok"}};
  return r;
}

}  // namespace

TEST_CASE("one token serves many calls over one connection", "[cleverreach]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  CleverReachClient client(ConfigFor(fake));
  for (int i = 0; i < 5; ++i) REQUIRE(client.ListGroups().ok());
  CHECK(client.GetReceiver(gid, "nobody@example.org").status().code() == StatusCode::kNotFound);
  CHECK(fake.Calls("token") == 1);
  CHECK(fake.Calls("groups.list") == 5);
  CHECK(fake.Connections() == 1);
  CHECK(fake.LastAuthorization().rfind("Bearer fake-token-1-", 0) == 0);
}

TEST_CASE("token answers without token_type and with a scope array are accepted", "[cleverreach]") {
  FakeCleverReach fake;
  fake.SetTokenAnswerVariant(/*scope_as_array=*/true, /*omit_token_type=*/true);
  int64_t gid = fake.AddGroup("news");
  CleverReachClient client(ConfigFor(fake));
  auto groups = client.ListGroups();
  REQUIRE(groups.ok());
  REQUIRE(groups->size() == 1);
  CHECK((*groups)[0].id == gid);
  CHECK((*groups)[0].name == "news");
}

TEST_CASE("an expired token is refetched and the call retried once", "[cleverreach]") {
  FakeCleverReach fake;
  CleverReachClient client(ConfigFor(fake));
  REQUIRE(client.ListGroups().ok());
  fake.ExpireAllTokens();
  REQUIRE(client.ListGroups().ok());
  CHECK(fake.Calls("token") == 2);
  CHECK(fake.Calls("groups.list") == 3);

  fake.InjectFault("groups.list", Fault::Unauthorized(), 5);
  auto again = client.ListGroups();
  CHECK(again.status().code() == StatusCode::kUnauthorized);
  CHECK(fake.Calls("groups.list") == 5);  // the first try and one retry, no more
  CHECK(fake.Calls("token") == 3);
}

TEST_CASE("wrong credentials give a clear error that holds no secret", "[cleverreach]") {
  FakeCleverReach fake;
  auto config = ConfigFor(fake);
  config.cleverreach_client_secret = "wrong-secret-8c1f2e";
  optin::test::StderrCapture capture;
  optin::SetLogLevel(optin::LogLevel::kDebug);
  CleverReachClient client(config);
  auto result = client.ListGroups();
  std::string log = capture.Text();
  optin::SetLogLevel(optin::LogLevel::kInfo);
  REQUIRE(result.status().code() == StatusCode::kUnauthorized);
  CHECK_THAT(result.status().message(), Catch::Contains("rejected the client credentials"));
  CHECK_THAT(result.status().message(), Catch::Contains("invalid_grant"));
  CHECK(result.status().message().find("wrong-secret-8c1f2e") == std::string::npos);
  CHECK_THAT(log, Catch::Contains("cleverreach_auth_rejected"));
  CHECK(log.find("wrong-secret-8c1f2e") == std::string::npos);
  CHECK(fake.Calls("groups.list") == 0);
}

TEST_CASE("neither logs nor errors of a session hold the secret or the token", "[cleverreach]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  optin::test::StderrCapture capture;
  optin::SetLogLevel(optin::LogLevel::kDebug);
  CleverReachClient client(ConfigFor(fake));
  std::vector<std::string> messages;
  REQUIRE(client.ListGroups().ok());
  fake.InjectFault("groups.list", Fault::Status(500));
  messages.push_back(client.ListGroups().status().message());
  fake.ExpireAllTokens();
  messages.push_back(client.GetReceiver(gid, "someone@example.org").status().message());
  fake.InjectFault("", Fault::Unauthorized(), 2);
  messages.push_back(client.DeleteReceiver("someone@example.org").message());
  std::string log = capture.Text();
  optin::SetLogLevel(optin::LogLevel::kInfo);
  std::string token = fake.LastAuthorization().substr(7);
  REQUIRE(token.size() > 10);
  for (const auto& text : messages) {
    INFO(text);
    CHECK(text.find(FakeCleverReach::kClientSecret) == std::string::npos);
    CHECK(text.find("fake-token-") == std::string::npos);
    CHECK(text.find("someone@example.org") == std::string::npos);
  }
  CHECK(log.find(FakeCleverReach::kClientSecret) == std::string::npos);
  CHECK(log.find("fake-token-") == std::string::npos);
  CHECK_THAT(log, Catch::Contains("cleverreach_token_fetched"));
}

TEST_CASE("an upsert batch reports rows missing from the answer as failed", "[cleverreach]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  fake.FailUpsertOf("b@example.org");
  CleverReachClient client(ConfigFor(fake));
  auto result = client.UpsertReceivers(gid, {Row("a@example.org"), Row("b@example.org"),
                                             Row("not-an-address"), Row("C+tag@Example.org")});
  REQUIRE(result.ok());
  CHECK(result->succeeded == std::vector<std::string>{"a@example.org", "C+tag@Example.org"});
  CHECK(result->failed == std::vector<std::string>{"b@example.org", "not-an-address"});
  CHECK(fake.UpsertedRows() == 2);

  auto a = fake.Receiver(gid, "a@example.org");
  REQUIRE(a.has_value());
  CHECK(a->registered == 1'700'000'000);
  CHECK(a->activated == 1'700'000'100);
  CHECK(a->deactivated == 0);
  CHECK(a->active);
  CHECK(a->source == "optin");
  CHECK(a->attributes["unsubscribe_url"] == "https://news.example/u/tok");
  CHECK(a->attributes["language"] == "de");

  // Addresses travel URL-encoded in paths ('+' must not turn into a space).
  auto c = client.GetReceiver(gid, "C+tag@Example.org");
  REQUIRE(c.ok());
  CHECK(c->data.attributes["name"] == "Ada");
  auto by_id = client.GetReceiver(gid, std::to_string(c->id));
  REQUIRE(by_id.ok());
  CHECK(by_id->data.email == "C+tag@Example.org");
  REQUIRE(client.DeactivateReceiver(gid, "C+tag@Example.org").ok());
  CHECK(fake.Receiver(gid, "c+tag@example.org")->deactivated > 0);
  CHECK_FALSE(fake.Receiver(gid, "c+tag@example.org")->active);
}

TEST_CASE("a batch over the limit is 413, and halves go through", "[cleverreach]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  fake.SetBatchLimit(3);
  CleverReachClient client(ConfigFor(fake));
  std::vector<Receiver> rows = {Row("a@example.org"), Row("b@example.org"), Row("c@example.org"),
                                Row("d@example.org")};
  auto whole = client.UpsertReceivers(gid, rows);
  CHECK(whole.status().code() == StatusCode::kPayloadTooLarge);
  CHECK_FALSE(optin::cleverreach::IsTransient(whole.status()));
  auto first = client.UpsertReceivers(gid, {rows[0], rows[1]});
  auto second = client.UpsertReceivers(gid, {rows[2], rows[3]});
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(fake.Receivers(gid).size() == 4);
}

TEST_CASE("429 carries Retry-After when CleverReach sends it", "[cleverreach]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  CleverReachClient client(ConfigFor(fake));
  fake.InjectFault("receivers.upsert", Fault::RateLimited(42));
  auto with = client.UpsertReceivers(gid, {Row("a@example.org")});
  CHECK(with.status().code() == StatusCode::kRateLimited);
  CHECK(with.status().retry_after() == 42);
  CHECK(optin::cleverreach::IsTransient(with.status()));

  fake.InjectFault("receivers.upsert", Fault::RateLimited());
  auto without = client.UpsertReceivers(gid, {Row("a@example.org")});
  CHECK(without.status().code() == StatusCode::kRateLimited);
  CHECK(without.status().retry_after() == 0);  // caller falls back to sync_rate_limit_backoff
  CHECK(fake.Receivers(gid).empty());
}

TEST_CASE("Retry-After values parse as seconds or dates", "[cleverreach]") {
  using optin::cleverreach::ParseRetryAfter;
  CHECK(ParseRetryAfter("120") == 120);
  CHECK(ParseRetryAfter("0") == 1);
  CHECK(ParseRetryAfter("") == 0);
  CHECK(ParseRetryAfter("soon") == 0);
  char date[64];
  std::time_t later = std::time(nullptr) + 600;
  std::tm tm{};
  gmtime_r(&later, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  int seconds = ParseRetryAfter(date);
  CHECK(seconds >= 590);
  CHECK(seconds <= 600);
}

TEST_CASE("server text is scrubbed of secrets and addresses", "[cleverreach]") {
  using optin::cleverreach::Scrub;
  CHECK(Scrub("receiver a.b+c@x.de not found (token T0K)", {"T0K", ""}) ==
        "receiver [address] not found (token [redacted])");
  CHECK(Scrub("\"x@y.org\" and @ and e", {"e"}) == "\"[address]\" and [address] and [redacted]");
  CHECK(Scrub(std::string(300, 'x'), {}).size() == 203);
}
