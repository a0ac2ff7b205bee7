#include "storage/retention_store.h"

#include <functional>
#include <vector>

#include "storage/pg_array.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kPickUnconfirmed("purge-pick-unconfirmed");
const QueryName kPickEnded("purge-pick-ended");
const QueryName kSubscriptions("purge-subscriptions");
const QueryName kAddressEvents("purge-address-events");
const QueryName kOrphans("purge-orphan-subscribers");
const QueryName kConfirmationTokens("purge-confirmation-tokens");
const QueryName kPrivacyTokens("purge-privacy-tokens");
const QueryName kPrivacyRequests("purge-privacy-requests");
const QueryName kLedgerRemoval("ledger-removal-reason");
const QueryName kDeadUpserts("purge-dead-upserts");
const QueryName kPowChallenges("purge-pow-challenges");

// Runs `step` (one batch, returning how many rows it handled) in its own transaction until a
// batch comes back short. Adds up the counts.
Status Repeat(ConnectionPool& pool, int64_t batch, int64_t* total,
              const std::function<int64_t(pqxx::work&)>& step) {
  while (true) {
    int64_t n = 0;
    Status s = RunTransaction(pool, [&](pqxx::work& txn) {
      // Events deleted here are a lawful removal: their tombstone says "retention".
      txn.exec_prepared(kLedgerRemoval, "retention");
      n = step(txn);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    *total += n;
    if (n < batch) return Status::Ok();
  }
}

// Deletes the subscriptions a pick query returned (their events went in the pick itself).
int64_t DeletePicked(pqxx::work& txn, const pqxx::result& picked, int64_t* events) {
  if (picked.empty()) return 0;
  std::vector<int64_t> ids;
  for (const auto& row : picked) ids.push_back(row[0].as<int64_t>());
  *events += picked[0][1].as<int64_t>();
  txn.exec_prepared(kSubscriptions, PgIntArray(ids));
  return static_cast<int64_t>(ids.size());
}

}  // namespace

Result<PurgeCounts> RetentionStore::Purge(const RetentionRules& rules) {
  PurgeCounts c;
  const int64_t b = rules.batch_size;
  const int64_t unconfirmed = rules.unconfirmed.count(), consent = rules.consent.count();
  const int64_t grace = rules.token_grace.count();
  Status s = Repeat(pool_, b, &c.unconfirmed_signups, [&](pqxx::work& txn) {
    return DeletePicked(txn, txn.exec_prepared(kPickUnconfirmed, unconfirmed, b),
                        &c.consent_events);
  });
  if (s.ok()) {
    s = Repeat(pool_, b, &c.ended_subscriptions, [&](pqxx::work& txn) {
      return DeletePicked(txn, txn.exec_prepared(kPickEnded, consent, b), &c.consent_events);
    });
  }
  if (s.ok()) {
    s = Repeat(pool_, b, &c.consent_events, [&](pqxx::work& txn) {
      return static_cast<int64_t>(txn.exec_prepared(kAddressEvents, consent, b).affected_rows());
    });
  }
  if (s.ok()) {
    s = Repeat(pool_, b, &c.subscribers, [&](pqxx::work& txn) {
      return static_cast<int64_t>(txn.exec_prepared(kOrphans, b).affected_rows());
    });
  }
  if (s.ok()) {
    s = Repeat(pool_, b, &c.confirmation_tokens, [&](pqxx::work& txn) {
      return static_cast<int64_t>(txn.exec_prepared(kConfirmationTokens, grace, b).affected_rows());
    });
  }
  if (s.ok()) {
    s = Repeat(pool_, b, &c.privacy_requests, [&](pqxx::work& txn) {
      return static_cast<int64_t>(
          txn.exec_prepared(kPrivacyRequests, unconfirmed, consent, b).affected_rows());
    });
  }
  if (s.ok()) {
    s = Repeat(pool_, b, &c.privacy_tokens, [&](pqxx::work& txn) {
      return static_cast<int64_t>(txn.exec_prepared(kPrivacyTokens, grace, b).affected_rows());
    });
  }
  if (s.ok()) {
    s = Repeat(pool_, b, &c.dead_upserts, [&](pqxx::work& txn) {
      return static_cast<int64_t>(txn.exec_prepared(kDeadUpserts, consent, b).affected_rows());
    });
  }
  if (s.ok()) {
    s = Repeat(pool_, b, &c.pow_challenges, [&](pqxx::work& txn) {
      return static_cast<int64_t>(txn.exec_prepared(kPowChallenges, b).affected_rows());
    });
  }
  if (!s.ok()) return s;
  return c;
}

}  // namespace optin
