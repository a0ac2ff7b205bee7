#include "storage/subscription_store.h"

#include <nlohmann/json.hpp>

#include "storage/pool.h"
#include "storage/queries.h"
#include "storage/row_mapping.h"
#include "storage/suppression_ops.h"

namespace optin {
namespace {
const QueryName kSignup("subscription-signup");
const QueryName kConfirmAll("subscription-confirm-all");
const QueryName kForUnsubscribe("subscription-for-unsubscribe");
const QueryName kLockSubscriber("subscriber-lock-for-subscription");
const QueryName kTokenPeek("confirmation-token-peek");
const QueryName kSubscriptionPeek("subscription-peek");

}  // namespace

Result<SignupResult> SubscriptionStore::Signup(const SignupCommand& cmd, const PendingMail& mail) {
  std::string outcome;
  nlohmann::json detail = {{"language", cmd.language},
                           {"name_given", !cmd.name.empty()},
                           {"consent_checkbox", cmd.consent_checkbox}};
  // One statement (the optin_signup function, sql/functions/20_signup.sql): one round trip,
  // atomic without BEGIN/COMMIT.
  Status s = RunStatement(pool_, [&](pqxx::nontransaction& txn) {
    outcome =
        txn.exec_prepared1(kSignup, cmd.email, cmd.email_hash, cmd.name, cmd.list_id, cmd.language,
                           cmd.page_url, cmd.client.ip, cmd.client.user_agent,
                           cmd.consent_text_sha256, cmd.consent_text, detail.dump(),
                           mail.token_hash, mail.ttl_seconds, mail.message_id, mail.message)[0]
            .c_str();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (outcome == "suppressed") return SignupResult::kSuppressed;
  if (outcome == "restricted") return SignupResult::kRestricted;
  if (outcome == "already_confirmed") return SignupResult::kAlreadyConfirmed;
  if (outcome == "throttled") return SignupResult::kPendingThrottled;
  if (outcome == "mail_queued") return SignupResult::kPendingMailQueued;
  return Status::Internal("unexpected signup outcome");
}

Result<ConfirmOutcome> SubscriptionStore::Confirm(const std::string& token_hash,
                                                  const ClientInfo& client) {
  ConfirmOutcome out;
  std::string outcome;
  // One statement (the optin_confirm function, sql/functions/30_confirm.sql): one round trip,
  // atomic without BEGIN/COMMIT.
  Status s = RunStatement(pool_, [&](pqxx::nontransaction& txn) {
    pqxx::row row = txn.exec_prepared1(kConfirmAll, token_hash, client.ip, client.user_agent);
    outcome = row[0].c_str();
    if (outcome != "not_found") {
      out.language = row[1].c_str();
      out.list = ListFromRow(row, 2);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (outcome == "not_found")
    out.result = ConfirmResult::kNotFound;
  else if (outcome == "already_confirmed")
    out.result = ConfirmResult::kAlreadyConfirmed;
  else if (outcome == "expired")
    out.result = ConfirmResult::kExpired;
  else if (outcome == "suppressed")
    out.result = ConfirmResult::kSuppressed;
  else if (outcome == "confirmed")
    out.result = ConfirmResult::kConfirmed;
  else
    return Status::Internal("unexpected confirmation outcome");
  return out;
}

Result<UnsubscribeOutcome> SubscriptionStore::Unsubscribe(int64_t subscription_id,
                                                          UnsubscribeChannel channel,
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
    const std::string decision = r[0][0].c_str();
    if (decision == "already_confirmed")
      out.result = ConfirmResult::kAlreadyConfirmed;
    else if (decision == "expired")
      out.result = ConfirmResult::kExpired;
    else if (decision == "suppressed")
      out.result = ConfirmResult::kSuppressed;
    else if (decision == "confirmable")
      out.result = ConfirmResult::kConfirmable;
    else
      return Status::Internal("unexpected confirmation decision");
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
