#include "storage/proof_store.h"

#include <map>

#include "service/domain/address.h"
#include "storage/ledger_store.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kBerlin("proof-berlin-time");
const QueryName kSubscriber("proof-subscriber");
const QueryName kSubscriptions("proof-subscriptions");
const QueryName kEvents("proof-events");
const QueryName kSuppressions("proof-suppressions");
const QueryName kDomainBlock("proof-domain-block");
const QueryName kSyncState("proof-sync-state");

DossierTime TimeAt(const pqxx::row& r, int utc) { return {r[utc].c_str(), r[utc + 1].c_str()}; }

DossierSync SyncOf(bool has_group, bool sync_enabled, int64_t waiting, int64_t dead,
                   const std::string& rows) {
  if (!has_group) return {"no_group", ""};
  if (dead > 0) return {"dead_letter", rows};
  if (waiting > 0) return {sync_enabled ? "pending" : "sync_off", rows};
  if (!sync_enabled) return {"sync_off", ""};
  return {"synced", ""};
}

}  // namespace

Result<Dossier> ProofStore::Read(const std::string& email) {
  Dossier d;
  d.email_hash = AddressHash(email);
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    d = Dossier{};
    d.email_hash = AddressHash(email);
    txn.exec_prepared(kBerlin);
    auto state = txn.exec_prepared1(kSyncState);
    d.sync_enabled = state[0].as<bool>();
    d.sync_last_success = TimeAt(state, 1);
    d.generated = TimeAt(state, 3);
    auto sub = txn.exec_prepared(kSubscriber, email);
    std::string subscriber_id;
    if (!sub.empty()) {
      d.subscriber = true;
      subscriber_id = sub[0][0].c_str();
      d.email = sub[0][1].c_str();
      d.created = TimeAt(sub[0], 2);
    }
    for (const auto& r : txn.exec_prepared(kEvents, d.email_hash)) {
      DossierEvent e;
      e.id = r[0].as<int64_t>();
      e.kind = r[1].c_str();
      e.at = TimeAt(r, 2);
      e.subscription_id = r[4].as<int64_t>();
      e.list = r[5].c_str();
      e.ip = r[6].c_str();
      e.user_agent = r[7].c_str();
      e.page_url = r[8].c_str();
      e.channel = r[9].c_str();
      e.actor = r[10].c_str();
      e.consent_text_sha256 = r[11].c_str();
      e.consent_text = r[12].c_str();
      e.message_id = r[13].c_str();
      e.mail_sha256 = r[14].c_str();
      e.mail_redacted = r[15].c_str();
      e.mail_redacted_sha256 = r[16].c_str();
      e.detail_json = r[17].c_str();
      e.sha256 = r[18].c_str();
      e.prev_sha256 = r[19].c_str();
      d.events.push_back(std::move(e));
    }
    for (const auto& r : txn.exec_prepared(kSuppressions, d.email_hash)) {
      d.suppressions.push_back(DossierSuppression{r[0].c_str(), r[1].c_str(), r[2].c_str(),
                                                  TimeAt(r, 3), r[5].as<bool>()});
    }
    bool erased_event = false;
    for (const auto& e : d.events) erased_event = erased_event || e.kind == "erased";
    d.erased = !d.subscriber && erased_event;
    if (d.erased) return Status::Ok();  // hash-only facts from here on
    if (d.subscriber) {
      for (const auto& r : txn.exec_prepared(kSubscriptions, subscriber_id)) {
        DossierSubscription sub_rec;
        sub_rec.id = r[0].as<int64_t>();
        sub_rec.list = r[1].c_str();
        sub_rec.list_name = r[2].c_str();
        sub_rec.status = r[3].c_str();
        sub_rec.language = r[4].c_str();
        sub_rec.source = r[5].c_str();
        sub_rec.signed_up = TimeAt(r, 6);
        sub_rec.confirmed = TimeAt(r, 8);
        sub_rec.unsubscribed = TimeAt(r, 10);
        sub_rec.sync = SyncOf(r[12].as<bool>(), d.sync_enabled, r[13].as<int64_t>(),
                              r[14].as<int64_t>(), r[15].c_str());
        for (const auto& e : d.events) {
          if (e.subscription_id != sub_rec.id) continue;
          std::string status = StatusAfterEvent(e.kind);
          if (!status.empty() &&
              (sub_rec.history.empty() || sub_rec.history.back().status != status))
            sub_rec.history.push_back(DossierStatusChange{e.at, status, e.id});
        }
        d.subscriptions.push_back(std::move(sub_rec));
      }
    }
    auto domain = email.substr(email.rfind('@') + 1);
    auto block = txn.exec_prepared(kDomainBlock, domain);
    if (!block.empty()) d.blocked_domain = block[0][0].c_str();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!d.known()) return d;
  auto report = LedgerStore(pool_).Verify(d.email_hash);
  if (!report.ok()) return report.status();
  d.ledger.ok = report->ok();
  d.ledger.events = report->events;
  if (!report->broken.empty()) {
    d.ledger.broken_reason = report->broken[0].chain.reason;
    d.ledger.broken_event_id = report->broken[0].chain.event_id;
  }
  return d;
}

}  // namespace optin
