#include "storage/mail_outbox_store.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "service/base/crypto.h"
#include "storage/pool.h"
#include "storage/privacy_store.h"
#include "tests/support/test_db.h"
#include "tests/support/wait.h"

using namespace optin;
using namespace optin::test;
using namespace std::chrono_literals;

namespace {

struct Fixture {
  TestDatabase db;
  std::unique_ptr<ConnectionPool> pool = db.MakePool(4);
  MailOutboxStore store{*pool, MailRetryPolicy{100ms}};
  std::vector<OutboxMail> sent;

  MailOutboxStore::SendFn Recorder(Status result = Status::Ok()) {
    return [this, result](const OutboxMail& m) {
      sent.push_back(m);
      return result;
    };
  }

  std::string ListId(const std::string& slug) {
    std::string id = db.Scalar("SELECT id FROM lists WHERE slug = '" + slug + "'");
    if (!id.empty()) return id;
    return db.Scalar("INSERT INTO lists (slug, name) VALUES ('" + slug + "', '" + slug +
                     "') RETURNING id");
  }

  // A subscription of `email` to list `slug`; returns its id.
  std::string Subscribe(const std::string& email, const std::string& status = "pending",
                        const std::string& slug = "newsletter") {
    std::string subscriber =
        db.Scalar("INSERT INTO subscribers (email, email_hash) VALUES ('" + email + "', '" +
                  Sha256Hex(email) +
                  "') ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id");
    std::string confirmed = status == "confirmed" ? "now()" : "NULL";
    return db.Scalar(
        "INSERT INTO subscriptions (subscriber_id, list_id, status, language, confirmed_at) "
        "VALUES (" +
        subscriber + ", " + ListId(slug) + ", '" + status + "', 'de', " + confirmed +
        ") RETURNING id");
  }

  // Queues a mail; `subscription` is an id or "NULL". Returns the outbox id.
  std::string Queue(const std::string& kind, const std::string& subscription,
                    const std::string& email) {
    std::string message_id = HexEncode(RandomBytes(8)) + "@example.org";
    return db.Scalar(
        "INSERT INTO mail_outbox (kind, subscription_id, email_hash, recipient, message_id, "
        "message) "
        "VALUES ('" +
        kind + "', " + subscription + ", '" + Sha256Hex(email) + "', '" + email + "', '" +
        message_id + "', 'Subject: hi\r\n\r\nbody " + message_id + "\r\n') RETURNING id");
  }

  int Outbox() { return std::stoi(db.Scalar("SELECT count(*) FROM mail_outbox")); }
};

}  // namespace

TEST_CASE("retry delays double from the base, are capped and jittered", "[mail_outbox]") {
  MailRetryPolicy p{100ms};
  CHECK(MailRetryDelay(p, 0, 0.5) == 100ms);
  CHECK(MailRetryDelay(p, 1, 0.5) == 200ms);
  CHECK(MailRetryDelay(p, 3, 0.5) == 800ms);
  CHECK(MailRetryDelay(p, 0, 0.0) == 80ms);
  CHECK(MailRetryDelay(p, 0, 0.999) >= 119ms);
  CHECK(MailRetryDelay(p, 40, 0.5) == 1h);
  CHECK(MailRetryDelay(p, 1000, 0.0) == 48min);
  CHECK(MailRetryDelay(p, -3, 0.5) == 100ms);
}

TEST_CASE("a confirmation mail is sent, deleted and recorded as a consent event",
          "[mail_outbox][db]") {
  Fixture f;
  std::string sub = f.Subscribe("anna@example.com");
  f.Queue("confirmation", sub, "anna@example.com");
  auto d = f.store.DeliverNext(f.Recorder());
  REQUIRE(d.ok());
  CHECK(d->outcome == DeliveryOutcome::kSent);
  CHECK(d->address_tag.find("anna") == std::string::npos);
  REQUIRE(f.sent.size() == 1);
  const OutboxMail& m = f.sent[0];
  CHECK(m.recipient == "anna@example.com");
  CHECK(f.Outbox() == 0);
  CHECK(f.db.Scalar("SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent' "
                    "AND channel = 'mail' AND subscription_id = " +
                    sub + " AND message_id = '" + m.message_id + "' AND mail_sha256 = '" +
                    Sha256Hex(m.message) + "' AND email_hash = '" + Sha256Hex("anna@example.com") +
                    "' AND list_id IS NOT NULL AND subscriber_id IS NOT NULL") == "1");
  CHECK(f.db.Scalar("SELECT last_confirmation_mail IS NOT NULL FROM subscriptions WHERE id = " +
                    sub) == "t");
  auto idle = f.store.DeliverNext(f.Recorder());
  REQUIRE(idle.ok());
  CHECK(idle->outcome == DeliveryOutcome::kIdle);
}

