// PrivacyStore: privacy requests in PostgreSQL — recording a request and queuing its verification
// mail (at most one per address per hour, enforced under a per-address lock), and carrying a
// verified request out in one transaction with its events and CleverReach outbox rows.
// Safe for concurrent use.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "service/base/config.h"
#include "service/base/status.h"
#include "service/domain/admin_action.h"
#include "service/domain/model.h"
#include "service/domain/privacy_actions.h"
#include "service/domain/privacy_model.h"
#include "storage/subscriber_store.h"

namespace optin {

class ConnectionPool;

struct PrivacyStoreOptions {
  bool cleverreach_enabled = false;  // erasure queues delete_receiver only when the sync runs
  UnsubscribeScope unsubscribe_scope = UnsubscribeScope::kGlobal;
};

// A verification token's request and, after CarryOut, what was done.
struct PrivacyTicket {
  enum class State { kNotFound, kGone, kOpen, kDone };
  State state = State::kNotFound;  // kGone: used or expired
  PrivacyRequestType type = PrivacyRequestType::kAccess;
  std::string language = "de";
  std::string format = "json";  // access: the export's format chosen with the request
  SubscriberRecord record;      // access: everything stored about the address
  std::vector<PrivacyRequestRecord> requests;  // access: the address's privacy requests
  ErasureCounts erasure;                       // erasure
  int64_t changed = 0;                         // objection: entries lifted; unsubscribe: ended
};

class PrivacyStore {
 public:
  // Renders the verification mail in a language once the store knows the address.
  using RenderFn = std::function<Result<PendingMail>(const std::string& language)>;

  PrivacyStore(ConnectionPool& pool, PrivacyStoreOptions options)
      : pool_(pool), options_(options) {}

  // Records a request for a normalised address and queues the mail — only when the address is
  // known and no verification mail went to it within the hour. `language` may be "" (then the
  // newest subscription's language, else de). `format`: json or csv (ParseExportFormat).
  Result<PrivacyRequestResult> Request(const std::string& email, PrivacyRequestType type,
                                       const std::string& language, const std::string& format,
                                       const RenderFn& render);

  // The request behind `token_hash`, changing nothing.
  Result<PrivacyTicket> Peek(const std::string& token_hash);
  // Carries the request behind `token_hash` out (single use): `carry` decides what to do with the
  // primitive operations offered, in the request's transaction; the store records the outcome.
  using CarryFn = std::function<PrivacyDone(PrivacyRequestType type, PrivacyActions& actions)>;
  Result<PrivacyTicket> CarryOut(const std::string& token_hash, const CarryFn& carry);

  // Lifts the restriction of a normalised address (admin, channel `channel`): the subscriptions
  // resumed, -1 when it was not restricted. With `admin`, audited (admin_audit; outcome
  // `unchanged` when it was not restricted) in the same transaction, its events carrying the name.
  Result<int64_t> LiftRestriction(const std::string& email, const std::string& channel,
                                  const AdminAction* admin = nullptr);

  // Erasure without a verification mail (admin); recorded as a completed request and, with
  // `admin`, audited (admin_audit) in the same transaction.
  Result<ErasureCounts> Erase(const std::string& email, const AdminAction* admin = nullptr);

 private:
  ConnectionPool& pool_;
  const PrivacyStoreOptions options_;
};

}  // namespace optin
