// Scrape-time gauges for GET /metrics read from PostgreSQL (sql/queries/metrics.sql): outbox
// depths, dead letters and ages, in one round trip on a pooled connection. Stateless; safe for
// concurrent use.
#pragma once

#include <cstdint>

#include "service/base/status.h"

namespace optin {

class ConnectionPool;

struct OutboxGauges {
  int64_t mail_waiting = 0;            // not yet sent, due or not
  int64_t mail_dead = 0;               // given up
  double mail_oldest_due_seconds = 0;  // how long the longest-waiting due mail is overdue
  int64_t sync_waiting = 0;            // not yet sent to CleverReach
  int64_t sync_dead = 0;               // dead letters
  double sync_oldest_seconds = 0;      // age of the oldest waiting item
  double unsubscribe_pending_oldest_seconds = 0;  // oldest withdrawal not yet at CleverReach
};

// Unavailable when the database cannot be reached.
Result<OutboxGauges> ReadOutboxGauges(ConnectionPool& pool);

}  // namespace optin
