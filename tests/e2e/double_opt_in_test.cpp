// The double opt-in end to end: the real binary, a real PostgreSQL, mail as .eml files.
#include <catch2/catch.hpp>

#include "tests/support/mail_reader.h"
#include "tests/support/optin_fixture.h"
#include "tests/support/wait.h"

using namespace optin::test;
using nlohmann::json;

namespace {

std::string Count(OptinFixture& f, const std::string& table, const std::string& where = "true") {
  return f.db().Scalar("SELECT count(*) FROM " + table + " WHERE " + where);
}

}  // namespace

TEST_CASE("signup, mail, confirm page, confirm, one-click unsubscribe, signup again gets no mail",
          "[e2e][db]") {
  OptinFixture f;
  f.Subscribe("Anna.Example@Example.COM ", {{"name", "Anna"}, {"language", "nl"}});
  CHECK(f.db().Scalar("SELECT status FROM subscriptions") == "pending");
  CHECK(f.db().Scalar("SELECT email FROM subscribers") == "anna.example@example.com");

  auto mails = f.WaitForMails(1);
  const std::string& mail = mails[0];
  CHECK(mail.find("To: anna.example@example.com") != std::string::npos);
  CHECK(mail.find("Message-ID: <") != std::string::npos);
  CHECK(mail.find("Anna") == std::string::npos);  // never text a visitor typed
  std::string link = FindLink(mail, "/confirm?token=");
  REQUIRE(link.rfind("http://localhost:8080/confirm?token=", 0) == 0);
  std::string token = QueryValue(link, "token");

  // GET shows a page with a button and changes nothing (mail scanners follow links).
  auto page = f.client().Get(("/confirm?token=" + token).c_str());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("method=\"post\"") != std::string::npos);
  CHECK(f.db().Scalar("SELECT status FROM subscriptions") == "pending");

  auto confirmed = f.PostJson("/confirm", {{"token", token}});
  CHECK(confirmed->status == 200);
  CHECK(json::parse(confirmed->body) == json{{"status", "confirmed"}});
  CHECK(f.db().Scalar("SELECT status FROM subscriptions") == "confirmed");
  // Confirming again is idempotent.
  CHECK(f.PostJson("/confirm", {{"token", token}})->status == 200);

  auto who = f.Admin("GET", "/admin/subscribers?email=anna.example@example.com");
  REQUIRE(who->status == 200);
  auto doc = json::parse(who->body);
  std::string unsubscribe = doc["subscriptions"][0]["unsubscribe_url"];
  unsubscribe = unsubscribe.substr(unsubscribe.find("/unsubscribe"));
  std::vector<std::string> kinds;
  for (const auto& e : doc["consent_events"]) kinds.push_back(e["kind"]);
  CHECK(kinds ==
        std::vector<std::string>{"signup_requested", "confirmation_mail_sent", "confirmed"});
  CHECK(doc["consent_events"][1].contains("message_id"));
  CHECK(doc["consent_events"][1]["mail_sha256"].get<std::string>().size() == 64);

  auto unsub_page = f.client().Get(unsubscribe.c_str());
  REQUIRE(unsub_page);
  CHECK(unsub_page->status == 200);
  CHECK(f.db().Scalar("SELECT status FROM subscriptions") == "confirmed");

  // RFC 8058 one-click: a POST with List-Unsubscribe=One-Click, answered 200 without a redirect.
  auto one_click = f.client().Post(unsubscribe.c_str(), "List-Unsubscribe=One-Click",
                                   "application/x-www-form-urlencoded");
  REQUIRE(one_click);
  CHECK(one_click->status == 200);
  CHECK(f.db().Scalar("SELECT status FROM subscriptions") == "unsubscribed");
  CHECK(Count(f, "suppressions", "list_id IS NULL AND source = 'one-click'") == "1");
  CHECK(f.db().Scalar("SELECT coalesce(name, '<none>') FROM subscribers") == "<none>");
  CHECK(f.client()
            .Post(unsubscribe.c_str(), "List-Unsubscribe=One-Click",
                  "application/x-www-form-urlencoded")
            ->status == 200);

  // Signing up again: the same 202, nothing stored, nothing sent.
  std::string events_before = Count(f, "consent_events");
  f.Subscribe("anna.example@example.com");
  CHECK(Count(f, "consent_events") == events_before);
  CHECK(Count(f, "mail_outbox") == "0");
  CHECK(ReadEmlFiles(f.mail_dir()).size() == 1);
}

