// Restriction of processing (Art. 18, CONTRACT §7 §4) end to end: the real binary, a real
// PostgreSQL, a real SMTP server or the fake CleverReach. A verified request pauses every
// subscription — no mail of any kind, receivers deactivated at CleverReach — while all data stays;
// signups, confirmations and imports during it change nothing; a verified request or an admin
// lifts it and each subscription resumes where it was.
#include <catch2/catch.hpp>

#include "tests/fakes/fake_cleverreach.h"
#include "tests/support/privacy_helpers.h"
#include "tests/support/sync_helpers.h"

using namespace optin::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string StatusOf(OptinFixture& f, const std::string& email, const std::string& list) {
  return f.db().Scalar(
      "SELECT coalesce((SELECT s.status::text FROM subscriptions s "
      "JOIN subscribers u ON u.id = s.subscriber_id JOIN lists l ON l.id = s.list_id "
      "WHERE u.email = '" +
      email + "' AND l.slug = '" + list + "'), 'none')");
}

// Makes a verified privacy request of `type` over SMTP; `n` is the verification mail's number.
void VerifiedRequest(OptinFixture& f, SmtpServer& smtp, const std::string& email,
                     const std::string& type, size_t n) {
  REQUIRE(RequestPrivacy(f, email, type)->status == 202);
  std::string token = TokenIn(WaitForMail(smtp, n), "/privacy/confirm?token=");
  auto done = f.PostJson("/privacy/confirm", {{"token", token}});
  REQUIRE(done->status == 200);
  CHECK(json::parse(done->body) == json{{"status", "completed"}, {"type", type}});
}

// The mailer has nothing left to send.
void Drained(OptinFixture& f) {
  REQUIRE(WaitUntil([&] { return Count(f, "mail_outbox") == "0"; }, 15s));
}

// The privacy verification token among the .eml files optin wrote (REQUIRES: exactly one).
std::string PrivacyTokenInMailDir(OptinFixture& f, size_t mails) {
  std::string token;
  for (const auto& mail : f.WaitForMails(mails)) {
    std::string link = FindLink(mail, "/privacy/confirm?token=");
    if (!link.empty()) token = QueryValue(link, "token");
  }
  REQUIRE_FALSE(token.empty());
  return token;
}

}  // namespace

TEST_CASE("restriction: no mail, data kept, signup and confirm change nothing, lift resumes",
          "[e2e][db][privacy][restriction]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  REQUIRE(f.Admin("PUT", "/admin/lists/events", {{"name", "Events"}})->status == 200);
  REQUIRE(f.Admin("PUT", "/admin/lists/offers", {{"name", "Offers"}})->status == 200);
  SignUpAndConfirm(f, smtp, "rosa@example.com", 1);
  f.Subscribe("rosa@example.com", {{"list", "events"}});
  std::string pending_token = TokenIn(WaitForMail(smtp, 2), "/confirm?token=");

  VerifiedRequest(f, smtp, "rosa@example.com", "restriction", 3);
  CHECK(StatusOf(f, "rosa@example.com", "newsletter") == "restricted");
  CHECK(StatusOf(f, "rosa@example.com", "events") == "restricted");
  // All data kept: the name, every subscription, every event.
  CHECK(f.db().Scalar("SELECT name FROM subscribers") == "Someone");
  CHECK(Count(f, "consent_events", "kind = 'restricted' AND channel = 'privacy'") == "2");
  CHECK(Count(f, "consent_events", "kind = 'signup_requested'") == "2");
  CHECK(Count(f, "suppressions") == "0");
  auto who = json::parse(f.Admin("GET", "/admin/subscribers?email=rosa@example.com")->body);
  CHECK(who["subscriptions"][0]["status"] == "restricted");

  // Signing up again (the same lists, and a new one) sends nothing and resumes nothing.
  for (const char* list : {"newsletter", "events", "offers"}) {
    f.Subscribe("rosa@example.com", {{"list", list}, {"name", "Other"}});
  }
  // The pending signup's link is dead while restricted.
  auto confirm = f.PostJson("/confirm", {{"token", pending_token}});
  CHECK(confirm->status == 410);
  // An import of the address is skipped.
  httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kAdminToken}};
  auto imported = f.client().Post("/admin/import", admin,
                                  "rosa@example.com,,newsletter,2024-03-01,crm\r\n", "text/csv");
  REQUIRE(imported->status == 200);
  CHECK(json::parse(imported->body)["imported"] == 0);
  Drained(f);
  CHECK(smtp.MessageCount() == 3);
  CHECK(StatusOf(f, "rosa@example.com", "newsletter") == "restricted");
  CHECK(StatusOf(f, "rosa@example.com", "events") == "restricted");
  CHECK(StatusOf(f, "rosa@example.com", "offers") == "none");
  CHECK(f.db().Scalar("SELECT name FROM subscribers") == "Someone");
  CHECK(Count(f, "consent_events", "kind = 'confirmed'") == "1");

  // The person lifts it (the verification mail reaches a restricted address: they asked).
  AgePrivacyRequests(f);
  VerifiedRequest(f, smtp, "rosa@example.com", "lift_restriction", 4);
  CHECK(StatusOf(f, "rosa@example.com", "newsletter") == "confirmed");
  CHECK(StatusOf(f, "rosa@example.com", "events") == "pending");
  CHECK(Count(f, "consent_events", "kind = 'restriction_lifted' AND channel = 'privacy'") == "2");
  CHECK(f.db().Scalar("SELECT restricted_from IS NULL FROM subscriptions LIMIT 1") == "t");
  // ... and a signup is mailed again.
  f.Subscribe("rosa@example.com", {{"list", "offers"}});
  auto mail = WaitForMail(smtp, 5);
  CHECK(FindLink(mail.data, "/confirm?token=") != "");
  // Lifting again does nothing more.
  AgePrivacyRequests(f);
  REQUIRE(RequestPrivacy(f, "rosa@example.com", "lift_restriction")->status == 202);
  std::string again = TokenIn(WaitForMail(smtp, 6), "/privacy/confirm?token=");
  REQUIRE(f.PostJson("/privacy/confirm", {{"token", again}})->status == 200);
  CHECK(Count(f, "consent_events", "kind = 'restriction_lifted'") == "2");
}

