// Black-box finding 4 (issue 17): plus and Gmail-dot variants of one mailbox, each from another
// client address, share one per-address rate limit.
#include <catch2/catch.hpp>

#include "tests/support/optin_fixture.h"

using namespace optin::test;
using nlohmann::json;

namespace {

int SignupFrom(OptinFixture& f, const std::string& email, int client) {
  httplib::Headers headers = {{"X-Forwarded-For", "203.0.113." + std::to_string(client)}};
  auto r =
      f.client().Post("/subscribe", headers, json({{"email", email}}).dump(), "application/json");
  REQUIRE(r);
  return r->status;
}

}  // namespace

TEST_CASE("plus and gmail dot variants of one mailbox share the per-address limit",
          "[e2e][db][mailbox]") {
  OptinFixture f({{"OPTIN_RATE_LIMIT", "3/h"}, {"OPTIN_TRUSTED_PROXIES", "127.0.0.1/32"}});
  CHECK(SignupFrom(f, "victim+1@example.com", 1) == 202);
  CHECK(SignupFrom(f, "victim+2@example.com", 2) == 202);
  CHECK(SignupFrom(f, "victim@example.com", 3) == 202);
  CHECK(SignupFrom(f, "victim+4@example.com", 4) == 429);
  CHECK(SignupFrom(f, "victim+5@example.com", 5) == 429);
  CHECK(f.db().Scalar("SELECT count(*) FROM subscribers WHERE email LIKE 'victim%'") == "3");
  // Another mailbox at the same domain is not affected.
  CHECK(SignupFrom(f, "other+1@example.com", 6) == 202);

  CHECK(SignupFrom(f, "jane.doe@gmail.com", 7) == 202);
  CHECK(SignupFrom(f, "janedoe+x@gmail.com", 8) == 202);
  CHECK(SignupFrom(f, "j.a.n.e.d.o.e@googlemail.com", 9) == 202);
  CHECK(SignupFrom(f, "jan.edoe@gmail.com", 10) == 429);
}