TEST_CASE("the signup answer is the same for every state of the address", "[e2e][db]") {
  OptinFixture f;
  auto body_for = [&](const std::string& email) {
    auto r = f.PostJson("/subscribe", {{"email", email}});
    return std::to_string(r->status) + r->body;
  };
  std::string fresh = body_for("state@example.com");
  std::string pending = body_for("state@example.com");
  std::string token = f.ConfirmTokenFor("state@example.com");
  REQUIRE(f.PostJson("/confirm", {{"token", token}})->status == 200);
  std::string confirmed = body_for("state@example.com");
  REQUIRE(f.Admin("POST", "/admin/suppressions", {{"email", "state@example.com"}})->status == 201);
  std::string suppressed = body_for("state@example.com");
  CHECK(fresh == "202{\"status\":\"pending\"}\n");
  CHECK(pending == fresh);
  CHECK(confirmed == fresh);
  CHECK(suppressed == fresh);
  // One confirmation mail only: the second signup was within 10 minutes.
  CHECK(Count(f, "consent_events", "kind = 'signup_requested'") == "2");
}

TEST_CASE("honeypot, browser forms and multipart", "[e2e][db]") {
  OptinFixture f;
  auto bot = f.PostJson("/subscribe", {{"email", "bot@example.com"}, {"website", "http://spam"}});
  CHECK(bot->status == 202);
  CHECK(Count(f, "subscribers") == "0");

  httplib::Headers browser = {{"Accept", "text/html,application/xhtml+xml"}};
  auto form = f.client().Post("/subscribe", browser, "email=form%40example.com&list=newsletter",
                              "application/x-www-form-urlencoded");
  REQUIRE(form);
  CHECK(form->status == 303);
  CHECK(form->get_header_value("Location") == "/subscribed?list=newsletter");
  auto thanks = f.client().Get("/subscribed?list=newsletter");
  CHECK(thanks->status == 200);
  CHECK(thanks->body.find("lang=\"de\"") != std::string::npos);

  httplib::MultipartFormDataItems items = {{"email", "multi@example.com", "", ""},
                                           {"name", "M", "", ""}};
  auto multi = f.client().Post("/subscribe", items);
  REQUIRE(multi);
  CHECK(multi->status == 202);
  CHECK(Count(f, "subscribers") == "2");
}

