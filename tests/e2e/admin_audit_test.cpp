// Named admins and the admin audit trail end to end: several named tokens (two of one name, as
// during a rotation), one audit row per admin change with the admin's name, action, hashed target
// and outcome, nothing for refused requests or reads, an append-only table, and paging.
#include <catch2/catch.hpp>

#include "service/domain/address.h"
#include "tests/support/optin_fixture.h"

using namespace optin::test;
using nlohmann::json;

namespace {

constexpr const char* kAliceOld = "alice-old-token-0123456789";
constexpr const char* kAliceNew = "alice-new-token-0123456789";
constexpr const char* kBob = "bob-token-0123456789abcdef";

Env NamedAdmins() {
  return Env{{"OPTIN_ADMIN_TOKENS",
              std::string("alice:") + kAliceOld + ",bob:" + kBob + ",alice:" + kAliceNew}};
}

httplib::Result Call(OptinFixture& f, const std::string& token, const std::string& method,
                     const std::string& path, const std::string& body = "",
                     const std::string& type = "application/json") {
  httplib::Headers headers = {{"Authorization", "Bearer " + token}};
  httplib::Result r{nullptr, httplib::Error::Unknown};
  if (method == "GET")
    r = f.client().Get(path.c_str(), headers);
  else if (method == "DELETE")
    r = f.client().Delete(path.c_str(), headers);
  else if (method == "PUT")
    r = f.client().Put(path.c_str(), headers, body, type.c_str());
  else
    r = f.client().Post(path.c_str(), headers, body, type.c_str());
  REQUIRE(r);
  return r;
}

int AuditRows(OptinFixture& f) {
  return std::stoi(f.db().Scalar("SELECT count(*) FROM admin_audit"));
}

// The newest row as "admin|action|target|outcome".
std::string LastRow(OptinFixture& f) {
  return f.db().Scalar(
      "SELECT admin || '|' || action || '|' || target || '|' || outcome FROM admin_audit "
      "ORDER BY id DESC LIMIT 1");
}

}  // namespace

TEST_CASE("named admin tokens: each name works, two tokens of one name both do",
          "[e2e][db][admin]") {
  OptinFixture f(NamedAdmins());
  for (const char* token : {kAliceOld, kAliceNew, kBob, kAdminToken}) {
    INFO(token);
    CHECK(Call(f, token, "GET", "/admin/lists")->status == 200);
  }
  CHECK(Call(f, "alice-old-token-012345678", "GET", "/admin/lists")->status == 401);  // a prefix
  CHECK(Call(f, std::string(kBob) + "0", "GET", "/admin/lists")->status == 401);
  CHECK(Call(f, "", "GET", "/admin/lists")->status == 401);

  // The name, not the token, is what the trail records: both of alice's tokens are "alice".
  REQUIRE(Call(f, kAliceOld, "POST", "/admin/suppressions", json{{"email", "a@example.com"}}.dump())
              ->status == 201);
  CHECK(LastRow(f).rfind("alice|suppression.add|", 0) == 0);
  REQUIRE(Call(f, kAliceNew, "POST", "/admin/suppressions", json{{"email", "b@example.com"}}.dump())
              ->status == 201);
  CHECK(LastRow(f).rfind("alice|suppression.add|", 0) == 0);
  REQUIRE(
      Call(f, kAdminToken, "POST", "/admin/suppressions", json{{"email", "c@example.com"}}.dump())
          ->status == 201);
  CHECK(LastRow(f).rfind("admin|suppression.add|", 0) == 0);
  CHECK(f.db().Scalar("SELECT string_agg(admin, ',' ORDER BY id) FROM admin_audit") ==
        "alice,alice,admin");
}

TEST_CASE("a bad OPTIN_ADMIN_TOKENS stops start-up naming the variable", "[e2e][admin]") {
  TestDatabase db;
  Env env = BaseEnv(db.url());
  env["OPTIN_ADMIN_TOKENS"] = "alice:too-short";
  auto r = RunOptin({"serve"}, env);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("OPTIN_ADMIN_TOKENS") != std::string::npos);
  CHECK(r.err.find("too-short") == std::string::npos);
}

