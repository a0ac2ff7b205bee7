// Fault injection end to end: the real binary, a real PostgreSQL, a real SMTP server and the fake
// CleverReach, with the database stopped, optin killed (SIGKILL), SMTP and CleverReach failing,
// and the .eml directory unwritable. Each test checks that what a client was told (202, 200) is
// what ends up stored, mailed and synced: nothing lost, nothing doubled.
#include <signal.h>
#include <sys/mount.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <thread>

#include "service/base/crypto.h"
#include "tests/fakes/fake_cleverreach.h"
#include "tests/support/load.h"
#include "tests/support/mail_reader.h"
#include "tests/support/optin_fixture.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/smtp_server.h"
#include "tests/support/wait.h"

using namespace optin::test;
using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

Env SyncEnv(const FakeCleverReach& fake) { return OptinEnvFor(fake, "1s"); }

// Mails received by the SMTP server, counted by recipient.
std::map<std::string, int> MailsByRecipient(const SmtpServer& smtp) {
  std::map<std::string, int> out;
  for (const auto& m : smtp.Messages()) {
    for (const auto& r : m.rcpt_to) ++out[r];
  }
  return out;
}

// Every (address, status) of the subscriptions in the database.
std::map<std::string, std::string> StoredStatus(const std::string& url) {
  pqxx::connection conn(url);
  pqxx::nontransaction n(conn);
  std::map<std::string, std::string> out;
  for (const auto& row : n.exec("SELECT u.email, s.status FROM subscribers u JOIN subscriptions s "
                                "ON s.subscriber_id = u.id")) {
    out[row[0].as<std::string>()] = row[1].as<std::string>();
  }
  return out;
}

std::set<std::string> GlobalSuppressions(const std::string& url) {
  pqxx::connection conn(url);
  pqxx::nontransaction n(conn);
  std::set<std::string> out;
  for (const auto& row : n.exec("SELECT email_hash FROM suppressions WHERE list_id IS NULL"))
    out.insert(row[0].as<std::string>());
  return out;
}

std::string Scalar(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction n(conn);
  auto r = n.exec(sql);
  return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
}

}  // namespace

TEST_CASE(
    "faults: PostgreSQL stopped and restarted under signup load - 503 fast / recovers / every 202 "
    "stored and mailed",
    "[e2e][db][faults]") {
  PgCluster cluster;
  cluster.CreateDatabase("optin");
  SmtpServer smtp;
  Env env = BaseEnv(cluster.Url("optin"));
  env["OPTIN_SMTP_URL"] = smtp.url();
  env["OPTIN_DB_TIMEOUT"] = "1s";
  env["OPTIN_MAIL_RETRY_BASE"] = "100ms";
  OptinProcess optin(env);
  optin.Start();
  int port = optin.WaitForPort();

  SignupLoad load([port] { return port; }, "pgdown", 3, 20ms);
  REQUIRE(WaitUntil([&] { return load.Count(202) >= 20; }, 15s));
  // A slow SMTP server keeps a mail in flight while the database goes away: its outcome cannot
  // commit, and it must not be sent again when the database is back.
  smtp.BeSlow(3s);
  size_t queued = load.Count(202);
  REQUIRE(WaitUntil([&] { return load.Count(202) >= queued + 5; }, 15s));
  cluster.Stop();
  smtp.AcceptAll();
  auto down_at = std::chrono::steady_clock::now();
  REQUIRE(WaitUntil([&] { return load.Count(503) >= 30; }, 20s));
  httplib::Client probe("127.0.0.1", port);
  probe.set_read_timeout(10, 0);
  auto ready = probe.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 503);
  cluster.Start();
  auto up_at = std::chrono::steady_clock::now();
  size_t accepted_before = load.Count(202);
  REQUIRE(WaitUntil([&] { return load.Count(202) >= accepted_before + 30; }, 30s));
  auto recovered_at = std::chrono::steady_clock::now();
  load.Stop();

  auto results = load.Results();
  std::set<std::string> acknowledged;
  double slowest_503 = 0;
  std::map<int, int> by_status;
  for (const auto& r : results) {
    ++by_status[r.status];
    if (r.status == 202) acknowledged.insert(r.email);
    if (r.status == 503) slowest_503 = std::max(slowest_503, r.seconds);
  }
  INFO("answers by status: " << json(by_status).dump() << ", slowest 503 " << slowest_503
                             << " s, outage "
                             << std::chrono::duration<double>(up_at - down_at).count()
                             << " s, recovery after restart "
                             << std::chrono::duration<double>(recovered_at - up_at).count()
                             << " s");
  INFO("optin log:\n" << optin.Log().substr(0, 20000));
  // Every request was answered, and only with 202 or 503; a 503 never hung.
  CHECK(by_status.size() == 2);
  CHECK(by_status.count(0) == 0);
  CHECK(slowest_503 < 3.5);
  CHECK(optin.running());

  auto stored = StoredStatus(cluster.Url("optin"));
  for (const auto& email : acknowledged) {
    INFO(email);
    CHECK(stored.count(email) == 1);
  }
  REQUIRE(WaitUntil(
      [&] { return Scalar(cluster.Url("optin"), "SELECT count(*) FROM mail_outbox") == "0"; },
      60s));
  REQUIRE(WaitUntil([&] { return MailsByRecipient(smtp).size() >= stored.size(); }, 10s));
  auto mails = MailsByRecipient(smtp);
  for (const auto& email : acknowledged) {
    INFO(email);
    CHECK(mails[email] == 1);
  }
  for (const auto& [email, n] : mails) {
    INFO(email);
    CHECK(n == 1);
    CHECK(stored.count(email) == 1);  // a mail only for a stored signup
  }
  CHECK(optin.Terminate() == 0);
}

