#include "service/app.h"

#include "service/http/admin_routes.h"
#include "service/http/ops_routes.h"
#include "service/http/public_routes.h"
#include "service/http/request_observer.h"
#include "service/http/server.h"
#include "service/log.h"
#include "service/mailer.h"
#include "service/metrics.h"
#include "service/ops_metrics.h"
#include "service/rate_limiter.h"
#include "service/subscription_service.h"
#include "storage/list_store.h"
#include "storage/pool.h"
#include "storage/queries.h"
#include "storage/subscriber_store.h"
#include "storage/subscription_store.h"
#include "storage/suppression_store.h"

namespace optin {

struct App::Parts {
  MetricsRegistry metrics;  // first: the others hold references into it
  std::unique_ptr<ConnectionPool> pool;
  std::unique_ptr<ListStore> lists;
  std::unique_ptr<SubscriptionStore> subscription_store;
  std::unique_ptr<SuppressionStore> suppressions;
  std::unique_ptr<SubscriberStore> subscribers;
  std::unique_ptr<SubscriptionService> subscriptions;
  std::unique_ptr<RateLimiter> per_client;
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
  p.lists = std::make_unique<ListStore>(*p.pool);
  p.subscription_store = std::make_unique<SubscriptionStore>(*p.pool);
  p.suppressions = std::make_unique<SuppressionStore>(*p.pool);
  p.subscribers = std::make_unique<SubscriberStore>(*p.pool);
  p.subscriptions = std::make_unique<SubscriptionService>(c, *p.lists, *p.subscription_store, &p.metrics);
  p.per_client = std::make_unique<RateLimiter>(c.rate_limit);

  p.server = std::make_unique<http::HttpServer>(c);
  p.server->SetObserver(http::MakeRequestObserver(p.metrics, c.ip_mode));
  http::RegisterOpsRoutes(*p.server, *p.pool);
  http::RegisterMetricsRoute(*p.server, p.metrics);
  http::RegisterPublicRoutes(*p.server, http::PublicDeps{c, *p.subscriptions, *p.per_client});
  http::RegisterAdminRoutes(*p.server, http::AdminDeps{c, *p.subscriptions, *p.lists, *p.suppressions, *p.subscribers});
  p.mail_outbox = std::make_unique<MailOutboxStore>(*p.pool, MailRetryPolicy{c.mail_retry_base});
  auto mailer = std::make_unique<Mailer>(*p.mail_outbox, MakeMailSender(c), c.mail_from,
                                         std::make_unique<NotificationListener>(c.database_url, "optin_mail"));
  AddOperationsCollectors(p.metrics, *p.pool, &mailer->counters());
  p.workers.push_back(std::move(mailer));
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

std::vector<std::pair<std::string, std::string>> App::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : parts_->server->routes()) out.emplace_back(r.method, r.pattern);
  return out;
}

void App::Stop() {
  stop_.Stop();
  parts_->server->Stop();
}

}  // namespace optin
