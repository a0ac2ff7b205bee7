#include "service/domain/address.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "service/base/crypto.h"

using optin::NormalizeAddress;

namespace {

struct Case {
  const char* name;
  std::string input;
  std::optional<std::string> normalized;  // nullopt: must be rejected
};

const std::nullopt_t kRejected = std::nullopt;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}
std::string Repeat(char c, size_t n) { return std::string(n, c); }

// A domain of two 63-character labels, one of `last` characters, and "de".
std::string LongDomain(size_t last) {
  return Repeat('a', 63) + "." + Repeat('a', 63) + "." + Repeat('b', last) + ".de";
}

}  // namespace

TEST_CASE("addresses normalise or are rejected", "[address]") {
  const std::string max_address = Repeat('x', 64) + "@" + LongDomain(58);
  const std::string long_address = Repeat('x', 64) + "@" + LongDomain(59);
  REQUIRE(max_address.size() == 254);
  REQUIRE(long_address.size() == 255);

  const Case cases[] = {
      // Accepted.
      {"plain", "user@example.com", "user@example.com"},
      {"upper case", "User.Name@Example.COM", "user.name@example.com"},
      {"surrounding whitespace", " \t user@example.com \r\n", "user@example.com"},
      {"plus tag", "user+news@example.com", "user+news@example.com"},
      {"all specials", "a!#$%&'*/=?^_`{|}~-b@example.com", "a!#$%&'*/=?^_`{|}~-b@example.com"},
      {"dots inside", "first.middle.last@example.com", "first.middle.last@example.com"},
      {"subdomain", "a@mail.sub.example.co.uk", "a@mail.sub.example.co.uk"},
      {"hyphen and digits in label", "a@my-host1.example.de", "a@my-host1.example.de"},
      {"one-char local", "a@b.de", "a@b.de"},
      {"64-char local", Repeat('l', 64) + "@example.com", Repeat('l', 64) + "@example.com"},
      {"254 chars", max_address, max_address},
      {"63-char label", "a@" + Repeat('d', 63) + ".de", "a@" + Repeat('d', 63) + ".de"},
      {"idn utf-8", "user@bücher.de", "user@xn--bcher-kva.de"},
      {"idn upper utf-8", "USER@BÜCHER.DE", "user@xn--bcher-kva.de"},
      {"idn punycode", "user@xn--bcher-kva.de", "user@xn--bcher-kva.de"},
      {"idn punycode upper", "user@XN--BCHER-KVA.DE", "user@xn--bcher-kva.de"},
      {"idn decomposed u-umlaut (NFC)", "user@bu\u0308cher.de", "user@xn--bcher-kva.de"},
      {"idn ideographic full stop", "user@bücher\u3002de", "user@xn--bcher-kva.de"},
      {"idn sharp s nontransitional", "a@straße.de", "a@xn--strae-oqa.de"},
      {"idn tld", "a@пример.рф", "a@xn--e1afmkfd.xn--p1ai"},
      {"numeric label not last", "a@123.example.de", "a@123.example.de"},
      // Rejected.
      {"empty", "", kRejected},
      {"only whitespace", " \t\r\n", kRejected},
      {"no at", "user.example.com", kRejected},
      {"double at", "user@@example.com", kRejected},
      {"two ats", "a@b@example.com", kRejected},
      {"empty local", "@example.com", kRejected},
      {"empty domain", "user@", kRejected},
      {"missing dot", "user@localhost", kRejected},
      {"header injection", "a@b.de\r\nBcc: x@y.de", kRejected},
      {"bare lf", "a@b.de\nx", kRejected},
      {"nul byte", std::string("a@b.de\0x", 8), kRejected},
      {"nul in local", std::string("a\0b@b.de", 8), kRejected},
      {"inner tab", "a\t@b.de", kRejected},
      {"del", "a\x7f@b.de", kRejected},
      {"inner space", "first last@example.com", kRejected},
      {"invalid utf-8 byte", "a@b\xff.de", kRejected},
      {"truncated utf-8", "a@b\xc3.de", kRejected},
      {"overlong utf-8", "a@b\xc0\xaf.de", kRejected},
      {"utf-8 surrogate", "a@b\xed\xa0\x80.de", kRejected},
      {"utf-8 local part", "jürgen@example.com", kRejected},
      {"65-char local", Repeat('l', 65) + "@example.com", kRejected},
      {"255 chars", long_address, kRejected},
      {"64-char label", "a@" + Repeat('d', 64) + ".de", kRejected},
      {"leading dot", ".user@example.com", kRejected},
      {"trailing dot local", "user.@example.com", kRejected},
      {"double dot local", "us..er@example.com", kRejected},
      {"quoted local", "\"john doe\"@example.com", kRejected},
      {"quoted local no space", "\"john\"@example.com", kRejected},
      {"comment", "john(comment)@example.com", kRejected},
      {"angle brackets", "<john@example.com>", kRejected},
      {"display name", "John <john@example.com>", kRejected},
      {"comma", "a@b.de,c@d.de", kRejected},
      {"backslash", "a\\b@example.com", kRejected},
      {"ipv4 literal", "a@[192.168.0.1]", kRejected},
      {"ipv6 literal", "a@[IPv6:::1]", kRejected},
      {"bare ipv4", "a@192.168.0.1", kRejected},
      {"numeric tld", "a@example.123", kRejected},
      {"leading dot domain", "a@.example.com", kRejected},
      {"trailing dot domain", "a@example.com.", kRejected},
      {"double dot domain", "a@example..com", kRejected},
      {"label leading hyphen", "a@-example.com", kRejected},
      {"label trailing hyphen", "a@example-.com", kRejected},
      {"underscore in domain", "a@ex_ample.com", kRejected},
      {"bad punycode", "a@xn--zzzz.de", kRejected},
      {"bad punycode beside utf-8", "a@bücher.xn--zzzz.de", kRejected},
      {"zero width joiner", "a@a\u200db.de", kRejected},
      {"no-break space in domain", "a@b\u00a0.de", kRejected},
      {"fullwidth at", "a\uff20example.com", kRejected},
  };

  int accepted = 0, rejected = 0;
  for (const auto& c : cases) {
    INFO(c.name);
    auto result = NormalizeAddress(c.input);
    if (!c.normalized) {
      ++rejected;
      REQUIRE_FALSE(result.ok());
      CHECK(result.status().code() == optin::StatusCode::kInvalidArgument);
      CHECK(result.status().error() == "invalid_email");
      CHECK_FALSE(result.status().message().empty());
      // The message says what is wrong without repeating what was typed.
      if (c.input.size() > 3) CHECK(result.status().message().find(c.input) == std::string::npos);
    } else {
      ++accepted;
      REQUIRE(result.ok());
      CHECK(*result == *c.normalized);
    }
  }
  CHECK(accepted >= 20);
  CHECK(rejected >= 40);
}

