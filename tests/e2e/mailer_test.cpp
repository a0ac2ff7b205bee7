// The real binary's mailer: outbox rows reach a real SMTP server (or .eml files), exactly once,
// across SMTP outages, a kill -9 and a database restart.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "service/base/crypto.h"
#include "service/pages/mail_message.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/process.h"
#include "tests/support/smtp_server.h"
#include "tests/support/test_db.h"
#include "tests/support/wait.h"

using namespace optin::test;
using namespace std::chrono_literals;

namespace {

struct QueuedMail {
  std::string message_id;
  std::string data;
};

// A pending subscription of `email` to the default list and its confirmation mail in the outbox,
// as the signup path would write them.
QueuedMail QueueConfirmation(const std::string& url, const std::string& email) {
  optin::OutgoingMail m;
  m.from = "newsletter@example.org";
  m.to = email;
  m.subject = "Bitte bestätigen";
  m.text_body = "Bitte bestätigen Sie: http://localhost:8080/confirm?token=x\n";
  m.html_body = "<p>Bitte bestätigen</p>\n";
  m.language = "de";
  auto rendered = optin::RenderMail(m, std::chrono::system_clock::now());
  REQUIRE(rendered.ok());
  pqxx::connection conn(url);
  pqxx::work txn(conn);
  std::string hash = optin::Sha256Hex(email);
  auto subscriber = txn.exec_params1(
      "INSERT INTO subscribers (email, email_hash) VALUES ($1, $2) RETURNING id", email, hash);
  auto subscription = txn.exec_params1(
      "INSERT INTO subscriptions (subscriber_id, list_id, language) "
      "SELECT $1, id, 'de' FROM lists WHERE slug = 'newsletter' RETURNING id",
      subscriber[0].as<long>());
  txn.exec_params(
      "INSERT INTO mail_outbox (kind, subscription_id, email_hash, recipient, message_id, message) "
      "VALUES ('confirmation', $1, $2, $3, $4, $5)",
      subscription[0].as<long>(), hash, email, rendered->message_id, rendered->data);
  txn.commit();
  return {rendered->message_id, rendered->data};
}

Env MailEnv(const std::string& database_url, const std::string& smtp_url) {
  Env env = BaseEnv(database_url);
  env["OPTIN_MAIL_RETRY_BASE"] = "100ms";
  env["OPTIN_MAIL_FROM"] = "newsletter@example.org";
  if (!smtp_url.empty()) env["OPTIN_SMTP_URL"] = smtp_url;
  return env;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("serve sends queued confirmation mails over SMTP, new ones at once", "[e2e][db][mail]") {
  TestDatabase db;
  SmtpServer smtp;
  auto first = QueueConfirmation(db.url(), "anna@example.com");
  OptinProcess optin(MailEnv(db.url(), smtp.url()));
  optin.Start();
  optin.WaitForPort();
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == 1; }, 20s));
  auto got = smtp.Messages();
  CHECK(got[0].data == first.data);
  CHECK(got[0].mail_from == "newsletter@example.org");
  CHECK(got[0].rcpt_to == std::vector<std::string>{"anna@example.com"});
  CHECK(WaitUntil([&] { return db.Scalar("SELECT count(*) FROM mail_outbox") == "0"; }));
  CHECK(db.Scalar("SELECT message_id FROM consent_events WHERE kind = 'confirmation_mail_sent'") ==
        first.message_id);

  // A mail committed while the mailer idles is sent within moments (LISTEN/NOTIFY or the poll).
  auto start = std::chrono::steady_clock::now();
  QueueConfirmation(db.url(), "bert@example.com");
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == 2; }, 10s));
  CHECK(std::chrono::steady_clock::now() - start < 2s);
  CHECK(optin.Terminate() == 0);
  std::string log = optin.Log();
  CHECK(log.find("\"mail_sent\"") != std::string::npos);
  CHECK(log.find("anna@example.com") == std::string::npos);
}

