// Named admin tokens (OPTIN_ADMIN_TOKENS, OPTIN_ADMIN_TOKEN): parsing at start-up and the
// constant-time look-up of the admin a bearer token belongs to. Immutable values; safe for
// concurrent use.
#pragma once

#include <string>
#include <vector>

#include "service/base/status.h"

namespace optin {

constexpr size_t kMinAdminTokenBytes = 16;

struct AdminToken {
  std::string name;   // [a-z0-9_.-]{1,64}
  std::string token;  // >= kMinAdminTokenBytes, no whitespace or control characters
};

// Parses "name:token,name:token" (the token is everything after the first ':'). One name may
// have several tokens (rotation); a token may not appear twice. The message of an error names
// the entry by position, never its token.
Result<std::vector<AdminToken>> ParseAdminTokens(const std::string& text);

// The name the presented token belongs to, or "" when none. Every configured token is compared
// (as SHA-256 digests, in constant time), whichever matches: the time taken reveals neither
// whether nor which token matched, nor its length.
std::string AdminNameForToken(const std::vector<AdminToken>& tokens, const std::string& presented);

}  // namespace optin