TEST_CASE("bad input gets its status and error body and changes nothing", "[e2e][db]") {
  OptinFixture f;
  REQUIRE(f.Admin("PUT", "/admin/lists/strict",
                  {{"name", "Strict"}, {"require_consent_checkbox", true}})
              ->status == 200);
  struct Case {
    const char* what;
    std::string body;
    std::string type;
    int status;
    const char* error;
  };
  std::string big(70 * 1024, 'a');
  const Case cases[] = {
      {"no email", R"({"list":"newsletter"})", "application/json", 400, "invalid_email"},
      {"syntax", R"({"email":"not-an-address"})", "application/json", 400, "invalid_email"},
      {"no domain dot", R"({"email":"a@localhost"})", "application/json", 400, "invalid_email"},
      {"too long", "{\"email\":\"" + std::string(250, 'a') + "@example.com\"}", "application/json",
       400, "invalid_email"},
      {"header injection", R"({"email":"a@example.com\r\nBcc: victim@example.com"})",
       "application/json", 400, "invalid_email"},
      {"NUL byte", R"({"email":"a\u0000@example.com"})", "application/json", 400, "invalid_email"},
      {"invalid UTF-8 name", "email=x%40example.com&name=%ff%fe",
       "application/x-www-form-urlencoded", 400, "invalid_request"},
      {"bad percent escape", "email=x%4", "application/x-www-form-urlencoded", 400,
       "invalid_request"},
      {"malformed JSON", R"({"email":)", "application/json", 400, "invalid_request"},
      {"JSON array", R"(["a@example.com"])", "application/json", 400, "invalid_request"},
      {"wrong JSON type", R"({"email":42})", "application/json", 400, "invalid_request"},
      {"wrong content type", "email=a@example.com", "text/plain", 415, "unsupported_media_type"},
      {"unknown list", R"({"email":"a@example.com","list":"nope"})", "application/json", 404,
       "unknown_list"},
      {"consent missing", R"({"email":"a@example.com","list":"strict"})", "application/json", 422,
       "consent_required"},
      {"consent refused", R"({"email":"a@example.com","list":"strict","consent":false})",
       "application/json", 422, "consent_required"},
      {"oversized", "{\"email\":\"a@example.com\",\"name\":\"" + big + "\"}", "application/json",
       413, "payload_too_large"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto r = f.client().Post("/subscribe", c.body, c.type.c_str());
    REQUIRE(r);
    CHECK(r->status == c.status);
    auto doc = json::parse(r->body, nullptr, false);
    REQUIRE(doc.is_object());
    CHECK(doc["error"] == c.error);
    CHECK(doc["message"].is_string());
  }
  CHECK(Count(f, "subscribers") == "0");
  CHECK(Count(f, "consent_events") == "0");
  // With the checkbox ticked the strict list accepts.
  CHECK(
      f.PostJson("/subscribe", {{"email", "a@example.com"}, {"list", "strict"}, {"consent", true}})
          ->status == 202);
  CHECK(Count(f, "consent_events", "consent_text_sha256 IS NOT NULL") == "1");
  CHECK(Count(f, "consent_texts") == "1");
}

TEST_CASE("tampered, foreign and expired tokens", "[e2e][db]") {
  OptinFixture f;
  std::string unsubscribe = f.SubscribeAndConfirm("tok@example.com");
  std::string unsub_token = QueryValue(unsubscribe, "token");
  f.Subscribe("pending@example.com");
  std::string confirm_token = f.ConfirmTokenFor("pending@example.com");

  std::string tampered = unsub_token;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {tampered, std::string("garbage"), std::string(""), confirm_token}) {
    INFO(bad);
    CHECK(f.client()
              .Post(("/unsubscribe?token=" + bad).c_str(), "", "application/x-www-form-urlencoded")
              ->status == 404);
    CHECK(f.client().Get(("/unsubscribe?token=" + bad).c_str())->status == 404);
  }
  for (const std::string& bad : {unsub_token, std::string("x"), confirm_token.substr(1) + "A"}) {
    INFO(bad);
    auto r = f.PostJson("/confirm", {{"token", bad}});
    CHECK(r->status == 404);
    CHECK(json::parse(r->body)["error"] == "invalid_token");
  }
  CHECK(Count(f, "subscriptions", "status = 'confirmed'") == "1");

  f.db().Exec("UPDATE confirmation_tokens SET expires_at = now() - interval '1 minute'");
  auto expired = f.PostJson("/confirm", {{"token", confirm_token}});
  CHECK(expired->status == 410);
  CHECK(json::parse(expired->body)["error"] == "expired");
  auto expired_page = f.client().Get(("/confirm?token=" + confirm_token).c_str());
  CHECK(expired_page->status == 410);
  CHECK(expired_page->body.find("/form/newsletter") != std::string::npos);
  CHECK(Count(f, "subscriptions", "status = 'pending'") == "1");
}

