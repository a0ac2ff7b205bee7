#include "service/domain/tokens.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <set>
#include <string>

#include "service/base/crypto.h"

using optin::MakeUnsubscribeToken;
using optin::RandomTokenHash;
using optin::VerifyUnsubscribeToken;

namespace {
const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kOtherSecret = "fedcba9876543210fedcba9876543210";
const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}  // namespace

TEST_CASE("random tokens are 32 URL-safe characters, unique, stored as SHA-256", "[tokens]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto t = optin::NewRandomToken();
    REQUIRE(t.token.size() == 32);
    CHECK(t.token.find_first_not_of(kAlphabet) == std::string::npos);
    CHECK(t.hash == optin::Sha256Hex(t.token));
    CHECK(RandomTokenHash(t.token) == t.hash);
    CHECK(seen.insert(t.token).second);
  }
}

TEST_CASE("malformed random tokens hash to nothing", "[tokens]") {
  const std::string good = optin::NewRandomToken().token;
  const std::string bad[] = {
      "",
      good.substr(0, 31),
      good + "A",
      good.substr(0, 31) + "=",
      good.substr(0, 31) + "+",
      good.substr(0, 31) + "/",
      good.substr(0, 31) + " ",
      good.substr(0, 31) + std::string(1, '\0'),
      good.substr(0, 31) + "\xc3",
      std::string(32, '%'),
  };
  for (const auto& b : bad) {
    INFO(b.size());
    CHECK(RandomTokenHash(b).empty());
  }
}

TEST_CASE("unsubscribe tokens round-trip their subscription id", "[tokens]") {
  const int64_t ids[] = {0, 1, 7, 255, 256, 1'000'000'007, std::numeric_limits<int64_t>::max(), -1};
  for (int64_t id : ids) {
    INFO(id);
    std::string token = MakeUnsubscribeToken(kSecret, id);
    CHECK(token.size() == 34);
    CHECK(token.find_first_not_of(kAlphabet) == std::string::npos);
    CHECK(token == MakeUnsubscribeToken(kSecret, id));  // deterministic: same link in every mail
    auto verified = VerifyUnsubscribeToken(kSecret, token);
    REQUIRE(verified.has_value());
    CHECK(*verified == id);
  }
}

TEST_CASE("unsubscribe tokens are bound to their id and secret", "[tokens]") {
  std::string token7 = MakeUnsubscribeToken(kSecret, 7);
  CHECK(token7 != MakeUnsubscribeToken(kSecret, 8));
  CHECK(VerifyUnsubscribeToken(kSecret, token7) == std::optional<int64_t>(7));
  CHECK(VerifyUnsubscribeToken(kSecret, token7) != std::optional<int64_t>(8));
  CHECK_FALSE(VerifyUnsubscribeToken(kOtherSecret, token7).has_value());
  CHECK_FALSE(VerifyUnsubscribeToken(kSecret, MakeUnsubscribeToken(kOtherSecret, 7)).has_value());

  // Moving the MAC of id 7 onto id 8 must not verify.
  std::string raw7, raw8;
  REQUIRE(optin::Base64UrlDecode(token7, &raw7));
  REQUIRE(optin::Base64UrlDecode(MakeUnsubscribeToken(kSecret, 8), &raw8));
  std::string spliced = raw8.substr(0, 9) + raw7.substr(9);
  CHECK_FALSE(VerifyUnsubscribeToken(kSecret, optin::Base64UrlEncode(spliced)).has_value());
}

TEST_CASE("no single flipped bit of an unsubscribe token verifies", "[tokens]") {
  std::string raw;
  REQUIRE(optin::Base64UrlDecode(MakeUnsubscribeToken(kSecret, 7), &raw));
  for (size_t byte = 0; byte < raw.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = raw;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      INFO("byte " << byte << " bit " << bit);
      CHECK_FALSE(VerifyUnsubscribeToken(kSecret, optin::Base64UrlEncode(flipped)).has_value());
    }
  }
}

TEST_CASE("random and unsubscribe tokens never stand in for each other", "[tokens]") {
  for (int i = 0; i < 200; ++i) {
    auto random = optin::NewRandomToken();
    CHECK_FALSE(VerifyUnsubscribeToken(kSecret, random.token).has_value());
    CHECK(RandomTokenHash(MakeUnsubscribeToken(kSecret, i)).empty());
  }
  // Even a 25-byte payload with a valid MAC but another kind byte is refused.
  std::string raw;
  REQUIRE(optin::Base64UrlDecode(MakeUnsubscribeToken(kSecret, 7), &raw));
  std::string other_kind = raw;
  other_kind[0] = 'C';
  CHECK_FALSE(VerifyUnsubscribeToken(kSecret, optin::Base64UrlEncode(other_kind)).has_value());
}

TEST_CASE("malformed unsubscribe tokens are refused", "[tokens]") {
  const std::string good = MakeUnsubscribeToken(kSecret, 42);
  const std::string bad[] = {
      "",
      "U",
      good.substr(0, 33),
      good + "A",
      good.substr(0, 33) + "=",
      good.substr(0, 33) + "+",
      good.substr(0, 33) + ".",
      good + "==",
      std::string(34, 'A'),
      std::string(34, '_'),
      " " + good,
      good.substr(0, 10) + std::string(1, '\0') + good.substr(11),
  };
  for (const auto& b : bad) {
    INFO(b);
    CHECK_FALSE(VerifyUnsubscribeToken(kSecret, b).has_value());
  }
  // Non-canonical trailing bits in the last character would give a second spelling of one token.
  std::string last_bits = good;
  last_bits.back() = kAlphabet[kAlphabet.find(good.back()) | 1];  // 34 chars carry 4 spare bits
  REQUIRE(last_bits != good);
  CHECK_FALSE(VerifyUnsubscribeToken(kSecret, last_bits).has_value());
}

TEST_CASE("verification refuses a secret shorter than 32 bytes", "[tokens]") {
  const std::string short_secret = "short";
  CHECK_FALSE(
      VerifyUnsubscribeToken(short_secret, MakeUnsubscribeToken(short_secret, 7)).has_value());
  CHECK_FALSE(VerifyUnsubscribeToken("", MakeUnsubscribeToken("", 7)).has_value());
}
