// Request framing against the real binary, with the bytes an attacker sends on a raw socket:
// Content-Length together with chunked, odd chunk framing, chunked bodies over the cap,
// compressed bodies, and unauthenticated admin uploads. Each is refused before the body is read
// (or as it arrives), the connection is closed, and nothing smuggled in a body is answered.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/support/optin_fixture.h"

using namespace optin::test;
using namespace std::chrono_literals;

namespace {

struct Reply {
  std::string bytes;
  bool closed = false;
  double seconds = 0;  // until the first response byte
  int status() const {
    return bytes.rfind("HTTP/1.1 ", 0) == 0 && bytes.size() >= 12 ? std::stoi(bytes.substr(9, 3))
                                                                  : 0;
  }
  size_t answers() const {
    size_t n = 0;
    for (size_t at = bytes.find("HTTP/1.1 "); at != std::string::npos;
         at = bytes.find("HTTP/1.1 ", at + 1))
      ++n;
    return n;
  }
};

// Sends `data` on a fresh connection (as far as the server takes it) and reads until the server
// closes or `timeout` passes.
Reply Send(int port, const std::string& data, std::chrono::milliseconds timeout = 5s) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  auto start = std::chrono::steady_clock::now();
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server closed early: fine, its answer is read below
    sent += static_cast<size_t>(n);
  }
  Reply r;
  auto deadline = start + timeout;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      r.closed = true;
      break;
    }
    if (r.bytes.empty())
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.bytes.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return r;
}

std::string Hex(size_t n) {
  char buf[32];
  snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

const std::string kSmuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

std::string ChunkedSignup(const std::string& chunked_body) {
  return "POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Transfer-Encoding: chunked\r\n\r\n" +
         chunked_body;
}

}  // namespace

