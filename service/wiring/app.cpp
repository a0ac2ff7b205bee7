#include "service/wiring/app.h"

#include "service/app/mailer.h"
#include "service/app/privacy_service.h"
#include "service/app/proof_of_work.h"
#include "service/app/retention.h"
#include "service/app/subscription_service.h"
#include "service/app/sync_worker.h"
#include "service/base/log.h"
#include "service/base/metrics.h"
#include "service/domain/rate_limiter.h"
#include "service/http/api.h"
#include "service/wiring/ops_metrics.h"
#include "service/wiring/parts.h"
#include "storage/import_store.h"
#include "storage/list_store.h"
#include "storage/mail_outbox_store.h"
#include "storage/notification_listener.h"
#include "storage/pow_store.h"
#include "storage/privacy_store.h"
#include "storage/retention_store.h"
#include "storage/subscriber_store.h"
#include "storage/subscription_store.h"
#include "storage/suppression_store.h"
#include "storage/sync_outbox_store.h"

namespace optin {

struct App::Parts {
  MetricsRegistry metrics;  // first: the others hold references into it
  std::shared_ptr<ConnectionPool> pool;
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
  std::unique_ptr<PowStore> pow_store;
  std::unique_ptr<ProofOfWork> pow;
  std::unique_ptr<RetentionStore> retention;
  std::unique_ptr<http::Api> api;
  std::vector<std::unique_ptr<Worker>> workers;
};

App::App(const Config& config) : config_(config), parts_(std::make_unique<Parts>()) {}
App::~App() = default;

Result<std::unique_ptr<App>> App::Create(const Config& config) {
  std::unique_ptr<App> app(new App(config));
  Parts& p = *app->parts_;
  const Config& c = app->config_;
  auto pool = OpenConfiguredPool(c, c.db_pool_size);
  if (!pool.ok()) return pool.status();
  p.pool = std::move(*pool);
  ConnectionPool& db = *p.pool;
  p.lists = std::make_unique<ListStore>(db);
  p.subscription_store = std::make_unique<SubscriptionStore>(db);
  p.suppressions = std::make_unique<SuppressionStore>(db);
  p.subscribers = std::make_unique<SubscriberStore>(db);
  p.subscriptions =
      std::make_unique<SubscriptionService>(c, *p.lists, *p.subscription_store, &p.metrics);
  p.per_client = std::make_unique<RateLimiter>(c.rate_limit);
  p.privacy_store = std::make_unique<PrivacyStore>(
      db, PrivacyStoreOptions{c.cleverreach_enabled(), c.unsubscribe_scope});
  p.privacy = std::make_unique<PrivacyService>(c, *p.privacy_store);
  p.import_store = std::make_unique<ImportStore>(db);
  p.sync_outbox = std::make_unique<SyncOutboxStore>(db);
  p.pow_store = std::make_unique<PowStore>(db);
  p.pow = std::make_unique<ProofOfWork>(c, *p.pow_store);
  p.api = std::make_unique<http::Api>(
      http::ApiDeps{c, p.metrics, db, *p.subscriptions, *p.privacy, *p.per_client, *p.lists,
                    *p.suppressions, *p.subscribers, *p.import_store, *p.sync_outbox, *p.pow});

  p.mail_outbox = std::make_unique<MailOutboxStore>(db, MailRetryPolicy{c.mail_retry_base});
  auto mailer = std::make_unique<Mailer>(
      *p.mail_outbox, MakeMailSender(c), c.mail_from,
      std::make_unique<NotificationListener>(c.database_url, "optin_mail"));
  AddOperationsCollectors(p.metrics, db, &mailer->counters());
  p.workers.push_back(std::move(mailer));
  if (c.cleverreach_enabled()) {
    auto sync = MakeSyncWorker(c, *p.sync_outbox, *p.suppressions);
    AddSyncCollector(p.metrics, *sync);
    p.workers.push_back(std::move(sync));
  } else {
    LogInfo("cleverreach_sync_off",
            {{"reason", "OPTIN_CLEVERREACH_CLIENT_ID / _SECRET are unset"}});
  }
  p.retention = std::make_unique<RetentionStore>(db);
  p.workers.push_back(std::make_unique<RetentionWorker>(*p.retention, RetentionRulesFrom(c)));
  return app;
}

int App::Serve() {
  Parts& p = *parts_;
  // Whether the sync runs decides what the outbox may hold (nothing with an address when off);
  // recorded here, not in Create, which connects to nothing.
  if (Status s = p.sync_outbox->SetEnabled(config_.cleverreach_enabled()); !s.ok()) {
    LogError("sync_state_failed", {{"error", s.message()}});
    return 1;
  }
  auto port = p.api->Bind();
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
  std::string host = config_.listen.host.find(':') != std::string::npos
                         ? "[" + config_.listen.host + "]"
                         : config_.listen.host;
  LogInfo("listening on http://" + host + ":" + std::to_string(*port),
          {{"host", config_.listen.host}, {"port", *port}});
  p.api->Serve();
  stop_.Stop();
  for (auto& t : threads) t.join();
  LogInfo("stopped");
  return 0;
}

std::vector<std::pair<std::string, std::string>> App::Routes() const {
  return parts_->api->Routes();
}

void App::Stop() {
  stop_.Stop();
  parts_->api->Stop();
}

}  // namespace optin
