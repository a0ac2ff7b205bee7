// docs/openapi.yaml stays in step with the routes App registers: every registered route is
// documented, and every documented route is registered — except those in kPlanned, which other
// branches are building. kPlanned must shrink to empty: a planned route that gets registered
// fails this test until it is removed from the list.
#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "service/base/config.h"
#include "service/wiring/app.h"

namespace {

using Route = std::pair<std::string, std::string>;  // (METHOD, template)

const std::set<Route> kPlanned = {};

// The (method, path) pairs under `paths:`: paths indented two spaces, methods four.
std::set<Route> DocumentedRoutes(const std::string& file) {
  std::ifstream in(file);
  REQUIRE(in);
  std::set<Route> routes;
  std::string line, path;
  bool in_paths = false;
  const std::set<std::string> methods = {"get", "post", "put", "delete", "patch"};
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = line == "paths:";
    if (!in_paths) continue;
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
    } else if (line.rfind("    ", 0) == 0 && line[4] != ' ' && line.back() == ':') {
      std::string method = line.substr(4, line.size() - 5);
      if (methods.count(method)) {
        for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        routes.emplace(method, path);
      }
    }
  }
  return routes;
}

std::set<Route> RegisteredRoutes() {
  auto config = optin::LoadConfig({{"OPTIN_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"},
                                   {"OPTIN_SECRET", "openapi-test-secret-0123456789-0123456789"},
                                   {"OPTIN_ADMIN_TOKEN", "openapi-test-admin-token"},
                                   {"OPTIN_MAIL_DIR", "/tmp"}},
                                  true);
  REQUIRE(config.ok());
  auto app = optin::App::Create(*config);  // connects to nothing until it serves
  REQUIRE(app.ok());
  auto list = (*app)->Routes();
  return std::set<Route>(list.begin(), list.end());
}

}  // namespace

TEST_CASE("docs/openapi.yaml documents exactly the registered routes", "[openapi]") {
  auto documented = DocumentedRoutes(std::string(OPTIN_SOURCE_DIR) + "/docs/openapi.yaml");
  auto registered = RegisteredRoutes();
  REQUIRE(registered.size() >= 10);
  for (const auto& r : registered) {
    INFO("registered but not in docs/openapi.yaml: " << r.first << " " << r.second);
    CHECK(documented.count(r) == 1);
  }
  for (const auto& r : documented) {
    INFO("in docs/openapi.yaml but neither registered nor planned: " << r.first << " " << r.second);
    CHECK((registered.count(r) == 1 || kPlanned.count(r) == 1));
  }
  for (const auto& r : kPlanned) {
    INFO("planned route is registered now; remove it from kPlanned: " << r.first << " "
                                                                      << r.second);
    CHECK(registered.count(r) == 0);
    INFO("planned route missing from docs/openapi.yaml: " << r.first << " " << r.second);
    CHECK(documented.count(r) == 1);
  }
}
