// Redacting the confirmation link of a rendered mail for the consent dossier (issue 15): the
// token is replaced by a fixed placeholder of the same length, so the redacted form differs from
// the mail as sent in exactly the token's characters. Pure logic; safe for concurrent use.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace optin {

// What stands in for a confirmation token (as long as one: 32 characters).
extern const char kRedactedToken[];

// `message` (RFC 5322, quoted-printable bodies) with every "token=" followed by a token whose
// SHA-256 is one of `token_hashes` rewritten to "token=" + kRedactedToken; quoted-printable soft
// line breaks inside the token stay where they are. nullopt when no such token is found.
std::optional<std::string> RedactConfirmationToken(const std::string& message,
                                                   const std::vector<std::string>& token_hashes);

}  // namespace optin
