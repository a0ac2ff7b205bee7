// The ledger's confirmation_mail_sent event proves which mail went out: its Message-ID is the one
// in the mail the SMTP server received, its SHA-256 that of the exact bytes received.
#include <catch2/catch.hpp>

#include "service/base/crypto.h"
#include "tests/support/optin_fixture.h"
#include "tests/support/smtp_server.h"
#include "tests/support/wait.h"

using namespace optin::test;
using namespace std::chrono_literals;

namespace {

// The Message-ID header's value without the angle brackets ("" if none).
std::string MessageIdOf(const std::string& mail) {
  const std::string name = "\r\nMessage-ID: ";
  size_t at = mail.find(name);
  if (at == std::string::npos) return "";
  size_t end = mail.find("\r\n", at + name.size());
  std::string id = mail.substr(at + name.size(), end - at - name.size());
  if (id.size() > 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return id;
}

std::string Unbracketed(std::string id) {
  if (id.size() > 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return id;
}

}  // namespace

TEST_CASE("confirmation_mail_sent records the Message-ID and SHA-256 of the mail as received",
          "[e2e][db][smtp]") {
  SmtpServer smtp;
  OptinFixture f(Env{{"OPTIN_SMTP_URL", smtp.url()}});
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"languages", {"de", "nl", "en"}}})->status ==
          200);
  const std::vector<std::pair<std::string, std::string>> signups = {
      {"record.de@example.com", "de"},
      {"record.nl@example.com", "nl"},
      {"record.en@example.com", "en"}};
  for (const auto& [email, language] : signups) f.Subscribe(email, {{"language", language}});
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == signups.size(); }, 20s));
  REQUIRE(WaitUntil(
      [&] {
        return f.db().Scalar(
                   "SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent'") ==
               std::to_string(signups.size());
      },
      10s));
  for (const auto& mail : smtp.Messages()) {
    REQUIRE(mail.rcpt_to.size() == 1);
    const std::string& email = mail.rcpt_to[0];
    CAPTURE(email);
    const std::string where =
        "kind = 'confirmation_mail_sent' AND email_hash = (SELECT email_hash FROM subscribers "
        "WHERE email = '" +
        email + "')";
    const std::string id = MessageIdOf(mail.data);
    REQUIRE_FALSE(id.empty());
    CHECK(Unbracketed(f.db().Scalar("SELECT message_id FROM consent_events WHERE " + where)) == id);
    CHECK(f.db().Scalar("SELECT mail_sha256 FROM consent_events WHERE " + where) ==
          optin::Sha256Hex(mail.data));
    // The mail is in the subscription's language.
    const std::string language = f.db().Scalar(
        "SELECT s.language FROM subscriptions s JOIN subscribers u ON u.id = "
        "s.subscriber_id WHERE u.email = '" +
        email + "'");
    CHECK(mail.data.find("Content-Language: " + language + "\r\n") != std::string::npos);
  }
  // The admin's view of the ledger says the same.
  auto who =
      nlohmann::json::parse(f.Admin("GET", "/admin/subscribers?email=record.nl@example.com")->body);
  for (const auto& e : who["consent_events"]) {
    if (e["kind"] != "confirmation_mail_sent") continue;
    for (const auto& mail : smtp.Messages()) {
      if (mail.rcpt_to[0] != "record.nl@example.com") continue;
      CHECK(e["mail_sha256"] == optin::Sha256Hex(mail.data));
      CHECK(Unbracketed(e["message_id"]) == MessageIdOf(mail.data));
    }
  }
}
