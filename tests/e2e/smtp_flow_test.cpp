// The double opt-in over a real SMTP server (aiosmtpd), including a crash of optin while the
// SMTP server is down.
#include <catch2/catch.hpp>

#include "tests/support/mail_reader.h"
#include "tests/support/optin_fixture.h"
#include "tests/support/smtp_server.h"
#include "tests/support/wait.h"

using namespace optin::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string ConfirmToken(const ReceivedMail& mail) {
  return QueryValue(FindLink(mail.data, "/confirm?token="), "token");
}

}  // namespace

TEST_CASE("SMTP: signup, confirm, unsubscribe, signup again gets no mail, logs hold no address",
          "[e2e][db][smtp]") {
  SmtpServer smtp;
  OptinFixture f(Env{{"OPTIN_SMTP_URL", smtp.url()}, {"OPTIN_MAIL_FROM", "news@example.org"}});
  f.Subscribe("smtp.user@example.com");
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == 1; }, 15s));
  REQUIRE(WaitUntil([&] { return f.db().Scalar("SELECT count(*) FROM mail_outbox") == "0"; }, 10s));
  auto mail = smtp.Messages()[0];
  CHECK(mail.mail_from == "news@example.org");
  CHECK(mail.rcpt_to == std::vector<std::string>{"smtp.user@example.com"});
  CHECK(mail.data.find("Content-Type: multipart/alternative") != std::string::npos);
  std::string token = ConfirmToken(mail);
  REQUIRE_FALSE(token.empty());
  REQUIRE(f.PostJson("/confirm", {{"token", token}})->status == 200);

  auto who = json::parse(f.Admin("GET", "/admin/subscribers?email=smtp.user@example.com")->body);
  std::string url = who["subscriptions"][0]["unsubscribe_url"];
  auto unsub = f.client().Post(url.substr(url.find("/unsubscribe")).c_str(),
                               "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
  REQUIRE(unsub);
  CHECK(unsub->status == 200);

  f.Subscribe("smtp.user@example.com");
  CHECK(f.db().Scalar("SELECT count(*) FROM mail_outbox") == "0");
  CHECK(smtp.MessageCount() == 1);

  std::string log = f.process().Log();
  CHECK(log.find("smtp.user@example.com") == std::string::npos);
  CHECK(log.find(token) == std::string::npos);
  CHECK(log.find("test-secret-0123456789") == std::string::npos);
}

TEST_CASE("SMTP down, signup 202, kill -9, SMTP up, restart: the mail arrives exactly once",
          "[e2e][db][smtp]") {
  SmtpServer smtp;
  smtp.Stop();
  OptinFixture f(Env{{"OPTIN_SMTP_URL", smtp.url()}, {"OPTIN_MAIL_RETRY_BASE", "100ms"}});
  f.Subscribe("crash@example.com");
  // The mail is stored with the signup and retried while the server is down.
  REQUIRE(WaitUntil([&] { return f.db().Scalar("SELECT max(attempts) FROM mail_outbox") >= "1"; },
                    15s));
  f.process().Kill();
  smtp.Start();
  f.Restart();
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() >= 1; }, 20s));
  REQUIRE(WaitUntil([&] { return f.db().Scalar("SELECT count(*) FROM mail_outbox") == "0"; }, 10s));
  CHECK(smtp.MessageCount() == 1);
  CHECK(f.db().Scalar(
            "SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent'") == "1");
  // And the link in it works.
  CHECK(f.PostJson("/confirm", {{"token", ConfirmToken(smtp.Messages()[0])}})->status == 200);
}
