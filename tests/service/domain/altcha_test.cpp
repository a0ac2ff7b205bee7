#include "service/domain/altcha.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/altcha_client.h"

using namespace optin;
using optin::test::AltchaBase64;
using optin::test::AltchaPayloadFor;
using optin::test::AltchaSha256Hex;
using optin::test::AltchaSolve;

namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef";
constexpr int64_t kNow = 1'800'000'000;

nlohmann::json AsJson(const AltchaChallenge& c) {
  return {{"algorithm", c.algorithm},
          {"challenge", c.challenge},
          {"maxnumber", c.maxnumber},
          {"salt", c.salt},
          {"signature", c.signature}};
}

Status Check(const std::string& key, const std::string& payload, int64_t now = kNow) {
  auto parsed = ParseAltchaPayload(payload);
  if (!parsed.ok()) return parsed.status();
  return VerifyAltchaSolution(key, *parsed, now);
}

}  // namespace

TEST_CASE("altcha challenge has the ALTCHA v1 shape", "[altcha]") {
  std::string key = AltchaKey(kSecret);
  auto c = MakeAltchaChallenge(key, 1000, kNow + 600);
  CHECK(c.algorithm == "SHA-256");
  CHECK(c.maxnumber == 1000);
  // hex of >= 12 random bytes, then ?expires=<unix seconds>&
  REQUIRE(c.salt == c.salt.substr(0, 24) + "?expires=" + std::to_string(kNow + 600) + "&");
  CHECK(c.salt.substr(0, 24).find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(c.challenge.size() == 64);
  CHECK(c.signature.size() == 64);
  // The spec's formulas, recomputed by the test's own solver.
  int64_t n = AltchaSolve(AsJson(c));
  REQUIRE(n >= 0);
  CHECK(n <= 1000);
  CHECK(AltchaSha256Hex(c.salt + std::to_string(n)) == c.challenge);
  CHECK(MakeAltchaChallenge(key, 1000, kNow).salt != MakeAltchaChallenge(key, 1000, kNow).salt);
}

TEST_CASE("altcha key is derived from the secret, alike on every instance", "[altcha]") {
  CHECK(AltchaKey(kSecret) == AltchaKey(kSecret));
  CHECK(AltchaKey(kSecret) != AltchaKey(kSecret + "x"));
  CHECK(AltchaKey(kSecret) != kSecret);
}

TEST_CASE("a solved altcha challenge verifies but forged or expired or altered ones do not",
          "[altcha]") {
  std::string key = AltchaKey(kSecret);
  auto c = MakeAltchaChallenge(key, "00112233445566778899aabb", 4242, 10000, kNow + 60);
  auto json = AsJson(c);
  int64_t n = AltchaSolve(json);
  REQUIRE(n == 4242);
  std::string good = AltchaPayloadFor(json, n);
  CHECK(Check(key, good).ok());
  auto parsed = ParseAltchaPayload(good);
  REQUIRE(parsed.ok());
  CHECK(parsed->expires == kNow + 60);
  CHECK(parsed->number == 4242);

  SECTION("expired") {
    auto s = Check(key, good, kNow + 60);
    CHECK(s.error() == "pow_invalid");
    CHECK(Check(key, good, kNow + 59).ok());
  }
  SECTION("wrong number") {
    CHECK(Check(key, AltchaPayloadFor(json, n + 1)).error() == "pow_invalid");
  }
  SECTION("another key (another secret) signed it") {
    CHECK(Check(AltchaKey(kSecret + "y"), good).error() == "pow_invalid");
  }
  SECTION("a self-made challenge with a made-up signature") {
    auto forged = json;
    forged["salt"] = "ffffffffffffffffffffffff?expires=" + std::to_string(kNow + 60) + "&";
    forged["challenge"] = AltchaSha256Hex(forged["salt"].get<std::string>() + "1");
    CHECK(Check(key, AltchaPayloadFor(forged, 1)).error() == "pow_invalid");
  }
  SECTION("expiry moved later in the salt") {
    auto moved = json;
    moved["salt"] = "00112233445566778899aabb?expires=" + std::to_string(kNow + 6000) + "&";
    CHECK(Check(key, AltchaPayloadFor(moved, n), kNow + 100).error() == "pow_invalid");
  }
  SECTION("digits moved between the salt and the number") {
    // salt "...&" + "4242" is the same string as salt-without-'&'... only when '&' is optional.
    auto spliced = json;
    std::string salt = c.salt;
    spliced["salt"] = salt.substr(0, salt.size() - 1);  // drop '&'
    CHECK(Check(key, AltchaPayloadFor(spliced, 4242)).error() == "pow_invalid");
  }
  SECTION("another algorithm") {
    auto other = json;
    other["algorithm"] = "SHA-1";
    CHECK(Check(key, AltchaPayloadFor(other, n)).error() == "pow_invalid");
  }
  SECTION("unpadded base64 is accepted too") {
    std::string unpadded = good;
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
    CHECK(Check(key, unpadded).ok());
  }
}

TEST_CASE("malformed altcha payloads are pow_invalid", "[altcha]") {
  const std::string salt = "00112233445566778899aabb?expires=1800000060&";
  auto doc = [&](const std::string& body) { return AltchaBase64(body); };
  const std::string challenge = std::string(64, 'a');
  const std::string cases[] = {
      "",
      "!!!!",
      "e30",  // bad padding-less length is fine, but this is "{}"
      doc("[]"),
      doc("not json"),
      doc("{}"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","salt":")" + salt + R"(","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":"1","salt":")" + salt +
          R"(","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":1.5,"salt":")" + salt +
          R"(","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":-1,"salt":")" + salt +
          R"(","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":99999999999999999999,"salt":")" +
          salt + R"(","signature":"y"})"),
      doc(R"({"algorithm":1,"challenge":"x","number":1,"salt":")" + salt + R"(","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":1,"salt":"abc","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":1,"salt":"00112233445566778899aabb?expires=&","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":1,"salt":"00112233445566778899aabb?expires=12x&","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":1,"salt":"0011?expires=12&","signature":"y"})"),
      doc(R"({"algorithm":"SHA-256","challenge":"x","number":1,"salt":"00112233445566778899aabb?expires=12&x","signature":"y"})"),
      std::string(kMaxAltchaPayloadBytes + 1, 'A'),
  };
  for (const auto& c : cases) {
    INFO(c);
    auto parsed = ParseAltchaPayload(c);
    CHECK_FALSE(parsed.ok());
    if (!parsed.ok()) CHECK(parsed.status().error() == "pow_invalid");
  }
}