TEST_CASE("every admin change writes exactly one audit row, refusals and reads none",
          "[e2e][db][admin]") {
  OptinFixture f(NamedAdmins());
  const std::string x_hash = optin::AddressHash("x@example.com");
  int rows = AuditRows(f);
  // One request: its status, and the one row it must add (empty: none).
  auto expect = [&](const httplib::Result& r, int status, const std::string& row) {
    INFO(r->body);
    CHECK(r->status == status);
    int now = AuditRows(f);
    CHECK(now == rows + (row.empty() ? 0 : 1));
    if (!row.empty()) CHECK(LastRow(f) == row);
    rows = now;
  };

  expect(Call(f, kBob, "PUT", "/admin/lists/events", json{{"name", "Events"}}.dump()), 200,
         "bob|list.put|events|ok");
  expect(Call(f, kAliceOld, "POST", "/admin/suppressions",
              json{{"email", " X@Example.com "}, {"reason", "asked by phone"}}.dump()),
         201, "alice|suppression.add|" + x_hash + "|ok");
  expect(Call(f, kAliceNew, "POST", "/admin/suppressions", json{{"email", "x@example.com"}}.dump()),
         200, "alice|suppression.add|" + x_hash + "|unchanged");
  expect(Call(f, kBob, "POST", "/admin/suppressions",
              json{{"email", "x@example.com"}, {"scope", "events"}}.dump()),
         201, "bob|suppression.add|" + x_hash + "|ok");
  expect(Call(f, kBob, "DELETE", "/admin/suppressions?email=x%40example.com"), 200,
         "bob|suppression.lift|" + x_hash + "|ok");
  // Carried out and found nothing to lift: a row with outcome `unchanged` beside the 404.
  expect(Call(f, kBob, "DELETE", "/admin/suppressions?email=x%40example.com"), 404,
         "bob|suppression.lift|" + x_hash + "|unchanged");
  expect(
      Call(f, kAliceOld, "POST", "/admin/suppressions", json{{"domain", "*.Spam.example"}}.dump()),
      201, "alice|domain_block.add|*.spam.example|ok");
  expect(Call(f, kAliceOld, "DELETE", "/admin/suppressions?domain=spam.example"), 200,
         "alice|domain_block.lift|spam.example|ok");
  f.Subscribe("erase@example.com");
  expect(Call(f, kBob, "DELETE", "/admin/subscribers?email=erase%40example.com"), 200,
         "bob|subscriber.erase|" + optin::AddressHash("erase@example.com") + "|ok");
  // Lifting a restriction (Art. 18): its ledger events name the admin; a second lift finds
  // nothing restricted and records `unchanged` beside the 404.
  f.SubscribeAndConfirm("held@example.com");
  const std::string held_hash = optin::AddressHash("held@example.com");
  REQUIRE(f.db().Scalar("SELECT optin_restrict('" + held_hash + "', 'privacy', '{}')") == "1");
  expect(Call(f, kAliceOld, "DELETE", "/admin/restrictions?email=Held%40Example.com"), 200,
         "alice|restriction.lift|" + held_hash + "|ok");
  CHECK(f.db().Scalar("SELECT detail->>'subscriptions_resumed' FROM admin_audit ORDER BY id DESC "
                      "LIMIT 1") == "1");
  CHECK(f.db().Scalar("SELECT string_agg(coalesce(actor, '-'), ',') FROM consent_events WHERE "
                      "email_hash = '" +
                      held_hash + "' AND kind = 'restriction_lifted'") == "alice");
  expect(Call(f, kBob, "DELETE", "/admin/restrictions?email=held%40example.com"), 404,
         "bob|restriction.lift|" + held_hash + "|unchanged");
  expect(Call(f, kAliceNew, "POST", "/admin/import",
              "email,name,list,consented_at,source\r\nimp@example.com,,,2024-03-01,crm\r\n",
              "text/csv"),
         200, "alice|import||ok");
  CHECK(f.db().Scalar("SELECT detail->>'imported' FROM admin_audit ORDER BY id DESC LIMIT 1") ==
        "1");
  expect(Call(f, kBob, "POST", "/admin/sync/retry", ""), 200, "bob|sync.retry|all|unchanged");

  // Refused before anything was attempted: no row.
  expect(Call(f, kBob, "POST", "/admin/suppressions", json{{"email", "not-an-address"}}.dump()),
         400, "");
  expect(Call(f, kBob, "POST", "/admin/suppressions",
              json{{"email", "y@example.com"}, {"scope", "nosuchlist"}}.dump()),
         404, "");
  expect(Call(f, kBob, "PUT", "/admin/lists/events", json{{"language", "xx"}}.dump()), 400, "");
  expect(Call(f, kBob, "POST", "/admin/suppressions", "{", "application/json"), 400, "");
  expect(Call(f, kBob, "POST", "/admin/import", "x", "image/png"), 415, "");
  expect(Call(f, kBob, "POST", "/admin/sync/retry?id=abc", ""), 400, "");
  expect(Call(f, kBob, "DELETE", "/admin/restrictions?email=not-an-address"), 400, "");
  expect(
      Call(f, "wrong-token-0123456789", "DELETE", "/admin/restrictions?email=held%40example.com"),
      401, "");
  expect(Call(f, "wrong-token-0123456789", "POST", "/admin/suppressions",
              json{{"email", "z@example.com"}}.dump()),
         401, "");
  expect(Call(f, "wrong-token-0123456789", "DELETE", "/admin/subscribers?email=a%40example.com"),
         401, "");
  // Reads change nothing and write nothing.
  expect(Call(f, kBob, "GET", "/admin/lists"), 200, "");
  expect(Call(f, kBob, "GET", "/admin/subscribers?email=imp%40example.com"), 200, "");
  expect(Call(f, kBob, "POST", "/admin/suppressions/check",
              json{{"emails", {"x@example.com"}}}.dump()),
         200, "");
  expect(Call(f, kBob, "GET", "/admin/sync"), 200, "");
  expect(Call(f, kBob, "GET", "/admin/audit"), 200, "");

  // The trail holds no address, only hashes.
  CHECK(f.db().Scalar("SELECT count(*) FROM admin_audit WHERE admin_audit::text LIKE '%@%'") ==
        "0");
}

