#include "storage/privacy_store.h"

#include <nlohmann/json.hpp>

#include "service/domain/address.h"
#include "service/domain/language.h"
#include "storage/admin_audit_ops.h"
#include "storage/describe_ops.h"
#include "storage/erasure_ops.h"
#include "storage/pool.h"
#include "storage/queries.h"
#include "storage/suppression_ops.h"

namespace optin {
namespace {
const QueryName kKnown("privacy-address-known");
const QueryName kLockAddress("privacy-lock-address");
const QueryName kInsert("privacy-request-insert");
const QueryName kEvent("privacy-event");
const QueryName kOutboxInsert("mail-outbox-insert-privacy");
const QueryName kByToken("privacy-request-by-token");
const QueryName kByTokenLocked("privacy-request-by-token-locked");
const QueryName kComplete("privacy-request-complete");
const QueryName kRequestsOf("privacy-requests-of-address");
const QueryName kLiveLists("subscription-lists-of-subscriber");
const QueryName kSubscriberByEmail("subscriber-by-email");
const QueryName kInsertCompleted("privacy-request-insert-completed");
const QueryName kRestrict("restriction-apply");
const QueryName kLiftRestriction("restriction-lift");

// Reads a token row (see privacy.sql) into `t`; false when the token is unknown.
bool ReadTicket(const pqxx::result& r, PrivacyTicket* t, int64_t* id, std::string* email) {
  if (r.empty()) return false;
  const auto& row = r[0];
  *id = row[0].as<int64_t>();
  t->type = ParsePrivacyType(row[1].c_str()).value_or(PrivacyRequestType::kAccess);
  *email = row[2].c_str();
  t->language = row[4].c_str();
  t->format = row[7].c_str();
  bool done = row[5].as<bool>(), expired = row[6].as<bool>();
  // A request whose address was erased meanwhile cannot be carried out any more.
  t->state =
      done || expired || email->empty() ? PrivacyTicket::State::kGone : PrivacyTicket::State::kOpen;
  return true;
}

int64_t Unsubscribe(pqxx::work& txn, const std::string& email, UnsubscribeScope scope) {
  SuppressArgs args;
  args.email = email;
  args.email_hash = AddressHash(email);
  args.channel = "privacy";
  args.reason = "privacy request: unsubscribe";
  auto sub = txn.exec_prepared(kSubscriberByEmail, email);
  if (!sub.empty()) args.subscriber_id = sub[0][0].as<int64_t>();
  if (scope == UnsubscribeScope::kGlobal || args.subscriber_id == 0) {
    return UnsubscribeAndSuppress(txn, args).ended_subscriptions;
  }
  int64_t ended = 0;
  for (const auto& row : txn.exec_prepared(kLiveLists, args.subscriber_id)) {
    args.list_id = row[0].as<int64_t>();
    ended += UnsubscribeAndSuppress(txn, args).ended_subscriptions;
  }
  return ended;
}

std::vector<PrivacyRequestRecord> RequestsOf(pqxx::work& txn, const std::string& hash) {
  std::vector<PrivacyRequestRecord> out;
  for (const auto& r : txn.exec_prepared(kRequestsOf, hash)) {
    out.push_back(PrivacyRequestRecord{r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(), r[3].c_str(),
                                       r[4].c_str(), r[5].c_str(), r[6].c_str()});
  }
  return out;
}

// The primitive operations on one address, inside the request's transaction.
class TxnPrivacyActions : public PrivacyActions {
 public:
  TxnPrivacyActions(pqxx::work& txn, const std::string& email, const PrivacyStoreOptions& options)
      : txn_(txn), email_(email), options_(options) {}
  ErasureCounts Erase() override { return EraseInTxn(txn_, email_, options_.cleverreach_enabled); }
  int64_t LiftSuppressions() override { return LiftSuppressionsInTxn(txn_, email_, "privacy"); }
  int64_t Unsubscribe() override {
    return optin::Unsubscribe(txn_, email_, options_.unsubscribe_scope);
  }
  int64_t Restrict() override {
    auto n = txn_.exec_prepared1(kRestrict, AddressHash(email_), "privacy", "{}")[0].as<int64_t>();
    return n < 0 ? 0 : n;
  }
  int64_t LiftRestriction() override {
    return txn_.exec_prepared1(kLiftRestriction, AddressHash(email_), "privacy", "{}")[0]
        .as<int64_t>();
  }

