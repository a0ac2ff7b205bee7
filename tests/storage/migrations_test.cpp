#include "storage/migrations.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <future>
#include <pqxx/pqxx>
#include <sstream>

#include "service/base/crypto.h"
#include "tests/support/test_db.h"

using optin::test::TestDatabase;

namespace {

optin::SchemaFiles Embedded() {
  auto files = optin::EmbeddedSchema();
  REQUIRE(files.ok());
  return *files;
}

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(OPTIN_SOURCE_DIR) + "/tests/storage/fixtures/before_v010/" + name);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// What optin did before issue 14: V001-V009 as they were then (V006, V007 and V009 still with
// their function bodies), each in its own transaction, recorded without a checksum.
void MigrateLikeBeforeChecksums(const TestDatabase& db) {
  pqxx::connection conn(db.url());
  pqxx::work t(conn);
  t.exec(
      "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  for (const auto& m : Embedded().migrations) {
    if (m.version > 9) break;
    bool had_body = m.version == 6 || m.version == 7 || m.version == 9;
    t.exec(had_body ? ReadFixture(m.name) : m.sql);
    t.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version,
                  m.name);
  }
  t.commit();
}

std::string SignupCall(const std::string& email) {
  std::string hash = optin::Sha256Hex(email);
  return "SELECT optin_signup('" + email + "', '" + hash +
         "', '', 1, 'de', '', '', '', '', '', '{}', 'tok-" + hash + "', 3600, '<m-" + hash +
         ">', 'message')";
}

}  // namespace

TEST_CASE("migrations apply in order and a second run is a no-op", "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  auto all = optin::EmbeddedMigrations();
  REQUIRE(all.ok());
  REQUIRE_FALSE(all->empty());
  auto first = optin::Migrate(db.url());
  REQUIRE(first.ok());
  CHECK(*first == static_cast<int>(all->size()));
  auto second = optin::Migrate(db.url());
  REQUIRE(second.ok());
  CHECK(*second == 0);
  CHECK(db.Scalar("SELECT count(*) FROM schema_migrations") == std::to_string(all->size()));
  CHECK(db.Scalar("SELECT language FROM lists WHERE slug = 'newsletter'") == "de");
}

TEST_CASE("a fresh migrate records every file's SHA-256 and defines the functions",
          "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  auto files = Embedded();
  REQUIRE(files.functions.size() >= 3);
  auto report = optin::ApplySchema(db.url(), files);
  REQUIRE(report.ok());
  CHECK(report->migrations_applied == static_cast<int>(files.migrations.size()));
  CHECK(report->functions_applied == static_cast<int>(files.functions.size()));
  CHECK(report->functions_unchanged == 0);
  for (const auto& m : files.migrations) {
    CAPTURE(m.name);
    CHECK(db.Scalar("SELECT sha256 FROM schema_migrations WHERE version = " +
                    std::to_string(m.version)) == optin::Sha256Hex(m.sql));
  }
  for (const auto& f : files.functions) {
    CAPTURE(f.name);
    CHECK(db.Scalar("SELECT sha256 FROM schema_functions WHERE name = '" + f.name + "'") ==
          optin::Sha256Hex(f.sql));
  }
  for (const char* fn : {"optin_suppressed", "optin_signup", "optin_confirm"}) {
    CAPTURE(fn);
    CHECK(db.Scalar(std::string("SELECT count(*) FROM pg_proc WHERE proname = '") + fn + "'") ==
          "1");
  }
  CHECK(db.Scalar("SELECT p.provolatile::text || l.lanname::text FROM pg_proc p JOIN pg_language l "
                  "ON l.oid = p.prolang "
                  "WHERE p.proname = 'optin_suppressed'") == "ssql");
  CHECK(db.Scalar(SignupCall("fresh@example.com")) == "mail_queued");
}

TEST_CASE("a second migrate skips unchanged function files", "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  auto files = Embedded();
  REQUIRE(optin::ApplySchema(db.url(), files).ok());
  std::string applied_at =
      db.Scalar("SELECT string_agg(applied_at::text, ',' ORDER BY name) FROM schema_functions");
  auto again = optin::ApplySchema(db.url(), files);
  REQUIRE(again.ok());
  CHECK(again->migrations_applied == 0);
  CHECK(again->functions_applied == 0);
  CHECK(again->functions_unchanged == static_cast<int>(files.functions.size()));
  CHECK(db.Scalar("SELECT string_agg(applied_at::text, ',' ORDER BY name) FROM schema_functions") ==
        applied_at);
}

TEST_CASE("an edited function file is applied again, and only that one", "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  auto files = Embedded();
  REQUIRE(optin::ApplySchema(db.url(), files).ok());
  auto edited = files;
  REQUIRE(edited.functions[0].name == "10_suppression.sql");
  edited.functions[0].sql +=
      "\nCOMMENT ON FUNCTION optin_suppressed(text, text, bigint) IS 'edited in a test';\n";
  auto report = optin::ApplySchema(db.url(), edited);
  REQUIRE(report.ok());
  CHECK(report->migrations_applied == 0);
  CHECK(report->functions_applied == 1);
  CHECK(report->functions_unchanged == static_cast<int>(files.functions.size()) - 1);
  CHECK(db.Scalar("SELECT obj_description('optin_suppressed(text, text, bigint)'::regprocedure)") ==
        "edited in a test");
  CHECK(db.Scalar("SELECT sha256 FROM schema_functions WHERE name = '10_suppression.sql'") ==
        optin::Sha256Hex(edited.functions[0].sql));
  // Back to the shipped file: applied again (CREATE OR REPLACE keeps the comment; the record
  // moves).
  auto back = optin::ApplySchema(db.url(), files);
  REQUIRE(back.ok());
  CHECK(back->functions_applied == 1);
}

