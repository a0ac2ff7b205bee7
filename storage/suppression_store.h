// SuppressionStore: the suppression list ("blacklist") — adding, lifting and checking entries for
// single addresses and whole domains. Every change commits together with its consent events and
// CleverReach outbox rows. Safe for concurrent use.
#pragma once

#include <string>
#include <vector>

#include "service/base/config.h"
#include "service/base/status.h"
#include "service/domain/admin_action.h"
#include "service/domain/model.h"
#include "service/domain/sync_outbox.h"

namespace optin {

class ConnectionPool;

struct DomainSuppression {
  std::string domain;  // without "*."
  bool include_subdomains = false;
};

class SuppressionStore : public UnsubscribeRecorder {
 public:
  explicit SuppressionStore(ConnectionPool& pool) : pool_(pool) {}

  // Unsubscribes and suppresses a normalised address, globally (list_id 0) or for one list.
  // Works whether or not the address has a subscriber row. Returns whether the entry is new.
  // With `admin`, the change is audited (admin_audit) in its transaction; so are the others below.
  Result<bool> Suppress(const std::string& email, int64_t list_id, const std::string& channel,
                        const std::string& reason, const AdminAction* admin = nullptr);

  // An unsubscribe made on CleverReach's side for `group_id` at `deactivated` (unix s): suppressed
  // per `scope` for every list synced to that group. Applied exactly once per (group, address,
  // time), also across processes: true when it was applied now, false when it had been before
  // or when the deactivation is the one a restriction of the address caused.
  Result<bool> RecordCleverReachUnsubscribe(const std::string& email, const std::string& group_id,
                                            int64_t deactivated, UnsubscribeScope scope) override;

  // Lifts every suppression of the address (objection). Returns how many entries were removed;
  // a lifted global entry is also removed from CleverReach's blacklist.
  Result<int> Lift(const std::string& email, const std::string& channel,
                   const AdminAction* admin = nullptr);

  // Blocks a domain and, in the same transaction, ends every subscription of a matching address
  // (events, CleverReach deactivation and blacklist rows). Returns what it ended.
  struct DomainBlockCounts {
    int64_t subscriptions = 0;
    int64_t addresses = 0;
  };
  Result<DomainBlockCounts> AddDomain(const DomainSuppression& domain, const std::string& reason,
                                      const AdminAction* admin = nullptr);
  Result<bool> RemoveDomain(const std::string& domain, const AdminAction* admin = nullptr);
  Result<std::vector<DomainSuppression>> Domains();

  // Positions (0-based, ascending) of `hashes` suppressed globally or for `list_id` (0 = global
  // only). From kParallelCheckThreshold distinct hashes on, parts are checked in parallel on
  // kCheckParallelism connections.
  static constexpr size_t kParallelCheckThreshold = 20000;
  static constexpr size_t kCheckParallelism = 2;
  Result<std::vector<size_t>> CheckHashes(const std::vector<std::string>& hashes, int64_t list_id);

  Result<std::vector<SuppressionEntry>> EntriesOf(const std::string& email_hash);

 private:
  ConnectionPool& pool_;
};

// Whether an address's domain (punycode) is blocked by one of `blocked`: the domain half of
// optin_suppressed (sql/functions/10_suppression.sql) for the bulk check, which tests the
// domains in C++ and the address entries with CheckHashes (one index probe per hash, about twice
// as fast as calling the SQL function per address). tests/storage/suppression_rule_test.cpp holds
// both halves to the function, case by case.
bool DomainBlocked(const std::string& address_domain,
                   const std::vector<DomainSuppression>& blocked);

}  // namespace optin
