#include "tests/support/test_db.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <pqxx/pqxx>

#include "service/base/crypto.h"
#include "storage/migrations.h"
#include "storage/queries.h"

namespace optin::test {

std::string ServerUrl() {
  const char* url = std::getenv("OPTIN_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    FAIL("OPTIN_TEST_DATABASE_URL is not set: run the tests through scripts/test.sh");
  }
  return url;
}

std::string UrlForDatabase(const std::string& url, const std::string& db) {
  auto q = url.find('?');
  std::string base = url.substr(0, q);
  std::string rest = q == std::string::npos ? "" : url.substr(q);
  auto slash = base.rfind('/');
  return base.substr(0, slash + 1) + db + rest;
}

TestDatabase::TestDatabase(bool migrated) {
  name_ = "t_" + HexEncode(RandomBytes(8));
  {
    pqxx::connection conn(ServerUrl());
    pqxx::nontransaction n(conn);
    n.exec("CREATE DATABASE " + name_);
  }
  url_ = UrlForDatabase(ServerUrl(), name_);
  if (migrated) {
    auto applied = Migrate(url_);
    REQUIRE(applied.ok());
  }
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection conn(ServerUrl());
    pqxx::nontransaction n(conn);
    n.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
    // The server may have been stopped by the test; the cluster is thrown away anyway.
  }
}

std::unique_ptr<ConnectionPool> TestDatabase::MakePool(int size) const {
  auto queries = LoadNamedQueries();
  REQUIRE(queries.ok());
  return std::make_unique<ConnectionPool>(url_, size, std::chrono::seconds(5), *queries);
}

std::string TestDatabase::Scalar(const std::string& sql) const {
  pqxx::connection conn(url_);
  pqxx::nontransaction n(conn);
  auto r = n.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].c_str();
}

void TestDatabase::Exec(const std::string& sql) const {
  pqxx::connection conn(url_);
  pqxx::nontransaction n(conn);
  n.exec(sql);
}

}  // namespace optin::test