TEST_CASE("an edited applied migration stops migrate, naming the file, and changes nothing",
          "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  auto files = Embedded();
  REQUIRE(optin::ApplySchema(db.url(), files).ok());
  auto edited = files;
  auto& v003 = edited.migrations[2];
  REQUIRE(v003.name == "V003__privacy_requests.sql");
  v003.sql += "\nCREATE TABLE edited_afterwards (id int);\n";
  // A function file changed as well: it must not be applied when migrate refuses.
  edited.functions[0].sql += "\n-- changed\n";
  auto report = optin::ApplySchema(db.url(), edited);
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().code() == optin::StatusCode::kInternal);
  CHECK_THAT(report.status().message(), Catch::Contains("V003__privacy_requests.sql") &&
                                            Catch::Contains("edited after it was applied"));
  CHECK(db.Scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'edited_afterwards'") == "0");
  CHECK(db.Scalar("SELECT sha256 FROM schema_migrations WHERE version = 3") ==
        optin::Sha256Hex(files.migrations[2].sql));
  CHECK(db.Scalar("SELECT sha256 FROM schema_functions WHERE name = '10_suppression.sql'") ==
        optin::Sha256Hex(files.functions[0].sql));
  // The shipped files still migrate.
  CHECK(optin::ApplySchema(db.url(), files).ok());
}

TEST_CASE("a database migrated by the old V001-V009 upgrades cleanly", "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  MigrateLikeBeforeChecksums(db);
  // The old 16-argument signup (with p_domain) exists, as on a deployed database.
  CHECK(db.Scalar("SELECT pronargs FROM pg_proc WHERE proname = 'optin_signup'") == "16");
  auto files = Embedded();
  auto report = optin::ApplySchema(db.url(), files);
  REQUIRE(report.ok());
  CHECK(report->migrations_applied == static_cast<int>(files.migrations.size()) - 9);
  CHECK(report->functions_applied == static_cast<int>(files.functions.size()));
  // Checksums backfilled from the files as shipped now (V006, V007, V009 without their bodies).
  CHECK(db.Scalar("SELECT count(*) FROM schema_migrations WHERE sha256 IS NULL") == "0");
  CHECK(db.Scalar("SELECT sha256 FROM schema_migrations WHERE version = 6") ==
        optin::Sha256Hex(files.migrations[5].sql));
  // One signup function, the current one, and it works.
  CHECK(db.Scalar(
            "SELECT string_agg(pronargs::text, ',') FROM pg_proc WHERE proname = 'optin_signup'") ==
        "15");
  CHECK(db.Scalar(SignupCall("upgraded@example.com")) == "mail_queued");
  db.Exec(
      "INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('example.org', true)");
  CHECK(db.Scalar(SignupCall("someone@mail.example.org")) == "suppressed");
  auto again = optin::ApplySchema(db.url(), files);
  REQUIRE(again.ok());
  CHECK(again->migrations_applied == 0);
  CHECK(again->functions_applied == 0);
}

TEST_CASE("concurrent migrations do not corrupt the schema", "[migrations][db]") {
  TestDatabase db(/*migrated=*/false);
  std::vector<std::future<optin::Result<int>>> runs;
  for (int i = 0; i < 4; ++i) {
    runs.push_back(std::async(std::launch::async, [&] { return optin::Migrate(db.url()); }));
  }
  int applied = 0;
  for (auto& r : runs) {
    auto result = r.get();
    REQUIRE(result.ok());
    applied += *result;
  }
  auto all = optin::EmbeddedMigrations();
  CHECK(applied == static_cast<int>(all->size()));
  CHECK(db.Scalar("SELECT count(*) FROM lists") == "1");
}

TEST_CASE("a migration file name without a version is rejected", "[migrations]") {
  // The embedded set is well-formed; this checks that versions are unique and ascending.
  auto all = optin::EmbeddedMigrations();
  REQUIRE(all.ok());
  for (size_t i = 1; i < all->size(); ++i) CHECK((*all)[i - 1].version < (*all)[i].version);
}

TEST_CASE("consent events cannot be updated", "[migrations][db]") {
  TestDatabase db;
  db.Exec("INSERT INTO consent_events (email_hash, kind) VALUES ('x', 'signup_requested')");
  CHECK_THROWS(db.Exec("UPDATE consent_events SET email_hash = 'y'"));
  CHECK(db.Scalar("SELECT email_hash FROM consent_events") == "x");
}

TEST_CASE("no subscriptions index is partial on status, and pending means open",
          "[migrations][db]") {
  TestDatabase db;
  // An index "WHERE status = 'pending'" matched the guard of "WHERE id = $1 AND status =
  // 'pending'" (signup, confirmation), and the planner walked all pending rows instead of using
  // the primary key (V008). Partial indexes must use a predicate those statements do not imply.
  CHECK(db.Scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'subscriptions' "
                  "AND indexdef ~* 'WHERE.*status = ''pending'''") == "0");
  CHECK(db.Scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'subscriptions_open_age'") ==
        "1");
  db.Exec("INSERT INTO subscribers (email, email_hash) VALUES ('a@example.com', 'h')");
  CHECK_THROWS(db.Exec(
      "INSERT INTO subscriptions (subscriber_id, list_id, language, status, unsubscribed_at) "
      "SELECT id, 1, 'de', 'pending', now() FROM subscribers"));
  CHECK(db.Scalar("SELECT count(*) FROM subscriptions") == "0");
}
