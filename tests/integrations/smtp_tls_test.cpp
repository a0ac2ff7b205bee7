// SMTP TLS that cannot be downgraded (OPTIN_SMTP_TLS): a real aiosmtpd with STARTTLS and with
// implicit TLS, certificates made here with openssl. The server records every command and whether
// it arrived encrypted, so "no AUTH in the clear" is checked on the wire, not assumed.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "integrations/mail/smtp_mail_sender.h"
#include "service/pages/mail_message.h"
#include "tests/support/process.h"
#include "tests/support/smtp_server.h"

using namespace optin;
using namespace optin::test;

namespace {

// A CA and a server certificate signed by it, for the given subjectAltName.
struct Pki {
  std::string ca_file, cert_file, key_file;
};

void Run(const std::string& cmd) {
  INFO(cmd);
  REQUIRE(std::system((cmd + " >/dev/null 2>&1").c_str()) == 0);
}

Pki MakePki(const std::string& san) {
  std::string d = MakeTempDir("pki");
  Pki p{d + "/ca.pem", d + "/server.pem", d + "/server.key"};
  Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=optin-test-ca -keyout " + d +
      "/ca.key -out " + p.ca_file);
  Run("openssl req -newkey rsa:2048 -nodes -subj /CN=optin-test-smtp -keyout " + p.key_file +
      " -out " + d + "/server.csr");
  std::ofstream(d + "/ext.cnf") << "subjectAltName=" << san << "\nbasicConstraints=CA:FALSE\n";
  Run("openssl x509 -req -in " + d + "/server.csr -CA " + p.ca_file + " -CAkey " + d +
      "/ca.key -CAcreateserial -days 2 -extfile " + d + "/ext.cnf -out " + p.cert_file);
  return p;
}

const Pki& GoodPki() {
  static Pki pki = MakePki("IP:127.0.0.1,DNS:localhost");
  return pki;
}

SmtpServerOptions Options(const std::string& tls, const Pki& pki, bool auth) {
  SmtpServerOptions o;
  o.tls = tls;
  o.cert_file = pki.cert_file;
  o.key_file = pki.key_file;
  o.auth = auth;
  return o;
}

SmtpSettings Settings(const SmtpServer& server, SmtpTls tls, const std::string& ca_file,
                      bool login) {
  SmtpSettings s;
  s.url = server.url();
  s.tls = tls;
  s.ca_file = ca_file;
  if (login) {
    s.user = "mailer";
    s.password = "s3cret-password";
  }
  s.connect_timeout_seconds = 5;
  s.total_timeout_seconds = 10;
  return s;
}

Status SendOne(SmtpMailSender& sender) {
  OutgoingMail m;
  m.from = "newsletter@example.org";
  m.to = "anna@example.com";
  m.subject = "Test";
  m.text_body = "Hallo\n";
  m.html_body = "<p>Hallo</p>";
  m.language = "de";
  auto r = RenderMail(m, std::chrono::system_clock::now());
  REQUIRE(r.ok());
  return sender.Send(m.from, m.to, r->message_id, r->data);
}

bool Has(const std::vector<std::string>& commands, const std::string& line) {
  for (const auto& c : commands) {
    if (c == line) return true;
  }
  return false;
}

