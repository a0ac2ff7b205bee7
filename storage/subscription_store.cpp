#include "storage/subscription_store.h"

#include <nlohmann/json.hpp>

#include "service/address.h"
#include "storage/pool.h"
#include "storage/queries.h"
#include "storage/row_mapping.h"
#include "storage/suppression_ops.h"

namespace optin {
namespace {
const QueryName kSuppressionCheckOne("suppression-check-one");
const QueryName kSubscriberUpsert("subscriber-upsert");
const QueryName kSubscriptionUpsert("subscription-upsert-signup");
const QueryName kClaimMail("subscription-claim-confirmation-mail");
const QueryName kEventSignup("consent-event-signup");
const QueryName kTokenInsert("confirmation-token-insert");
const QueryName kOutboxInsert("mail-outbox-insert-confirmation");
const QueryName kTokenLookup("confirmation-token-lookup");
const QueryName kConfirm("subscription-confirm");
const QueryName kTokensUse("confirmation-tokens-use");
const QueryName kEventConfirmed("consent-event-confirmed");
const QueryName kSyncUpsert("sync-enqueue-upsert");
const QueryName kForUnsubscribe("subscription-for-unsubscribe");
const QueryName kConsentTextRemember("consent-text-remember");
const QueryName kTokenPeek("confirmation-token-peek");
const QueryName kSubscriptionPeek("subscription-peek");

const char* NullIfEmpty(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

}  // namespace

Result<SignupResult> SubscriptionStore::Signup(const SignupCommand& cmd, const PendingMail& mail) {
  SignupResult result = SignupResult::kSuppressed;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    auto suppressed = txn.exec_prepared1(kSuppressionCheckOne, cmd.email_hash, cmd.list_id, AddressDomain(cmd.email));
    if (suppressed[0].as<bool>()) {
      result = SignupResult::kSuppressed;
      return Status::Ok();
    }
    int64_t subscriber_id = txn.exec_prepared1(kSubscriberUpsert, cmd.email, cmd.email_hash, cmd.name)[0].as<int64_t>();
    auto sub = txn.exec_prepared1(kSubscriptionUpsert, subscriber_id, cmd.list_id, cmd.language, cmd.page_url);
    int64_t subscription_id = sub[0].as<int64_t>();
    if (std::string(sub[1].c_str()) == "confirmed") {
      result = SignupResult::kAlreadyConfirmed;
      return Status::Ok();
    }
    if (!cmd.consent_text.empty()) txn.exec_prepared(kConsentTextRemember, cmd.consent_text_sha256, cmd.consent_text);
    nlohmann::json detail = {{"language", cmd.language},
                             {"name_given", !cmd.name.empty()},
                             {"consent_checkbox", !cmd.consent_text_sha256.empty()}};
    txn.exec_prepared(kEventSignup, subscriber_id, subscription_id, cmd.list_id, cmd.email_hash,
                      NullIfEmpty(cmd.client.ip), cmd.client.user_agent, cmd.page_url,
                      cmd.consent_text_sha256, detail.dump());
    if (txn.exec_prepared(kClaimMail, subscription_id).empty()) {
      result = SignupResult::kPendingThrottled;
      return Status::Ok();
    }
    txn.exec_prepared(kTokenInsert, mail.token_hash, subscription_id, mail.ttl_seconds);
    txn.exec_prepared(kOutboxInsert, subscription_id, cmd.email_hash, cmd.email, mail.message_id, mail.message);
    result = SignupResult::kPendingMailQueued;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return result;
}

Result<ConfirmOutcome> SubscriptionStore::Confirm(const std::string& token_hash, const ClientInfo& client) {
  ConfirmOutcome out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out = ConfirmOutcome();
    auto r = txn.exec_prepared(kTokenLookup, token_hash);
    if (r.empty()) return Status::Ok();  // kNotFound
    const auto& row = r[0];
    int64_t subscription_id = row[0].as<int64_t>();
    bool expired = row[1].as<bool>(), used = row[2].as<bool>();
    std::string status = row[3].c_str();
    int64_t subscriber_id = row[4].as<int64_t>();
    std::string email = row[5].c_str(), email_hash = row[6].c_str();
    out.language = row[7].c_str();
    out.list = ListFromRow(row, 8);
    if (status == "confirmed") {
      out.result = ConfirmResult::kAlreadyConfirmed;
      txn.exec_prepared(kTokensUse, subscription_id);
      return Status::Ok();
    }
    if (used || expired || status != "pending") {
      out.result = ConfirmResult::kExpired;
      return Status::Ok();
    }
    auto suppressed = txn.exec_prepared1(kSuppressionCheckOne, email_hash, out.list.id, AddressDomain(email));
    if (suppressed[0].as<bool>()) {
      out.result = ConfirmResult::kExpired;
      return Status::Ok();
    }
    txn.exec_prepared(kConfirm, subscription_id);
    txn.exec_prepared(kTokensUse, subscription_id);
    txn.exec_prepared(kEventConfirmed, subscriber_id, subscription_id, out.list.id, email_hash,
                      NullIfEmpty(client.ip), client.user_agent);
    txn.exec_prepared(kSyncUpsert, subscription_id, email_hash, out.list.id);
    out.result = ConfirmResult::kConfirmed;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<UnsubscribeOutcome> SubscriptionStore::Unsubscribe(int64_t subscription_id, UnsubscribeChannel channel,
                                                          UnsubscribeScope scope) {
  UnsubscribeOutcome out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out = UnsubscribeOutcome();
    auto r = txn.exec_prepared(kForUnsubscribe, subscription_id);
    if (r.empty()) return Status::Ok();
    const auto& row = r[0];
    out.found = true;
    out.already = std::string(row[1].c_str()) == "unsubscribed";
    out.language = row[5].c_str();
    out.list = ListFromRow(row, 6);
    SuppressArgs args;
    args.subscriber_id = row[2].as<int64_t>();
    args.email = row[3].c_str();
    args.email_hash = row[4].c_str();
    args.list_id = scope == UnsubscribeScope::kList ? out.list.id : 0;
    args.channel = ChannelName(channel);
    args.reason = "unsubscribed";
    UnsubscribeAndSuppress(txn, args);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<ConfirmOutcome> SubscriptionStore::PeekConfirmation(const std::string& token_hash) {
  ConfirmOutcome out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out = ConfirmOutcome();
    auto r = txn.exec_prepared(kTokenPeek, token_hash);
    if (r.empty()) return Status::Ok();
    out.result = r[0][0].as<bool>() ? ConfirmResult::kExpired : ConfirmResult::kConfirmed;
    out.language = r[0][1].c_str();
    out.list = ListFromRow(r[0], 2);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<UnsubscribeOutcome> SubscriptionStore::PeekSubscription(int64_t subscription_id) {
  UnsubscribeOutcome out;
  Status s = RunTransaction(pool_, [&](pqxx::work& txn) {
    out = UnsubscribeOutcome();
    auto r = txn.exec_prepared(kSubscriptionPeek, subscription_id);
    if (r.empty()) return Status::Ok();
    out.found = true;
    out.language = r[0][0].c_str();
    out.list = ListFromRow(r[0], 1);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace optin
