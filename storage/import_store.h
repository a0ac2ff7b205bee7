// ImportStore: writes one batch of imported subscribers (consent given elsewhere) in one
// transaction — suppression checks, subscriber and confirmed subscription rows, 'imported'
// consent events and CleverReach upserts, all set-based over arrays. Safe for concurrent use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/base/status.h"
#include "service/domain/admin_action.h"

namespace optin {

class ConnectionPool;

// One validated row.
struct ImportRow {
  std::string email;  // normalised
  std::string email_hash;
  std::string domain;  // AddressDomain(email)
  std::string name;    // "" = none
  int64_t list_id = 0;
  std::string consented_at;  // ISO 8601 with an explicit offset
  std::string source;        // "" = none
};

enum class ImportOutcome { kImported, kAlreadySubscribed, kSuppressed, kInvalid };

class ImportStore {
 public:
  explicit ImportStore(ConnectionPool& pool) : pool_(pool) {}

  // The outcome of each row, in order. The ledger events carry `admin` (empty = none) as actor;
  // the import's one audit row is written by the caller once all batches are settled.
  Result<std::vector<ImportOutcome>> ImportBatch(const std::vector<ImportRow>& rows,
                                                 const std::string& admin = "");

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
