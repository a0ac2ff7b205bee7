#include "service/app.h"

#include "service/http/admin_import.h"
#include "service/http/admin_routes.h"
#include "service/http/ops_routes.h"
#include "service/http/privacy_routes.h"
#include "service/http/public_routes.h"
#include "service/http/request_observer.h"
#include "service/http/server.h"
#include "service/http/sync_routes.h"
#include "service/links.h"
#include "service/log.h"
#include "service/mailer.h"
#include "service/metrics.h"
#include "service/ops_metrics.h"
#include "service/privacy_service.h"
#include "service/rate_limiter.h"
#include "service/retention.h"
#include "service/subscription_service.h"
#include "service/sync_worker.h"
#include "storage/import_store.h"
#include "storage/list_store.h"
#include "storage/pool.h"
#include "storage/privacy_store.h"
#include "storage/queries.h"
#include "storage/retention_store.h"
#include "storage/subscriber_store.h"
#include "storage/subscription_store.h"
#include "storage/suppression_store.h"
#include "storage/sync_outbox_store.h"

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
  std::unique_ptr<SyncOutboxStore> sync_outbox;
  std::unique_ptr<PrivacyStore> privacy_store;
  std::unique_ptr<PrivacyService> privacy;
  std::unique_ptr<ImportStore> import_store;
  std::unique_ptr<RetentionStore> retention;
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
  p.privacy_store = std::make_unique<PrivacyStore>(
      *p.pool, PrivacyStoreOptions{c.cleverreach_enabled(), c.unsubscribe_scope});
  p.privacy = std::make_unique<PrivacyService>(c, *p.privacy_store);
  http::RegisterPrivacyRoutes(*p.server, http::PrivacyDeps{c, *p.privacy, *p.subscriptions, *p.per_client});
  p.import_store = std::make_unique<ImportStore>(*p.pool);
  http::RegisterImportRoutes(*p.server, http::ImportDeps{c, *p.subscriptions, *p.import_store});
  p.mail_outbox = std::make_unique<MailOutboxStore>(*p.pool, MailRetryPolicy{c.mail_retry_base});
  auto mailer = std::make_unique<Mailer>(*p.mail_outbox, MakeMailSender(c), c.mail_from,
                                         std::make_unique<NotificationListener>(c.database_url, "optin_mail"));
  AddOperationsCollectors(p.metrics, *p.pool, &mailer->counters());
  p.workers.push_back(std::move(mailer));

  p.sync_outbox = std::make_unique<SyncOutboxStore>(*p.pool);
  http::RegisterSyncRoutes(*p.server, c, *p.sync_outbox);
  if (c.cleverreach_enabled()) {
    auto sync = std::make_unique<SyncWorker>(
        c, *p.sync_outbox, *p.suppressions, std::make_unique<cleverreach::CleverReachClient>(c),
        [&c](int64_t id) { return UnsubscribeUrl(c, id); },
        std::make_unique<NotificationListener>(c.database_url, "optin_sync"));
    const SyncCounters* counters = &sync->counters();
    p.metrics.AddCollector([counters](MetricsWriter& out) {
      out.Counter("optin_sync_calls_total", "CleverReach API calls made.", counters->calls.load());
      out.Counter("optin_sync_errors_total", "CleverReach API calls that failed.", counters->errors.load());
      out.Counter("optin_sync_delivered_total", "Outbox rows CleverReach has learnt.", counters->delivered.load());
      out.Counter("optin_sync_dead_letters_total", "Outbox rows given up on (dead letters).", counters->dead.load());
      out.Counter("optin_sync_pulled_unsubscribes_total", "Unsubscribes made at CleverReach applied here.",
                  counters->pulled.load());
    });
    p.workers.push_back(std::move(sync));
  } else {
    LogInfo("cleverreach_sync_off", {{"reason", "OPTIN_CLEVERREACH_CLIENT_ID / _SECRET are unset"}});
  }
  p.retention = std::make_unique<RetentionStore>(*p.pool);
  p.workers.push_back(std::make_unique<RetentionWorker>(*p.retention, RetentionRulesFrom(c)));
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
