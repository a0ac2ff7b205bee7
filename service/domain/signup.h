// A signup as posted (SignupInput) and the checks on it that need no database: the address is
// normalised, name, language and list must be short clean UTF-8. Stateless; safe for concurrent
// use.
#pragma once

#include <string>

#include "service/base/status.h"
#include "service/domain/model.h"

namespace optin {

// A signup as posted, before validation.
struct SignupInput {
  std::string email;
  std::string list = "newsletter";
  std::string name;
  std::string language;         // the form's `language` field ("" = none)
  std::string accept_language;  // the request's Accept-Language header
  bool consent_given = false;
  std::string page_url;
  ClientInfo client;        // ip as seen (the service applies OPTIN_IP_MODE)
  bool pow_solved = false;  // a proof of work was redeemed (OPTIN_POW=adaptive lifts the limit)
};

constexpr size_t kMaxSignupNameBytes = 200;
constexpr size_t kMaxSignupLanguageBytes = 16;
constexpr size_t kMaxSignupListBytes = 64;

// The normalised address when the input passes; invalid_email or invalid_request (400) otherwise.
Result<std::string> ValidateSignup(const SignupInput& input);

}  // namespace optin
