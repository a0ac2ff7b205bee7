#include "service/domain/mailbox.h"

#include <algorithm>

namespace optin {

std::string MailboxKey(const std::string& normalized) {
  size_t at = normalized.rfind('@');
  if (at == std::string::npos) return normalized;
  std::string local = normalized.substr(0, at);
  std::string domain = normalized.substr(at + 1);
  size_t plus = local.find('+');
  // "+tag" with an empty base ("+x@...") is an address of its own, not a variant.
  if (plus != std::string::npos && plus > 0) local.resize(plus);
  if (domain == "gmail.com" || domain == "googlemail.com") {
    local.erase(std::remove(local.begin(), local.end(), '.'), local.end());
    domain = "gmail.com";
  }
  return local + "@" + domain;
}

}  // namespace optin