bool HasPrefix(const std::vector<std::string>& commands, const std::string& prefix) {
  for (const auto& c : commands) {
    if (c.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// Sends one mail with a login, TLS required and the good CA; returns what the server saw.
std::vector<std::string> DeliverWithLogin(SmtpServer& server) {
  SmtpMailSender sender(Settings(server, SmtpTls::kRequired, GoodPki().ca_file, /*login=*/true));
  Status s = SendOne(sender);
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(server.MessageCount() == 1);
  return server.Commands();
}

}  // namespace

TEST_CASE("SMTP TLS: STARTTLS with a private CA delivers, and AUTH goes only over TLS",
          "[smtp][tls]") {
  SmtpServer server(Options("starttls", GoodPki(), /*auth=*/true));
  auto commands = DeliverWithLogin(server);
  CHECK(Has(commands, "STARTTLS tls=0"));
  CHECK(Has(commands, "AUTH tls=1"));
  CHECK(Has(commands, "MAIL tls=1"));
  CHECK_FALSE(Has(commands, "AUTH tls=0"));
  CHECK_FALSE(Has(commands, "MAIL tls=0"));
}

TEST_CASE("SMTP TLS: smtps:// (implicit TLS) delivers", "[smtp][tls]") {
  SmtpServer server(Options("implicit", GoodPki(), /*auth=*/true));
  REQUIRE(server.url().rfind("smtps://", 0) == 0);
  auto commands = DeliverWithLogin(server);
  CHECK(Has(commands, "AUTH tls=1"));
  CHECK_FALSE(HasPrefix(commands, "STARTTLS"));
  CHECK_FALSE(HasPrefix(commands, "AUTH tls=0"));
}

TEST_CASE("SMTP TLS: required refuses a server without STARTTLS before any AUTH or MAIL",
          "[smtp][tls]") {
  SmtpServer server(Options("none", GoodPki(), /*auth=*/true));  // offers AUTH in the clear
  SmtpMailSender sender(Settings(server, SmtpTls::kRequired, GoodPki().ca_file, /*login=*/true));
  Status s = SendOne(sender);
  CHECK(s.code() == StatusCode::kUnavailable);  // retried: the operator fixes the server
  CHECK(s.message().find("STARTTLS") != std::string::npos);
  CHECK(s.message().find("s3cret") == std::string::npos);
  CHECK(server.MessageCount() == 0);
  auto commands = server.Commands();
  CHECK(Has(commands, "EHLO tls=0"));  // it did talk to the server, and stopped there
  CHECK_FALSE(HasPrefix(commands, "AUTH"));
  CHECK_FALSE(HasPrefix(commands, "MAIL"));

  // The recording is real: with TLS off (allowed for localhost only) the same client sends its
  // login in the clear, which is exactly what required prevents.
  SmtpMailSender plain(Settings(server, SmtpTls::kOff, "", /*login=*/true));
  REQUIRE(SendOne(plain).ok());
  CHECK(Has(server.Commands(), "AUTH tls=0"));
}

TEST_CASE("SMTP TLS: a certificate from another CA is refused", "[smtp][tls]") {
  Pki other = MakePki("IP:127.0.0.1,DNS:localhost");  // right name, unknown CA
  SmtpServer server(Options("starttls", other, /*auth=*/true));
  SmtpMailSender sender(Settings(server, SmtpTls::kRequired, GoodPki().ca_file, /*login=*/true));
  Status s = SendOne(sender);
  CHECK_FALSE(s.ok());
  CHECK(server.MessageCount() == 0);
  CHECK_FALSE(HasPrefix(server.Commands(), "AUTH"));

  SmtpServer implicit(Options("implicit", other, /*auth=*/true));
  SmtpMailSender sender2(Settings(implicit, SmtpTls::kRequired, GoodPki().ca_file, true));
  CHECK_FALSE(SendOne(sender2).ok());
  CHECK(implicit.MessageCount() == 0);
}

TEST_CASE("SMTP TLS: a certificate for another name is refused", "[smtp][tls]") {
  static Pki wrong_name = MakePki("DNS:mail.example.org");
  SmtpServer server(Options("starttls", wrong_name, /*auth=*/true));
  SmtpMailSender sender(Settings(server, SmtpTls::kRequired, wrong_name.ca_file, /*login=*/true));
  Status s = SendOne(sender);
  CHECK_FALSE(s.ok());
  CHECK(server.MessageCount() == 0);
  CHECK_FALSE(HasPrefix(server.Commands(), "AUTH"));
}

TEST_CASE("SMTP TLS: opportunistic uses STARTTLS when offered and verifies it", "[smtp][tls]") {
  SmtpServer server(Options("starttls", GoodPki(), /*auth=*/false));
  SmtpMailSender sender(Settings(server, SmtpTls::kOpportunistic, GoodPki().ca_file, false));
  REQUIRE(SendOne(sender).ok());
  CHECK(Has(server.Commands(), "MAIL tls=1"));
}
