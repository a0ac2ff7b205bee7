#include "integrations/mail/mail_sender.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "integrations/mail/eml_file_mail_sender.h"
#include "integrations/mail/smtp_mail_sender.h"
#include "service/pages/mail_message.h"
#include "tests/support/process.h"
#include "tests/support/smtp_server.h"

using namespace optin;
using namespace optin::test;
using namespace std::chrono_literals;

namespace {

RenderedMail Sample(const std::string& body = "Hallo Welt\n.a dot line\n") {
  OutgoingMail m;
  m.from = "newsletter@example.org";
  m.to = "anna@example.com";
  m.subject = "Bestätigung";
  m.text_body = body;
  m.html_body = "<p>" + body + "</p>";
  m.language = "de";
  auto r = RenderMail(m, std::chrono::system_clock::now());
  REQUIRE(r.ok());
  return *r;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t CountFiles(const std::string& dir) {
  size_t n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

SmtpSettings Settings(const std::string& url) {
  SmtpSettings s;
  s.url = url;
  s.tls = SmtpTls::kOff;  // the plain test server on 127.0.0.1
  s.connect_timeout_seconds = 5;
  s.total_timeout_seconds = 10;
  return s;
}

}  // namespace

TEST_CASE("SMTP: the server receives exactly the bytes sent, over one kept connection", "[smtp]") {
  SmtpServer server;
  SmtpMailSender sender(Settings(server.url()));
  auto a = Sample();
  auto b = Sample(std::string(3000, 'z') + "\n.\n..\nend\n");
  REQUIRE(sender.Send("newsletter@example.org", "anna@example.com", a.message_id, a.data).ok());
  REQUIRE(sender.Send("newsletter@example.org", "anna@example.com", b.message_id, b.data).ok());
  auto got = server.Messages();
  REQUIRE(got.size() == 2);
  CHECK(got[0].data == a.data);
  CHECK(got[1].data == b.data);
  CHECK(got[0].mail_from == "newsletter@example.org");
  REQUIRE(got[0].rcpt_to.size() == 1);
  CHECK(got[0].rcpt_to[0] == "anna@example.com");
}

TEST_CASE("SMTP: a server that is down is Unavailable at once, and sending resumes after",
          "[smtp]") {
  SmtpServer server;
  SmtpMailSender sender(Settings(server.url()));
  auto m = Sample();
  REQUIRE(sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data).ok());
  server.Stop();
  auto start = std::chrono::steady_clock::now();
  Status s = sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data);
  CHECK(s.code() == StatusCode::kUnavailable);
  CHECK(std::chrono::steady_clock::now() - start < 3s);
  CHECK(s.message().find("anna") == std::string::npos);
  server.Start();
  CHECK(sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data).ok());
  CHECK(server.MessageCount() == 2);
}

TEST_CASE("SMTP: 451 is transient, 550 is permanent", "[smtp]") {
  SmtpServer server;
  SmtpMailSender sender(Settings(server.url()));
  auto m = Sample();
  server.FailTransient();
  Status transient =
      sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data);
  CHECK(transient.code() == StatusCode::kUnavailable);
  CHECK(transient.message().find("451") != std::string::npos);
  server.FailPermanent();
  Status permanent =
      sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data);
  CHECK(permanent.code() == StatusCode::kInvalidArgument);
  CHECK(permanent.message().find("550") != std::string::npos);
  CHECK(permanent.message().find("anna") == std::string::npos);
  server.AcceptAll();
  CHECK(sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data).ok());
  CHECK(server.MessageCount() == 1);
}

TEST_CASE("SMTP: a slow server within the timeout still delivers", "[smtp]") {
  SmtpServer server;
  server.BeSlow(300ms);
  SmtpMailSender sender(Settings(server.url()));
  auto m = Sample();
  CHECK(sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data).ok());
  CHECK(server.MessageCount() == 1);
}

TEST_CASE("MakeMailSender picks SMTP when a URL is set, else .eml files", "[smtp]") {
  SmtpServer server;
  Config config;
  config.mail_dir = MakeTempDir("eml") + "/sub";
  auto m = Sample();
  REQUIRE(MakeMailSender(config)
              ->Send(config.mail_from, "anna@example.com", m.message_id, m.data)
              .ok());
  CHECK(std::filesystem::exists(config.mail_dir + "/" + m.message_id + ".eml"));
  config.smtp_url = server.url();
  REQUIRE(MakeMailSender(config)
              ->Send(config.mail_from, "anna@example.com", m.message_id, m.data)
              .ok());
  CHECK(server.MessageCount() == 1);
}

TEST_CASE("eml sender writes one file per message, idempotently", "[eml]") {
  std::string dir = MakeTempDir("eml") + "/new/dir";
  EmlFileMailSender sender(dir);
  auto m = Sample();
  REQUIRE(sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data).ok());
  REQUIRE(sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data).ok());
  CHECK(CountFiles(dir) == 1);
  CHECK(ReadAll(dir + "/" + m.message_id + ".eml") == m.data);
  CHECK(EmlFileMailSender::FileName("../../etc/passwd") == "_.._.._etc_passwd.eml");
  CHECK(EmlFileMailSender::FileName("a/b@c") == "a_b@c.eml");
}

TEST_CASE("eml sender into an unwritable directory is Unavailable", "[eml]") {
  std::string base = MakeTempDir("eml");
  std::string dir = base + "/ro";
  std::filesystem::create_directories(dir);
  chmod(dir.c_str(), 0555);
  if (access(dir.c_str(), W_OK) == 0) {
    // Root ignores permission bits: a path below a regular file cannot be written either.
    std::ofstream(base + "/file") << "x";
    dir = base + "/file/ro";
  }
  EmlFileMailSender sender(dir);
  auto m = Sample();
  Status s = sender.Send("newsletter@example.org", "anna@example.com", m.message_id, m.data);
  CHECK(s.code() == StatusCode::kUnavailable);
  CHECK(s.message().find("mail directory") != std::string::npos);
}
