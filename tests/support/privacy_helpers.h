// Steps the privacy end-to-end tests share: a running optin (OptinFixture) mailing through a real
// SMTP server (SmtpServer); waiting for the n-th mail, reading a link's token, signing up and
// confirming, and posting a privacy request.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/support/mail_reader.h"
#include "tests/support/optin_fixture.h"
#include "tests/support/smtp_server.h"
#include "tests/support/wait.h"

namespace optin::test {

inline Env SmtpEnv(const SmtpServer& smtp) {
  return Env{{"OPTIN_SMTP_URL", smtp.url()}, {"OPTIN_MAIL_RETRY_BASE", "100ms"}};
}

inline std::string Count(OptinFixture& f, const std::string& table,
                         const std::string& where = "true") {
  return f.db().Scalar("SELECT count(*) FROM " + table + " WHERE " + where);
}

// Waits for the `n`-th mail (1-based) at the SMTP server and returns it.
inline ReceivedMail WaitForMail(SmtpServer& smtp, size_t n) {
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() >= n; }, std::chrono::seconds(20)));
  return smtp.Messages()[n - 1];
}

inline std::string TokenIn(const ReceivedMail& mail, const std::string& path) {
  std::string link = FindLink(mail.data, path);
  REQUIRE_FALSE(link.empty());
  return QueryValue(link, "token");
}

// Signs `email` up to `list` and confirms through the mail; `n` is the mail's number.
inline void SignUpAndConfirm(OptinFixture& f, SmtpServer& smtp, const std::string& email, size_t n,
                             const std::string& list = "newsletter") {
  f.Subscribe(email, {{"list", list}, {"name", "Someone"}});
  auto mail = WaitForMail(smtp, n);
  REQUIRE(f.PostJson("/confirm", {{"token", TokenIn(mail, "/confirm?token=")}})->status == 200);
}

inline httplib::Result RequestPrivacy(OptinFixture& f, const std::string& email,
                                      const std::string& type,
                                      const nlohmann::json& extra = nlohmann::json::object()) {
  nlohmann::json body = {{"email", email}, {"type", type}};
  body.update(extra);
  return f.PostJson("/privacy/request", body);
}

// Lets the next privacy request of any address past the one-mail-per-hour limit.
inline void AgePrivacyRequests(OptinFixture& f) {
  f.db().Exec("UPDATE privacy_requests SET requested_at = now() - interval '2 hours'");
}

}  // namespace optin::test