namespace {

// What the clients were told during the kill test, and what they only tried.
struct Ledger {
  std::mutex mu;
  std::set<std::string> signed_up, confirmed, unsubscribe_tried, unsubscribed;
  std::map<std::string, std::string> tokens;  // from the mails
  int answered = 0, unanswered = 0;
};

void KillLoad(Ledger& ledger, std::atomic<int>& port, std::atomic<bool>& stop, int index,
              SmtpServer& smtp) {
  std::mt19937 rng(static_cast<unsigned>(index));
  int n = 0;
  int used_port = 0;
  std::unique_ptr<httplib::Client> c;
  httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kAdminToken}};
  while (!stop) {
    if (c == nullptr || used_port != port) {
      used_port = port;
      c = std::make_unique<httplib::Client>("127.0.0.1", used_port);
      c->set_connection_timeout(1, 0);
      c->set_read_timeout(10, 0);
    }
    int op = static_cast<int>(rng() % 10);
    std::string email;
    httplib::Result r{nullptr, httplib::Error::Unknown};
    if (op < 5) {
      email = "kill-" + std::to_string(index) + "-" + std::to_string(n++) + "@example.com";
      r = c->Post("/subscribe", json{{"email", email}}.dump(), "application/json");
      if (r && r->status == 202) {
        std::lock_guard<std::mutex> lock(ledger.mu);
        ledger.signed_up.insert(email);
      }
    } else if (op < 8) {
      std::string token;
      if (index == 0 && op == 5) {  // one thread reads the SMTP server's mails now and then
        std::map<std::string, std::string> found;
        for (const auto& m : smtp.Messages()) {
          std::string t = QueryValue(FindLink(m.data, "/confirm?token="), "token");
          if (!t.empty() && !m.rcpt_to.empty()) found[m.rcpt_to[0]] = t;
        }
        std::lock_guard<std::mutex> lock(ledger.mu);
        for (auto& [k, v] : found) ledger.tokens.emplace(k, v);
      }
      {
        std::lock_guard<std::mutex> lock(ledger.mu);
        for (const auto& [k, v] : ledger.tokens) {
          if (!ledger.confirmed.count(k) && rng() % 4 == 0) {
            email = k;
            token = v;
            break;
          }
        }
      }
      if (token.empty()) continue;
      r = c->Post("/confirm", json{{"token", token}}.dump(), "application/json");
      if (r && r->status == 200) {
        std::lock_guard<std::mutex> lock(ledger.mu);
        ledger.confirmed.insert(email);
      }
    } else {
      {
        std::lock_guard<std::mutex> lock(ledger.mu);
        for (const auto& k : ledger.confirmed) {
          if (!ledger.unsubscribe_tried.count(k) && rng() % 3 == 0) {
            email = k;
            break;
          }
        }
      }
      if (email.empty()) continue;
      auto who = c->Get(("/admin/subscribers?email=" + email).c_str(), admin);
      if (!who || who->status != 200) {
        c.reset();
        continue;
      }
      std::string url = json::parse(who->body)["subscriptions"][0]["unsubscribe_url"];
      {
        std::lock_guard<std::mutex> lock(ledger.mu);
        ledger.unsubscribe_tried.insert(email);
      }
      r = c->Post(url.substr(url.find("/unsubscribe")).c_str(), "List-Unsubscribe=One-Click",
                  "application/x-www-form-urlencoded");
      if (r && r->status == 200) {
        std::lock_guard<std::mutex> lock(ledger.mu);
        ledger.unsubscribed.insert(email);
      }
    }
    {
      std::lock_guard<std::mutex> lock(ledger.mu);
      ++(r ? ledger.answered : ledger.unanswered);
    }
    if (!r) c.reset();
    std::this_thread::sleep_for(5ms);
  }
}

}  // namespace

