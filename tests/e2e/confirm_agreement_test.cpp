// GET /confirm agrees with POST /confirm: for every kind of link (unknown, garbled, expired,
// suppressed since the signup, already confirmed) the page a browser sees on GET is the page the
// POST answers, with the same status, and the GET changes nothing.
#include <catch2/catch.hpp>
#include <functional>

#include "tests/support/optin_fixture.h"

using namespace optin::test;
using nlohmann::json;

namespace {

// Everything a confirmation could change: states, spent tokens, ledger, CleverReach work.
std::string State(OptinFixture& f) {
  return f.db().Scalar(
      "SELECT (SELECT coalesce(string_agg(id || ':' || status || ':' || "
      "coalesce(confirmed_at::text, '-'), ',' ORDER BY id), '') FROM subscriptions) || '|' || "
      "(SELECT count(*) FROM confirmation_tokens WHERE used_at IS NOT NULL) || '|' || "
      "(SELECT count(*) FROM consent_events) || '|' || (SELECT count(*) FROM sync_outbox)");
}

struct Case {
  const char* kind;
  // Prepares the link: gets a fresh signup's token and returns the token to present.
  std::function<std::string(OptinFixture&, const std::string& token)> prepare;
  int status;          // GET and POST from a browser
  int json_status;     // POST with JSON
  const char* error;   // JSON error ("" = {"status":"confirmed"})
  const char* phrase;  // the page says (en)
};

}  // namespace

TEST_CASE("GET /confirm shows exactly what POST /confirm answers, and changes nothing",
          "[e2e][db]") {
  OptinFixture f;
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"language", "en"}})->status == 200);
  const std::string wellformed_unknown(43, 'A');
  const std::vector<Case> cases = {
      {"unknown but well-formed",
       [&](OptinFixture&, const std::string&) { return wellformed_unknown; }, 404, 404,
       "invalid_token", "Invalid link"},
      {"garbled", [](OptinFixture&, const std::string& t) { return t.substr(1) + "!"; }, 404, 404,
       "invalid_token", "Invalid link"},
      {"too short", [](OptinFixture&, const std::string&) { return std::string("x"); }, 404, 404,
       "invalid_token", "Invalid link"},
      {"expired",
       [](OptinFixture& fx, const std::string& t) {
         fx.db().Exec("UPDATE confirmation_tokens SET expires_at = now() - interval '1 minute'");
         return t;
       },
       410, 410, "expired", "Link expired"},
      {"suppressed since the signup",
       [](OptinFixture& fx, const std::string& t) {
         fx.db().Exec(
             "INSERT INTO suppressions (email_hash, email, reason, source) SELECT email_hash, "
             "email, 'test', 'admin' FROM subscribers WHERE id = (SELECT max(id) FROM "
             "subscribers)");
         return t;
       },
       410, 410, "expired", "Link expired"},
      {"already confirmed",
       [](OptinFixture& fx, const std::string& t) {
         REQUIRE(fx.PostJson("/confirm", {{"token", t}})->status == 200);
         return t;
       },
       200, 200, "", "your subscription is confirmed"},
  };
  int n = 0;
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    const std::string email = "agree" + std::to_string(++n) + "@example.com";
    f.Subscribe(email);
    const std::string token = c.prepare(f, f.ConfirmTokenFor(email));
    const std::string before = State(f);

    httplib::Headers browser = {{"Accept", "text/html"}, {"Accept-Language", "en"}};
    auto get = f.client().Get(("/confirm?token=" + token).c_str(), browser);
    REQUIRE(get);
    CHECK(get->status == c.status);
    CHECK(get->body.find(c.phrase) != std::string::npos);
    CHECK(get->body.find("method=\"post\"") == std::string::npos);  // no button to press
    CHECK(State(f) == before);                                      // GET changed nothing
    CHECK(f.client().Get(("/confirm?token=" + token).c_str(), browser)->body == get->body);

    auto post =
        f.client().Post("/confirm", browser, "token=" + token, "application/x-www-form-urlencoded");
    REQUIRE(post);
    CHECK(post->status == get->status);
    CHECK(post->body == get->body);
    CHECK(post->get_header_value("Content-Type") == get->get_header_value("Content-Type"));

    auto api = f.PostJson("/confirm", {{"token", token}});
    CHECK(api->status == c.json_status);
    if (*c.error)
      CHECK(json::parse(api->body)["error"] == c.error);
    else
      CHECK(json::parse(api->body) == json{{"status", "confirmed"}});
    // Only an already confirmed subscription's leftover tokens may be spent; nothing else moves.
    if (c.status != 200) CHECK(State(f) == before);
  }

  // An expired link offers to sign up again; a suppressed one does not (no mail would come).
  f.Subscribe("offer@example.com");
  std::string offer = f.ConfirmTokenFor("offer@example.com");
  f.db().Exec("UPDATE confirmation_tokens SET expires_at = now() - interval '1 minute'");
  CHECK(f.client().Get(("/confirm?token=" + offer).c_str())->body.find("/form/newsletter") !=
        std::string::npos);
}

TEST_CASE("GET and POST /confirm of a confirmed subscription both lead to the list's confirmed_url",
          "[e2e][db]") {
  OptinFixture f;
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter",
                  {{"confirmed_url", "https://www.example.com/confirmed"}})
              ->status == 200);
  f.Subscribe("twice@example.com");
  std::string token = f.ConfirmTokenFor("twice@example.com");
  httplib::Headers browser = {{"Accept", "text/html"}};

  // Usable: the GET shows the button (and changes nothing), the POST redirects.
  auto page = f.client().Get(("/confirm?token=" + token).c_str(), browser);
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("method=\"post\"") != std::string::npos);
  CHECK(f.db().Scalar("SELECT status FROM subscriptions") == "pending");
  auto first =
      f.client().Post("/confirm", browser, "token=" + token, "application/x-www-form-urlencoded");
  REQUIRE(first);
  CHECK(first->status == 303);
  CHECK(first->get_header_value("Location") == "https://www.example.com/confirmed");

  // Confirmed: GET and POST agree (303 to the same page).
  std::string events = f.db().Scalar("SELECT count(*) FROM consent_events");
  auto get = f.client().Get(("/confirm?token=" + token).c_str(), browser);
  auto post =
      f.client().Post("/confirm", browser, "token=" + token, "application/x-www-form-urlencoded");
  REQUIRE(get);
  REQUIRE(post);
  CHECK(get->status == 303);
  CHECK(post->status == 303);
  CHECK(get->get_header_value("Location") == "https://www.example.com/confirmed");
  CHECK(post->get_header_value("Location") == get->get_header_value("Location"));
  CHECK(f.db().Scalar("SELECT count(*) FROM consent_events") == events);
}
