// Proof of work end to end (issue 17) against the real binary: the ALTCHA v1 challenge, solved
// by the test's own solver written from the spec (tests/support/altcha_client.h, not optin's
// script); OPTIN_POW on, off and adaptive; replay on the same and on a second instance; expired
// and forged solutions; nothing stored or mailed when refused.
#include <catch2/catch.hpp>
#include <chrono>

#include "service/domain/altcha.h"
#include "tests/support/altcha_client.h"
#include "tests/support/optin_fixture.h"

using namespace optin::test;
using nlohmann::json;

namespace {

const Env kPowOn = {{"OPTIN_POW", "on"}, {"OPTIN_POW_MAXNUMBER", "2000"}};

json Challenge(httplib::Client& client) {
  auto r = client.Get("/pow/challenge");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  return json::parse(r->body);
}

std::string Solved(httplib::Client& client) { return AltchaSolvedPayload(Challenge(client)); }

void CheckNothingStoredOrMailed(OptinFixture& f) {
  CHECK(f.db().Scalar("SELECT count(*) FROM subscribers") == "0");
  CHECK(f.db().Scalar("SELECT count(*) FROM subscriptions") == "0");
  CHECK(f.db().Scalar("SELECT count(*) FROM mail_outbox") == "0");
  CHECK(f.db().Scalar("SELECT count(*) FROM privacy_requests") == "0");
}

std::string ErrorOf(const httplib::Result& r) {
  auto body = json::parse(r->body, nullptr, false);
  return body.is_object() ? body.value("error", "") : "";
}

// Percent-encodes base64's + / = for a form body.
std::string FormEncode(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '+')
      out += "%2B";
    else if (ch == '/')
      out += "%2F";
    else if (ch == '=')
      out += "%3D";
    else
      out += ch;
  }
  return out;
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("pow on: the challenge is ALTCHA v1 and the test's own solver solves it",
          "[e2e][db][pow]") {
  OptinFixture f(kPowOn);
  auto r = f.client().Get("/pow/challenge");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Access-Control-Allow-Origin") == "*");
  json c = json::parse(r->body);
  CHECK(c.size() == 5);
  CHECK(c["algorithm"] == "SHA-256");
  CHECK(c["maxnumber"] == 2000);
  std::string salt = c["salt"];
  size_t q = salt.find("?expires=");
  REQUIRE(q != std::string::npos);
  CHECK(q >= 24);
  CHECK(salt.back() == '&');
  int64_t expires = std::stoll(salt.substr(q + 9));
  CHECK(expires > UnixNow());
  CHECK(expires <= UnixNow() + 3600);
  int64_t n = AltchaSolve(c);
  REQUIRE(n >= 0);
  CHECK(AltchaSha256Hex(salt + std::to_string(n)) == c["challenge"]);
  CHECK(Challenge(f.client())["salt"] != c["salt"]);
}

TEST_CASE("pow on: missing and forged solutions get 400 and nothing is stored or mailed",
          "[e2e][db][pow]") {
  OptinFixture f(kPowOn);
  auto missing = f.PostJson("/subscribe", {{"email", "victim@example.com"}});
  CHECK(missing->status == 400);
  CHECK(ErrorOf(missing) == "pow_required");

  json c = Challenge(f.client());
  int64_t n = AltchaSolve(c);
  const std::string sha = AltchaSha256Hex(c["salt"].get<std::string>() + "7");
  json self_made = c;
  self_made["challenge"] = sha;  // a challenge of its own, with the server's signature of another
  json resigned = c;
  resigned["signature"] = std::string(64, '0');
  for (const std::string& bad :
       {AltchaPayloadFor(c, n + 1), AltchaPayloadFor(self_made, 7), AltchaPayloadFor(resigned, n),
        std::string("not base64!"), AltchaBase64("{\"algorithm\":\"SHA-256\"}")}) {
    INFO(bad);
    auto r = f.PostJson("/subscribe", {{"email", "victim@example.com"}, {"altcha", bad}});
    CHECK(r->status == 400);
    CHECK(ErrorOf(r) == "pow_invalid");
  }
  // A browser form without the field.
  auto form = f.client().Post("/subscribe", "email=victim%40example.com&list=newsletter",
                              "application/x-www-form-urlencoded");
  REQUIRE(form);
  CHECK(form->status == 400);
  auto privacy =
      f.PostJson("/privacy/request", {{"email", "victim@example.com"}, {"type", "access"}});
  CHECK(privacy->status == 400);
  CHECK(ErrorOf(privacy) == "pow_required");
  CheckNothingStoredOrMailed(f);
}