TEST_CASE("confirmation mails that must not go out are deleted unsent", "[mail_outbox][db]") {
  struct Case {
    const char* name;
    const char* email;
    const char* setup;  // SQL run before; $H = email hash, $L = other list id
    bool dropped;
  };
  const Case cases[] = {
      {"global suppression", "a@example.com",
       "INSERT INTO suppressions (email_hash, reason, source) VALUES ('$H', 'x', 'admin')", true},
      {"suppression for its list", "b@example.com",
       "INSERT INTO suppressions (email_hash, list_id, reason, source) "
       "SELECT '$H', id, 'x', 'link' FROM lists WHERE slug = 'newsletter'",
       true},
      {"suppression for another list", "c@example.com",
       "INSERT INTO suppressions (email_hash, list_id, reason, source) VALUES ('$H', $L, 'x', "
       "'link')",
       false},
      {"exact domain", "d@blocked.example",
       "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('blocked.example', "
       "false)",
       true},
      {"subdomain of an exact-only domain", "e@mx.blocked.example",
       "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('blocked.example', "
       "false)",
       false},
      {"subdomain of a wildcard domain", "f@mx.wild.example",
       "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('wild.example', true)",
       true},
      {"the wildcard domain itself", "g@wild.example",
       "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('wild.example', true)",
       true},
      {"a domain that merely ends alike", "h@notwild.example",
       "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('wild.example', true)",
       false},
      {"no suppression", "i@example.com", "SELECT 1", false},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      Fixture f;
      std::string other = f.ListId("other");
      std::string sql = c.setup;
      for (auto [from, to] :
           {std::pair<std::string, std::string>{"$H", Sha256Hex(c.email)}, {"$L", other}}) {
        for (auto p = sql.find(from); p != std::string::npos; p = sql.find(from))
          sql.replace(p, 2, to);
      }
      f.db.Exec(sql);
      f.Queue("confirmation", f.Subscribe(c.email), c.email);
      auto d = f.store.DeliverNext(f.Recorder());
      REQUIRE(d.ok());
      CHECK(d->outcome ==
            (c.dropped ? DeliveryOutcome::kDroppedSuppressed : DeliveryOutcome::kSent));
      CHECK(f.sent.size() == (c.dropped ? 0u : 1u));
      CHECK(f.Outbox() == 0);
      CHECK(f.db.Scalar("SELECT count(*) FROM consent_events") == (c.dropped ? "0" : "1"));
    }
  }
}

TEST_CASE("a confirmation mail for a subscription no longer pending is dropped",
          "[mail_outbox][db]") {
  Fixture f;
  f.Queue("confirmation", f.Subscribe("anna@example.com", "confirmed"), "anna@example.com");
  auto d = f.store.DeliverNext(f.Recorder());
  REQUIRE(d.ok());
  CHECK(d->outcome == DeliveryOutcome::kDroppedSuppressed);
  CHECK(f.sent.empty());
  CHECK(f.Outbox() == 0);
}

TEST_CASE("a privacy verification mail to a suppressed address is still sent",
          "[mail_outbox][db]") {
  Fixture f;
  const std::string email = "p@wild.example";
  f.db.Exec("INSERT INTO suppressions (email_hash, reason, source) VALUES ('" + Sha256Hex(email) +
            "', 'x', 'admin')");
  f.db.Exec(
      "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('wild.example', true)");
  f.Queue("privacy_verification", "NULL", email);
  auto d = f.store.DeliverNext(f.Recorder());
  REQUIRE(d.ok());
  CHECK(d->outcome == DeliveryOutcome::kSent);
  CHECK(f.sent.size() == 1);
  CHECK(f.Outbox() == 0);
  CHECK(f.db.Scalar("SELECT count(*) FROM consent_events") == "0");
}

