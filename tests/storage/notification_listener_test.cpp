#include "storage/notification_listener.h"

#include <catch2/catch.hpp>

#include "tests/support/test_db.h"
#include "tests/support/wait.h"

using namespace optin;
using namespace optin::test;
using namespace std::chrono_literals;

TEST_CASE("the listener wakes on NOTIFY and times out without one", "[listener][db]") {
  TestDatabase db;
  NotificationListener listener(db.url(), "optin_mail");
  REQUIRE(listener.Connect().ok());
  REQUIRE(listener.connected());
  auto quiet = listener.Wait(50ms);
  REQUIRE(quiet.ok());
  CHECK_FALSE(*quiet);
  db.Exec(
      "INSERT INTO mail_outbox (kind, email_hash, recipient, message_id, message) "
      "VALUES ('privacy_verification', 'h', 'a@example.com', 'm1@example.org', 'x')");
  auto start = std::chrono::steady_clock::now();
  auto woke = listener.Wait(5s);
  REQUIRE(woke.ok());
  CHECK(*woke);
  CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("the listener reports a lost connection and reconnects", "[listener][db]") {
  TestDatabase db;
  NotificationListener listener(db.url(), "optin_mail");
  REQUIRE(listener.Connect().ok());
  db.Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  // The termination may take a wait or two to surface (error message first, then end of file).
  CHECK(WaitUntil([&] { return !listener.Wait(100ms).ok(); }, 5s));
  CHECK_FALSE(listener.connected());
  REQUIRE(listener.Connect().ok());
  auto quiet = listener.Wait(10ms);
  CHECK(quiet.ok());
}