TEST_CASE("rejections say what is wrong", "[address]") {
  const struct {
    std::string input;
    const char* message;
  } cases[] = {
      {Repeat('x', 64) + "@" + LongDomain(59), "address is longer than 254 characters"},
      {Repeat('l', 65) + "@example.com", "local part is longer than 64 characters"},
      {"a@b.de\r\nBcc: x@y.de", "address contains a control character"},
      {"a@b\xff.de", "address is not valid UTF-8"},
      {"a@@b.de", "address must contain exactly one @"},
      {"a@localhost", "domain must contain a dot"},
      {"a@[127.0.0.1]", "IP-literal domains are not accepted"},
      {"\"a\"@b.de", "quoted local parts are not accepted"},
  };
  for (const auto& c : cases) {
    auto result = NormalizeAddress(c.input);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().message() == c.message);
  }
}

TEST_CASE("UTF-8 and punycode spellings of a domain normalise to one address", "[address]") {
  auto utf8 = NormalizeAddress("info@bücher.de");
  auto puny = NormalizeAddress("INFO@xn--bcher-kva.de");
  REQUIRE(utf8.ok());
  REQUIRE(puny.ok());
  CHECK(*utf8 == *puny);
  CHECK(optin::AddressHash(*utf8) == optin::AddressHash(*puny));
}

TEST_CASE("length limits apply to the punycode form", "[address]") {
  // 50 'ü' are 100 bytes of UTF-8 but a 56-character A-label: accepted.
  auto wide_label = NormalizeAddress("a@" + Repeat("ü", 50) + ".de");
  REQUIRE(wide_label.ok());
  CHECK(wide_label->size() == 2 + 56 + 3);
  // Over 254 bytes as UTF-8 (515), 238 characters as punycode: accepted.
  std::string cjk = Repeat("中", 50);
  auto wide_address = NormalizeAddress(Repeat('x', 64) + "@" + cjk + "." + cjk + "." + cjk + ".de");
  REQUIRE(wide_address.ok());
  CHECK(wide_address->size() == 238);
  // A 58-byte UTF-8 label whose A-label is 64 characters: rejected.
  CHECK_FALSE(NormalizeAddress("a@" + Repeat('a', 56) + "ü.de").ok());
  // 239 bytes as UTF-8 but 263 characters as punycode: rejected.
  std::string label = Repeat('a', 40) + "ü";
  auto too_long = NormalizeAddress(Repeat('x', 64) + "@" + Repeat(label + ".", 4) + "de");
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.status().message() == "address is longer than 254 characters");
}

TEST_CASE("hash and domain of a normalised address", "[address]") {
  CHECK(optin::AddressHash("user@example.com") == optin::Sha256Hex("user@example.com"));
  CHECK(optin::AddressHash("user@example.com").size() == 64);
  CHECK(optin::AddressDomain("user@xn--bcher-kva.de") == "xn--bcher-kva.de");
  CHECK(optin::AddressDomain("no-at-sign") == "");
}
