// AdminAction: who asked for an admin change and what it was, handed from the HTTP adapter to
// storage, which writes it into the audit trail (admin_audit) in the change's own transaction and
// names the admin on the ledger events the change writes. A plain value; safe to copy.
#pragma once

#include <cstdint>
#include <string>

namespace optin {

struct AdminAction {
  std::string admin;   // the name of the token that authorised the request
  std::string action;  // e.g. "suppression.add"; see the README's audit section
  std::string target;  // an address only as its SHA-256 (AddressHash); else a slug, domain or id
};

// One row of the audit trail as read back.
struct AuditEntry {
  int64_t id = 0;
  std::string occurred_at;  // ISO 8601 UTC with microseconds
  std::string admin;
  std::string action;
  std::string target;
  std::string outcome;      // ok, unchanged, failed
  std::string detail_json;  // a JSON object
};

}  // namespace optin
