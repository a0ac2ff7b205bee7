// AdminAuditStore: the append-only admin audit trail (admin_audit), read in pages. The rows are
// written by the stores themselves, in the transaction of each change (storage/admin_audit_ops.h).
// Safe for concurrent use.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "service/base/status.h"
#include "service/domain/admin_action.h"

namespace optin {

class ConnectionPool;

// What the change reports for its audit row.
struct AuditNote {
  std::string outcome = "ok";  // ok, unchanged (nothing to do), failed
  nlohmann::json detail = nlohmann::json::object();
};

class AdminAuditStore {
 public:
  explicit AdminAuditStore(ConnectionPool& pool) : pool_(pool) {}

  // An audit row on its own (for work done in many transactions, e.g. an import's batches).
  Status Record(const AdminAction& admin, const AuditNote& note);

  // Up to `limit` rows with id > after_id and, when `since` (ISO 8601) is not empty, written at or
  // after it; oldest first.
  Result<std::vector<AuditEntry>> Page(int64_t after_id, const std::string& since, int limit);

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
