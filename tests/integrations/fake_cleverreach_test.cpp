// The fake CleverReach itself, spoken to with a plain HTTP client: the ".json" path aliases, the
// token endpoint's two body shapes, bearer checks and the global fault queue.
#include "tests/fakes/fake_cleverreach.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using nlohmann::json;
using optin::test::FakeCleverReach;
using optin::test::Fault;

namespace {

std::string FetchToken(int port) {
  httplib::Client http("127.0.0.1", port);
  http.set_basic_auth(FakeCleverReach::kClientId, FakeCleverReach::kClientSecret);
  auto res = http.Post("/oauth/token.php", "grant_type=client_credentials",
                       "application/x-www-form-urlencoded");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto body = json::parse(res->body);
  CHECK(body["token_type"] == "bearer");
  CHECK(body["expires_in"] == 3600);
  return body["access_token"];
}

}  // namespace

TEST_CASE("fake: token endpoint takes form or JSON bodies and rejects wrong secrets",
          "[cleverreach][fake]") {
  FakeCleverReach fake;
  CHECK_FALSE(FetchToken(fake.port()).empty());

  httplib::Client plain("127.0.0.1", fake.port());
  json request = {{"grant_type", "client_credentials"},
                  {"client_id", FakeCleverReach::kClientId},
                  {"client_secret", FakeCleverReach::kClientSecret}};
  auto res = plain.Post("/oauth/token.php", request.dump(), "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);

  plain.set_basic_auth(FakeCleverReach::kClientId, "wrong");
  res = plain.Post("/oauth/token.php", "grant_type=client_credentials",
                   "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 401);
  CHECK(json::parse(res->body)["error"] == "invalid_grant");
  CHECK(fake.TokensIssued() == 2);
}

TEST_CASE("fake: resources answer with and without .json", "[cleverreach][fake]") {
  FakeCleverReach fake;
  int64_t gid = fake.AddGroup("news");
  std::string g = std::to_string(gid);
  httplib::Client http("127.0.0.1", fake.port());
  std::string token = FetchToken(fake.port());
  http.set_bearer_token_auth(token.c_str());

  for (const char* path : {"/v3/groups", "/v3/groups.json"}) {
    auto res = http.Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body).size() == 1);
  }
  auto res = http.Get(("/v3/groups.json/" + g).c_str());
  REQUIRE(res);
  CHECK(json::parse(res->body)["name"] == "news");

  json rows = json::array({{{"email", "a@example.org"}, {"activated", 1}}});
  res = http.Post(("/v3/groups.json/" + g + "/receivers.json/upsertplus.json").c_str(), rows.dump(),
                  "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(json::parse(res->body)[0]["email"] == "a@example.org");
  res = http.Get(("/v3/groups.json/" + g + "/receivers.json/a%40example.org").c_str());
  REQUIRE(res);
  CHECK(json::parse(res->body)["active"] == true);
  res = http.Put(("/v3/groups/" + g + "/receivers/a%40example.org/deactivate").c_str(), "",
                 "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  res = http.Get(("/v3/groups/" + g + "/receivers.json?type=inactive&pagesize=10").c_str());
  REQUIRE(res);
  CHECK(json::parse(res->body).size() == 1);
  res = http.Delete("/v3/receivers.json/a%40example.org");
  REQUIRE(res);
  CHECK(res->body == "true");
  CHECK(fake.Calls("receivers.upsert") == 1);
  CHECK(fake.Calls("receivers.delete") == 1);
}

TEST_CASE("fake: bearer required, global faults hit any route", "[cleverreach][fake]") {
  FakeCleverReach fake;
  httplib::Client http("127.0.0.1", fake.port());
  auto res = http.Get("/v3/blacklist");
  REQUIRE(res);
  CHECK(res->status == 401);
  CHECK(json::parse(res->body)["error"]["code"] == 401);

  http.set_bearer_token_auth(FetchToken(fake.port()).c_str());
  fake.InjectFault("", Fault::Status(502));
  fake.InjectFault("", Fault::RateLimited(7));
  res = http.Get("/v3/blacklist.json");
  REQUIRE(res);
  CHECK(res->status == 502);
  res = http.Get("/v3/groups");
  REQUIRE(res);
  CHECK(res->status == 429);
  CHECK(res->get_header_value("Retry-After") == "7");
  res = http.Get("/v3/blacklist/nobody%40example.org");
  REQUIRE(res);
  CHECK(res->status == 404);
}
