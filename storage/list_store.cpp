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

std::vector<std::string> SplitCodes(const std::string& joined) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < joined.size()) {
    size_t comma = joined.find(',', pos);
    if (comma == std::string::npos) comma = joined.size();
    if (comma > pos) out.push_back(joined.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

std::string JoinCodes(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out;
}

}  // namespace

Result<ListInfo> ListStore::Get(const std::string& slug) {
  ListInfo list;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    auto r = txn.exec_prepared(kListBySlug, slug);
    if (r.empty()) return Status::NotFound("unknown_list", "there is no list with this slug");
    list = ListFromRow(r[0]);
    list.languages = SplitCodes(r[0][9].c_str());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return list;
}

Result<std::vector<ListInfo>> ListStore::All() {
  std::vector<ListInfo> lists;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    lists.clear();
    for (const auto& row : txn.exec_prepared(kListAll)) {
      lists.push_back(ListFromRow(row));
      lists.back().languages = SplitCodes(row[9].c_str());
    }
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
    std::optional<std::string> languages;
    if (u.languages) languages = JoinCodes(*u.languages);
    auto r = txn.exec_prepared(kListUpsert, slug, OptionalParam(u.name), OptionalParam(u.language),
                               OptionalParam(u.cleverreach_group_id), consent,
                               OptionalParam(u.consent_text), OptionalParam(u.thank_you_url),
                               OptionalParam(u.confirmed_url), OptionalParam(languages));
    list = ListFromRow(r[0]);
    list.languages = SplitCodes(r[0][10].c_str());
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
