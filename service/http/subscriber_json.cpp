#include "service/http/subscriber_json.h"

namespace optin::http {
namespace {

nlohmann::json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

}  // namespace

nlohmann::json SubscriberJson(const SubscriberRecord& r, const SubscriptionService& subscriptions) {
  nlohmann::json subs = nlohmann::json::array();
  for (const auto& s : r.subscriptions) {
    subs.push_back({{"list", s.list},
                    {"status", s.status},
                    {"language", s.language},
                    {"source", OrNull(s.source)},
                    {"signed_up_at", s.signed_up_at},
                    {"confirmed_at", OrNull(s.confirmed_at)},
                    {"unsubscribed_at", OrNull(s.unsubscribed_at)},
                    {"unsubscribe_url", subscriptions.UnsubscribeUrl(s.id)}});
  }
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : r.events) {
    nlohmann::json ev = {{"kind", e.kind}, {"at", e.occurred_at}, {"list", OrNull(e.list)}};
    auto put = [&ev](const char* k, const std::string& v) {
      if (!v.empty()) ev[k] = v;
    };
    put("ip", e.ip);
    put("user_agent", e.user_agent);
    put("page_url", e.page_url);
    put("consent_text_sha256", e.consent_text_sha256);
    put("consent_text", e.consent_text);
    put("channel", e.channel);
    put("message_id", e.message_id);
    put("mail_sha256", e.mail_sha256);
    auto detail = nlohmann::json::parse(e.detail_json, nullptr, false);
    if (!detail.is_discarded() && !detail.empty()) ev["detail"] = detail;
    events.push_back(ev);
  }
  nlohmann::json suppressions = nlohmann::json::array();
  for (const auto& s : r.suppressions) {
    suppressions.push_back(
        {{"scope", s.scope}, {"reason", s.reason}, {"source", s.source}, {"since", s.created_at}});
  }
  return {{"email", r.email},
          {"email_sha256", r.email_hash},
          {"name", OrNull(r.name)},
          {"created_at", OrNull(r.created_at)},
          {"subscriptions", subs},
          {"consent_events", events},
          {"suppressed", !r.suppressions.empty()},
          {"suppressions", suppressions}};
}

}  // namespace optin::http
