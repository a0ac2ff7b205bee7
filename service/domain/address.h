// Email addresses: the one place where input is trimmed, lower-cased, validated and turned into
// the normalised form that is stored and compared everywhere (CONTRACT §5). IDN domains are
// accepted as UTF-8 or punycode and normalised to punycode (libidn2). Stateless; safe for
// concurrent use.
#pragma once

#include <string>

#include "service/base/status.h"

namespace optin {

// Returns the normalised address, or InvalidArgument with error "invalid_email" and a message
// that says what is wrong (never echoing the input).
Result<std::string> NormalizeAddress(const std::string& input);

// Lower-case hex SHA-256 of a normalised address: the key of the suppression list.
std::string AddressHash(const std::string& normalized);

// The domain part of a normalised address ("" if there is no '@').
std::string AddressDomain(const std::string& normalized);

}  // namespace optin