TEST_CASE("faults: SIGKILL at random moments under load loses and doubles nothing acknowledged",
          "[e2e][db][faults]") {
  FakeCleverReach fake;
  SmtpServer smtp;
  Env env = SyncEnv(fake);
  env["OPTIN_SMTP_URL"] = smtp.url();
  env["OPTIN_MAIL_RETRY_BASE"] = "100ms";
  OptinFixture f(env);
  int64_t gid = fake.AddGroup("Newsletter");
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", std::to_string(gid)}})
              ->status == 200);

  Ledger ledger;
  std::atomic<int> port{f.process().port()};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] { KillLoad(ledger, port, stop, i, smtp); });

  std::random_device seed_source;
  unsigned seed = seed_source();
  std::mt19937 rng(seed);
  INFO("kill seed " << seed);
  const int kKills = 4;
  auto answered = [&] {
    std::lock_guard<std::mutex> lock(ledger.mu);
    return ledger.answered;
  };
  for (int k = 0; k < kKills; ++k) {
    int target = answered() + 15 + static_cast<int>(rng() % 60);  // a random moment in the load
    REQUIRE(WaitUntil([&] { return answered() >= target; }, 30s));
    f.process().Kill();
    f.Restart();
    port = f.process().port();
  }
  int target = answered() + 60;
  REQUIRE(WaitUntil([&] { return answered() >= target; }, 30s));
  stop = true;
  for (auto& t : threads) t.join();

  std::string url = f.db().url();
  REQUIRE(WaitUntil([&] { return Scalar(url, "SELECT count(*) FROM mail_outbox") == "0"; }, 60s));
  REQUIRE(WaitUntil([&] { return Scalar(url, "SELECT count(*) FROM sync_outbox") == "0"; }, 60s));
  REQUIRE(WaitUntil(
      [&] {
        return static_cast<int>(MailsByRecipient(smtp).size()) >=
               std::stoi(Scalar(
                   url,
                   "SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent'"));
      },
      10s));

  std::lock_guard<std::mutex> lock(ledger.mu);
  INFO("acknowledged: " << ledger.signed_up.size() << " signups, " << ledger.confirmed.size()
                        << " confirmations, " << ledger.unsubscribed.size() << " unsubscribes; "
                        << ledger.unanswered << " requests unanswered");
  CHECK(ledger.signed_up.size() >= 40);
  CHECK(ledger.confirmed.size() >= 5);
  CHECK(ledger.unsubscribed.size() >= 2);

  auto stored = StoredStatus(url);
  auto suppressed = GlobalSuppressions(url);
  auto mails = MailsByRecipient(smtp);
  for (const auto& email : ledger.signed_up) {
    INFO(email);
    CHECK(stored.count(email) == 1);
    CHECK(mails[email] >= 1);
  }
  // The documented crash window: a mail the SMTP server accepted just before the SIGKILL, whose
  // outbox row had not committed yet, goes out again after the restart. At most one per kill, and
  // byte for byte the same message (same Message-ID), so receiving systems can tell.
  std::map<std::string, std::set<std::string>> distinct;  // recipient -> distinct messages
  for (const auto& m : smtp.Messages()) distinct[m.rcpt_to.at(0)].insert(m.data);
  int doubled = 0;
  for (const auto& [email, n] : mails) {
    INFO(email);
    doubled += n - 1;
    CHECK(distinct[email].size() == 1);
  }
  WARN("mails sent twice (in flight at a SIGKILL): " << doubled << " after " << kKills << " kills");
  CHECK(doubled <= kKills);
  for (const auto& email : ledger.confirmed) {
    INFO(email);
    if (ledger.unsubscribe_tried.count(email)) continue;
    CHECK(stored[email] == "confirmed");
    auto r = fake.Receiver(gid, email);
    CHECK((r && r->active));
  }
  std::map<std::string, int> blacklisted;
  for (const auto& b : fake.Blacklist()) ++blacklisted[b.email];
  for (const auto& email : ledger.unsubscribed) {
    INFO(email);
    CHECK(stored[email] == "unsubscribed");
    CHECK(suppressed.count(optin::Sha256Hex(email)) == 1);
    auto r = fake.Receiver(gid, email);
    CHECK_FALSE((r && r->active));
    CHECK(blacklisted[email] == 1);
  }
  // The ledger: one mail-sent event per mail, at most one confirmation and unsubscribe per
  // subscription.
  CHECK(Scalar(url, "SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent'") ==
        std::to_string(mails.size()));
  CHECK(Scalar(url,
               "SELECT count(*) FROM (SELECT subscription_id FROM consent_events WHERE kind IN "
               "('confirmed', 'unsubscribed') "
               "GROUP BY subscription_id, kind HAVING count(*) > 1) d") == "0");
  CHECK(Scalar(url, "SELECT count(*) FROM sync_outbox WHERE dead_at IS NOT NULL") == "0");
}

