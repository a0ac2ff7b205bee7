// The suppression rule (sql/functions/10_suppression.sql, optin_suppressed) and the bulk check's
// two halves in C++ (SuppressionStore::CheckHashes for address entries, DomainBlocked for domain
// blocks), held to the same table of cases: the bulk check splits the rule for speed, so this is
// what keeps the two from drifting apart.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "service/base/crypto.h"
#include "service/domain/address.h"
#include "storage/suppression_store.h"
#include "tests/support/test_db.h"

using namespace optin;
using namespace optin::test;

namespace {

struct DomainCase {
  const char* what;
  const char* address;              // as the caller passes it (normally normalised)
  std::vector<const char*> blocks;  // "example.com" (exact) or "*.example.com" (with subdomains)
  bool blocked;
};

const std::vector<DomainCase> kDomainCases = {
    {"exact domain", "a@example.com", {"example.com"}, true},
    {"exact block, subdomain", "a@mail.example.com", {"example.com"}, false},
    {"subdomain block, subdomain", "a@mail.example.com", {"*.example.com"}, true},
    {"subdomain block, deeper subdomain", "a@x.y.example.com", {"*.example.com"}, true},
    {"subdomain block, the domain itself", "a@example.com", {"*.example.com"}, true},
    {"parent of a blocked domain", "a@example.com", {"*.mail.example.com"}, false},
    {"parent of an exact block", "a@example.com", {"mail.example.com"}, false},
    {"same suffix, no dot", "a@badexample.com", {"*.example.com"}, false},
    {"other top-level domain", "a@example.org", {"example.com"}, false},
    {"one of several blocks", "a@mail.example.net", {"example.com", "*.example.net"}, true},
    {"no blocks", "a@example.com", {}, false},
    {"address in upper case", "a@Mail.EXAMPLE.com", {"*.example.com"}, true},
    {"block stored in upper case", "a@example.com", {"EXAMPLE.COM"}, true},
    {"trailing dot", "a@example.com.", {"example.com"}, true},
    {"trailing dot, subdomain block", "a@mail.example.com.", {"*.example.com"}, true},
    {"IDN in punycode", "a@xn--mnchen-3ya.de", {"xn--mnchen-3ya.de"}, true},
    {"IDN subdomain in punycode", "a@post.xn--mnchen-3ya.de", {"*.xn--mnchen-3ya.de"}, true},
    // Callers pass normalised addresses (punycode): a UTF-8 domain is not decoded by either.
    {"IDN not normalised", "a@m\xc3\xbcnchen.de", {"xn--mnchen-3ya.de"}, false},
    {"address without @", "example.com", {"example.com"}, false},
    {"address with an empty domain", "a@", {"example.com"}, false},
};

// The rule as SQL states it, for `address` under the domain blocks now in the table.
bool SqlSuppressed(const TestDatabase& db, const std::string& address, const std::string& hash,
                   const std::string& list_id) {
  pqxx::connection conn(db.url());
  pqxx::nontransaction n(conn);
  return n
      .exec_params1("SELECT optin_suppressed($1, $2, $3::bigint)", address, hash,
                    list_id.empty() ? nullptr : list_id.c_str())[0]
      .as<bool>();
}

}  // namespace

TEST_CASE("domain blocks: the SQL rule and DomainBlocked agree on every case",
          "[suppressions][db]") {
  TestDatabase db;
  for (const auto& c : kDomainCases) {
    CAPTURE(c.what, c.address);
    db.Exec("DELETE FROM domain_suppressions");
    std::vector<DomainSuppression> blocks;
    for (std::string b : c.blocks) {
      DomainSuppression d;
      d.include_subdomains = b.rfind("*.", 0) == 0;
      d.domain = d.include_subdomains ? b.substr(2) : b;
      blocks.push_back(d);
      db.Exec("INSERT INTO domain_suppressions (domain, include_subdomains) VALUES ('" + d.domain +
              "', " + (d.include_subdomains ? "true" : "false") + ")");
    }
    CHECK(SqlSuppressed(db, c.address, Sha256Hex(c.address), "") == c.blocked);
    CHECK(DomainBlocked(AddressDomain(c.address), blocks) == c.blocked);
  }
}

