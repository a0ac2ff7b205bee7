#include "storage/list_store.h"

#include "service/base/crypto.h"
#include "storage/pool.h"
#include "storage/queries.h"
#include "storage/row_mapping.h"

namespace optin {
namespace {
const QueryName kListBySlug("list-by-slug");
const QueryName kListAll("list-all");
const QueryName kListUpsert("list-upsert");
const QueryName kEnqueueListUpserts("sync-enqueue-list-upserts");
const QueryName kConsentTextRemember("consent-text-remember");
}  // namespace

Result<ListInfo> ListStore::Get(const std::string& slug) {
  ListInfo list;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    auto r = txn.exec_prepared(kListBySlug, slug);
    if (r.empty()) return Status::NotFound("unknown_list", "there is no list with this slug");
    list = ListFromRow(r[0]);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return list;
}

Result<std::vector<ListInfo>> ListStore::All() {
  std::vector<ListInfo> lists;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    lists.clear();
    for (const auto& row : txn.exec_prepared(kListAll)) lists.push_back(ListFromRow(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return lists;
}

Result<ListInfo> ListStore::Put(const std::string& slug, const ListUpdate& u) {
  ListInfo list;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    const char* consent =
        u.require_consent_checkbox ? (*u.require_consent_checkbox ? "true" : "false") : nullptr;
    auto r = txn.exec_prepared(kListUpsert, slug, OptionalParam(u.name), OptionalParam(u.language),
                               OptionalParam(u.cleverreach_group_id), consent,
                               OptionalParam(u.consent_text), OptionalParam(u.thank_you_url),
                               OptionalParam(u.confirmed_url));
    list = ListFromRow(r[0]);
    if (r[0][9].as<bool>()) txn.exec_prepared(kEnqueueListUpserts, list.id);
    if (!list.consent_text.empty()) {
      txn.exec_prepared(kConsentTextRemember, Sha256Hex(list.consent_text), list.consent_text);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return list;
}

}  // namespace optin