TEST_CASE("a mail survives an SMTP outage and a kill -9 and arrives exactly once",
          "[e2e][db][mail]") {
  TestDatabase db;
  SmtpServer smtp;
  smtp.Stop();
  auto mail = QueueConfirmation(db.url(), "anna@example.com");
  Env env = MailEnv(db.url(), smtp.url());
  {
    OptinProcess optin(env);
    optin.Start();
    optin.WaitForPort();
    REQUIRE(WaitUntil(
        [&] {
          std::string attempts = db.Scalar("SELECT attempts FROM mail_outbox");
          return !attempts.empty() && std::stoi(attempts) >= 2;
        },
        20s));
    CHECK(db.Scalar("SELECT last_error FROM mail_outbox").find("anna") == std::string::npos);
    optin.Kill();
  }
  CHECK(db.Scalar("SELECT count(*) FROM mail_outbox") == "1");
  smtp.Start();
  OptinProcess optin(env);
  optin.Start();
  optin.WaitForPort();
  REQUIRE(WaitUntil([&] { return db.Scalar("SELECT count(*) FROM mail_outbox") == "0"; }, 30s));
  REQUIRE(smtp.MessageCount() == 1);
  CHECK(smtp.Messages()[0].data == mail.data);
  CHECK(db.Scalar("SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent'") ==
        "1");
  CHECK(optin.Terminate() == 0);
  CHECK(smtp.MessageCount() == 1);
}

TEST_CASE("a suppressed recipient's confirmation mail is never sent", "[e2e][db][mail]") {
  TestDatabase db;
  SmtpServer smtp;
  QueueConfirmation(db.url(), "blocked@example.com");
  db.Exec("INSERT INTO suppressions (email_hash, reason, source) VALUES ('" +
          optin::Sha256Hex("blocked@example.com") + "', 'test', 'admin')");
  auto ok = QueueConfirmation(db.url(), "fine@example.com");
  OptinProcess optin(MailEnv(db.url(), smtp.url()));
  optin.Start();
  optin.WaitForPort();
  REQUIRE(WaitUntil([&] { return db.Scalar("SELECT count(*) FROM mail_outbox") == "0"; }, 20s));
  REQUIRE(smtp.MessageCount() == 1);
  CHECK(smtp.Messages()[0].data == ok.data);
  CHECK(optin.Terminate() == 0);
  CHECK(optin.Log().find("\"mail_dropped_suppressed\"") != std::string::npos);
  CHECK(optin.Log().find("blocked@example.com") == std::string::npos);
}

TEST_CASE("without an SMTP server mails are written as .eml files", "[e2e][db][mail]") {
  TestDatabase db;
  Env env = MailEnv(db.url(), "");
  env["OPTIN_MAIL_DIR"] = MakeTempDir("eml") + "/out";
  auto mail = QueueConfirmation(db.url(), "anna@example.com");
  OptinProcess optin(env);
  optin.Start();
  optin.WaitForPort();
  std::string path = env["OPTIN_MAIL_DIR"] + "/" + mail.message_id + ".eml";
  REQUIRE(WaitUntil([&] { return std::filesystem::exists(path); }, 20s));
  CHECK(ReadAll(path) == mail.data);
  CHECK(WaitUntil([&] { return db.Scalar("SELECT count(*) FROM mail_outbox") == "0"; }));
  CHECK(optin.Terminate() == 0);
}

TEST_CASE("the mailer survives a database restart", "[e2e][db][mail]") {
  PgCluster cluster;
  cluster.CreateDatabase("optin");
  SmtpServer smtp;
  Env env = MailEnv(cluster.Url("optin"), smtp.url());
  env["OPTIN_DB_TIMEOUT"] = "1s";
  OptinProcess optin(env);
  optin.Start();
  optin.WaitForPort();
  QueueConfirmation(cluster.Url("optin"), "anna@example.com");
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == 1; }, 20s));
  cluster.Stop();
  REQUIRE(WaitUntil(
      [&] { return optin.Log().find("mailer_database_unavailable") != std::string::npos; }, 20s));
  cluster.Start();
  REQUIRE(WaitUntil(
      [&] {
        try {
          QueueConfirmation(cluster.Url("optin"), "bert@example.com");
          return true;
        } catch (const std::exception&) {
          return false;
        }
      },
      20s));
  CHECK(WaitUntil([&] { return smtp.MessageCount() == 2; }, 30s));
  CHECK(optin.running());
  int code = optin.Terminate();
  INFO(optin.Log());
  CHECK(code == 0);
}