TEST_CASE("a confirmation records who confirmed, and a suppression since the signup kills the link",
          "[e2e][db]") {
  OptinFixture f;
  f.Subscribe("who@example.com");
  f.Subscribe("later.blocked@example.com");
  f.Subscribe("someone@gone.test");
  std::string who = f.ConfirmTokenFor("who@example.com");
  std::string blocked = f.ConfirmTokenFor("later.blocked@example.com");
  std::string domain = f.ConfirmTokenFor("someone@gone.test");

  httplib::Headers agent = {{"User-Agent", "ConfirmingBrowser/1.0"}};
  auto ok = f.client().Post("/confirm", agent, "token=" + who, "application/x-www-form-urlencoded");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(f.db().Scalar("SELECT host(ip) || ' ' || user_agent || ' ' || channel FROM consent_events "
                      "WHERE kind = 'confirmed'") == "127.0.0.1 ConfirmingBrowser/1.0 link");
  CHECK(Count(f, "confirmation_tokens",
              "used_at IS NULL AND subscription_id = (SELECT s.id FROM subscriptions s "
              "JOIN subscribers u ON u.id = s.subscriber_id WHERE u.email = 'who@example.com')") ==
        "0");

  // Suppressed (the address, or its domain) after the mail went out: the link is dead, nothing
  // changes. The entry is written directly, as a concurrent writer's would be, so that the
  // subscription is still pending and the confirmation's own check is what refuses it.
  f.db().Exec(
      "INSERT INTO suppressions (email_hash, email, reason, source) "
      "SELECT email_hash, email, 'test', 'admin' FROM subscribers WHERE email = "
      "'later.blocked@example.com'");
  // (POST /admin/suppressions with a domain would end the pending subscription itself — issue 12.)
  f.db().Exec(
      "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('gone.test', false)");
  std::string events = Count(f, "consent_events");
  for (const std::string& token : {blocked, domain}) {
    auto r = f.PostJson("/confirm", {{"token", token}});
    CHECK(r->status == 410);
  }
  CHECK(Count(f, "consent_events") == events);
  CHECK(Count(f, "subscriptions", "status = 'confirmed'") == "1");
  CHECK(Count(f, "subscriptions", "status = 'pending'") == "2");
}

TEST_CASE("admin needs its bearer token", "[e2e][db]") {
  OptinFixture f;
  for (const char* auth : {"", "Bearer wrong-token-wrong-token", "Basic dGVzdA==", "Bearer "}) {
    INFO(auth);
    httplib::Headers h;
    if (*auth) h.emplace("Authorization", auth);
    auto r = f.client().Get("/admin/lists", h);
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(json::parse(r->body)["error"] == "unauthorized");
  }
  auto lists = f.Admin("GET", "/admin/lists");
  CHECK(lists->status == 200);
  CHECK(json::parse(lists->body)["lists"][0]["slug"] == "newsletter");
}

TEST_CASE("admin routes are hidden without an admin token", "[e2e][db]") {
  OptinFixture f(Env{{"OPTIN_ADMIN_TOKEN", ""}});
  CHECK(f.Admin("GET", "/admin/lists")->status == 404);
}

TEST_CASE("per-client rate limit answers 429 with Retry-After", "[e2e][db]") {
  OptinFixture f(Env{{"OPTIN_RATE_LIMIT", "3/min"}});
  for (int i = 0; i < 3; ++i)
    CHECK(f.PostJson("/subscribe", {{"email", "r" + std::to_string(i) + "@example.com"}})->status ==
          202);
  auto limited = f.PostJson("/subscribe", {{"email", "r9@example.com"}});
  CHECK(limited->status == 429);
  CHECK(std::stoi(limited->get_header_value("Retry-After")) >= 1);
  CHECK(json::parse(limited->body)["error"] == "rate_limited");
  CHECK(Count(f, "subscribers") == "3");
}

