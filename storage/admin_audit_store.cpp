#include "storage/admin_audit_store.h"

#include "storage/admin_audit_ops.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kActorSet("admin-actor-set");
const QueryName kAuditLock("admin-audit-lock");
const QueryName kAuditAdd("admin-audit-add");
const QueryName kAuditPage("admin-audit-page");

void AppendAudit(pqxx::work& txn, const AdminAction& admin, const AuditNote& note) {
  txn.exec_prepared(kAuditLock);
  txn.exec_prepared(kAuditAdd, admin.admin, admin.action, admin.target, note.outcome,
                    note.detail.dump());
}

}  // namespace

void NameAdminInTxn(pqxx::work& txn, const std::string& admin) {
  txn.exec_prepared(kActorSet, admin);
}

Status RunAdminTransaction(ConnectionPool& pool, const AdminAction* admin,
                           const std::function<Status(pqxx::work&, AuditNote&)>& fn) {
  return RunTransaction(pool, [&](pqxx::work& txn) {
    AuditNote note;  // fresh on every retry
    if (admin != nullptr) NameAdminInTxn(txn, admin->admin);
    Status s = fn(txn, note);
    if (!s.ok() || admin == nullptr) return s;
    AppendAudit(txn, *admin, note);
    return Status::Ok();
  });
}

Status AdminAuditStore::Record(const AdminAction& admin, const AuditNote& note) {
  return RunTransaction(pool_, [&](pqxx::work& txn) {
    AppendAudit(txn, admin, note);
    return Status::Ok();
  });
}

Result<std::vector<AuditEntry>> AdminAuditStore::Page(int64_t after_id, const std::string& since,
                                                      int limit) {
  std::vector<AuditEntry> out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out.clear();
    auto rows =
        txn.exec_prepared(kAuditPage, after_id, since.empty() ? nullptr : since.c_str(), limit);
    for (const auto& r : rows) {
      out.push_back(AuditEntry{r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(), r[3].c_str(),
                               r[4].c_str(), r[5].c_str(), r[6].c_str()});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace optin
