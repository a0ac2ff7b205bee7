// Privacy requests end to end: the real binary, a real PostgreSQL and a real SMTP server —
// request, verification mail, confirmation page, and each outcome (access export, erasure,
// objection, unsubscribe); plus the admin's erasure and what an erased address can no longer get.
#include <catch2/catch.hpp>
#include <cstdio>

#include "tests/support/privacy_helpers.h"

using namespace optin::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string PgDump(const std::string& url) {
  std::string cmd = "/usr/lib/postgresql/15/bin/pg_dump --no-owner '" + url + "'";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  REQUIRE(pclose(p) == 0);
  return out;
}

}  // namespace

TEST_CASE("access: verification mail, GET changes nothing, POST downloads everything once",
          "[e2e][db][privacy]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  SignUpAndConfirm(f, smtp, "anna@example.com", 1);

  auto r = RequestPrivacy(f, " Anna@Example.COM", "access");
  CHECK(r->status == 202);
  CHECK(json::parse(r->body) == json{{"status", "pending"}});
  auto mail = WaitForMail(smtp, 2);
  CHECK(mail.rcpt_to == std::vector<std::string>{"anna@example.com"});
  std::string link = FindLink(mail.data, "/privacy/confirm?token=");
  CHECK(link.rfind("http://localhost:8080/privacy/confirm?token=", 0) == 0);
  std::string token = QueryValue(link, "token");
  CHECK(f.db().Scalar("SELECT count(*) FROM privacy_requests WHERE token_hash = '" + token + "'") ==
        "0");

  auto page = f.client().Get(("/privacy/confirm?token=" + token).c_str());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("method=\"post\"") != std::string::npos);
  CHECK(Count(f, "privacy_requests", "completed_at IS NULL") == "1");

  std::string tampered = token;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  CHECK(f.PostJson("/privacy/confirm", {{"token", tampered}})->status == 404);
  CHECK(f.PostJson("/privacy/confirm", {{"token", "garbage"}})->status == 404);
  CHECK(f.client().Get(("/privacy/confirm?token=" + tampered).c_str())->status == 404);

  auto done = f.PostJson("/privacy/confirm", {{"token", token}});
  REQUIRE(done->status == 200);
  CHECK(done->get_header_value("Content-Disposition").find("attachment") != std::string::npos);
  auto doc = json::parse(done->body);
  CHECK(doc["email"] == "anna@example.com");
  CHECK(doc["name"] == "Someone");
  REQUIRE(doc["subscriptions"].size() == 1);
  CHECK(doc["subscriptions"][0]["status"] == "confirmed");
  std::vector<std::string> kinds;
  for (const auto& e : doc["consent_events"]) kinds.push_back(e["kind"]);
  CHECK(kinds == std::vector<std::string>{"signup_requested", "confirmation_mail_sent", "confirmed",
                                          "privacy_requested", "privacy_completed"});
  REQUIRE(doc["privacy_requests"].size() == 1);
  CHECK(doc["privacy_requests"][0]["type"] == "access");
  CHECK_FALSE(doc["privacy_requests"][0]["completed_at"].is_null());

  // Single use: the same link again is 410, as page and as POST.
  CHECK(f.PostJson("/privacy/confirm", {{"token", token}})->status == 410);
  CHECK(f.client().Get(("/privacy/confirm?token=" + token).c_str())->status == 410);
}

TEST_CASE("unknown address gets 202 and no mail, and one verification mail per address per hour",
          "[e2e][db][privacy]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  f.Subscribe("bert@example.com");  // pending is known too
  WaitForMail(smtp, 1);

  auto unknown = RequestPrivacy(f, "nobody@example.com", "erasure");
  CHECK(unknown->status == 202);
  CHECK(unknown->body == "{\"status\":\"pending\"}\n");
  for (const char* type : {"access", "erasure", "objection"}) {
    auto r = RequestPrivacy(f, "bert@example.com", type);
    CHECK(r->body == unknown->body);
    CHECK(r->status == 202);
  }
  WaitForMail(smtp, 2);
  CHECK(WaitUntil([&] { return Count(f, "mail_outbox") == "0"; }));
  CHECK(smtp.MessageCount() == 2);
  CHECK(Count(f, "privacy_requests") == "1");
  CHECK(Count(f, "privacy_requests", "type = 'access'") == "1");
  CHECK(PgDump(f.db().url()).find("nobody@example.com") == std::string::npos);

  // Bad input.
  auto bad_email = RequestPrivacy(f, "not-an-address", "access");
  CHECK(bad_email->status == 400);
  CHECK(json::parse(bad_email->body)["error"] == "invalid_email");
  auto bad_type = RequestPrivacy(f, "bert@example.com", "everything");
  CHECK(bad_type->status == 400);
  CHECK(json::parse(bad_type->body)["error"] == "invalid_request");

  // Browsers get the form and a page after posting it.
  auto form = f.client().Get("/privacy?lang=nl");
  REQUIRE(form);
  CHECK(form->status == 200);
  CHECK(form->body.find("action=\"/privacy/request\"") != std::string::npos);
  httplib::Headers browser = {{"Accept", "text/html"}};
  auto posted = f.client().Post("/privacy/request", browser,
                                "email=nobody%40example.com&type=access&language=nl",
                                "application/x-www-form-urlencoded");
  REQUIRE(posted);
  CHECK(posted->status == 303);
  std::string location = posted->get_header_value("Location");
  CHECK(location == "/privacy/requested?lang=nl");
  CHECK(f.client().Get(location.c_str())->status == 200);
}

