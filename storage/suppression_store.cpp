#include "storage/suppression_store.h"

#include <nlohmann/json.hpp>

#include "service/address.h"
#include "storage/pool.h"
#include "storage/queries.h"
#include "storage/suppression_ops.h"

namespace optin {
namespace {
const QueryName kSubscriberByEmail("subscriber-by-email");
const QueryName kPulledMark("pulled-unsubscribe-mark");
const QueryName kCheckHashes("suppressions-check-hashes");
const QueryName kDomainAdd("domain-suppression-add");
const QueryName kDomainRemove("domain-suppression-remove");
const QueryName kDomainsAll("domain-suppressions-all");
const QueryName kEntriesOf("suppressions-of-address");
const QueryName kListsByGroup("lists-by-group");

}  // namespace

Result<bool> SuppressionStore::Suppress(const std::string& email, int64_t list_id, const std::string& channel,
                                        const std::string& reason) {
  bool added = false;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    added = SuppressAddressInTxn(txn, email, list_id, channel, reason).new_suppression;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return added;
}

Result<bool> SuppressionStore::RecordCleverReachUnsubscribe(const std::string& email, const std::string& group_id,
                                                            int64_t deactivated, UnsubscribeScope scope) {
  bool applied = false;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    applied = !txn.exec_prepared(kPulledMark, group_id, AddressHash(email), deactivated).empty();
    if (!applied) return Status::Ok();
    auto lists = txn.exec_prepared(kListsByGroup, group_id);
    if (scope == UnsubscribeScope::kGlobal || lists.empty()) {
      SuppressAddressInTxn(txn, email, 0, "cleverreach", "unsubscribed at CleverReach");
      return Status::Ok();
    }
    for (const auto& row : lists) {
      SuppressAddressInTxn(txn, email, row[0].as<int64_t>(), "cleverreach", "unsubscribed at CleverReach");
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return applied;
}

Result<int> SuppressionStore::Lift(const std::string& email, const std::string& channel) {
  int removed = 0;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    removed = LiftSuppressionsInTxn(txn, email, channel);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return removed;
}

Status SuppressionStore::AddDomain(const DomainSuppression& domain, const std::string& reason) {
  return RunTransaction(pool_, [&](pqxx::work& txn) {
    txn.exec_prepared(kDomainAdd, domain.domain, domain.include_subdomains, reason);
    return Status::Ok();
  });
}

Result<bool> SuppressionStore::RemoveDomain(const std::string& domain) {
  bool removed = false;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    removed = txn.exec_prepared(kDomainRemove, domain).affected_rows() > 0;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return removed;
}

Result<std::vector<DomainSuppression>> SuppressionStore::Domains() {
  std::vector<DomainSuppression> out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out.clear();
    for (const auto& row : txn.exec_prepared(kDomainsAll)) {
      out.push_back(DomainSuppression{row[0].c_str(), row[1].as<bool>()});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<size_t>> SuppressionStore::CheckHashes(const std::vector<std::string>& hashes, int64_t list_id) {
  // Hashes are lower-case hex, so the array literal needs no quoting.
  std::string array = "{";
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (i) array += ',';
    array += hashes[i];
  }
  array += '}';
  std::vector<size_t> out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out.clear();
    for (const auto& row : txn.exec_prepared(kCheckHashes, array, list_id)) {
      out.push_back(row[0].as<size_t>() - 1);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<SuppressionEntry>> SuppressionStore::EntriesOf(const std::string& email_hash) {
  std::vector<SuppressionEntry> out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out.clear();
    for (const auto& row : txn.exec_prepared(kEntriesOf, email_hash)) {
      out.push_back(SuppressionEntry{row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str()});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

bool DomainBlocked(const std::string& domain, const std::vector<DomainSuppression>& blocked) {
  for (const auto& b : blocked) {
    if (domain == b.domain) return true;
    if (b.include_subdomains && domain.size() > b.domain.size() + 1 &&
        domain.compare(domain.size() - b.domain.size(), b.domain.size(), b.domain) == 0 &&
        domain[domain.size() - b.domain.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace optin
