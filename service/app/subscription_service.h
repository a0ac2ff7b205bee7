// SubscriptionService: the double opt-in (CONTRACT §3–§5) — validates a signup, decides the
// mail, and drives the stores for signup, confirmation and unsubscribe. Builds the links that
// go into mails and CleverReach. Safe for concurrent use (immutable after construction except
// for the internally locked list cache and rate limiter).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "service/base/config.h"
#include "service/base/status.h"
#include "service/domain/model.h"
#include "service/domain/rate_limiter.h"
#include "service/domain/signup.h"

namespace optin {

class CounterFamily;
class ListStore;
class MetricsRegistry;
class SubscriptionStore;

class SubscriptionService {
 public:
  // `metrics` (optional) gets the signup, confirmation and unsubscribe counters.
  SubscriptionService(const Config& config, ListStore& lists, SubscriptionStore& subscriptions,
                      MetricsRegistry* metrics = nullptr);
  ~SubscriptionService();

  // Validates and records a signup. Ok means "202 pending" whatever the address's state.
  // Errors: invalid_email, invalid_request (400), unknown_list (404), consent_required (422),
  // rate_limited (429, too many for one address), unavailable (503).
  Result<SignupResult> Subscribe(const SignupInput& input);

  // Confirms by presented token; NotFound for a malformed or unknown token.
  Result<ConfirmOutcome> Confirm(const std::string& token, const ClientInfo& client);

  // Unsubscribes by presented unsubscribe token; NotFound "invalid_token" when it does not verify.
  Result<UnsubscribeOutcome> Unsubscribe(const std::string& token, UnsubscribeChannel channel);

  // Read-only look-ups for the GET pages (which never change state).
  Result<ConfirmOutcome> PeekConfirmation(const std::string& token);
  Result<UnsubscribeOutcome> PeekUnsubscribe(const std::string& token);

  // A list by slug (cached for a few seconds; admin changes in this process invalidate it).
  Result<ListInfo> List(const std::string& slug);
  void InvalidateLists();

  std::string UnsubscribeUrl(int64_t subscription_id) const;
  std::string ConfirmUrl(const std::string& token) const;

 private:
  Result<PendingMail> RenderConfirmationMail(const ListInfo& list, const std::string& language,
                                             const std::string& email) const;

  const Config& config_;
  ListStore& lists_;
  SubscriptionStore& subscriptions_;
  RateLimiter per_address_;
  RateLimiter per_mailbox_;  // keyed on MailboxKey: plus and Gmail-dot variants count as one
  CounterFamily* signups_ = nullptr;  // the three are null without a registry
  CounterFamily* confirmations_ = nullptr;
  CounterFamily* unsubscribes_ = nullptr;

  struct CachedList {
    ListInfo list;
    std::chrono::steady_clock::time_point loaded;
  };
  std::mutex cache_mu_;  // guards cache_
  std::map<std::string, CachedList> cache_;
};

}  // namespace optin