TEST_CASE(
    "unsubscribe ends every list, objection lifts the suppression and is mailed while suppressed",
    "[e2e][db][privacy]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  REQUIRE(f.Admin("PUT", "/admin/lists/events", {{"name", "Events"}})->status == 200);
  SignUpAndConfirm(f, smtp, "carl@example.com", 1);
  SignUpAndConfirm(f, smtp, "carl@example.com", 2, "events");

  REQUIRE(RequestPrivacy(f, "carl@example.com", "unsubscribe")->status == 202);
  std::string token = TokenIn(WaitForMail(smtp, 3), "/privacy/confirm?token=");
  auto done = f.PostJson("/privacy/confirm", {{"token", token}});
  REQUIRE(done->status == 200);
  CHECK(json::parse(done->body) == json{{"status", "completed"}, {"type", "unsubscribe"}});
  CHECK(Count(f, "subscriptions", "status = 'unsubscribed'") == "2");
  CHECK(Count(f, "consent_events", "kind = 'unsubscribed' AND channel = 'privacy'") == "2");
  CHECK(Count(f, "suppressions", "list_id IS NULL AND source = 'privacy'") == "1");
  CHECK(Count(f, "consent_events", "kind = 'privacy_completed'") == "1");

  // The suppressed address still gets the verification mail it asks for (a new hour is
  // simulated by ageing the earlier request).
  f.db().Exec("UPDATE privacy_requests SET requested_at = now() - interval '2 hours'");
  REQUIRE(RequestPrivacy(f, "carl@example.com", "objection")->status == 202);
  auto objection_mail = WaitForMail(smtp, 4);
  std::string objection = TokenIn(objection_mail, "/privacy/confirm?token=");
  httplib::Headers browser = {{"Accept", "text/html"}};
  auto page = f.client().Post("/privacy/confirm", browser, "token=" + objection,
                              "application/x-www-form-urlencoded");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type").find("text/html") == 0);
  CHECK(Count(f, "suppressions") == "0");
  CHECK(Count(f, "consent_events", "kind = 'suppression_lifted' AND channel = 'privacy'") == "1");

  // Signing up again now starts a fresh double opt-in.
  f.Subscribe("carl@example.com");
  WaitForMail(smtp, 5);
  CHECK(f.db().Scalar(
            "SELECT status FROM subscriptions s JOIN lists l ON l.id = s.list_id WHERE l.slug = "
            "'newsletter'") == "pending");
}

