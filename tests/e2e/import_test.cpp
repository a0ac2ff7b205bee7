// POST /admin/import end to end: outcomes per row, suppressions honoured, consent events and
// CleverReach rows written, and a 100 000-row CSV in one streamed request.
#include <catch2/catch.hpp>

#include "tests/support/mail_reader.h"
#include "tests/support/optin_fixture.h"

using namespace optin::test;
using nlohmann::json;

namespace {

std::string Count(OptinFixture& f, const std::string& table, const std::string& where = "true") {
  return f.db().Scalar("SELECT count(*) FROM " + table + " WHERE " + where);
}

httplib::Result PostCsv(OptinFixture& f, const std::string& csv) {
  httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kAdminToken}};
  auto r = f.client().Post("/admin/import", admin, csv, "text/csv");
  REQUIRE(r);
  return r;
}

}  // namespace

TEST_CASE("import counts every outcome, skips suppressed rows and records consent",
          "[e2e][db][import]") {
  OptinFixture f;
  REQUIRE(
      f.Admin("PUT", "/admin/lists/events", {{"name", "Events"}, {"cleverreach_group_id", "77"}})
          ->status == 200);
  REQUIRE(f.Admin("POST", "/admin/suppressions", {{"email", "blocked@example.com"}})->status ==
          201);
  REQUIRE(f.Admin("POST", "/admin/suppressions",
                  {{"email", "listonly@example.com"}, {"scope", "events"}})
              ->status == 201);
  REQUIRE(f.Admin("POST", "/admin/suppressions", {{"domain", "spam.example"}})->status == 201);
  f.Subscribe("pending@example.com");

  const std::string csv =
      "email,name,list,consented_at,source\r\n"                       // 1
      "new@example.com,\"Doe, Jane\",,2024-03-01T10:00:00Z,crm\r\n"   // 2 imported
      "New@Example.com,,events,2024-03-01,\"fair \"\"2024\"\"\"\r\n"  // 3 imported (other list)
      "new@example.com,,newsletter,2024-03-02,crm\r\n"                // 4 already (same batch)
      "blocked@example.com,,,2024-03-01,crm\r\n"                      // 5 suppressed (global)
      "listonly@example.com,,events,2024-03-01,crm\r\n"               // 6 suppressed (list)
      "listonly@example.com,,newsletter,2024-03-01,crm\r\n"           // 7 imported
      "someone@spam.example,,,2024-03-01,crm\r\n"                     // 8 suppressed (domain)
      "not-an-address,,,2024-03-01,crm\r\n"                           // 9 invalid
      "date@example.com,,,2024-02-30,crm\r\n"                         // 10 invalid date
      "future@example.com,,,2999-01-01,crm\r\n"                       // 11 invalid (future)
      "list@example.com,,nosuchlist,2024-03-01,crm\r\n"               // 12 unknown list
      "pending@example.com,Pat,,2024-03-01 08:00:00+02:00,\"web\nform\"\r\n"  // 13-14 imported
      "\r\n"
      "last@example.com,,,2024-03-01,crm";  // 16 imported, no line end
  auto r = PostCsv(f, csv);
  INFO(r->body);
  REQUIRE(r->status == 200);
  auto doc = json::parse(r->body);
  CHECK(doc["rows"] == 13);
  CHECK(doc["imported"] == 5);
  CHECK(doc["already_subscribed"] == 1);
  CHECK(doc["suppressed"] == 3);
  CHECK(doc["invalid"] == 3);
  CHECK(doc["unknown_list"] == 1);
  std::vector<size_t> lines;
  for (const auto& x : doc["rejected"]) lines.push_back(x["line"]);
  CHECK(lines == std::vector<size_t>{5, 6, 8, 9, 10, 11, 12});
  CHECK(r->body.find("@") == std::string::npos);

  CHECK(Count(f, "subscriptions", "status = 'confirmed'") == "5");
  CHECK(f.db().Scalar("SELECT name FROM subscribers WHERE email = 'new@example.com'") ==
        "Doe, Jane");
  CHECK(
      f.db().Scalar("SELECT confirmed_at = '2024-03-01T10:00:00Z' AND signed_up_at = confirmed_at "
                    "FROM subscriptions s "
                    "JOIN subscribers u ON u.id = s.subscriber_id JOIN lists l ON l.id = s.list_id "
                    "WHERE u.email = 'new@example.com' AND l.slug = 'newsletter'") == "t");
  CHECK(
      f.db().Scalar(
          "SELECT confirmed_at = '2024-03-01T06:00:00Z' FROM subscriptions s JOIN subscribers u ON "
          "u.id = s.subscriber_id WHERE u.email = 'pending@example.com'") == "t");
  CHECK(Count(f, "consent_events", "kind = 'imported' AND channel = 'import'") == "5");
  CHECK(f.db().Scalar("SELECT detail->>'source' || ' ' || (detail->>'consented_at') FROM "
                      "consent_events e JOIN lists l "
                      "ON l.id = e.list_id WHERE kind = 'imported' AND l.slug = 'events'") ==
        "fair \"2024\" 2024-03-01T00:00:00Z");
  // Only the list with a CleverReach group gets an upsert.
  CHECK(Count(f, "sync_outbox", "action = 'upsert_receiver'") == "1");
  CHECK(Count(f, "subscribers", "email IN ('blocked@example.com', 'someone@spam.example')") == "0");
  // The pending signup's confirmation link is spent: the import confirmed it.
  CHECK(Count(f, "confirmation_tokens", "used_at IS NULL") == "0");

  // Importing again changes nothing: all confirmed already.
  auto again = json::parse(PostCsv(f, "new@example.com,,,2024-03-05,crm\n")->body);
  CHECK(again["already_subscribed"] == 1);
  CHECK(again["imported"] == 0);
  CHECK(Count(f, "consent_events", "kind = 'imported'") == "5");

  // Admin only, CSV only.
  CHECK(f.client().Post("/admin/import", csv, "text/csv")->status == 401);
  httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kAdminToken}};
  CHECK(f.client().Post("/admin/import", admin, "{}", "application/json")->status == 415);
}

TEST_CASE("a 100 000-row import in one request", "[e2e][db][import]") {
  OptinFixture f;
  std::string csv = "email,name,list,consented_at,source\n";
  csv.reserve(7'000'000);
  for (int i = 0; i < 100'000; ++i) {
    csv += "bulk" + std::to_string(i) + "@example.com,Name " + std::to_string(i) +
           ",,2024-01-01T12:00:00Z,legacy\n";
  }
  // A client of its own: under a loaded test run the import may take longer than the fixture's
  // timeouts — reading the answer, and writing the body while the server is busy writing a batch
  // (it reads the next part of the body only then).
  httplib::Client client("127.0.0.1", f.process().port());
  client.set_read_timeout(120, 0);
  client.set_write_timeout(120, 0);
  httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kAdminToken}};
  auto start = std::chrono::steady_clock::now();
  auto r = client.Post("/admin/import", admin, csv, "text/csv");
  REQUIRE(r);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(r->body);
  REQUIRE(r->status == 200);
  auto doc = json::parse(r->body);
  CHECK(doc["imported"] == 100'000);
  CHECK(doc["rows"] == 100'000);
  CHECK(Count(f, "subscriptions", "status = 'confirmed'") == "100000");
  CHECK(Count(f, "consent_events", "kind = 'imported'") == "100000");
  WARN("100 000 rows imported in " << seconds << " s");
}