 private:
  pqxx::work& txn_;
  const std::string& email_;
  const PrivacyStoreOptions& options_;
};

}  // namespace

Result<PrivacyRequestResult> PrivacyStore::Request(const std::string& email,
                                                   PrivacyRequestType type,
                                                   const std::string& language,
                                                   const std::string& format,
                                                   const RenderFn& render) {
  PrivacyRequestResult result = PrivacyRequestResult::kUnknownAddress;
  const std::string hash = AddressHash(email);
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    auto known = txn.exec_prepared1(kKnown, hash);
    if (!known[0].as<bool>()) {
      result = PrivacyRequestResult::kUnknownAddress;
      return Status::Ok();
    }
    std::string lang = IsSupportedLanguage(language) ? language : known[1].c_str();
    if (!IsSupportedLanguage(lang)) lang = "de";
    txn.exec_prepared(kLockAddress, hash);
    auto mail = render(lang);
    if (!mail.ok()) return mail.status();
    auto inserted = txn.exec_prepared(kInsert, PrivacyTypeName(type), hash, email, lang,
                                      mail->token_hash, mail->ttl_seconds, format);
    if (inserted.empty()) {
      result = PrivacyRequestResult::kThrottled;
      return Status::Ok();
    }
    nlohmann::json detail = {{"type", PrivacyTypeName(type)},
                             {"request_id", inserted[0][0].as<int64_t>()}};
    txn.exec_prepared(kEvent, hash, "privacy_requested", detail.dump());
    txn.exec_prepared(kOutboxInsert, hash, email, mail->message_id, mail->message);
    result = PrivacyRequestResult::kMailQueued;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return result;
}

Result<PrivacyTicket> PrivacyStore::Peek(const std::string& token_hash) {
  PrivacyTicket ticket;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    ticket = PrivacyTicket();
    int64_t id = 0;
    std::string email;
    ReadTicket(txn.exec_prepared(kByToken, token_hash), &ticket, &id, &email);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ticket;
}

Result<PrivacyTicket> PrivacyStore::CarryOut(const std::string& token_hash, const CarryFn& carry) {
  PrivacyTicket t;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    t = PrivacyTicket();
    int64_t id = 0;
    std::string email;
    if (!ReadTicket(txn.exec_prepared(kByTokenLocked, token_hash), &t, &id, &email))
      return Status::Ok();
    if (t.state != PrivacyTicket::State::kOpen) return Status::Ok();
    const std::string hash = AddressHash(email);
    TxnPrivacyActions actions(txn, email, options_);
    PrivacyDone done = carry(t.type, actions);
    t.erasure = done.erasure;
    t.changed = done.changed;
    txn.exec_prepared(kComplete, id, done.outcome.dump());
    if (done.record_event)
      txn.exec_prepared(kEvent, hash, "privacy_completed", done.outcome.dump());
    if (done.export_data) {
      t.record = DescribeInTxn(txn, email);
      t.requests = RequestsOf(txn, hash);
    }
    t.state = PrivacyTicket::State::kDone;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return t;
}

Result<int64_t> PrivacyStore::LiftRestriction(const std::string& email, const std::string& channel,
                                              const AdminAction* admin) {
  int64_t resumed = -1;
  Status s = RunAdminTransaction(pool_, admin, [&](pqxx::work& txn, AuditNote& note) {
    resumed =
        txn.exec_prepared1(kLiftRestriction, AddressHash(email), channel, "{}")[0].as<int64_t>();
    if (resumed < 0) note.outcome = "unchanged";
    note.detail = {{"subscriptions_resumed", resumed < 0 ? 0 : resumed}};
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return resumed;
}

Result<ErasureCounts> PrivacyStore::Erase(const std::string& email, const AdminAction* admin) {
  ErasureCounts counts;
  Status s = RunAdminTransaction(pool_, admin, [&](pqxx::work& txn, AuditNote& note) {
    counts = EraseInTxn(txn, email, options_.cleverreach_enabled, "admin");
    nlohmann::json outcome = {
        {"type", "erasure"}, {"channel", "admin"}, {"erased", ErasureCountsJson(counts)}};
    note.detail = ErasureCountsJson(counts);
    txn.exec_prepared(kInsertCompleted, "erasure", AddressHash(email), outcome.dump());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return counts;
}

}  // namespace optin