TEST_CASE("admin_audit is append-only in SQL", "[e2e][db][admin]") {
  OptinFixture f(NamedAdmins());
  REQUIRE(Call(f, kBob, "POST", "/admin/suppressions", json{{"email", "a@example.com"}}.dump())
              ->status == 201);
  REQUIRE(AuditRows(f) == 1);
  CHECK_THROWS(f.db().Exec("UPDATE admin_audit SET admin = 'mallory'"));
  CHECK_THROWS(f.db().Exec("UPDATE admin_audit SET outcome = 'failed'"));
  CHECK_THROWS(f.db().Exec("DELETE FROM admin_audit"));
  CHECK_THROWS(f.db().Exec("TRUNCATE admin_audit"));
  CHECK(AuditRows(f) == 1);
  CHECK(LastRow(f).rfind("bob|suppression.add|", 0) == 0);
}

TEST_CASE("GET /admin/audit pages through the trail, oldest first", "[e2e][db][admin]") {
  OptinFixture f(NamedAdmins());
  for (int i = 0; i < 5; ++i) {
    REQUIRE(Call(f, i % 2 ? kBob : kAliceOld, "POST", "/admin/suppressions",
                 json{{"email", "p" + std::to_string(i) + "@example.com"}}.dump())
                ->status == 201);
  }
  std::vector<int64_t> ids;
  std::vector<std::string> admins;
  std::string since;
  int pages = 0;
  while (true) {
    auto r =
        Call(f, kBob, "GET", "/admin/audit?limit=2" + (since.empty() ? "" : "&since=" + since));
    INFO(r->body);
    REQUIRE(r->status == 200);
    auto doc = json::parse(r->body);
    ++pages;
    REQUIRE(doc["entries"].size() <= 2);
    for (const auto& e : doc["entries"]) {
      ids.push_back(e["id"]);
      admins.push_back(e["admin"]);
      CHECK(e["action"] == "suppression.add");
      CHECK(e["outcome"] == "ok");
      CHECK(e["target"].get<std::string>().size() == 64);
      CHECK(e["at"].get<std::string>().back() == 'Z');
      CHECK(e["detail"].is_object());
    }
    if (doc["next_since"].is_null()) break;
    since = doc["next_since"];
    REQUIRE(pages < 10);
  }
  CHECK(pages == 3);
  REQUIRE(ids.size() == 5);
  for (size_t i = 1; i < ids.size(); ++i) CHECK(ids[i] > ids[i - 1]);
  CHECK(admins == std::vector<std::string>{"alice", "bob", "alice", "bob", "alice"});
  CHECK(json::parse(Call(f, kBob, "GET", "/admin/audit")->body)["entries"].size() == 5);
  CHECK(json::parse(
            Call(f, kBob, "GET", "/admin/audit?since=" + std::to_string(ids[3]))->body)["entries"]
            .size() == 1);
  CHECK(
      json::parse(Call(f, kBob, "GET", "/admin/audit?since=2000-01-01T00:00:00Z")->body)["entries"]
          .size() == 5);
  CHECK(json::parse(
            Call(f, kBob, "GET", "/admin/audit?since=2999-01-01T00:00:00.5Z")->body)["entries"]
            .empty());
  CHECK(json::parse(Call(f, kBob, "GET", "/admin/audit?limit=1000")->body)["entries"].size() == 5);

  for (const char* bad :
       {"limit=0", "limit=1001", "limit=abc", "limit=", "since=yesterday", "since=-1",
        "since=2026-13-01T00:00:00Z", "since=2026-01-01", "sort=desc"}) {
    INFO(bad);
    auto r = Call(f, kBob, "GET", std::string("/admin/audit?") + bad);
    CHECK(r->status == 400);
    CHECK(json::parse(r->body)["error"] == "invalid_request");
  }
  CHECK(Call(f, "wrong-token-0123456789", "GET", "/admin/audit")->status == 401);
}