TEST_CASE(
    "faults: SMTP answering 451 / 550 / slowly / or down - each mail retried and delivered exactly "
    "once",
    "[e2e][db][faults][smtp]") {
  SmtpServer smtp;
  OptinFixture f(Env{{"OPTIN_SMTP_URL", smtp.url()}, {"OPTIN_MAIL_RETRY_BASE", "100ms"}});
  auto attempts_of = [&](const std::string& email) {
    std::string a =
        f.db().Scalar("SELECT attempts FROM mail_outbox WHERE recipient = '" + email + "'");
    return a.empty() ? 0 : std::stoi(a);
  };

  smtp.FailTransient();
  f.Subscribe("transient@example.com");
  REQUIRE(WaitUntil([&] { return attempts_of("transient@example.com") >= 2; }, 15s));
  CHECK(f.db().Scalar("SELECT last_error FROM mail_outbox").find("451") != std::string::npos);
  smtp.AcceptAll();
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == 1; }, 15s));

  smtp.FailPermanent();  // 5xx: retried a few times before it becomes a dead letter
  f.Subscribe("permanent@example.com");
  REQUIRE(WaitUntil([&] { return attempts_of("permanent@example.com") >= 1; }, 15s));
  CHECK(f.db().Scalar("SELECT last_error FROM mail_outbox").find("550") != std::string::npos);
  smtp.AcceptAll();
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == 2; }, 15s));

  smtp.BeSlow(2s);  // slower than a usual answer, within the sender's timeout
  f.Subscribe("slow@example.com");
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == 3; }, 15s));
  smtp.AcceptAll();

  smtp.Stop();
  f.Subscribe("down@example.com");
  REQUIRE(WaitUntil([&] { return attempts_of("down@example.com") >= 2; }, 15s));
  smtp.Start();
  REQUIRE(WaitUntil([&] { return smtp.MessageCount() == 4; }, 20s));
  REQUIRE(WaitUntil([&] { return f.db().Scalar("SELECT count(*) FROM mail_outbox") == "0"; }, 10s));

  // Nothing more arrives later: a delivered mail is never sent again.
  CHECK_FALSE(WaitUntil([&] { return smtp.MessageCount() > 4; }, 1500ms));
  auto mails = MailsByRecipient(smtp);
  for (const char* email :
       {"transient@example.com", "permanent@example.com", "slow@example.com", "down@example.com"}) {
    INFO(email);
    CHECK(mails[email] == 1);
  }
  CHECK(f.db().Scalar(
            "SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent'") == "4");
  CHECK(f.process().Log().find("\"mail_failed\"") != std::string::npos);
}

