#include "service/app.h"

#include "service/http/ops_routes.h"
#include "service/http/server.h"
#include "service/log.h"
#include "service/mailer.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {

struct App::Parts {
  std::unique_ptr<ConnectionPool> pool;
  std::unique_ptr<MailOutboxStore> mail_outbox;
  std::unique_ptr<http::HttpServer> server;
  std::vector<std::unique_ptr<Worker>> workers;
};

App::App(const Config& config) : config_(config), parts_(std::make_unique<Parts>()) {}
App::~App() = default;

Result<std::unique_ptr<App>> App::Create(const Config& config) {
  auto queries = LoadNamedQueries();
  if (!queries.ok()) return queries.status();
  std::unique_ptr<App> app(new App(config));
  Parts& p = *app->parts_;
  const Config& c = app->config_;
  p.pool = std::make_unique<ConnectionPool>(c.database_url, c.db_pool_size, c.db_acquire_timeout,
                                            std::move(*queries));
  p.server = std::make_unique<http::HttpServer>(c);
  http::RegisterOpsRoutes(*p.server, *p.pool);
  p.mail_outbox = std::make_unique<MailOutboxStore>(*p.pool, MailRetryPolicy{c.mail_retry_base});
  p.workers.push_back(std::make_unique<Mailer>(
      *p.mail_outbox, MakeMailSender(c), c.mail_from,
      std::make_unique<NotificationListener>(c.database_url, "optin_mail")));
  return app;
}

int App::Serve() {
  Parts& p = *parts_;
  auto port = p.server->Bind();
  if (!port.ok()) {
    LogError("listen_failed", {{"error", port.status().message()}});
    return 1;
  }
  std::vector<std::thread> threads;
  for (auto& w : p.workers) {
    Worker* worker = w.get();
    threads.emplace_back([this, worker] {
      LogInfo("worker_started", {{"worker", worker->name()}});
      worker->Run(stop_);
      LogInfo("worker_stopped", {{"worker", worker->name()}});
    });
  }
  std::string host = config_.listen.host.find(':') != std::string::npos ? "[" + config_.listen.host + "]"
                                                                          : config_.listen.host;
  LogInfo("listening on http://" + host + ":" + std::to_string(*port),
          {{"host", config_.listen.host}, {"port", *port}});
  p.server->Serve();
  stop_.Stop();
  for (auto& t : threads) t.join();
  LogInfo("stopped");
  return 0;
}

void App::Stop() {
  stop_.Stop();
  parts_->server->Stop();
}

}  // namespace optin
