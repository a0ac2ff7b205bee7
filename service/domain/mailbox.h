// The mailbox an address delivers to, for limits against mail bombing with variants (issue 17,
// black-box finding 4): "victim+1@x" and "victim+2@x" reach one mailbox, and Gmail ignores dots
// in the local part. Used only as a rate-limit key, never stored or mailed. Stateless.
#pragma once

#include <string>

namespace optin {

// REQUIRES: `normalized` passed NormalizeAddress (lower case, one '@'). The local part up to its
// first '+', without dots for gmail.com and googlemail.com (one domain for both), "@" domain.
std::string MailboxKey(const std::string& normalized);

}  // namespace optin
