#include "storage/subscriber_store.h"

#include "service/domain/address.h"
#include "storage/describe_ops.h"
#include "storage/pool.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kDescribe("subscriber-describe");
const QueryName kSubscriptionsOf("subscriptions-of-subscriber");
const QueryName kEventsOf("consent-events-of-address");
const QueryName kSuppressionsOf("suppressions-of-address");
}  // namespace

SubscriberRecord DescribeInTxn(pqxx::work& txn, const std::string& email) {
  SubscriberRecord rec;
  rec.email = email;
  rec.email_hash = AddressHash(email);
  auto sub = txn.exec_prepared(kDescribe, email);
  if (!sub.empty()) {
    rec.exists = true;
    rec.name = sub[0][3].c_str();
    rec.created_at = sub[0][4].c_str();
    for (const auto& r : txn.exec_prepared(kSubscriptionsOf, sub[0][0].as<int64_t>())) {
      rec.subscriptions.push_back(SubscriptionRecord{r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(),
                                                     r[3].c_str(), r[4].c_str(), r[5].c_str(),
                                                     r[6].c_str(), r[7].c_str()});
    }
  }
  for (const auto& r : txn.exec_prepared(kEventsOf, rec.email_hash)) {
    ConsentEventRecord e;
    e.id = r[0].as<int64_t>();
    e.kind = r[1].c_str();
    e.occurred_at = r[2].c_str();
    e.list = r[3].c_str();
    e.ip = r[4].c_str();
    e.user_agent = r[5].c_str();
    e.page_url = r[6].c_str();
    e.consent_text_sha256 = r[7].c_str();
    e.channel = r[8].c_str();
    e.message_id = r[9].c_str();
    e.mail_sha256 = r[10].c_str();
    e.detail_json = r[11].c_str();
    e.consent_text = r[12].c_str();
    rec.events.push_back(std::move(e));
  }
  for (const auto& r : txn.exec_prepared(kSuppressionsOf, rec.email_hash)) {
    rec.suppressions.push_back(
        SuppressionEntry{r[0].c_str(), r[1].c_str(), r[2].c_str(), r[3].c_str()});
  }
  return rec;
}

Result<SubscriberRecord> SubscriberStore::Describe(const std::string& email) {
  SubscriberRecord rec;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    rec = DescribeInTxn(txn, email);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return rec;
}

}  // namespace optin
