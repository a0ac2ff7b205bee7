#include "service/domain/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace optin {

std::string StoredIp(const std::string& ip, IpMode mode) {
  if (mode == IpMode::kNone) return "";
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, ip.c_str(), buf) == 1) {
    if (mode == IpMode::kTruncated) buf[3] = 0;
    return inet_ntop(AF_INET, buf, out, sizeof out) ? out : "";
  }
  if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) {
    if (mode == IpMode::kTruncated) std::memset(buf + 6, 0, 10);
    return inet_ntop(AF_INET6, buf, out, sizeof out) ? out : "";
  }
  return "";
}

}  // namespace optin
