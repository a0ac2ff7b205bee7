// Tokens carried in links. Confirmation and privacy tokens are random (>= 128 bits from OpenSSL's
// CSPRNG) and stored only as their SHA-256; unsubscribe tokens are HMAC-SHA256-signed with
// OPTIN_SECRET, bound to one subscription, never expire and cannot be used as any other kind.
// Verification compares in constant time. Stateless; safe for concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace optin {

struct RandomToken {
  std::string token;  // URL-safe, goes into the mail
  std::string hash;   // lower-case hex SHA-256 of token, goes into the database
};

// A fresh random token (192 bits, base64url, 32 characters).
RandomToken NewRandomToken();

// The hash under which a presented random token is looked up; "" if the token is malformed
// (wrong length or alphabet), so that garbage never reaches the database.
std::string RandomTokenHash(const std::string& presented);

// A signed unsubscribe token for `subscription_id`. REQUIRES: secret.size() >= 32.
std::string MakeUnsubscribeToken(const std::string& secret, int64_t subscription_id);

// The subscription id if `token` was made by MakeUnsubscribeToken with `secret`.
std::optional<int64_t> VerifyUnsubscribeToken(const std::string& secret, const std::string& token);

}  // namespace optin
