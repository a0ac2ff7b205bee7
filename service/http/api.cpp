#include "service/http/api.h"

#include "service/http/admin_import.h"
#include "service/http/admin_proof.h"
#include "service/http/admin_routes.h"
#include "service/http/ops_routes.h"
#include "service/http/pow_routes.h"
#include "service/http/privacy_routes.h"
#include "service/http/public_routes.h"
#include "service/http/request_observer.h"
#include "service/http/server.h"
#include "service/http/sync_routes.h"

namespace optin::http {

class Api::Server : public HttpServer {
 public:
  using HttpServer::HttpServer;
};

Api::Api(ApiDeps d) : server_(std::make_unique<Server>(d.config)) {
  const Config& c = d.config;
  HttpServer& s = *server_;
  s.SetObserver(MakeRequestObserver(d.metrics, c.ip_mode));
  // The admin token is checked on the head: a body without it is never read (nor buffered).
  s.GuardPrefix("/admin/", [&c](const httplib::Request& req) { return CheckAdminToken(c, req); });
  RegisterOpsRoutes(s, d.pool);
  RegisterMetricsRoute(s, d.metrics);
  RegisterPublicRoutes(s, PublicDeps{c, d.subscriptions, d.per_client, d.pow});
  RegisterPowRoutes(s, d.pow);
  RegisterAdminRoutes(s, AdminDeps{c, d.subscriptions, d.lists, d.suppressions, d.subscribers});
  RegisterPrivacyRoutes(s, PrivacyDeps{c, d.privacy, d.subscriptions, d.per_client, d.pow});
  RegisterImportRoutes(s, ImportDeps{c, d.subscriptions, d.imports});
  RegisterSyncRoutes(s, c, d.sync_outbox);
  RegisterProofRoutes(s, c, d.pool);
}

Api::~Api() = default;

Result<int> Api::Bind() { return server_->Bind(); }
void Api::Serve() { server_->Serve(); }
void Api::Stop() { server_->Stop(); }

std::vector<std::pair<std::string, std::string>> Api::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : server_->routes()) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace optin::http
