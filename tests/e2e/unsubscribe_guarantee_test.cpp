// The unsubscribe guarantee (issue 12) end to end: the real binary, a real PostgreSQL, the fake
// CleverReach. Every withdrawal reaches CleverReach (never a dead letter), is measured, leaves
// nothing of the person there; domain blocks, bounces and reconciliation act.
#include <catch2/catch.hpp>

#include "tests/fakes/fake_cleverreach.h"
#include "tests/support/optin_fixture.h"
#include "tests/support/sync_helpers.h"
#include "tests/support/wait.h"

using namespace optin::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string Count(OptinFixture& f, const std::string& table, const std::string& where = "true") {
  return f.db().Scalar("SELECT count(*) FROM " + table + " WHERE " + where);
}

}  // namespace

TEST_CASE(
    "unsubscribe guarantee: a domain block ends every matching subscription here and at "
    "CleverReach",
    "[e2e][db][sync][unsub]") {
  FakeCleverReach fake;
  OptinFixture f(OptinEnvFor(fake, "2s"));
  int64_t gid = SetUpGroup(f, fake);
  for (const char* email : {"a@corp.example", "b@mail.corp.example", "keep@other.example"}) {
    f.SubscribeAndConfirm(email);
    REQUIRE(WaitUntil([&] { return Active(fake, gid, email); }, 15s));
  }
  f.Subscribe("pending@deep.mail.corp.example", {{"name", "Pat"}});
  f.Subscribe("notcorp@xcorp.example");  // a different domain that merely ends the same way

  auto blocked = f.Admin("POST", "/admin/suppressions",
                         {{"domain", "*.corp.example"}, {"reason", "customer left"}});
  REQUIRE(blocked->status == 201);
  auto body = json::parse(blocked->body);
  CHECK(body["ended_subscriptions"] == 3);
  CHECK(body["addresses"] == 3);

  CHECK(Count(f, "subscriptions s JOIN subscribers u ON u.id = s.subscriber_id",
              "u.email LIKE '%corp.example' AND u.email NOT LIKE '%xcorp%' AND s.status <> "
              "'unsubscribed'") == "0");
  CHECK(Count(f, "subscriptions s JOIN subscribers u ON u.id = s.subscriber_id",
              "u.email IN ('keep@other.example', 'notcorp@xcorp.example') AND s.status <> "
              "'unsubscribed'") == "2");
  CHECK(Count(f, "consent_events",
              "kind = 'suppressed' AND channel = 'admin' AND detail->>'reason' = 'customer left' "
              "AND detail->>'domain' = '*.corp.example'") == "3");
  CHECK(Count(f, "subscribers", "name IS NOT NULL") == "0");
  // The pending signup's link is dead.
  CHECK(Count(f,
              "confirmation_tokens t JOIN subscriptions s ON s.id = t.subscription_id JOIN "
              "subscribers u "
              "ON u.id = s.subscriber_id",
              "u.email = 'pending@deep.mail.corp.example' AND t.used_at IS NULL") == "0");

  // The confirmed receivers are deactivated and blacklisted at CleverReach; the pending one was
  // never there and the other domain is untouched.
  for (const char* email : {"a@corp.example", "b@mail.corp.example"}) {
    CHECK(WaitUntil([&] { return !Active(fake, gid, email) && Blacklisted(fake, email); }, 15s));
  }
  CHECK(WaitUntil([&] { return Count(f, "sync_outbox", "email IS NOT NULL") == "0"; }, 15s));
  CHECK(Active(fake, gid, "keep@other.example"));
  CHECK_FALSE(Blacklisted(fake, "keep@other.example"));
  CHECK_FALSE(fake.Receiver(gid, "pending@deep.mail.corp.example"));
  CHECK(fake.Blacklist().size() == 2);

  // Lifting the block resubscribes nobody.
  REQUIRE(f.Admin("DELETE", "/admin/suppressions?domain=*.corp.example")->status == 200);
  CHECK(Count(f, "subscriptions", "status = 'confirmed'") == "1");
}

TEST_CASE("unsubscribe guarantee: with sync off no outbox row holds an address",
          "[e2e][db][sync][unsub]") {
  OptinFixture f;  // no CleverReach credentials: sync off
  REQUIRE(f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", "123"}})->status ==
          200);
  std::string unsubscribe = f.SubscribeAndConfirm("quiet@example.com");
  f.SubscribeAndConfirm("dom@blocked.example");
  REQUIRE(f.client()
              .Post(unsubscribe.c_str(), "List-Unsubscribe=One-Click",
                    "application/x-www-form-urlencoded")
              ->status == 200);
  REQUIRE(f.Admin("POST", "/admin/suppressions", {{"email", "other@example.com"}})->status == 201);
  REQUIRE(f.Admin("POST", "/admin/suppressions", {{"domain", "blocked.example"}})->status == 201);
  REQUIRE(f.Admin("DELETE", "/admin/suppressions?email=other@example.com")->status == 200);
  REQUIRE(f.Admin("DELETE", "/admin/subscribers?email=quiet@example.com")->status == 200);
  CHECK(Count(f, "subscriptions", "status = 'unsubscribed'") == "1");  // dom's; quiet's is erased
  CHECK(Count(f, "sync_outbox", "email IS NOT NULL") == "0");
  CHECK(f.db().Scalar("SELECT enabled FROM sync_state") == "f");

  // Rows queued in clear before (by an older version, or while it was on) go at the next start.
  f.process().Terminate();
  f.db().Exec("UPDATE sync_state SET enabled = true");
  f.db().Exec(
      "INSERT INTO sync_outbox (action, email, email_hash) VALUES ('blacklist_add', "
      "'old@example.com', 'x')");
  f.Restart();
  CHECK(Count(f, "sync_outbox", "email IS NOT NULL") == "0");
}

TEST_CASE("unsubscribe guarantee: a group id beyond int64 is refused with 400, nothing changed",
          "[e2e][db][unsub]") {
  OptinFixture f;
  for (json id : {json(18446744073709551615ULL), json("18446744073709551615"),
                  json("9223372036854775808"), json(0), json("0")}) {
    auto r = f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", id}});
    INFO(id.dump());
    CHECK(r->status == 400);
  }
  CHECK(f.db().Scalar("SELECT count(*) FROM lists WHERE cleverreach_group_id IS NOT NULL") == "0");
  CHECK(f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", "9223372036854775807"}})
            ->status == 200);
  CHECK(f.Admin("PUT", "/admin/lists/newsletter", {{"cleverreach_group_id", 42}})->status == 200);
}