TEST_CASE(
    "erasure leaves the address nowhere, erased and domain-blocked addresses get no mail again",
    "[e2e][db][privacy]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  SignUpAndConfirm(f, smtp, "dora@example.com", 1);
  REQUIRE(f.Admin("POST", "/admin/suppressions",
                  {{"email", "dora@example.com"}, {"scope", "newsletter"}})
              ->status == 201);
  REQUIRE(RequestPrivacy(f, "dora@example.com", "access")->status == 202);
  std::string access = TokenIn(WaitForMail(smtp, 2), "/privacy/confirm?token=");
  REQUIRE(f.PostJson("/privacy/confirm", {{"token", access}})->status == 200);
  f.db().Exec("UPDATE privacy_requests SET requested_at = now() - interval '2 hours'");
  REQUIRE(RequestPrivacy(f, "dora@example.com", "erasure")->status == 202);
  std::string token = TokenIn(WaitForMail(smtp, 3), "/privacy/confirm?token=");
  CHECK(PgDump(f.db().url()).find("dora@example.com") !=
        std::string::npos);  // the check can see it

  auto done = f.PostJson("/privacy/confirm", {{"token", token}});
  REQUIRE(done->status == 200);
  CHECK(json::parse(done->body)["type"] == "erasure");
  CHECK(PgDump(f.db().url()).find("dora@example.com") == std::string::npos);
  CHECK(Count(f, "subscribers") == "0");
  CHECK(Count(f, "subscriptions") == "0");
  // One hash-only event stays, which is also the ledger's tombstone of the erased chain: no
  // subscriber row, no IP, no user agent, nothing typed in.
  CHECK(Count(f, "consent_events") == "1");
  CHECK(
      Count(f, "consent_events",
            "detail->>'reason' = 'erasure' AND jsonb_array_length(detail->'removed_sha256') > 0") ==
      "1");
  CHECK(
      Count(f, "consent_events",
            "kind = 'erased' AND subscriber_id IS NULL AND ip IS NULL AND user_agent IS NULL "
            "AND channel = 'privacy' AND email_hash = encode(sha256('dora@example.com'), 'hex')") ==
      "1");
  CHECK(Count(f, "sync_outbox") == "0");  // CleverReach is off: nothing to tell it
  CHECK(Count(f, "suppressions", "list_id IS NULL AND email IS NULL") == "1");
  CHECK(Count(f, "suppressions", "email IS NOT NULL") == "0");
  CHECK(Count(f, "privacy_requests", "email IS NULL") == "2");
  CHECK(f.PostJson("/privacy/confirm", {{"token", token}})->status == 410);
  CHECK(f.PostJson("/privacy/confirm", {{"token", access}})->status == 410);

  // The admin's erasure takes the same path.
  f.Subscribe("erik@example.com");
  WaitForMail(smtp, 4);
  auto erased = f.Admin("DELETE", "/admin/subscribers?email=Erik@example.com");
  REQUIRE(erased->status == 200);
  CHECK(json::parse(erased->body)["subscriber_deleted"] == true);
  CHECK(PgDump(f.db().url()).find("erik@example.com") == std::string::npos);
  CHECK(Count(f, "suppressions", "list_id IS NULL AND email IS NULL") == "2");
  CHECK(Count(f, "consent_events", "kind = 'erased' AND channel = 'admin'") == "1");

  // Neither an erased address nor a blocked domain gets mail again, by signup or by import.
  REQUIRE(f.Admin("POST", "/admin/suppressions", {{"domain", "*.blocked.example"}})->status == 201);
  f.Subscribe("dora@example.com");
  f.Subscribe("erik@example.com");
  f.Subscribe("x@mail.blocked.example");
  httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kAdminToken}};
  auto imported = f.client().Post(
      "/admin/import", admin,
      "dora@example.com,,,2024-01-01,crm\ny@blocked.example,,,2024-01-01,crm\n", "text/csv");
  REQUIRE(imported);
  REQUIRE(imported->status == 200);
  CHECK(json::parse(imported->body)["suppressed"] == 2);
  CHECK(json::parse(imported->body)["imported"] == 0);
  CHECK(Count(f, "mail_outbox") == "0");
  CHECK(Count(f, "subscribers") == "0");
  // Nothing is queued and nothing is stored, so no mail can follow.
  CHECK(smtp.MessageCount() == 4);
  CHECK(PgDump(f.db().url()).find("dora@example.com") == std::string::npos);
}

TEST_CASE("with CleverReach on, erasure replaces the address's outbox rows by one delete_receiver",
          "[e2e][db][privacy]") {
  SmtpServer smtp;
  Env env = SmtpEnv(smtp);
  env["OPTIN_CLEVERREACH_CLIENT_ID"] = "client";
  env["OPTIN_CLEVERREACH_CLIENT_SECRET"] = "secret";
  // Unreachable endpoints: a sync worker (where there is one) fails and keeps the rows.
  env["OPTIN_CLEVERREACH_API_URL"] = "http://127.0.0.1:9/v3";
  env["OPTIN_CLEVERREACH_TOKEN_URL"] = "http://127.0.0.1:9/token";
  OptinFixture f(env);
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", "123"}})->status ==
          200);
  SignUpAndConfirm(f, smtp, "fred@example.com", 1);
  REQUIRE(Count(f, "sync_outbox", "action = 'upsert_receiver'") == "1");
  auto erased = f.Admin("DELETE", "/admin/subscribers?email=fred@example.com");
  REQUIRE(erased->status == 200);
  CHECK(Count(f, "sync_outbox") == "1");
  CHECK(f.db().Scalar("SELECT action || ' ' || email FROM sync_outbox") ==
        "delete_receiver fred@example.com");
}
