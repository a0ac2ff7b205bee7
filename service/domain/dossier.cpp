#include "service/domain/dossier.h"

namespace optin {

std::string StatusAfterEvent(const std::string& kind) {
  if (kind == "signup_requested") return "pending";
  if (kind == "confirmed" || kind == "imported") return "confirmed";
  if (kind == "unsubscribed") return "unsubscribed";
  return "";
}

}  // namespace optin