TEST_CASE("restriction: unknown address gets the same 202, an unsubscribe still ends it",
          "[e2e][db][privacy][restriction]") {
  SmtpServer smtp;
  OptinFixture f(SmtpEnv(smtp));
  SignUpAndConfirm(f, smtp, "uwe@example.com", 1);
  auto unknown = RequestPrivacy(f, "nobody@example.com", "restriction");
  auto known = RequestPrivacy(f, "uwe@example.com", "restriction");
  CHECK(unknown->status == 202);
  CHECK(known->status == 202);
  CHECK(unknown->body == known->body);
  CHECK(RequestPrivacy(f, "nobody@example.com", "lift_restriction")->body == known->body);
  std::string token = TokenIn(WaitForMail(smtp, 2), "/privacy/confirm?token=");
  // The confirmation page says what will happen, in the request's language.
  auto page = f.client().Get(("/privacy/confirm?token=" + token).c_str());
  REQUIRE(page->status == 200);
  CHECK(page->body.find("pausieren") != std::string::npos);
  REQUIRE(f.PostJson("/privacy/confirm", {{"token", token}})->status == 200);
  CHECK(StatusOf(f, "uwe@example.com", "newsletter") == "restricted");
  Drained(f);
  CHECK(smtp.MessageCount() == 2);

  // Withdrawal stays possible during a restriction: the unsubscribe link ends the subscription.
  auto who = json::parse(f.Admin("GET", "/admin/subscribers?email=uwe@example.com")->body);
  std::string url = who["subscriptions"][0]["unsubscribe_url"];
  std::string path = url.substr(url.find("/unsubscribe"));
  REQUIRE(f.client()
              .Post(path.c_str(), "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")
              ->status == 200);
  CHECK(StatusOf(f, "uwe@example.com", "newsletter") == "unsubscribed");
  // Lifting later does not resubscribe it.
  REQUIRE(f.Admin("DELETE", "/admin/restrictions?email=uwe@example.com")->status == 200);
  CHECK(StatusOf(f, "uwe@example.com", "newsletter") == "unsubscribed");
}

TEST_CASE(
    "restriction: CleverReach deactivates the receiver, the pull does not take it for an "
    "unsubscribe, the admin's lift reactivates it",
    "[e2e][db][sync][restriction]") {
  FakeCleverReach fake;
  OptinFixture f(OptinEnvFor(fake, "2s"));
  int64_t gid = SetUpGroup(f, fake);
  f.SubscribeAndConfirm("cara@example.com");
  REQUIRE(WaitUntil([&] { return Active(fake, gid, "cara@example.com"); }, 15s));

  REQUIRE(RequestPrivacy(f, "cara@example.com", "restriction")->status == 202);
  std::string token = PrivacyTokenInMailDir(f, 2);
  REQUIRE(f.PostJson("/privacy/confirm", {{"token", token}})->status == 200);
  REQUIRE(WaitUntil([&] { return Deactivated(fake, gid, "cara@example.com"); }, 15s));
  // Several pulls see the inactive receiver; none records it as an unsubscribe.
  auto pulled_at = [&] {
    return f.db().Scalar("SELECT coalesce(last_pull_at::text, '') FROM sync_state");
  };
  std::string first = pulled_at();
  REQUIRE(WaitUntil([&] { return pulled_at() != first; }, 15s));
  std::string second = pulled_at();
  REQUIRE(WaitUntil([&] { return pulled_at() != second; }, 15s));
  CHECK(Count(f, "suppressions") == "0");
  CHECK(StatusOf(f, "cara@example.com", "newsletter") == "restricted");

  // The admin lifts it; CleverReach reactivates the receiver, and later pulls leave it alone.
  auto lifted = f.Admin("DELETE", "/admin/restrictions?email=cara@example.com");
  REQUIRE(lifted->status == 200);
  CHECK(json::parse(lifted->body) == json{{"status", "lifted"}, {"subscriptions_resumed", 1}});
  CHECK(Count(f, "consent_events", "kind = 'restriction_lifted' AND channel = 'admin'") == "1");
  REQUIRE(WaitUntil([&] { return Active(fake, gid, "cara@example.com"); }, 15s));
  std::string third = pulled_at();
  REQUIRE(WaitUntil([&] { return pulled_at() != third; }, 15s));
  CHECK(Count(f, "suppressions") == "0");
  CHECK(StatusOf(f, "cara@example.com", "newsletter") == "confirmed");
  // Not restricted any more: 404; a bad address: 400.
  CHECK(f.Admin("DELETE", "/admin/restrictions?email=cara@example.com")->status == 404);
  CHECK(f.Admin("DELETE", "/admin/restrictions?email=not-an-address")->status == 400);

  // A genuine unsubscribe at CleverReach after the lift is still recorded.
  REQUIRE(fake.UnsubscribeOnCleverReach(gid, "cara@example.com",
                                        std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                                .count() +
                                            120));
  REQUIRE(WaitUntil([&] { return StatusOf(f, "cara@example.com", "newsletter") == "unsubscribed"; },
                    15s));
}
