#include "storage/metrics_store.h"

#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kOutboxGauges("outbox-gauges");
}  // namespace

Result<OutboxGauges> ReadOutboxGauges(ConnectionPool& pool) {
  OutboxGauges g;
  Status s = RunTransaction(pool, [&](pqxx::work& txn) {
    pqxx::row row = txn.exec_prepared1(kOutboxGauges);
    g.mail_waiting = row["mail_waiting"].as<int64_t>();
    g.mail_dead = row["mail_dead"].as<int64_t>();
    g.mail_oldest_due_seconds = row["mail_oldest_due_seconds"].as<double>();
    g.sync_waiting = row["sync_waiting"].as<int64_t>();
    g.sync_dead = row["sync_dead"].as<int64_t>();
    g.sync_oldest_seconds = row["sync_oldest_seconds"].as<double>();
    g.unsubscribe_pending_oldest_seconds = row["unsubscribe_pending_oldest_seconds"].as<double>();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return g;
}

}  // namespace optin
