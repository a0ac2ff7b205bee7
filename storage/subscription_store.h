// SubscriptionStore: the subscription state machine in PostgreSQL (CONTRACT §4). Each method is
// one transaction that changes state, writes its consent events and queues the mail or
// CleverReach work it implies, so none of them can be lost or half-done. Safe for concurrent use.
#pragma once

#include "service/base/config.h"
#include "service/base/status.h"
#include "service/domain/model.h"

namespace optin {

class ConnectionPool;

class SubscriptionStore {
 public:
  explicit SubscriptionStore(ConnectionPool& pool) : pool_(pool) {}

  // A signup for `cmd`. `mail` is queued only when the state machine says a confirmation mail
  // is due (new or pending, none within 10 minutes, address not suppressed).
  Result<SignupResult> Signup(const SignupCommand& cmd, const PendingMail& mail);

  // Confirms the subscription behind `token_hash`.
  Result<ConfirmOutcome> Confirm(const std::string& token_hash, const ClientInfo& client);

  // What a confirmation token leads to, without changing anything — the decision Confirm takes
  // (optin_confirmation_decision): kNotFound, kAlreadyConfirmed, kExpired, kSuppressed, or
  // kConfirmable (Confirm would confirm it now).
  Result<ConfirmOutcome> PeekConfirmation(const std::string& token_hash);
  // The list and language of a subscription, without changing anything (found = false if none).
  Result<UnsubscribeOutcome> PeekSubscription(int64_t subscription_id);

  // Unsubscribes subscription `id` and suppresses its address (globally or for its list).
  Result<UnsubscribeOutcome> Unsubscribe(int64_t subscription_id, UnsubscribeChannel channel,
                                         UnsubscribeScope scope);

 private:
  ConnectionPool& pool_;
};

}  // namespace optin
