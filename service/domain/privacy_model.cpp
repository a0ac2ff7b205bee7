#include "service/domain/privacy_model.h"

namespace optin {

const char* PrivacyTypeName(PrivacyRequestType type) {
  switch (type) {
    case PrivacyRequestType::kAccess:
      return "access";
    case PrivacyRequestType::kErasure:
      return "erasure";
    case PrivacyRequestType::kObjection:
      return "objection";
    case PrivacyRequestType::kUnsubscribe:
      return "unsubscribe";
    case PrivacyRequestType::kRestriction:
      return "restriction";
    case PrivacyRequestType::kLiftRestriction:
      return "lift_restriction";
  }
  return "access";
}

std::optional<PrivacyRequestType> ParsePrivacyType(const std::string& text) {
  for (auto t : {PrivacyRequestType::kAccess, PrivacyRequestType::kErasure,
                 PrivacyRequestType::kObjection, PrivacyRequestType::kUnsubscribe,
                 PrivacyRequestType::kRestriction, PrivacyRequestType::kLiftRestriction}) {
    if (text == PrivacyTypeName(t)) return t;
  }
  return std::nullopt;
}

std::optional<std::string> ParseExportFormat(const std::string& text) {
  if (text.empty() || text == "json") return std::string("json");
  if (text == "csv") return text;
  return std::nullopt;
}

}  // namespace optin