TEST_CASE("framing: Content-Length with Transfer-Encoding chunked is refused and closed",
          "[e2e][db][abuse]") {
  OptinFixture f;
  std::string body = "0\r\n\r\n" + kSmuggled;
  for (const std::string& path : std::vector<std::string>{"/subscribe", "/admin/import"}) {
    INFO(path);
    Reply r =
        Send(f.process().port(),
             "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kAdminToken +
                 "\r\nContent-Type: text/csv\r\nContent-Length: " + std::to_string(body.size()) +
                 "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
    INFO(r.bytes);
    CHECK(r.status() == 400);
    CHECK(r.answers() == 1);  // the smuggled GET is never answered
    CHECK(r.closed);
  }
  CHECK(f.db().Scalar("SELECT count(*) FROM subscribers") == "0");
}

TEST_CASE("framing: odd chunk framing answers 400 and closes, never a crash", "[e2e][db][abuse]") {
  OptinFixture f;
  for (const std::string& bad : std::vector<std::string>{
           "zz\r\n{}\r\n0\r\n\r\n",                                // bad hex
           "0x2\r\n{}\r\n0\r\n\r\n",                               // strtoul would read "0x"
           "-1\r\n{}\r\n0\r\n\r\n",                                // strtoul would wrap it
           "2\r\n{}XX0\r\n\r\n",                                   // no CRLF after the data
           "2\n{}\n0\n\n",                                         // bare LF
           "2;" + std::string(4000, 'e') + "\r\n{}\r\n0\r\n\r\n",  // extension abuse
           "2\r\n{}\r\n0\r\nX-Trailer: y\r\n\r\n",                 // trailer fields
           "2\r\n{}\r\n5\r\n" + kSmuggled.substr(0, 5) + "0\r\n\r\n" + kSmuggled,
       }) {
    INFO(bad.substr(0, 40));
    Reply r = Send(f.process().port(), ChunkedSignup(bad));
    INFO(r.bytes);
    CHECK(r.status() == 400);
    CHECK(r.answers() == 1);
    CHECK(r.closed);
  }
  for (const std::string& te :
       std::vector<std::string>{"gzip, chunked", "chunked, gzip", "identity", "xchunked"}) {
    INFO(te);
    Reply r =
        Send(f.process().port(), "POST /subscribe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te +
                                     "\r\nContent-Length: 2\r\n\r\n{}");
    CHECK(r.status() == 400);
    CHECK(r.closed);
  }
  Reply twice = Send(f.process().port(),
                     "POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}" +
                         kSmuggled);
  CHECK(twice.status() == 400);
  CHECK(twice.answers() == 1);
  CHECK(f.process().running());
  CHECK(f.client().Get("/healthz")->status == 200);
  CHECK(f.db().Scalar("SELECT count(*) FROM subscribers") == "0");
}

TEST_CASE("framing: a well-formed chunked signup works and keeps the connection",
          "[e2e][db][abuse]") {
  OptinFixture f;
  std::string json = R"({"email":"chunked@example.com"})";
  std::string body = "5\r\n" + json.substr(0, 5) + "\r\n" + Hex(json.size() - 5) + ";ext=1\r\n" +
                     json.substr(5) + "\r\n0\r\n\r\n";
  Reply r = Send(f.process().port(), ChunkedSignup(body) + kSmuggled, 3s);
  INFO(r.bytes);
  CHECK(r.status() == 202);
  CHECK(r.answers() == 2);  // the pipelined GET after the body is a real next request
  CHECK(f.db().Scalar("SELECT count(*) FROM subscribers") == "1");
}

TEST_CASE("framing: chunked bodies are capped as they arrive", "[e2e][db][abuse]") {
  OptinFixture f;
  int port = f.process().port();
  SECTION("public: over 64 KiB decoded is 413 and closed") {
    std::string chunk = std::string(16 * 1024, 'a');
    std::string body;
    for (int i = 0; i < 5; ++i) body += "4000\r\n" + chunk + "\r\n";
    Reply r = Send(port, ChunkedSignup(body + "0\r\n\r\n"));
    CHECK(r.status() == 413);
    CHECK(r.closed);
  }
  SECTION("a huge chunk size is refused before its data is sent") {
    for (const std::string& path :
         std::vector<std::string>{"/subscribe", "/admin/suppressions/check", "/admin/import"}) {
      INFO(path);
      Reply r = Send(port, "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                               kAdminToken + "\r\nContent-Type: " +
                               (path == "/admin/import" ? "text/csv" : "application/json") +
                               "\r\nTransfer-Encoding: chunked\r\n\r\n4000001\r\n");  // 64 MiB + 1
      INFO(r.bytes);
      CHECK(r.status() == 413);
      CHECK(r.closed);
      CHECK(r.seconds < 2.0);
    }
  }
  CHECK(f.process().running());
}

TEST_CASE("framing: compressed request bodies answer 415 without being inflated",
          "[e2e][db][abuse]") {
  OptinFixture f;
  for (const std::string& enc :
       std::vector<std::string>{"gzip", "deflate", "br", "GZIP", "gzip, identity"}) {
    INFO(enc);
    // Not even valid gzip: nothing is inflated, the head decides.
    Reply r = Send(f.process().port(),
                   "POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Encoding: " +
                       enc + "\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00");
    INFO(r.bytes);
    CHECK(r.status() == 415);
    CHECK(r.bytes.find("unsupported_media_type") != std::string::npos);
    CHECK(r.closed);
  }
  httplib::Headers identity{{"Content-Encoding", "identity"}};
  auto ok = f.client().Post("/subscribe", identity, R"({"email":"plain@example.com"})",
                            "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 202);
}

TEST_CASE("framing: an admin upload without a valid token is refused on its head",
          "[e2e][db][abuse]") {
  OptinFixture f;
  int port = f.process().port();
  // Headers only: a 1 GB body is announced and never sent. The answer must come at once.
  for (const std::string& path :
       std::vector<std::string>{"/admin/import", "/admin/suppressions/check"}) {
    for (const std::string& auth :
         std::vector<std::string>{"", "Authorization: Bearer wrong-token-0123456789\r\n"}) {
      INFO(path << " " << auth);
      Reply r = Send(port, "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth +
                               "Content-Type: text/csv\r\nContent-Length: 1000000000\r\n\r\n");
      INFO(r.bytes);
      CHECK(r.status() == 401);
      CHECK(r.closed);
      CHECK(r.seconds < 2.0);
    }
  }
  // Expect: 100-continue gets the refusal instead of "100 Continue".
  Reply expect = Send(port,
                      "POST /admin/import HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                      "Content-Type: text/csv\r\nContent-Length: 1000000000\r\n\r\n");
  INFO(expect.bytes);
  CHECK(expect.status() == 401);
  CHECK(expect.bytes.find("100 Continue") == std::string::npos);
  // With the token, a body over the admin cap is refused on its head too (no 1 GB drain).
  Reply big = Send(port, std::string("POST /admin/import HTTP/1.1\r\nHost: x\r\n") +
                             "Authorization: Bearer " + kAdminToken +
                             "\r\nContent-Type: text/csv\r\nContent-Length: 1000000000\r\n\r\n");
  CHECK(big.status() == 413);
  CHECK(big.closed);
  CHECK(big.seconds < 2.0);
}

TEST_CASE("framing: a body on a GET is not parsed as a next request", "[e2e][db][abuse]") {
  OptinFixture f;
  Reply r = Send(f.process().port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                         std::to_string(kSmuggled.size()) + "\r\n\r\n" + kSmuggled);
  INFO(r.bytes);
  CHECK(r.status() == 200);
  CHECK(r.answers() == 1);
  CHECK(r.closed);
}
