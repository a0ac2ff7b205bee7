#include "service/http/chunked_guard.h"

#include <catch2/catch.hpp>
#include <string>

using optin::http::ChunkedGuard;
using V = ChunkedGuard::Verdict;

namespace {

V FeedAll(const std::string& body, size_t cap = 1024, bool bytewise = false) {
  ChunkedGuard g(cap);
  if (!bytewise) return g.Feed(body.data(), body.size());
  V v = V::kMore;
  for (char c : body) v = g.Feed(&c, 1);
  return v;
}

}  // namespace

TEST_CASE("chunked guard: well-formed bodies are accepted, whole or byte by byte", "[http]") {
  for (bool bytewise : {false, true}) {
    CHECK(FeedAll("5\r\nhello\r\n0\r\n\r\n", 1024, bytewise) == V::kDone);
    CHECK(FeedAll("0\r\n\r\n", 1024, bytewise) == V::kDone);
    CHECK(FeedAll("A\r\n0123456789\r\n3;name=value\r\nabc\r\n0\r\n\r\n", 1024, bytewise) ==
          V::kDone);
    CHECK(FeedAll("000a\r\n0123456789\r\n0\r\n\r\n", 1024, bytewise) == V::kDone);
  }
  CHECK(FeedAll("5\r\nhel") == V::kMore);
}

TEST_CASE("chunked guard: odd framing is refused", "[http]") {
  struct Case {
    const char* what;
    std::string body;
  };
  for (const auto& c : std::vector<Case>{
           {"no size", "\r\nhello\r\n0\r\n\r\n"},
           {"bad hex", "5g\r\nhello\r\n0\r\n\r\n"},
           {"0x prefix (strtoul would read it)", "0x5\r\nhello\r\n0\r\n\r\n"},
           {"sign", "+5\r\nhello\r\n0\r\n\r\n"},
           {"negative", "-1\r\nhello\r\n0\r\n\r\n"},
           {"leading space", " 5\r\nhello\r\n0\r\n\r\n"},
           {"bare LF after size", "5\nhello\r\n0\r\n\r\n"},
           {"data longer than its size", "3\r\nhello\r\n0\r\n\r\n"},
           {"missing CRLF after data", "5\r\nhello0\r\n\r\n"},
           {"bare LF after data", "5\r\nhello\n0\r\n\r\n"},
           {"trailer field", "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n"},
           {"control character in an extension", "5;a\x01\r\nhello\r\n0\r\n\r\n"},
           {"bare LF in an extension", "5;a\nb\r\nhello\r\n0\r\n\r\n"},
           {"an oversized extension", "5;" + std::string(300, 'x') + "\r\nhello\r\n0\r\n\r\n"},
       }) {
    INFO(c.what);
    CHECK(FeedAll(c.body) == V::kBadFraming);
    CHECK(FeedAll(c.body, 1024, true) == V::kBadFraming);
  }
}

TEST_CASE("chunked guard: the cap counts decoded bytes and refuses a huge size at once", "[http]") {
  CHECK(FeedAll("400\r\n" + std::string(1024, 'a') + "\r\n0\r\n\r\n", 1024) == V::kDone);
  CHECK(FeedAll("401\r\n", 1024) == V::kTooLarge);
  CHECK(FeedAll("200\r\n" + std::string(512, 'a') + "\r\n201\r\n", 1024) == V::kTooLarge);
  CHECK(FeedAll("ffffffffffffffffffffffff\r\n", 1024) == V::kTooLarge);
  CHECK(FeedAll("00000000000000000000001\r\n", 1024) == V::kTooLarge);  // > 16 digits
}

TEST_CASE("chunked guard: tiny chunks exhaust the framing budget", "[http]") {
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "1\r\na\r\n";
  CHECK(FeedAll(body + "0\r\n\r\n", 64 * 1024) == V::kBadFraming);
  // A verdict, once reached, stays.
  ChunkedGuard g(1024);
  CHECK(g.Feed("zz", 2) == V::kBadFraming);
  CHECK(g.Feed("5\r\n", 3) == V::kBadFraming);
}
