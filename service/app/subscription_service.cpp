#include "service/app/subscription_service.h"

#include "service/app/proof_of_work.h"
#include "service/base/crypto.h"
#include "service/base/log.h"
#include "service/base/metrics.h"
#include "service/base/text.h"
#include "service/domain/address.h"
#include "service/domain/ip_address.h"
#include "service/domain/language.h"
#include "service/domain/links.h"
#include "service/domain/mailbox.h"
#include "service/domain/tokens.h"
#include "service/pages/mail_compose.h"
#include "service/pages/mails.h"
#include "service/pages/pages.h"
#include "storage/list_store.h"
#include "storage/subscription_store.h"

namespace optin {
namespace {

constexpr auto kListCacheTtl = std::chrono::seconds(5);
constexpr size_t kMaxPageUrlBytes = 2000;
constexpr size_t kMaxUserAgentBytes = 512;

}  // namespace

SubscriptionService::SubscriptionService(const Config& config, ListStore& lists,
                                         SubscriptionStore& subscriptions, MetricsRegistry* metrics)
    : config_(config),
      lists_(lists),
      subscriptions_(subscriptions),
      per_address_(config.rate_limit),
      per_mailbox_(config.rate_limit) {
  if (metrics == nullptr) return;
  signups_ = &metrics->Counter("optin_signups_total", "Accepted signups by list and outcome.");
  confirmations_ =
      &metrics->Counter("optin_confirmations_total", "Subscriptions confirmed, by list.");
  unsubscribes_ =
      &metrics->Counter("optin_unsubscribes_total", "Subscriptions ended, by list and channel.");
}

SubscriptionService::~SubscriptionService() = default;

Result<ListInfo> SubscriptionService::List(const std::string& slug) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(slug);
    if (it != cache_.end() && now - it->second.loaded < kListCacheTtl) return it->second.list;
  }
  auto list = lists_.Get(slug);
  if (!list.ok()) return list;
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (cache_.size() > 1000) cache_.clear();
  cache_[slug] = CachedList{*list, now};
  return list;
}

void SubscriptionService::InvalidateLists() {
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache_.clear();
}

Result<SignupResult> SubscriptionService::Subscribe(const SignupInput& in) {
  auto email = ValidateSignup(in);
  if (!email.ok()) return email.status();
  auto list = List(in.list.empty() ? "newsletter" : in.list);
  if (!list.ok()) return list.status();
  if (list->require_consent_checkbox && !in.consent_given) {
    return Status(StatusCode::kUnprocessable, "consent_required",
                  "this list needs the consent checkbox to be ticked");
  }
  std::string hash = AddressHash(*email);
  int retry_after = 0;
  // Also keyed on the mailbox, so that plus and Gmail-dot variants share one limit.
  int mailbox_retry = 0;
  bool address_ok = per_address_.Allow(hash, &retry_after);
  bool mailbox_ok = per_mailbox_.Allow(Sha256Hex(MailboxKey(*email)), &mailbox_retry);
  retry_after = std::max(address_ok ? 0 : retry_after, mailbox_ok ? 0 : mailbox_retry);
  if (!(address_ok && mailbox_ok) && !(config_.pow == PowMode::kAdaptive && in.pow_solved)) {
    if (config_.pow == PowMode::kAdaptive) return PowRequired();
    return Status(StatusCode::kRateLimited, "rate_limited",
                  "too many signups for this address; try again later")
        .WithRetryAfter(retry_after);
  }

  SignupCommand cmd;
  cmd.email = *email;
  cmd.email_hash = hash;
  cmd.name = TrimSpaces(in.name);
  // The form's language field, else Accept-Language, among the languages the list offers.
  cmd.language = LanguageCode(ChooseLanguage(in.language, in.accept_language,
                                             OfferedLanguages(list->language, list->languages)));
  cmd.page_url = Truncate(SanitizedText(in.page_url), kMaxPageUrlBytes);
  cmd.client.ip = StoredIp(in.client.ip, config_.ip_mode);
  cmd.client.user_agent = Truncate(SanitizedText(in.client.user_agent), kMaxUserAgentBytes);
  cmd.list_id = list->id;
  // The words the form showed (the list's consent_text, or the built-in form's own in the
  // signup's language): recorded for every signup, never empty (CONTRACT §7 §5).
  cmd.consent_text = ConsentText(ParseLanguage(cmd.language), list->name, list->consent_text);
  cmd.consent_text_sha256 = Sha256Hex(cmd.consent_text);
  cmd.consent_checkbox = list->require_consent_checkbox;
  auto mail = RenderConfirmationMail(*list, cmd.language, cmd.email);
  if (!mail.ok()) return mail.status();
  auto result = subscriptions_.Signup(cmd, *mail);
  if (result.ok()) {
    static const char* kNames[] = {"mail_queued", "throttled", "already_confirmed", "suppressed",
                                   "restricted"};
    LogInfo("signup", {{"address", AddressTag(cmd.email)},
                       {"list", list->slug},
                       {"outcome", kNames[static_cast<int>(*result)]}});
    if (signups_)
      signups_->Inc({{"list", list->slug}, {"outcome", kNames[static_cast<int>(*result)]}});
  }
  return result;
}