TEST_CASE("ledger events an admin causes carry the admin's name, inside the hash chain",
          "[e2e][db][admin]") {
  OptinFixture f(NamedAdmins());
  f.SubscribeAndConfirm("led@example.com");
  const std::string hash = optin::AddressHash("led@example.com");
  REQUIRE(Call(f, kBob, "POST", "/admin/suppressions", json{{"email", "led@example.com"}}.dump())
              ->status == 201);
  REQUIRE(Call(f, kAliceNew, "DELETE", "/admin/suppressions?email=led%40example.com")->status ==
          200);
  REQUIRE(Call(f, kAliceOld, "POST", "/admin/import",
               "email,name,list,consented_at,source\r\nled2@example.com,,,2024-03-01,crm\r\n",
               "text/csv")
              ->status == 200);
  auto actors = [&](const std::string& email_hash) {
    return f.db().Scalar(
        "SELECT string_agg(kind || ':' || coalesce(actor, '-'), ',' ORDER BY id) "
        "FROM consent_events WHERE email_hash = '" +
        email_hash + "'");
  };
  std::string led = actors(hash);
  INFO(led);
  CHECK(led.find("signup_requested:-") != std::string::npos);  // the person's own steps: no admin
  CHECK(led.find("confirmed:-") != std::string::npos);
  CHECK(led.find("suppressed:bob") != std::string::npos);
  CHECK(led.find("unsubscribed:bob") != std::string::npos);
  CHECK(led.find("suppression_lifted:alice") != std::string::npos);
  CHECK(actors(optin::AddressHash("led2@example.com")).find(":alice") != std::string::npos);
  // The name is part of what each event's sha256 covers.
  CHECK(f.db().Scalar("SELECT bool_and(consent_event_canonical(e) LIKE '%\"actor\": \"bob\"%' "
                      "AND e.sha256 = consent_event_sha256(e)) FROM consent_events e "
                      "WHERE actor = 'bob'") == "t");
  auto verify = RunOptin({"verify-ledger"}, BaseEnv(f.db().url()));
  CHECK(verify.exit_code == 0);
}
