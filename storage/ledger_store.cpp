#include "storage/ledger_store.h"

#include <nlohmann/json.hpp>

#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kAnchor("ledger-anchor");
const QueryName kPage("ledger-events-page");
const QueryName kEventsOf("ledger-events-of");
const QueryName kAddressOf("ledger-address-of");
constexpr int64_t kPageSize = 5000;

LedgerEvent EventOf(const pqxx::row& r) {
  LedgerEvent e;
  e.id = r[0].as<int64_t>();
  e.email_hash = r[1].c_str();
  e.kind = r[2].c_str();
  e.prev_sha256 = r[3].c_str();
  e.sha256 = r[4].c_str();
  e.canonical = r[5].c_str();
  if (!r[6].is_null()) e.removal_reason = r[6].c_str();
  if (!r[7].is_null()) {
    auto shas = nlohmann::json::parse(r[7].c_str(), nullptr, /*allow_exceptions=*/false);
    if (shas.is_array()) {
      for (const auto& s : shas) {
        if (s.is_string()) e.removed_sha256.push_back(s.get<std::string>());
      }
    }
  }
  return e;
}

}  // namespace

Result<LedgerReport> LedgerStore::Verify(const std::string& email_hash) {
  std::string anchor;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    anchor = txn.exec_prepared1(kAnchor)[0].c_str();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  ChainVerifier verifier(anchor);
  if (!email_hash.empty()) {
    s = RunTransaction(pool_, [&](pqxx::work& txn) {
      for (const auto& r : txn.exec_prepared(kEventsOf, email_hash)) verifier.Add(EventOf(r));
      return Status::Ok();
    });
  } else {
    // Keyset pages in chain order; one transaction per page keeps no snapshot open for long.
    std::string after_hash;
    int64_t after_id = 0;
    bool more = true;
    while (s.ok() && more) {
      s = RunTransaction(pool_, [&](pqxx::work& txn) {
        auto rows = txn.exec_prepared(kPage, after_hash, after_id, kPageSize);
        for (const auto& r : rows) verifier.Add(EventOf(r));
        more = static_cast<int64_t>(rows.size()) == kPageSize;
        if (!rows.empty()) {
          after_hash = rows[rows.size() - 1][1].c_str();
          after_id = rows[rows.size() - 1][0].as<int64_t>();
        }
        return Status::Ok();
      });
    }
  }
  if (!s.ok()) return s;
  LedgerReport report;
  for (auto& b : verifier.Finish()) report.broken.push_back(LedgerReport::Broken{b, ""});
  report.events = verifier.events();
  report.chains = verifier.chains();
  if (!report.broken.empty()) {
    s = RunTransaction(pool_, [&](pqxx::work& txn) {
      for (auto& b : report.broken) {
        auto r = txn.exec_prepared1(kAddressOf, b.chain.email_hash);
        if (!r[0].is_null()) b.email = r[0].c_str();
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  return report;
}

}  // namespace optin
