#include "storage/subscription_store.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "service/domain/address.h"
#include "storage/pool.h"
#include "tests/support/test_db.h"

using namespace optin;
using namespace optin::test;

namespace {

// Releases every waiting thread at once, so that their statements race inside PostgreSQL.
class StartLine {
 public:
  explicit StartLine(int n) : waiting_(n) {}
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--waiting_ == 0) cv_.notify_all();
    cv_.wait(lock, [this] { return waiting_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_;
};

}  // namespace

// Issue 17 point 9: a first signup racing another of the same new address was answered 409 when
// the losing insert met the second unique index (email_hash) that ON CONFLICT (email) does not
// arbitrate. Every racer must get an outcome, and exactly one of them the mail.
TEST_CASE("concurrent first signups of one new address all succeed, one mail", "[signup][db]") {
  constexpr int kThreads = 8;
  constexpr int kRounds = 40;
  TestDatabase db;
  std::unique_ptr<ConnectionPool> pool = db.MakePool(kThreads);
  SubscriptionStore store(*pool);
  int64_t list_id = std::stoll(db.Scalar("SELECT id FROM lists WHERE slug = 'newsletter'"));
  int failures = 0;
  for (int round = 0; round < kRounds; ++round) {
    SignupCommand cmd;
    cmd.email = "race" + std::to_string(round) + "@example.com";
    cmd.email_hash = AddressHash(cmd.email);
    cmd.language = "de";
    cmd.list_id = list_id;
    cmd.client.ip = "192.0.2.1";
    StartLine start(kThreads);
    std::atomic<int> errors{0}, mails{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        PendingMail mail;
        mail.token_hash = AddressHash(cmd.email + "/token/" + std::to_string(t));
        mail.ttl_seconds = 3600;
        mail.message_id = "<" + std::to_string(round) + "." + std::to_string(t) + "@test>";
        mail.message = "Subject: test\r\n\r\nbody\r\n";
        start.Wait();
        auto r = store.Signup(cmd, mail);
        if (!r.ok()) {
          ++errors;
        } else if (*r == SignupResult::kPendingMailQueued) {
          ++mails;
        }
      });
    }
    for (auto& t : threads) t.join();
    failures += errors.load();
    CHECK(mails == 1);
  }
  CHECK(failures == 0);
  CHECK(db.Scalar("SELECT count(*) FROM subscribers WHERE email LIKE 'race%'") ==
        std::to_string(kRounds));
  CHECK(db.Scalar("SELECT count(*) FROM mail_outbox") == std::to_string(kRounds));
}
