#include "storage/sync_outbox_store.h"

#include <stdexcept>

#include "storage/pg_array.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kClaim("sync-claim-due");
const QueryName kDelivered("sync-delivered");
const QueryName kFailed("sync-failed");
const QueryName kPostpone("sync-postpone");
const QueryName kNextDue("sync-next-due");
const QueryName kStateSuccess("sync-state-success");
const QueryName kStateError("sync-state-error");
const QueryName kStatePulled("sync-state-pulled");
const QueryName kStatus("sync-status");
const QueryName kDeadLetters("sync-dead-letters");
const QueryName kRetryDead("sync-retry-dead");
const QueryName kGroups("sync-groups");
const QueryName kSetEnabled("sync-state-set-enabled");
const QueryName kInboxInsert("inbox-insert");
const QueryName kInboxClaim("inbox-claim");
const QueryName kInboxDone("inbox-done");
const QueryName kInboxFailed("inbox-failed");

constexpr int kMaxInboxAttempts = 10;

SyncItem ItemFromRow(const pqxx::row& r) {
  SyncItem i;
  i.id = r[0].as<int64_t>();
  auto action = ParseSyncAction(r[1].c_str());
  // Unreachable while SyncAction mirrors the PostgreSQL type (tests/storage/sync_action_test.cpp);
  // RunTransaction turns it into an Internal status.
  if (!action) throw std::runtime_error("sync_action without a SyncAction value");
  i.action = *action;
  i.attempts = r[2].as<int>();
  i.email = r[3].c_str();
  i.email_hash = r[4].c_str();
  i.group_id = r[5].c_str();
  i.status = r[6].c_str();
  i.registered = r[7].as<int64_t>();
  i.activated = r[8].as<int64_t>();
  i.source = r[9].c_str();
  i.name = r[10].c_str();
  i.language = r[11].c_str();
  i.subscription_id = r[12].as<int64_t>();
  return i;
}

Status Exec(ConnectionPool& pool, const QueryName& q) {
  return RunTransaction(pool, [&](pqxx::work& txn) {
    txn.exec_prepared(q);
    return Status::Ok();
  });
}

}  // namespace

Result<int> SyncOutboxStore::ProcessDue(
    int limit,
    const std::function<std::vector<SyncOutcome>(const std::vector<SyncItem>&)>& deliver) {
  int claimed = 0;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    std::vector<SyncItem> items;
    for (const auto& row : txn.exec_prepared(kClaim, limit)) items.push_back(ItemFromRow(row));
    claimed = static_cast<int>(items.size());
    if (items.empty()) return Status::Ok();
    std::vector<SyncOutcome> outcomes = deliver(items);
    std::vector<int64_t> delivered;
    for (size_t i = 0; i < items.size() && i < outcomes.size(); ++i) {
      const auto& o = outcomes[i];
      switch (o.kind) {
        case SyncOutcome::Kind::kDelivered:
          delivered.push_back(items[i].id);
          break;
        case SyncOutcome::Kind::kRetry:
        case SyncOutcome::Kind::kDead:
          txn.exec_prepared(kFailed, items[i].id, static_cast<int64_t>(o.delay.count()),
                            o.kind == SyncOutcome::Kind::kDead, o.error.substr(0, 500));
          break;
        case SyncOutcome::Kind::kPostpone:
          txn.exec_prepared(kPostpone, items[i].id, static_cast<int64_t>(o.delay.count()));
          break;
      }
    }
    if (!delivered.empty()) txn.exec_prepared(kDelivered, PgIntArray(delivered));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return claimed;
}

Result<int64_t> SyncOutboxStore::NextDueInMs() {
  int64_t ms = -1;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    auto r = txn.exec_prepared1(kNextDue);
    ms = r[0].is_null() ? -1 : r[0].as<int64_t>();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ms;
}

Status SyncOutboxStore::SetEnabled(bool enabled) {
  return RunTransaction(pool_, [&](pqxx::work& txn) {
    txn.exec_prepared(kSetEnabled, enabled);
    return Status::Ok();
  });
}

Status SyncOutboxStore::RecordSuccess() { return Exec(pool_, kStateSuccess); }
Status SyncOutboxStore::RecordPull() { return Exec(pool_, kStatePulled); }

Status SyncOutboxStore::RecordError(const std::string& message) {
  return RunTransaction(pool_, [&](pqxx::work& txn) {
    txn.exec_prepared(kStateError, message.substr(0, 500));
    return Status::Ok();
  });
}

Result<SyncStatus> SyncOutboxStore::Snapshot() {
  SyncStatus st;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    auto r = txn.exec_prepared1(kStatus);
    st.queued = r[0].as<int64_t>();
    st.due = r[1].as<int64_t>();
    st.oldest_due_age_seconds = r[2].as<int64_t>();
    st.dead = r[3].as<int64_t>();
    st.last_success_at = r[4].c_str();
    st.last_error_at = r[5].c_str();
    st.last_error = r[6].c_str();
    st.last_pull_at = r[7].c_str();
    st.unsubscribe_pending_oldest_seconds = r[8].as<int64_t>();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return st;
}

Result<std::vector<DeadLetter>> SyncOutboxStore::DeadLetters() {
  std::vector<DeadLetter> out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out.clear();
    for (const auto& r : txn.exec_prepared(kDeadLetters)) {
      out.push_back(DeadLetter{r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(), r[3].as<int>(),
                               r[4].c_str(), r[5].c_str()});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> SyncOutboxStore::RetryDead(int64_t id) {
  int64_t n = 0;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    std::string id_text = std::to_string(id);
    n = static_cast<int64_t>(
        txn.exec_prepared(kRetryDead, id == 0 ? nullptr : id_text.c_str()).affected_rows());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return n;
}

Result<std::vector<std::string>> SyncOutboxStore::Groups() {
  std::vector<std::string> out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out.clear();
    for (const auto& r : txn.exec_prepared(kGroups)) out.push_back(r[0].c_str());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SyncOutboxStore::InboxAdd(const std::string& event, const std::string& group_id,
                                 const std::string& pool_id) {
  return RunTransaction(pool_, [&](pqxx::work& txn) {
    txn.exec_prepared(kInboxInsert, event, group_id, pool_id);
    return Status::Ok();
  });
}

Result<int> SyncOutboxStore::ProcessInbox(const std::function<bool(const InboxItem&)>& handle) {
  int n = 0;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    auto rows = txn.exec_prepared(kInboxClaim);
    n = static_cast<int>(rows.size());
    for (const auto& r : rows) {
      InboxItem item{r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(), r[3].as<int>()};
      if (handle(item) || item.attempts + 1 >= kMaxInboxAttempts) {
        txn.exec_prepared(kInboxDone, item.id);
      } else {
        txn.exec_prepared(kInboxFailed, item.id);
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return n;
}

}  // namespace optin
