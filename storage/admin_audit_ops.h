// RunAdminTransaction: how every store writes an admin's change together with its audit row
// (admin_audit) and names the admin on the ledger events of the change. Storage-internal (pqxx).
// Safe for concurrent use.
#pragma once

#include <functional>
#include <pqxx/pqxx>

#include "storage/admin_audit_store.h"

namespace optin {

// Runs `fn` in one transaction. With `admin` set, the transaction first names the admin (ledger
// events written by `fn` carry it as `actor`) and, when `fn` returns Ok, appends the audit row
// with the outcome and detail `fn` left in its AuditNote, before the commit. A failing `fn` rolls
// back and leaves no row. Without `admin` it is RunTransaction.
Status RunAdminTransaction(ConnectionPool& pool, const AdminAction* admin,
                           const std::function<Status(pqxx::work&, AuditNote&)>& fn);

// Only names the admin for the ledger events written later in `txn` (no audit row).
void NameAdminInTxn(pqxx::work& txn, const std::string& admin);

}  // namespace optin