TEST_CASE("a failed send backs off and is retried when due", "[mail_outbox][db]") {
  // A base long enough that no scheduling delay on a loaded machine makes the row due early; the
  // test moves next_attempt_at itself instead of waiting for the clock.
  Fixture f;
  MailOutboxStore store(*f.pool, MailRetryPolicy{10s});
  std::string id = f.Queue("confirmation", f.Subscribe("anna@example.com"), "anna@example.com");
  auto d = store.DeliverNext(f.Recorder(Status::Unavailable("smtp: connection refused")));
  REQUIRE(d.ok());
  CHECK(d->outcome == DeliveryOutcome::kRetryLater);
  CHECK(d->retry_in >= 8s);
  CHECK(d->retry_in < 12s);
  CHECK(f.db.Scalar("SELECT attempts FROM mail_outbox WHERE id = " + id) == "1");
  CHECK(f.db.Scalar("SELECT last_error FROM mail_outbox WHERE id = " + id) ==
        "smtp: connection refused");
  CHECK(f.db.Scalar("SELECT next_attempt_at > now() + interval '7 s' FROM mail_outbox WHERE id = " +
                    id) == "t");
  auto early = store.DeliverNext(f.Recorder());
  REQUIRE(early.ok());
  CHECK(early->outcome == DeliveryOutcome::kIdle);
  CHECK(f.sent.size() == 1);  // the early call sent nothing
  f.db.Exec("UPDATE mail_outbox SET next_attempt_at = now() WHERE id = " + id);
  auto again = store.DeliverNext(f.Recorder(Status::Unavailable("smtp: 451")));
  REQUIRE(again.ok());
  CHECK(again->outcome == DeliveryOutcome::kRetryLater);
  CHECK(again->retry_in >= 16s);  // the second failure doubles the wait
  CHECK(f.db.Scalar("SELECT attempts FROM mail_outbox WHERE id = " + id) == "2");
  CHECK(f.db.Scalar("SELECT last_error FROM mail_outbox WHERE id = " + id) == "smtp: 451");
  CHECK(f.db.Scalar(
            "SELECT next_attempt_at - now() > interval '15 s' FROM mail_outbox WHERE id = " + id) ==
        "t");
  CHECK(f.db.Scalar("SELECT count(*) FROM consent_events") == "0");
}

TEST_CASE("permanent rejections give up after 5 attempts", "[mail_outbox][db]") {
  Fixture f;
  std::string id = f.Queue("privacy_verification", "NULL", "x@example.com");
  for (int attempt = 1; attempt <= 5; ++attempt) {
    f.db.Exec("UPDATE mail_outbox SET next_attempt_at = now()");
    auto d = f.store.DeliverNext(f.Recorder(Status::InvalidArgument("mail_rejected", "smtp: 550")));
    REQUIRE(d.ok());
    CHECK(d->outcome == (attempt < 5 ? DeliveryOutcome::kRetryLater : DeliveryOutcome::kDead));
  }
  CHECK(f.db.Scalar("SELECT dead_at IS NOT NULL FROM mail_outbox WHERE id = " + id) == "t");
  f.db.Exec("UPDATE mail_outbox SET next_attempt_at = now()");
  auto d = f.store.DeliverNext(f.Recorder());
  REQUIRE(d.ok());
  CHECK(d->outcome == DeliveryOutcome::kIdle);
  auto depth = f.store.CountOutbox();
  REQUIRE(depth.ok());
  CHECK(depth->waiting == 0);
  CHECK(depth->dead == 1);
}

