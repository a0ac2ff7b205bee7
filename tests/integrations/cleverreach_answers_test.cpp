#include <catch2/catch.hpp>

#include "integrations/cleverreach/answers.h"
#include "integrations/cleverreach/response.h"

using optin::StatusCode;
using namespace optin::cleverreach;

// Found by tests/fuzz/cleverreach_fuzz.cpp: a float outside int64's range was cast (undefined
// behaviour; UBSan aborts), e.g. {"id": 1e300}.
TEST_CASE("JSON numbers outside int64 read as 0", "[cleverreach]") {
  auto j = nlohmann::json::parse(
      R"({"big":1e300,"small":-1e19,"huge":18446744073709551615,"ok":12.9,"neg":-5,"str":"42"})");
  CHECK(JsonInt(j, "big") == 0);
  CHECK(JsonInt(j, "small") == 0);
  CHECK(JsonInt(j, "huge") == 0);
  CHECK(JsonInt(j, "ok") == 12);
  CHECK(JsonInt(j, "neg") == -5);
  CHECK(JsonInt(j, "str") == 42);
  auto receiver = ReadReceiverAnswer(nlohmann::json::parse(R"({"id":1e300,"email":"a@b.de"})"));
  REQUIRE(receiver.ok());
  CHECK(receiver->id == 0);
}

// Found while moving token parsing out of the client for the fuzzer: "now + expires_in" overflowed
// steady_clock for a huge expires_in.
TEST_CASE("a token's lifetime is capped and refreshed before it ends", "[cleverreach]") {
  auto huge = ReadTokenAnswer(R"({"access_token":"t","expires_in":9223372036854775807})");
  REQUIRE(huge.ok());
  CHECK(huge->lifetime_seconds == kMaxTokenLifetime);
  CHECK(huge->refresh_after_seconds == kMaxTokenLifetime - 300);
  auto plain = ReadTokenAnswer(R"({"access_token":"t","expires_in":"600"})");
  REQUIRE(plain.ok());
  CHECK(plain->refresh_after_seconds == 540);
  auto absent = ReadTokenAnswer(R"({"access_token":"t"})");
  REQUIRE(absent.ok());
  CHECK(absent->lifetime_seconds == 3600);
  for (const char* bad : {"", "[]", R"({"access_token":""})", R"({"access_token":5})", "{"}) {
    INFO(bad);
    auto r = ReadTokenAnswer(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kUnavailable);
  }
}

TEST_CASE("answer readers keep every row and refuse the wrong JSON shape", "[cleverreach]") {
  std::vector<Receiver> rows(2);
  rows[0].email = "Anna@Example.com";
  rows[1].email = "bob@example.com";
  auto upsert =
      ReadUpsertAnswer(nlohmann::json::parse(R"([{"email":"anna@example.com"}, 5])"), rows);
  REQUIRE(upsert.ok());
  CHECK(upsert->succeeded == std::vector<std::string>{"Anna@Example.com"});
  CHECK(upsert->failed == std::vector<std::string>{"bob@example.com"});
  CHECK_FALSE(ReadUpsertAnswer(nlohmann::json::object(), rows).ok());
  auto groups = ReadGroupsAnswer(nlohmann::json::parse(R"([{"id":"7","name":"N"},null])"));
  REQUIRE(groups.ok());
  REQUIRE(groups->size() == 2);
  CHECK((*groups)[0].id == 7);
  CHECK_FALSE(ReadInactiveAnswer(nlohmann::json("x")).ok());
  HttpResponse not_json{200, "<html>", ""};
  CHECK(ReadJsonAnswer(not_json, "groups", {}).status().code() == StatusCode::kUnavailable);
  HttpResponse error{400, R"({"error":"bad a@b.de SECRETSECRET"})", ""};
  auto status = ReadJsonAnswer(error, "upsert", {"SECRETSECRET"}).status();
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message().find("a@b.de") == std::string::npos);
  CHECK(status.message().find("SECRETSECRET") == std::string::npos);
}
