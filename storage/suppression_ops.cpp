#include "storage/suppression_ops.h"

#include <nlohmann/json.hpp>

#include "service/domain/address.h"
#include "storage/queries.h"

namespace optin {
namespace {
const QueryName kSubscriptionsEnd("subscriptions-end");
const QueryName kDropProfile("subscriber-drop-profile-if-inactive");
const QueryName kSuppressionAdd("suppression-add");
const QueryName kEventSimple("consent-event-simple");
const QueryName kSyncEnqueueAddress("sync-enqueue-address");
const QueryName kLift("suppressions-lift");
const QueryName kSubscriberByEmail("subscriber-by-email");
}  // namespace

SuppressResult UnsubscribeAndSuppress(pqxx::work& txn, const SuppressArgs& a) {
  SuppressResult result;
  const char* list_param = nullptr;
  std::string list_text;
  if (a.list_id != 0) {
    list_text = std::to_string(a.list_id);
    list_param = list_text.c_str();
  }
  if (a.subscriber_id != 0) {
    auto ended = txn.exec_prepared1(kSubscriptionsEnd, a.subscriber_id, list_param, a.email_hash,
                                    a.channel, a.email);
    result.ended_subscriptions = ended[0].as<int>();
  }
  auto added =
      txn.exec_prepared(kSuppressionAdd, a.email_hash, a.email, list_param, a.reason, a.channel);
  result.new_suppression = !added.empty();
  if (result.new_suppression) {
    nlohmann::json detail = {{"scope", a.list_id == 0 ? "global" : "list"}, {"reason", a.reason}};
    const char* subscriber = nullptr;
    std::string subscriber_text;
    if (a.subscriber_id != 0) {
      subscriber_text = std::to_string(a.subscriber_id);
      subscriber = subscriber_text.c_str();
    }
    txn.exec_prepared(kEventSimple, subscriber, list_param, a.email_hash, "suppressed", a.channel,
                      detail.dump());
    if (a.list_id == 0)
      txn.exec_prepared(kSyncEnqueueAddress, "blacklist_add", a.email, a.email_hash);
  }
  if (a.subscriber_id != 0) txn.exec_prepared(kDropProfile, a.subscriber_id);
  return result;
}

SuppressResult SuppressAddressInTxn(pqxx::work& txn, const std::string& email, int64_t list_id,
                                    const std::string& channel, const std::string& reason) {
  SuppressArgs args;
  args.email = email;
  args.email_hash = AddressHash(email);
  args.list_id = list_id;
  args.channel = channel;
  args.reason = reason;
  auto r = txn.exec_prepared(kSubscriberByEmail, email);
  if (!r.empty()) args.subscriber_id = r[0][0].as<int64_t>();
  return UnsubscribeAndSuppress(txn, args);
}

int LiftSuppressionsInTxn(pqxx::work& txn, const std::string& email, const std::string& channel) {
  std::string hash = AddressHash(email);
  auto rows = txn.exec_prepared(kLift, hash);
  int removed = static_cast<int>(rows.size());
  bool global = false;
  for (const auto& row : rows) global = global || row[0].as<bool>();
  if (removed == 0) return 0;
  auto sub = txn.exec_prepared(kSubscriberByEmail, email);
  const char* subscriber = nullptr;
  std::string subscriber_text;
  if (!sub.empty()) {
    subscriber_text = sub[0][0].c_str();
    subscriber = subscriber_text.c_str();
  }
  nlohmann::json detail = {{"entries", removed}};
  txn.exec_prepared(kEventSimple, subscriber, nullptr, hash, "suppression_lifted", channel,
                    detail.dump());
  if (global) txn.exec_prepared(kSyncEnqueueAddress, "blacklist_remove", email, hash);
  return removed;
}

}  // namespace optin
