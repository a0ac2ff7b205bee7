#include "service/wiring/ops_metrics.h"

#include "service/app/mailer.h"
#include "storage/database.h"
#include "storage/metrics_store.h"

namespace optin {

void AddOperationsCollectors(MetricsRegistry& metrics, ConnectionPool& pool,
                             const MailerCounters* mailer) {
  metrics.AddCollector([](MetricsWriter& out) {
    out.Gauge("optin_build_info", "Always 1; the version of this optin binary.", 1,
              {{"version", OPTIN_VERSION}});
  });
  metrics.AddCollector([mailer](MetricsWriter& out) {
    auto read = [mailer](const std::atomic<uint64_t> MailerCounters::*field) {
      return mailer == nullptr ? 0.0 : static_cast<double>((mailer->*field).load());
    };
    out.Counter("optin_mails_sent_total", "Mails accepted by the SMTP server (or written as .eml).",
                read(&MailerCounters::sent));
    out.Counter("optin_mails_failed_total", "Failed mail delivery attempts (each retry counts).",
                read(&MailerCounters::failed));
    out.Counter("optin_mails_dead_total", "Mails given up after permanent rejections.",
                read(&MailerCounters::dead));
    out.Counter("optin_mails_dropped_total",
                "Confirmation mails deleted unsent because the address is suppressed.",
                read(&MailerCounters::dropped_suppressed));
  });
  metrics.AddCollector([&pool](MetricsWriter& out) {
    PoolStats stats = StatsOf(pool);
    out.Gauge("optin_db_pool_size", "Configured PostgreSQL connections in the pool.", stats.size);
    out.Gauge("optin_db_pool_in_use", "Pooled connections leased right now.", stats.in_use);
    out.Gauge("optin_db_pool_waiting", "Threads waiting for a pooled connection.", stats.waiting);
  });
  metrics.AddCollector([&pool](MetricsWriter& out) {
    auto g = ReadOutboxGauges(pool);
    out.Gauge("optin_outbox_query_up",
              "1 when the outbox gauges below could be read from the database.", g.ok() ? 1 : 0);
    if (!g.ok()) return;
    out.Gauge("optin_mail_outbox_depth", "Mails waiting to be sent (due or not).",
              static_cast<double>(g->mail_waiting));
    out.Gauge("optin_mail_outbox_dead", "Mails given up and kept for inspection.",
              static_cast<double>(g->mail_dead));
    out.Gauge("optin_mail_outbox_oldest_due_seconds",
              "How long the longest-waiting due mail is overdue.", g->mail_oldest_due_seconds);
    out.Gauge("optin_sync_outbox_depth", "Changes waiting to be sent to CleverReach.",
              static_cast<double>(g->sync_waiting));
    out.Gauge("optin_sync_outbox_oldest_seconds",
              "Age of the oldest change waiting for CleverReach.", g->sync_oldest_seconds);
    out.Gauge(
        "optin_sync_outbox_dead",
        "CleverReach upserts given up after 10 attempts (dead letters; withdrawals never die).",
        static_cast<double>(g->sync_dead));
    out.Gauge("optin_unsubscribe_pending_oldest_seconds",
              "Age of the oldest withdrawal (deactivation, blacklist entry, deletion) CleverReach "
              "has not acknowledged; 0 when none. Must stay under 48 hours.",
              g->unsubscribe_pending_oldest_seconds);
  });
}

}  // namespace optin