Result<PendingMail> SubscriptionService::RenderConfirmationMail(const ListInfo& list,
                                                                const std::string& language,
                                                                const std::string& email) const {
  RandomToken token = NewRandomToken();
  auto hours = std::chrono::duration_cast<std::chrono::hours>(config_.confirm_ttl).count();
  MailText text = ConfirmationMail(ParseLanguage(language), list.name, ConfirmUrl(token.token),
                                   std::to_string(std::max<long long>(1, hours)));
  return ComposeTokenMail(config_, list.name, email, language, text, token,
                          std::chrono::duration_cast<std::chrono::seconds>(config_.confirm_ttl));
}

Result<ConfirmOutcome> SubscriptionService::Confirm(const std::string& token,
                                                    const ClientInfo& client) {
  std::string hash = RandomTokenHash(token);
  if (hash.empty()) return Status::NotFound("invalid_token", "this confirmation link is not valid");
  ClientInfo stored{StoredIp(client.ip, config_.ip_mode),
                    Truncate(SanitizedText(client.user_agent), kMaxUserAgentBytes)};
  auto outcome = subscriptions_.Confirm(hash, stored);
  if (!outcome.ok()) return outcome;
  if (outcome->result == ConfirmResult::kNotFound) {
    return Status::NotFound("invalid_token", "this confirmation link is not valid");
  }
  if (outcome->result == ConfirmResult::kConfirmed) {
    LogInfo("confirmed", {{"list", outcome->list.slug}});
    if (confirmations_) confirmations_->Inc({{"list", outcome->list.slug}});
  }
  return outcome;
}

Result<UnsubscribeOutcome> SubscriptionService::Unsubscribe(const std::string& token,
                                                            UnsubscribeChannel channel) {
  auto id = VerifyUnsubscribeToken(config_.secret, token);
  if (!id) return Status::NotFound("invalid_token", "this unsubscribe link is not valid");
  auto outcome = subscriptions_.Unsubscribe(*id, channel, config_.unsubscribe_scope);
  if (!outcome.ok()) return outcome;
  if (!outcome->found)
    return Status::NotFound("invalid_token", "this unsubscribe link is not valid");
  if (!outcome->already) {
    LogInfo("unsubscribed", {{"list", outcome->list.slug}, {"channel", ChannelName(channel)}});
    if (unsubscribes_)
      unsubscribes_->Inc({{"list", outcome->list.slug}, {"channel", ChannelName(channel)}});
  }
  return outcome;
}

Result<ConfirmOutcome> SubscriptionService::PeekConfirmation(const std::string& token) {
  std::string hash = RandomTokenHash(token);
  if (hash.empty()) return Status::NotFound("invalid_token", "this confirmation link is not valid");
  auto outcome = subscriptions_.PeekConfirmation(hash);
  if (outcome.ok() && outcome->result == ConfirmResult::kNotFound) {
    return Status::NotFound("invalid_token", "this confirmation link is not valid");
  }
  return outcome;
}

Result<UnsubscribeOutcome> SubscriptionService::PeekUnsubscribe(const std::string& token) {
  auto id = VerifyUnsubscribeToken(config_.secret, token);
  if (!id) return Status::NotFound("invalid_token", "this unsubscribe link is not valid");
  auto outcome = subscriptions_.PeekSubscription(*id);
  if (outcome.ok() && !outcome->found)
    return Status::NotFound("invalid_token", "this unsubscribe link is not valid");
  return outcome;
}

std::string SubscriptionService::UnsubscribeUrl(int64_t subscription_id) const {
  return optin::UnsubscribeUrl(config_, subscription_id);
}

std::string SubscriptionService::ConfirmUrl(const std::string& token) const {
  return optin::ConfirmUrl(config_, token);
}

}  // namespace optin
