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
const QueryName kSignup("subscription-signup");
const QueryName kTokenLookup("confirmation-token-lookup");
const QueryName kConfirm("subscription-confirm");
const QueryName kTokensUse("confirmation-tokens-use");
const QueryName kEventConfirmed("consent-event-confirmed");
const QueryName kSyncUpsert("sync-enqueue-upsert");
const QueryName kForUnsubscribe("subscription-for-unsubscribe");
const QueryName kLockSubscriber("subscriber-lock-for-subscription");
const QueryName kTokenPeek("confirmation-token-peek");
const QueryName kSubscriptionPeek("subscription-peek");

const char* NullIfEmpty(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

}  // namespace

Result<SignupResult> SubscriptionStore::Signup(const SignupCommand& cmd, const PendingMail& mail) {
  std::string outcome;
  nlohmann::json detail = {{"language", cmd.language},
                           {"name_given", !cmd.name.empty()},
                           {"consent_checkbox", !cmd.consent_text_sha256.empty()}};
  // One statement (the optin_signup function, V006): one round trip, atomic without BEGIN/COMMIT.
  Status s = RunStatement(pool_, [&](pqxx::nontransaction& txn) {
    outcome = txn.exec_prepared1(kSignup, cmd.email, cmd.email_hash, cmd.name, AddressDomain(cmd.email),
                                 cmd.list_id, cmd.language, cmd.page_url, cmd.client.ip, cmd.client.user_agent,
                                 cmd.consent_text_sha256, cmd.consent_text, detail.dump(), mail.token_hash,
                                 mail.ttl_seconds, mail.message_id, mail.message)[0]
                  .c_str();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (outcome == "suppressed") return SignupResult::kSuppressed;
  if (outcome == "already_confirmed") return SignupResult::kAlreadyConfirmed;
  if (outcome == "throttled") return SignupResult::kPendingThrottled;
  if (outcome == "mail_queued") return SignupResult::kPendingMailQueued;
  return Status::Internal("unexpected signup outcome");
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
    txn.exec_prepared(kLockSubscriber, subscription_id);
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
