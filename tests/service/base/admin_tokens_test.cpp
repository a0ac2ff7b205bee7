#include "service/base/admin_tokens.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "service/base/config.h"

using optin::AdminNameForToken;
using optin::AdminToken;
using optin::LoadConfig;
using optin::ParseAdminTokens;

TEST_CASE("admin tokens parse as name:token lists", "[config][admin]") {
  auto t = ParseAdminTokens(
      "alice:aaaaaaaaaaaaaaaa,bob.ops-2:b:bbbbbbbbbbbbbbbb,alice:cccccccccccccccc");
  REQUIRE(t.ok());
  REQUIRE(t->size() == 3);
  CHECK((*t)[0].name == "alice");
  CHECK((*t)[0].token == "aaaaaaaaaaaaaaaa");
  CHECK((*t)[1].name == "bob.ops-2");
  CHECK((*t)[1].token == "b:bbbbbbbbbbbbbbbb");  // everything after the first ':'
  CHECK((*t)[2].name == "alice");                // a second token of one name: rotation
}

TEST_CASE("bad admin token lists are refused without showing a token", "[config][admin]") {
  const char* bad[] = {
      "",                                              // no entry
      "alice",                                         // no colon
      "alice:short",                                   // < 16 bytes
      "Alice:aaaaaaaaaaaaaaaa",                        // upper case
      "al ice:aaaaaaaaaaaaaaaa",                       // space in the name
      ":aaaaaaaaaaaaaaaa",                             // empty name
      "alice:aaaaaaaaaaaaaaaa,",                       // trailing comma
      "alice:aaaaaaaaaaaaaaaa,,bob:bbbbbbbbbbbbbbbb",  // empty entry
      "alice:aaaaaaaa aaaaaaaa",                       // space in the token
      "alice:aaaaaaaaaaaaaaaa,bob:aaaaaaaaaaaaaaaa",   // one token twice
      "a234567890123456789012345678901234567890123456789012345678901234x:aaaaaaaaaaaaaaaa",
  };
  for (const char* text : bad) {
    INFO(text);
    auto t = ParseAdminTokens(text);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().message().find("aaaaaaaa") == std::string::npos);
    CHECK(t.status().message().find("short") == std::string::npos);
  }
}

TEST_CASE("a presented token maps to its admin's name, every token compared", "[admin]") {
  std::vector<AdminToken> tokens = {{"alice", "alice-old-0123456789"},
                                    {"bob", "bob-token-0123456789"},
                                    {"alice", "alice-new-0123456789"}};
  CHECK(AdminNameForToken(tokens, "alice-old-0123456789") == "alice");
  CHECK(AdminNameForToken(tokens, "alice-new-0123456789") == "alice");
  CHECK(AdminNameForToken(tokens, "bob-token-0123456789") == "bob");
  CHECK(AdminNameForToken(tokens, "bob-token-012345678").empty());    // a prefix
  CHECK(AdminNameForToken(tokens, "bob-token-0123456789x").empty());  // longer
  CHECK(AdminNameForToken(tokens, "").empty());
  CHECK(AdminNameForToken({}, "bob-token-0123456789").empty());
}

TEST_CASE("OPTIN_ADMIN_TOKENS and OPTIN_ADMIN_TOKEN load together", "[config][admin]") {
  const std::string secret = "0123456789abcdef0123456789abcdef";
  std::map<std::string, std::string> env = {
      {"OPTIN_ADMIN_TOKENS", "alice:alice-token-0123456789,bob:bob-token-0123456789"},
      {"OPTIN_ADMIN_TOKEN", "single-token-0123456789"}};
  auto c = LoadConfig(env, false);
  REQUIRE(c.ok());
  REQUIRE(c->admin_tokens.size() == 3);
  CHECK(c->admin_tokens[2].name == "admin");
  CHECK(AdminNameForToken(c->admin_tokens, "single-token-0123456789") == "admin");
  CHECK(AdminNameForToken(c->admin_tokens, "bob-token-0123456789") == "bob");

  auto only_single = LoadConfig({{"OPTIN_ADMIN_TOKEN", "single-token-0123456789"}}, false);
  REQUIRE(only_single.ok());
  REQUIRE(only_single->admin_tokens.size() == 1);
  CHECK(only_single->admin_tokens[0].name == "admin");

  auto none = LoadConfig({}, false);
  REQUIRE(none.ok());
  CHECK(none->admin_tokens.empty());

  auto bad = LoadConfig({{"OPTIN_ADMIN_TOKENS", "alice:short"}}, false);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().rfind("OPTIN_ADMIN_TOKENS", 0) == 0);
  CHECK(bad.status().message().find("16 bytes") != std::string::npos);

  // The single token may not repeat a named one (one token, two names).
  auto dup = LoadConfig({{"OPTIN_ADMIN_TOKENS", "alice:alice-token-0123456789"},
                         {"OPTIN_ADMIN_TOKEN", "alice-token-0123456789"}},
                        false);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().message().find("alice-token") == std::string::npos);
}
