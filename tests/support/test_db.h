// Throwaway databases on the PostgreSQL that scripts/test.sh started (OPTIN_TEST_DATABASE_URL).
// Each TestDatabase is a fresh database, dropped on destruction. One per test; not shared.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "storage/pool.h"

namespace optin::test {

// The server URL (database `postgres`); fails the test when the variable is unset.
std::string ServerUrl();
// `url` with its database replaced by `db`.
std::string UrlForDatabase(const std::string& url, const std::string& db);

class TestDatabase {
 public:
  // Creates an empty database; `migrated` applies the embedded migrations.
  explicit TestDatabase(bool migrated = true);
  ~TestDatabase();
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  // A pool over this database with every named query prepared.
  std::unique_ptr<ConnectionPool> MakePool(int size = 4) const;
  // Runs SQL (for test set-up and assertions only); returns the first column of the first row,
  // or "" when there is none.
  std::string Scalar(const std::string& sql) const;
  void Exec(const std::string& sql) const;

 private:
  std::string name_;
  std::string url_;
};

}  // namespace optin::test
