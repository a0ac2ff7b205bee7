#include "service/app/retention.h"

#include "service/base/log.h"

namespace optin {

RetentionRules RetentionRulesFrom(const Config& config) {
  RetentionRules rules;
  rules.unconfirmed =
      std::chrono::duration_cast<std::chrono::seconds>(config.unconfirmed_retention);
  rules.consent = std::chrono::duration_cast<std::chrono::seconds>(config.consent_retention);
  return rules;
}

nlohmann::json PurgeCountsJson(const PurgeCounts& c) {
  return {{"unconfirmed_signups", c.unconfirmed_signups},
          {"ended_subscriptions", c.ended_subscriptions},
          {"consent_events", c.consent_events},
          {"subscribers", c.subscribers},
          {"confirmation_tokens", c.confirmation_tokens},
          {"privacy_tokens", c.privacy_tokens},
          {"privacy_requests", c.privacy_requests},
          {"dead_upserts", c.dead_upserts},
          {"pow_challenges", c.pow_challenges}};
}

void RetentionWorker::Run(StopSignal& stop) {
  if (!stop.SleepFor(first_delay_)) return;
  while (true) {
    auto counts = store_.Purge(rules_);
    std::chrono::milliseconds next = interval_;
    if (counts.ok()) {
      LogInfo("purged", PurgeCountsJson(*counts));
    } else {
      LogWarn("purge_failed", {{"error", counts.status().message()}});
      next = std::min<std::chrono::milliseconds>(interval_, std::chrono::hours(1));
    }
    if (!stop.SleepFor(next)) return;
  }
}

}  // namespace optin