TEST_CASE("pow on: an expired solution is refused, though signed with the right key",
          "[e2e][db][pow]") {
  OptinFixture f(kPowOn);
  // The test knows OPTIN_SECRET, so it can sign a challenge that has already expired.
  std::string key = optin::AltchaKey(f.process().env().at("OPTIN_SECRET"));
  auto expired =
      optin::MakeAltchaChallenge(key, "00112233445566778899aabb", 12, 2000, UnixNow() - 1);
  json c = {{"algorithm", expired.algorithm},
            {"challenge", expired.challenge},
            {"maxnumber", 2000},
            {"salt", expired.salt},
            {"signature", expired.signature}};
  REQUIRE(AltchaSolve(c) == 12);
  auto r = f.PostJson("/subscribe",
                      {{"email", "late@example.com"}, {"altcha", AltchaPayloadFor(c, 12)}});
  CHECK(r->status == 400);
  CHECK(ErrorOf(r) == "pow_invalid");
  // The same, still valid for a minute, passes: the key is the one the server uses.
  auto fresh =
      optin::MakeAltchaChallenge(key, "00112233445566778899aabb", 12, 2000, UnixNow() + 60);
  c["challenge"] = fresh.challenge;
  c["salt"] = fresh.salt;
  c["signature"] = fresh.signature;
  auto ok = f.PostJson("/subscribe",
                       {{"email", "late@example.com"}, {"altcha", AltchaPayloadFor(c, 12)}});
  CHECK(ok->status == 202);
}

TEST_CASE("pow on: a solution is accepted once, on this and on another instance",
          "[e2e][db][pow]") {
  OptinFixture f(kPowOn);
  std::string payload = Solved(f.client());
  auto first = f.PostJson("/subscribe", {{"email", "anna@example.com"}, {"altcha", payload}});
  CHECK(first->status == 202);
  auto mails = f.WaitForMails(1);
  CHECK(mails.size() == 1);

  auto replay = f.PostJson("/subscribe", {{"email", "bob@example.com"}, {"altcha", payload}});
  CHECK(replay->status == 400);
  CHECK(ErrorOf(replay) == "pow_invalid");

  // A second instance on the same database (same OPTIN_SECRET) refuses the replay too, and
  // accepts a solution of a challenge the first instance handed out.
  Env env = f.process().env();
  OptinProcess second(env);
  second.Start();
  httplib::Client other("127.0.0.1", second.WaitForPort());
  auto there =
      other.Post("/subscribe", json({{"email", "bob@example.com"}, {"altcha", payload}}).dump(),
                 "application/json");
  REQUIRE(there);
  CHECK(there->status == 400);
  CHECK(ErrorOf(there) == "pow_invalid");
  std::string from_first = Solved(f.client());
  auto cross =
      other.Post("/subscribe", json({{"email", "bob@example.com"}, {"altcha", from_first}}).dump(),
                 "application/json");
  REQUIRE(cross);
  CHECK(cross->status == 202);
  CHECK(f.db().Scalar("SELECT count(*) FROM subscribers") == "2");

  // Form posts and privacy requests take the field as well.
  auto form = f.client().Post(
      "/subscribe",
      "email=carl%40example.com&list=newsletter&altcha=" + FormEncode(Solved(f.client())),
      "application/x-www-form-urlencoded");
  REQUIRE(form);
  CHECK(form->status == 202);
  auto privacy = f.PostJson(
      "/privacy/request",
      {{"email", "anna@example.com"}, {"type", "access"}, {"altcha", Solved(f.client())}});
  CHECK(privacy->status == 202);
  second.Terminate();
}

