// The real binary: command line, start-up, health, shutdown.
#include <httplib.h>

#include <catch2/catch.hpp>

#include "tests/support/pg_cluster.h"
#include "tests/support/process.h"
#include "tests/support/test_db.h"
#include "tests/support/wait.h"

using namespace optin::test;
using namespace std::chrono_literals;

TEST_CASE("optin --version, --help and usage errors", "[e2e][cli]") {
  Env env;
  auto version = RunOptin({"--version"}, env);
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("optin ", 0) == 0);
  auto help = RunOptin({"--help"}, env);
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("serve") != std::string::npos);
  CHECK(RunOptin({"serve", "--help"}, env).exit_code == 0);
  for (auto args : std::vector<std::vector<std::string>>{
           {}, {"--bogus"}, {"frobnicate"}, {"serve", "--once"}, {"migrate", "x"}}) {
    auto r = RunOptin(args, env);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 1 + (args.empty() ? 20 : 0));
  }
}

TEST_CASE("a bad configuration stops start-up naming the variable", "[e2e][cli]") {
  Env env = {{"OPTIN_DATABASE_URL", "postgresql://nowhere/x"}, {"OPTIN_SECRET", "short"}};
  auto r = RunOptin({"serve"}, env);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("OPTIN_SECRET") != std::string::npos);
  CHECK(r.err.find("short") == std::string::npos);
  env["OPTIN_SECRET"] = "0123456789abcdef0123456789abcdef";
  env["OPTIN_CONFIRM_TTL"] = "soon";
  r = RunOptin({"serve"}, env);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("OPTIN_CONFIRM_TTL") != std::string::npos);
}

TEST_CASE("optin migrate twice, then serve answers health checks and stops on SIGTERM",
          "[e2e][db]") {
  TestDatabase db(/*migrated=*/false);
  Env env = BaseEnv(db.url());
  auto first = RunOptin({"migrate"}, env);
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK(RunOptin({"migrate"}, env).out.find("applied 0") != std::string::npos);

  OptinProcess optin(env);
  optin.Start();
  int port = optin.WaitForPort();
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto ready = client.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  auto missing = client.Get("/nope");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(missing->body.find("\"error\"") != std::string::npos);
  CHECK(optin.Terminate() == 0);
  CHECK(optin.Log().find("\"stopped\"") != std::string::npos);
}

TEST_CASE("readyz answers 503 while PostgreSQL is down and 200 after", "[e2e][db]") {
  PgCluster cluster;
  cluster.CreateDatabase("optin");
  Env env = BaseEnv(cluster.Url("optin"));
  env["OPTIN_DB_TIMEOUT"] = "1s";
  OptinProcess optin(env);
  optin.Start();
  int port = optin.WaitForPort();
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5, 0);
  REQUIRE(client.Get("/readyz")->status == 200);
  cluster.Stop();
  auto start = std::chrono::steady_clock::now();
  auto down = client.Get("/readyz");
  REQUIRE(down);
  CHECK(down->status == 503);
  CHECK(down->body.find("\"unavailable\"") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < 4s);
  CHECK(client.Get("/healthz")->status == 200);
  cluster.Start();
  CHECK(WaitUntil(
      [&] {
        auto r = client.Get("/readyz");
        return r && r->status == 200;
      },
      20s));
  CHECK(optin.Terminate() == 0);
}
