#include "storage/erasure_ops.h"

#include "service/domain/address.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kSubscriberByEmail("subscriber-by-email");
const QueryName kSyncDrop("erasure-sync-drop");
const QueryName kEventsDelete("erasure-events-delete");
const QueryName kMailsDelete("erasure-mails-delete");
const QueryName kSubscriberDelete("erasure-subscriber-delete");
const QueryName kSuppressionsStrip("erasure-suppressions-strip");
const QueryName kSuppressionGlobal("erasure-suppression-global");
const QueryName kPrivacyStrip("erasure-privacy-requests-strip");
const QueryName kSyncDeleteReceiver("erasure-sync-delete-receiver");
const QueryName kLedgerRemoval("ledger-removal-reason");
const QueryName kErasedEvent("erasure-event");
}  // namespace

ErasureCounts EraseInTxn(pqxx::work& txn, const std::string& email, bool notify_cleverreach,
                         const std::string& channel) {
  ErasureCounts counts;
  const std::string hash = AddressHash(email);
  auto sub = txn.exec_prepared(kSubscriberByEmail, email);
  const char* subscriber = nullptr;
  std::string subscriber_text;
  if (!sub.empty()) {
    subscriber_text = sub[0][0].c_str();
    subscriber = subscriber_text.c_str();
  }
  counts.sync_rows_replaced = txn.exec_prepared(kSyncDrop, hash).affected_rows();
  // Queued mails go first: deleting one the mailer is sending waits until the mailer has
  // committed, and that commit may add a "confirmation_mail_sent" event, which the ledger delete
  // below must then see (each statement reads what has committed before it).
  counts.queued_mails = txn.exec_prepared(kMailsDelete, hash).affected_rows();
  // A lawful removal: the ledger writes no tombstone of its own, the erased event below is it.
  txn.exec_prepared(kLedgerRemoval, "erasure");
  // The ledger goes before the subscriber: deleting subscriptions would otherwise try to
  // SET NULL on events, which the append-only trigger refuses.
  auto removed = txn.exec_prepared1(kEventsDelete, hash, subscriber);
  counts.consent_events = removed[0].as<int64_t>();
  const std::string removed_sha256 = removed[1].c_str();
  if (subscriber != nullptr) {
    auto gone = txn.exec_prepared1(kSubscriberDelete, subscriber);
    counts.subscriptions = gone[0].as<int64_t>();
    counts.subscriber_deleted = gone[1].as<int64_t>() > 0;
  }
  txn.exec_prepared(kSuppressionsStrip, hash);
  txn.exec_prepared(kSuppressionGlobal, hash);
  txn.exec_prepared(kPrivacyStrip, hash);
  txn.exec_prepared(kErasedEvent, hash, channel, counts.subscriptions, removed_sha256);
  if (notify_cleverreach) {
    txn.exec_prepared(kSyncDeleteReceiver, email, hash);
    counts.cleverreach_notified = true;
  }
  return counts;
}

}  // namespace optin