TEST_CASE("address entries: the SQL rule and the bulk check agree on every scope",
          "[suppressions][db]") {
  TestDatabase db;
  db.Exec("INSERT INTO lists (slug, name) VALUES ('other', 'Other')");
  std::string newsletter = db.Scalar("SELECT id FROM lists WHERE slug = 'newsletter'");
  std::string other = db.Scalar("SELECT id FROM lists WHERE slug = 'other'");
  auto entry = [&](const std::string& address, const std::string& list, bool erased) {
    db.Exec("INSERT INTO suppressions (email_hash, email, list_id, reason, source) VALUES ('" +
            Sha256Hex(address) + "', " + (erased ? "NULL" : "'" + address + "'") + ", " +
            (list.empty() ? "NULL" : list) + ", 'test', 'admin')");
  };
  entry("global@example.com", "", false);
  entry("newsletter@example.com", newsletter, false);
  entry("erased@example.com", "", true);  // after an erasure only the hash is left
  struct Case {
    const char* address;
    std::string list;  // "" = global entries only
    bool blocked;
  };
  const std::vector<Case> cases = {
      {"global@example.com", "", true},
      {"global@example.com", newsletter, true},
      {"newsletter@example.com", newsletter, true},
      {"newsletter@example.com", other, false},
      {"newsletter@example.com", "", false},
      {"erased@example.com", newsletter, true},
      {"free@example.com", newsletter, false},
  };
  auto pool = db.MakePool(2);
  SuppressionStore store(*pool);
  for (const auto& c : cases) {
    CAPTURE(c.address, c.list);
    std::string hash = Sha256Hex(c.address);
    CHECK(SqlSuppressed(db, c.address, hash, c.list) == c.blocked);
    auto hits = store.CheckHashes({hash}, c.list.empty() ? 0 : std::stoll(c.list));
    REQUIRE(hits.ok());
    CHECK(hits->empty() == !c.blocked);
  }
}

TEST_CASE("the SQL rule probes the domain index, not every blocked domain", "[suppressions][db]") {
  TestDatabase db;
  db.Exec(
      "INSERT INTO domain_suppressions (domain, include_subdomains) "
      "SELECT 'd' || i || '.example.net', i % 2 = 0 FROM generate_series(1, 5000) i");
  db.Exec("ANALYZE domain_suppressions");
  // The domain half of the function's body, planned as the function plans it (a parameter).
  pqxx::connection conn(db.url());
  pqxx::nontransaction n(conn);
  std::string body =
      n.exec1("SELECT prosrc FROM pg_proc WHERE proname = 'optin_suppressed'")[0].c_str();
  auto from = body.find("EXISTS (SELECT 1 FROM domain_suppressions");
  REQUIRE(from != std::string::npos);
  std::string domain_half = body.substr(from, body.rfind(')') + 1 - from);
  for (size_t at; (at = domain_half.find("p_email")) != std::string::npos;)
    domain_half.replace(at, 7, "$1");
  n.exec("SET plan_cache_mode = force_generic_plan");
  n.exec("PREPARE domain_half(text) AS SELECT " + domain_half);
  std::string plan;
  for (const auto& row : n.exec("EXPLAIN EXECUTE domain_half('a@x.d6.example.net')"))
    plan += row[0].c_str() + std::string("\n");
  CAPTURE(plan);
  CHECK(plan.find("Index Scan using domain_suppressions_lower_domain") != std::string::npos);
  CHECK(plan.find("Seq Scan on domain_suppressions") == std::string::npos);
  CHECK(n.exec1("EXECUTE domain_half('a@x.d6.example.net')")[0].as<bool>());
  CHECK_FALSE(n.exec1("EXECUTE domain_half('a@x.d5.example.net')")[0].as<bool>());
}

// Blocking a domain ends the subscriptions of exactly the addresses optin_suppressed then blocks,
// whatever their case or trailing dot (the query once compared split_part, case-sensitively).
TEST_CASE("a new domain block ends the subscriptions the SQL rule blocks", "[suppressions][db]") {
  struct Case {
    const char* block;  // as kDomainCases: "*.example.com" = with subdomains
    const char* address;
    bool ended;
  };
  const Case cases[] = {
      {"example.com", "a@example.com", true},        {"example.com", "a@Example.COM", true},
      {"EXAMPLE.com", "a@example.com", true},        {"example.com", "a@example.com.", true},
      {"example.com", "a@mail.example.com", false},  {"*.example.com", "a@Mail.Example.com", true},
      {"*.example.com", "a@x.y.EXAMPLE.com.", true}, {"*.example.com", "a@example.com", true},
      {"*.example.com", "a@badexample.com", false},  {"*.mail.example.com", "a@example.com", false},
      {"example.com", "a@example.org", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.block, c.address);
    TestDatabase db;
    const std::string list = db.Scalar("SELECT id FROM lists WHERE slug = 'newsletter'");
    const std::string subscriber =
        db.Scalar("INSERT INTO subscribers (email, email_hash) VALUES ('" + std::string(c.address) +
                  "', '" + Sha256Hex(c.address) + "') RETURNING id");
    db.Exec("INSERT INTO subscriptions (subscriber_id, list_id, status, language) VALUES (" +
            subscriber + ", " + list + ", 'pending', 'de')");
    DomainSuppression d;
    std::string b = c.block;
    d.include_subdomains = b.rfind("*.", 0) == 0;
    d.domain = d.include_subdomains ? b.substr(2) : b;
    auto pool = db.MakePool(1);
    SuppressionStore store(*pool);
    auto counts = store.AddDomain(d, "test");
    REQUIRE(counts.ok());
    CHECK(SqlSuppressed(db, c.address, Sha256Hex(c.address), list) == c.ended);
    CHECK(counts->subscriptions == (c.ended ? 1 : 0));
    CHECK(db.Scalar("SELECT status FROM subscriptions WHERE subscriber_id = " + subscriber) ==
          (c.ended ? "unsubscribed" : "pending"));
  }
}