TEST_CASE(
    "faults: CleverReach answering garbage JSON / dropping connections and timing out - all "
    "delivered once",
    "[e2e][db][faults][sync]") {
  FakeCleverReach fake;
  OptinFixture f(SyncEnv(fake));
  int64_t gid = fake.AddGroup("Newsletter");
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", std::to_string(gid)}})
              ->status == 200);
  fake.InjectFault("token", Fault::MalformedJson(), 1);
  fake.InjectFault("token", Fault::Drop(), 1);
  fake.InjectFault("receivers.upsert", Fault::MalformedJson(), 2);
  fake.InjectFault("receivers.upsert", Fault::Drop(), 2);
  fake.InjectFault("receivers.upsert", Fault::Delay(1500ms),
                   1);  // beyond OPTIN_SYNC_HTTP_TIMEOUT=1s
  fake.InjectFault("receivers.deactivate", Fault::MalformedJson(), 1);
  fake.InjectFault("receivers.deactivate", Fault::Drop(), 1);
  fake.InjectFault("blacklist.add", Fault::Drop(), 1);
  fake.InjectFault("blacklist.add", Fault::MalformedJson(), 1);
  fake.InjectFault("blacklist.add", Fault::Delay(1500ms),
                   1);  // stored, but optin gave up: the retry meets 409

  f.SubscribeAndConfirm("stays1@example.com");
  f.SubscribeAndConfirm("stays2@example.com");
  std::string leave = f.SubscribeAndConfirm("leaves@example.com");
  REQUIRE(WaitUntil(
      [&] {
        auto r = fake.Receiver(gid, "leaves@example.com");
        return r && r->active;
      },
      30s));
  REQUIRE(
      f.client()
          .Post(leave.c_str(), "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")
          ->status == 200);

  INFO("optin log:\n" << f.process().Log().substr(0, 20000));
  REQUIRE(WaitUntil([&] { return f.db().Scalar("SELECT count(*) FROM sync_outbox") == "0"; }, 45s));
  for (const char* email : {"stays1@example.com", "stays2@example.com"}) {
    auto r = fake.Receiver(gid, email);
    CHECK((r && r->active));
  }
  auto gone = fake.Receiver(gid, "leaves@example.com");
  CHECK((gone && !gone->active));
  int listed = 0;
  for (const auto& b : fake.Blacklist()) listed += b.email == "leaves@example.com" ? 1 : 0;
  CHECK(listed == 1);
  CHECK(fake.Receivers(gid).size() == 3);
  CHECK(f.db().Scalar("SELECT count(*) FROM sync_outbox WHERE dead_at IS NOT NULL") == "0");
  // Every injected fault was met (so each kind was survived, not skipped).
  CHECK(fake.Calls("receivers.upsert") >= 6);
  CHECK(fake.Calls("blacklist.add") >= 4);
  CHECK(fake.Calls("receivers.deactivate") >= 3);
}

TEST_CASE(
    "faults: an upsert that timed out but lands at CleverReach later does not undo an unsubscribe",
    "[e2e][db][faults][sync]") {
  FakeCleverReach fake;
  Env env = SyncEnv(fake);
  env["OPTIN_UNSUBSCRIBE_SCOPE"] = "list";  // no blacklist entry to hide a reactivated receiver
  OptinFixture f(env);
  int64_t gid = fake.AddGroup("Newsletter");
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", std::to_string(gid)}})
              ->status == 200);
  // The first upsert is applied 2.5 s late, long after optin gave up on it (1 s) and retried.
  fake.InjectFault("receivers.upsert", Fault::Delay(2500ms), 1);
  auto active = [&] {
    auto r = fake.Receiver(gid, "late@example.com");
    return r && r->active;
  };
  std::string leave = f.SubscribeAndConfirm("late@example.com");
  REQUIRE(WaitUntil(active, 15s));
  REQUIRE(
      f.client()
          .Post(leave.c_str(), "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")
          ->status == 200);
  REQUIRE(WaitUntil([&] { return f.db().Scalar("SELECT count(*) FROM sync_outbox") == "0"; }, 20s));
  // Long enough for the late upsert to have landed whatever happened.
  CHECK_FALSE(WaitUntil(active, 3s));
  CHECK(fake.Calls("receivers.upsert") >= 2);
}

