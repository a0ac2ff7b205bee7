// A private PostgreSQL cluster for tests that stop and start the server (so that other tests
// running in parallel on the shared cluster are not disturbed). Uses scripts/pg-cluster.sh.
// One per test.
#pragma once

#include <string>

namespace optin::test {

class PgCluster {
 public:
  PgCluster();   // initdb + start on a free port
  ~PgCluster();  // stop
  void Stop();
  void Start();
  // URL of database `db` (created by CreateDatabase, or "postgres").
  std::string Url(const std::string& db = "postgres") const;
  void CreateDatabase(const std::string& db) const;

 private:
  std::string dir_;
  int port_ = 0;
};

}  // namespace optin::test
