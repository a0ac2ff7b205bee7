// SubscriptionStore against a real PostgreSQL: concurrent first signups of one address, and the
// confirmation page's peek (GET, changes nothing) predicting what the confirmation (POST,
// optin_confirm) does for each kind of suppression that can arrive between signup and click.
#include "storage/subscription_store.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "service/base/crypto.h"
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

namespace {

// A pending signup of `email` on the newsletter list whose confirmation token hash is returned.
std::string SignUp(SubscriptionStore& store, const std::string& email, int64_t list_id) {
  SignupCommand cmd;
  cmd.email = email;
  cmd.email_hash = Sha256Hex(email);
  cmd.language = "de";
  cmd.list_id = list_id;
  PendingMail mail;
  mail.token_hash = Sha256Hex("token:" + email);
  mail.ttl_seconds = 3600;
  mail.message_id = "<" + cmd.email_hash + "@test>";
  mail.message = "message";
  auto result = store.Signup(cmd, mail);
  REQUIRE(result.ok());
  REQUIRE(*result == SignupResult::kPendingMailQueued);
  return mail.token_hash;
}

}  // namespace

TEST_CASE("the confirmation page and the confirmation agree about a suppressed address",
          "[subscription][db]") {
  TestDatabase db;
  int64_t list_id = std::stoll(db.Scalar("SELECT id FROM lists WHERE slug = 'newsletter'"));
  db.Exec("INSERT INTO lists (slug, name) VALUES ('other', 'Other')");
  std::string other = db.Scalar("SELECT id FROM lists WHERE slug = 'other'");
  auto pool = db.MakePool(2);
  SubscriptionStore store(*pool);
  auto hash_of = [](const std::string& email) { return "'" + Sha256Hex(email) + "'"; };
  struct Case {
    const char* kind;
    const char* email;
    std::string suppress;  // SQL run after the signup, before the click ("" = none)
    ConfirmResult expected;
  };
  // Entries written directly, as a domain block or an erased address leaves them: no
  // unsubscribe ends the subscription first, only the rule stands between the link and a
  // confirmation.
  const std::vector<Case> cases = {
      {"none", "free@example.com", "", ConfirmResult::kConfirmed},
      {"global", "global@example.com",
       "INSERT INTO suppressions (email_hash, reason, source) VALUES (" +
           hash_of("global@example.com") + ", 't', 'admin')",
       ConfirmResult::kSuppressed},
      {"this list", "list@example.com",
       "INSERT INTO suppressions (email_hash, list_id, reason, source) VALUES (" +
           hash_of("list@example.com") + ", " + std::to_string(list_id) + ", 't', 'admin')",
       ConfirmResult::kSuppressed},
      {"another list", "elsewhere@example.com",
       "INSERT INTO suppressions (email_hash, list_id, reason, source) VALUES (" +
           hash_of("elsewhere@example.com") + ", " + other + ", 't', 'admin')",
       ConfirmResult::kConfirmed},
      {"domain", "someone@blocked.example",
       "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('blocked.example', "
       "false)",
       ConfirmResult::kSuppressed},
      {"parent domain", "someone@mail.parent.example",
       "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('parent.example', "
       "true)",
       ConfirmResult::kSuppressed},
      {"parent domain, exact block only", "someone@mail.exact.example",
       "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('exact.example', "
       "false)",
       ConfirmResult::kConfirmed},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    std::string token = SignUp(store, c.email, list_id);
    if (!c.suppress.empty()) db.Exec(c.suppress);
    // The peek predicts the confirmation: "confirmable" where the POST confirms.
    const ConfirmResult predicted =
        c.expected == ConfirmResult::kConfirmed ? ConfirmResult::kConfirmable : c.expected;
    auto peek = store.PeekConfirmation(token);
    REQUIRE(peek.ok());
    CHECK(peek->result == predicted);
    auto peek_again = store.PeekConfirmation(token);  // the peek changed nothing
    REQUIRE(peek_again.ok());
    CHECK(peek_again->result == predicted);
    auto confirm = store.Confirm(token, ClientInfo{});
    REQUIRE(confirm.ok());
    CHECK(confirm->result == c.expected);
    CHECK(db.Scalar(
              "SELECT s.status FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id "
              "WHERE u.email = '" +
              std::string(c.email) + "'") ==
          (c.expected == ConfirmResult::kConfirmed ? "confirmed" : "pending"));
  }
}