namespace {

bool MailFor(const std::string& dir, const std::string& email) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (const auto& m : ReadEmlFiles(dir)) {
    if (m.find("\r\nTo: " + email + "\r\n") != std::string::npos) return true;
  }
  return false;
}

int Run(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

}  // namespace

// Tests run as root, where permissions do not stop writes. Three tricks that do:
//  - missing: OPTIN_MAIL_DIR is a regular file, so creating the directory fails (ENOTDIR/EEXIST);
//  - read-only: `chattr +i` on the directory (EPERM even for root; ext4 and others);
//  - full: a 64 KiB tmpfs mounted on the directory and filled up (ENOSPC; needs CAP_SYS_ADMIN).
// The last two are skipped with a warning where the file system or the sandbox does not allow them.
TEST_CASE(
    "faults: .eml directory missing / read-only or full - clear log line / retried / delivered "
    "once writable",
    "[e2e][db][faults]") {
  std::string base = MakeTempDir("emlfault");
  std::string dir = base + "/mail";
  { std::ofstream(dir) << "not a directory\n"; }
  OptinFixture f(Env{{"OPTIN_MAIL_DIR", dir}, {"OPTIN_MAIL_RETRY_BASE", "100ms"}});
  auto failures_mentioning = [&](const std::string& text) {
    std::string log = f.process().Log();
    size_t n = 0;
    for (size_t at = log.find("\"mail_failed\""); at != std::string::npos;
         at = log.find("\"mail_failed\"", at + 1)) {
      size_t begin = log.rfind('\n', at);
      begin = begin == std::string::npos ? 0 : begin + 1;
      if (log.substr(begin, log.find('\n', at) - begin).find(text) != std::string::npos) ++n;
    }
    return n;
  };

  f.Subscribe("nodir@example.com");
  REQUIRE(WaitUntil(
      [&] {
        return failures_mentioning("cannot create the directory in mail directory " + dir) >= 2;
      },
      15s));
  fs::remove(dir);
  fs::create_directory(dir);
  REQUIRE(WaitUntil([&] { return MailFor(dir, "nodir@example.com"); }, 15s));

  if (Run("chattr +i " + dir) == 0) {
    f.Subscribe("readonly@example.com");
    bool failed =
        WaitUntil([&] { return failures_mentioning("Operation not permitted") >= 2; }, 15s);
    Run("chattr -i " + dir);
    REQUIRE(failed);
    REQUIRE(WaitUntil([&] { return MailFor(dir, "readonly@example.com"); }, 15s));
  } else {
    WARN("chattr +i is not available here: read-only directory not tested");
  }

  if (mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=64k") == 0) {
    Run("dd if=/dev/zero of=" + dir + "/filler bs=4k");
    f.Subscribe("full@example.com");
    bool failed =
        WaitUntil([&] { return failures_mentioning("No space left on device") >= 2; }, 15s);
    fs::remove(dir + "/filler");
    bool delivered = failed && WaitUntil([&] { return MailFor(dir, "full@example.com"); }, 15s);
    umount2(dir.c_str(), MNT_DETACH);
    REQUIRE(failed);
    REQUIRE(delivered);
  } else {
    WARN("cannot mount a tmpfs here: full disk not tested");
  }

  REQUIRE(WaitUntil([&] { return f.db().Scalar("SELECT count(*) FROM mail_outbox") == "0"; }, 15s));
  CHECK(
      f.db().Scalar("SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent'") ==
      f.db().Scalar("SELECT count(*) FROM subscriptions"));
  // One mail per address: the directory (the tmpfs one is gone with its mount) holds no duplicates.
  std::map<std::string, int> per_address;
  for (const auto& m : ReadEmlFiles(dir)) {
    size_t at = m.find("\r\nTo: ");
    ++per_address[m.substr(at + 6, m.find("\r\n", at + 6) - at - 6)];
  }
  for (const auto& [email, n] : per_address) {
    INFO(email);
    CHECK(n == 1);
  }
}