TEST_CASE("suppressions: admin adds, checks, lifts, and domains block signups", "[e2e][db]") {
  OptinFixture f;
  f.SubscribeAndConfirm("keep@example.com");
  CHECK(f.Admin("POST", "/admin/suppressions",
                {{"email", "Block@Example.com"}, {"reason", "complaint"}})
            ->status == 201);
  CHECK(f.Admin("POST", "/admin/suppressions", {{"domain", "*.spam.test"}})->status == 201);
  CHECK(f.Admin("POST", "/admin/suppressions",
                {{"email", "listonly@example.com"}, {"scope", "newsletter"}})
            ->status == 201);
  auto check = f.Admin("POST", "/admin/suppressions/check",
                       {{"emails",
                         {"keep@example.com", "BLOCK@example.com", "x@spam.test", "y@a.spam.test",
                          "listonly@example.com", "bad"}}});
  REQUIRE(check->status == 200);
  auto doc = json::parse(check->body);
  CHECK(doc["suppressed"] == json{"block@example.com", "x@spam.test", "y@a.spam.test"});
  CHECK(doc["invalid"] == json{"bad"});
  auto per_list = f.Admin("POST", "/admin/suppressions/check",
                          {{"emails", {"listonly@example.com"}}, {"list", "newsletter"}});
  CHECK(json::parse(per_list->body)["suppressed"] == json{"listonly@example.com"});

  // A blocked domain gets no confirmation mail.
  f.Subscribe("someone@mail.spam.test");
  CHECK(Count(f, "mail_outbox") == "0");
  CHECK(Count(f, "subscribers", "email = 'someone@mail.spam.test'") == "0");

  // Suppressing a confirmed subscriber ends the subscription; lifting allows a fresh opt-in.
  CHECK(f.Admin("POST", "/admin/suppressions", {{"email", "keep@example.com"}})->status == 201);
  CHECK(f.db().Scalar("SELECT status FROM subscriptions s JOIN subscribers u ON u.id = "
                      "s.subscriber_id WHERE u.email = 'keep@example.com'") == "unsubscribed");
  CHECK(f.Admin("DELETE", "/admin/suppressions?email=keep@example.com")->status == 200);
  CHECK(f.Admin("DELETE", "/admin/suppressions?email=keep@example.com")->status == 404);
  f.Subscribe("keep@example.com");
  CHECK(f.db().Scalar("SELECT status FROM subscriptions s JOIN subscribers u ON u.id = "
                      "s.subscriber_id WHERE u.email = 'keep@example.com'") == "pending");
  f.WaitForMails(2);
}

TEST_CASE("a large suppression check answers every address, in input order", "[e2e][db]") {
  OptinFixture f;
  // 15 000 addresses (parallel normalisation and parallel database parts): every 4th suppressed
  // by an entry, one domain blocked, one invalid address in the middle, duplicates.
  f.db().Exec(
      "INSERT INTO suppressions (email_hash, email, reason, source) "
      "SELECT encode(sha256(convert_to('u' || i || '@example.com', 'UTF8')), 'hex'), "
      "       'u' || i || '@example.com', 'test', 'admin' FROM generate_series(0, 15000, 4) i");
  REQUIRE(f.Admin("POST", "/admin/suppressions", {{"domain", "blocked.test"}})->status == 201);
  json emails = json::array();
  json expected = json::array();
  for (int i = 0; i < 15000; ++i) {
    std::string e = "u" + std::to_string(i) + "@example.com";
    emails.push_back(i % 2 ? e : "U" + e.substr(1));  // case does not matter
    if (i % 4 == 0) expected.push_back(e);
    if (i == 7000) emails.push_back("not an address");
    if (i == 9000) {
      emails.push_back("x@blocked.test");
      expected.push_back("x@blocked.test");
    }
    if (i == 12000) {
      emails.push_back(e);  // a duplicate is reported again
      expected.push_back(e);
    }
  }
  auto check = f.Admin("POST", "/admin/suppressions/check", {{"emails", emails}});
  REQUIRE(check->status == 200);
  auto doc = json::parse(check->body);
  CHECK(doc["suppressed"] == expected);
  CHECK(doc["invalid"] == json{"not an address"});
}

TEST_CASE("concurrent signups of one address send one mail", "[e2e][db]") {
  OptinFixture f;
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      httplib::Client c("127.0.0.1", f.process().port());
      for (int i = 0; i < 25; ++i) {
        // A client retries on a fresh connection when the server closed an idle keep-alive one.
        auto r = c.Post("/subscribe", R"({"email":"same@example.com"})", "application/json");
        if (!r) r = c.Post("/subscribe", R"({"email":"same@example.com"})", "application/json");
        if (r && r->status == 202) ++accepted;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(accepted == 200);
  f.WaitForMails(1);
  CHECK(WaitUntil([&] { return Count(f, "mail_outbox") == "0"; }));
  CHECK(ReadEmlFiles(f.mail_dir()).size() == 1);
  CHECK(Count(f, "consent_events", "kind = 'confirmation_mail_sent'") == "1");
}
