#include "storage/import_store.h"

#include "storage/pg_array.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kClassify("import-classify");
const QueryName kSubscribers("import-subscribers");
const QueryName kSubscriptions("import-subscriptions");

ImportOutcome ParseOutcome(const std::string& text) {
  if (text == "suppressed") return ImportOutcome::kSuppressed;
  if (text == "already_subscribed") return ImportOutcome::kAlreadySubscribed;
  if (text == "invalid") return ImportOutcome::kInvalid;
  return ImportOutcome::kImported;  // "ok": imported unless the write finds it confirmed meanwhile
}

}  // namespace

Result<std::vector<ImportOutcome>> ImportStore::ImportBatch(const std::vector<ImportRow>& rows) {
  std::vector<ImportOutcome> out;
  if (rows.empty()) return out;
  std::vector<std::string> hashes, consented, addresses;
  std::vector<int64_t> lists;
  for (const auto& r : rows) {
    hashes.push_back(r.email_hash);
    lists.push_back(r.list_id);
    consented.push_back(r.consented_at);
    addresses.push_back(r.email);
  }
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out.assign(rows.size(), ImportOutcome::kAlreadySubscribed);
    std::vector<size_t> accepted;
    auto classified = txn.exec_prepared(kClassify, PgTextArray(hashes), PgIntArray(lists),
                                        PgTextArray(consented), PgTextArray(addresses));
    for (const auto& row : classified) {
      size_t i = row[0].as<size_t>() - 1;
      out[i] = ParseOutcome(row[1].c_str());
      if (out[i] == ImportOutcome::kImported) {
        accepted.push_back(i);
        out[i] = ImportOutcome::kAlreadySubscribed;  // until the write says otherwise
      }
    }
    if (accepted.empty()) return Status::Ok();
    std::vector<std::string> emails, a_hashes, names, a_consented, sources;
    std::vector<int64_t> a_lists;
    std::vector<size_t> positions;
    for (size_t i : accepted) {
      const auto& r = rows[i];
      emails.push_back(r.email);
      a_hashes.push_back(r.email_hash);
      names.push_back(r.name);
      a_lists.push_back(r.list_id);
      a_consented.push_back(r.consented_at);
      sources.push_back(r.source);
      positions.push_back(i);
    }
    txn.exec_prepared(kSubscribers, PgTextArray(emails), PgTextArray(a_hashes), PgTextArray(names));
    auto done =
        txn.exec_prepared(kSubscriptions, PgTextArray(a_hashes), PgIntArray(a_lists),
                          PgTextArray(a_consented), PgTextArray(sources), PgIntArray(positions));
    for (const auto& row : done) out[row[0].as<size_t>()] = ImportOutcome::kImported;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace optin
