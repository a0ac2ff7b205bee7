#include "tests/support/pg_cluster.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <pqxx/pqxx>

#include "tests/support/process.h"

namespace optin::test {
namespace {

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[256];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  int rc = pclose(p);
  INFO(cmd << "\n" << out);
  REQUIRE(rc == 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

const std::string kScripts = std::string(OPTIN_SOURCE_DIR) + "/scripts/";

}  // namespace

PgCluster::PgCluster() {
  dir_ = MakeTempDir("pgcluster");
  Shell("chmod 755 " + dir_);
  port_ = std::stoi(Shell(kScripts + "free-port.sh"));
  Start();
}

PgCluster::~PgCluster() {
  std::system((kScripts + "pg-cluster.sh stop " + dir_ + " >/dev/null 2>&1").c_str());
}

void PgCluster::Start() {
  Shell(kScripts + "pg-cluster.sh start " + dir_ + " " + std::to_string(port_) + " 2>&1");
}
void PgCluster::Stop() { Shell(kScripts + "pg-cluster.sh stop " + dir_ + " 2>&1"); }

std::string PgCluster::Url(const std::string& db) const {
  return "postgresql://optin@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

void PgCluster::CreateDatabase(const std::string& db) const {
  pqxx::connection conn(Url());
  pqxx::nontransaction n(conn);
  n.exec("CREATE DATABASE " + db);
}

}  // namespace optin::test
