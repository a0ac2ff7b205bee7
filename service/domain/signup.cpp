#include "service/domain/signup.h"

#include "service/base/text.h"
#include "service/domain/address.h"

namespace optin {

Result<std::string> ValidateSignup(const SignupInput& in) {
  auto email = NormalizeAddress(in.email);
  if (!email.ok()) return email.status();
  if (!IsCleanText(in.name, kMaxSignupNameBytes) ||
      !IsCleanText(in.language, kMaxSignupLanguageBytes) ||
      !IsCleanText(in.list, kMaxSignupListBytes)) {
    return Status::InvalidArgument("invalid_request",
                                   "name, language or list is too long or not clean UTF-8 text");
  }
  return email;
}

}  // namespace optin