TEST_CASE("a mail held by one sender is skipped by another", "[mail_outbox][db]") {
  Fixture f;
  f.Queue("privacy_verification", "NULL", "one@example.com");
  f.Queue("privacy_verification", "NULL", "two@example.com");
  MailOutboxStore other(*f.pool, MailRetryPolicy{100ms});
  std::mutex mu;
  std::condition_variable cv;
  bool holding = false, release = false;
  std::string first_recipient;
  bool slow_ok = false;
  std::thread slow([&] {
    slow_ok = f.store
                  .DeliverNext([&](const OutboxMail& m) {
                    std::unique_lock<std::mutex> lock(mu);
                    first_recipient = m.recipient;
                    holding = true;
                    cv.notify_all();
                    cv.wait(lock, [&] { return release; });
                    return Status::Ok();
                  })
                  .ok();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    REQUIRE(cv.wait_for(lock, 10s, [&] { return holding; }));
  }
  std::vector<std::string> second;
  auto d = other.DeliverNext([&](const OutboxMail& m) {
    second.push_back(m.recipient);
    return Status::Ok();
  });
  auto idle = other.DeliverNext([&](const OutboxMail& m) {
    second.push_back(m.recipient);
    return Status::Ok();
  });
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  slow.join();
  CHECK(slow_ok);
  REQUIRE(d.ok());
  CHECK(d->outcome == DeliveryOutcome::kSent);
  REQUIRE(idle.ok());
  CHECK(idle->outcome == DeliveryOutcome::kIdle);
  REQUIRE(second.size() == 1);
  CHECK(second[0] != first_recipient);
  CHECK(f.Outbox() == 0);
}

TEST_CASE("concurrent senders send every mail exactly once", "[mail_outbox][db]") {
  Fixture f;
  const int kMails = 40;
  for (int i = 0; i < kMails; ++i)
    f.Queue("privacy_verification", "NULL", "u" + std::to_string(i) + "@example.com");
  std::mutex mu;
  std::map<std::string, int> sends;
  std::atomic<int> errors{0};
  auto worker = [&] {
    MailOutboxStore store(*f.pool, MailRetryPolicy{100ms});
    while (true) {
      auto d = store.DeliverNext([&](const OutboxMail& m) {
        std::this_thread::sleep_for(2ms);  // widen the window in which both hold a row
        std::lock_guard<std::mutex> lock(mu);
        ++sends[m.message_id];
        return Status::Ok();
      });
      if (!d.ok()) ++errors;  // Catch2 assertions are not thread-safe
      if (!d.ok() || d->outcome == DeliveryOutcome::kIdle) return;
    }
  };
  std::thread a(worker), b(worker), c(worker);
  a.join();
  b.join();
  c.join();
  CHECK(errors == 0);
  CHECK(sends.size() == static_cast<size_t>(kMails));
  for (const auto& [id, n] : sends) CHECK(n == 1);
  CHECK(f.Outbox() == 0);
}

TEST_CASE("an erasure while the mailer sends to the address waits for it, then erases its event",
          "[mail_outbox][privacy][db]") {
  // The two once took their locks in opposite order (the erasure: subscriber, then the mail row;
  // the mailer: the mail row, then the subscriber for the event's foreign key) and deadlocked.
  // Here a deadlock would never be detected (deadlock_timeout 1 h) and ends in lock_timeout.
  Fixture f;
  f.db.Exec("ALTER DATABASE " + f.db.name() + " SET deadlock_timeout = '1h'; ALTER DATABASE " +
            f.db.name() + " SET lock_timeout = '20s'");
  auto pool = f.db.MakePool(4);
  MailOutboxStore mailer(*pool, MailRetryPolicy{100ms});
  PrivacyStore privacy(*pool, PrivacyStoreOptions{});
  std::string sub = f.Subscribe("eve@example.com");
  f.Queue("confirmation", sub, "eve@example.com");

  std::mutex mu;
  std::condition_variable cv;
  bool holding = false, release = false;
  Result<Delivery> delivered = Status::Internal("not run");
  std::thread sender([&] {
    delivered = mailer.DeliverNext([&](const OutboxMail&) {
      std::unique_lock<std::mutex> lock(mu);
      holding = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      return Status::Ok();
    });
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    REQUIRE(cv.wait_for(lock, 10s, [&] { return holding; }));
  }
  Result<ErasureCounts> erased = Status::Internal("not run");
  std::thread eraser([&] { erased = privacy.Erase("eve@example.com"); });
  // The erasure waits for the mail row the mailer holds.
  bool waiting = WaitUntil(
      [&] {
        return f.db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + f.db.name() +
                           "' AND wait_event_type = 'Lock'") == "1";
      },
      10s);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  sender.join();
  eraser.join();
  CHECK(waiting);
  REQUIRE(delivered.ok());
  CHECK(delivered->outcome == DeliveryOutcome::kSent);
  REQUIRE(erased.ok());
  CHECK(erased->subscriber_deleted);
  CHECK(erased->queued_mails == 0);  // the mailer had sent and deleted it
  // The mailer's confirmation_mail_sent event is gone too: only the hash-only erasure event stays.
  CHECK(f.db.Scalar("SELECT string_agg(kind::text, ',') FROM consent_events") == "erased");
  CHECK(f.db.Scalar("SELECT count(*) FROM subscribers") == "0");
}