TEST_CASE("pow on: optin's forms load the same-origin solver, say why without JavaScript",
          "[e2e][db][pow]") {
  OptinFixture f(kPowOn);
  for (const char* path : {"/form/newsletter", "/privacy"}) {
    INFO(path);
    auto page = f.client().Get(path);
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("<script src=\"/pow/solver.js\" defer></script>") != std::string::npos);
    CHECK(page->body.find("name=\"altcha\"") != std::string::npos);
    CHECK(page->body.find("<noscript>") != std::string::npos);
    std::string csp = page->get_header_value("Content-Security-Policy");
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("connect-src 'self'") != std::string::npos);
    CHECK(csp.find("default-src 'none'") != std::string::npos);
    CHECK(page->get_header_value_count("Content-Security-Policy") == 1);
  }
  // Other pages keep the script-free policy.
  auto thanks = f.client().Get("/subscribed");
  REQUIRE(thanks);
  CHECK(thanks->get_header_value("Content-Security-Policy").find("script-src") ==
        std::string::npos);
  auto script = f.client().Get("/pow/solver.js");
  REQUIRE(script);
  CHECK(script->status == 200);
  CHECK(script->get_header_value("Content-Type").rfind("text/javascript", 0) == 0);
  CHECK(script->body.find("crypto.subtle.digest('SHA-256'") != std::string::npos);
  CHECK(script->body.find("http") == std::string::npos);  // no external asset
}

TEST_CASE("pow off: no field needed, none looked at, forms without script", "[e2e][db][pow]") {
  OptinFixture f;  // OPTIN_POW unset = off
  f.Subscribe("plain@example.com");
  f.Subscribe("ignored@example.com", {{"altcha", "garbage"}});
  auto page = f.client().Get("/form/newsletter");
  REQUIRE(page);
  CHECK(page->body.find("<script") == std::string::npos);
  CHECK(page->body.find("altcha") == std::string::npos);
  CHECK(page->get_header_value("Content-Security-Policy").find("script-src") == std::string::npos);
}

TEST_CASE("pow adaptive: needed only over the rate limit, instead of the 429", "[e2e][db][pow]") {
  OptinFixture f(
      {{"OPTIN_POW", "adaptive"}, {"OPTIN_POW_MAXNUMBER", "2000"}, {"OPTIN_RATE_LIMIT", "2/h"}});
  f.Subscribe("one@example.com");
  f.Subscribe("two@example.com");
  auto over = f.PostJson("/subscribe", {{"email", "three@example.com"}});
  CHECK(over->status == 400);
  CHECK(ErrorOf(over) == "pow_required");
  CHECK(f.db().Scalar("SELECT count(*) FROM subscribers WHERE email = 'three@example.com'") == "0");
  auto solved =
      f.PostJson("/subscribe", {{"email", "three@example.com"}, {"altcha", Solved(f.client())}});
  CHECK(solved->status == 202);
  // A bad solution is refused even under the limit; a replay too.
  auto replay_payload = Solved(f.client());
  CHECK(f.PostJson("/subscribe", {{"email", "four@example.com"}, {"altcha", replay_payload}})
            ->status == 202);
  auto replay =
      f.PostJson("/subscribe", {{"email", "five@example.com"}, {"altcha", replay_payload}});
  CHECK(replay->status == 400);
  CHECK(ErrorOf(replay) == "pow_invalid");
  auto privacy = f.PostJson("/privacy/request", {{"email", "one@example.com"}, {"type", "access"}});
  CHECK(privacy->status == 400);
  CHECK(ErrorOf(privacy) == "pow_required");
  // The form carries the solver, without the no-JavaScript sentence (it works without, mostly).
  auto page = f.client().Get("/form/newsletter");
  REQUIRE(page);
  CHECK(page->body.find("/pow/solver.js") != std::string::npos);
  CHECK(page->body.find("<noscript>") == std::string::npos);
}
