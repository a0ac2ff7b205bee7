// The links optin puts into mails and CleverReach attributes. Stateless.
#pragma once

#include <cstdint>
#include <string>

#include "service/base/config.h"

namespace optin {

// The personal, never-expiring unsubscribe link of a subscription.
std::string UnsubscribeUrl(const Config& config, int64_t subscription_id);
// The confirmation link for a random confirmation token.
std::string ConfirmUrl(const Config& config, const std::string& token);
// The verification link of a privacy request.
std::string PrivacyConfirmUrl(const Config& config, const std::string& token);

}  // namespace optin
