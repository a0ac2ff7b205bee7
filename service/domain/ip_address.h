// What is stored of a client's IP address, per OPTIN_IP_MODE: the address, its network (IPv4 /24,
// IPv6 /48), or nothing. Stateless.
#pragma once

#include <string>

#include "service/base/config.h"

namespace optin {

// "" when `mode` is kNone or `ip` is not an IP address.
std::string StoredIp(const std::string& ip, IpMode mode);

}  // namespace optin
