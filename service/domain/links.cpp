#include "service/domain/links.h"

#include "service/domain/tokens.h"

namespace optin {

std::string UnsubscribeUrl(const Config& config, int64_t subscription_id) {
  return config.public_url +
         "/unsubscribe?token=" + MakeUnsubscribeToken(config.secret, subscription_id);
}

std::string ConfirmUrl(const Config& config, const std::string& token) {
  return config.public_url + "/confirm?token=" + token;
}

std::string PrivacyConfirmUrl(const Config& config, const std::string& token) {
  return config.public_url + "/privacy/confirm?token=" + token;
}

}  // namespace optin
