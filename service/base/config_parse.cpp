// The value parsers of config.h: durations, integers, rate limits, host:port, CIDRs, flags.
#include <arpa/inet.h>

#include <cctype>
#include <map>

#include "service/base/config.h"

namespace optin {
namespace {

Status Bad(const std::string& what, const std::string& why) {
  return Status::InvalidArgument("invalid_config", what + ": " + why);
}

// Digits only (no sign, no spaces), at most 12 of them, at most `max`.
bool ParseDigits(const std::string& text, long long max, long long* out) {
  if (text.empty() || text.size() > 12) return false;
  long long v = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

}  // namespace

Result<long long> ParseInteger(const std::string& text, long long lo, long long hi) {
  long long n = 0;
  if (!ParseDigits(text, hi, &n) || n < lo) {
    return Bad("integer",
               "expected a number from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return n;
}

Result<bool> ParseFlag(const std::string& text) {
  if (text == "on" || text == "true") return true;
  if (text == "off" || text == "false") return false;
  return Bad("flag", "expected on, off, true or false");
}

Result<Millis> ParseDuration(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  long long n = 0;
  if (i == 0 || !ParseDigits(text.substr(0, i), 1'000'000'000LL, &n)) {
    return Bad("duration", "expected a number and a unit such as 60s, 72h, 7d or 3y");
  }
  static const std::map<std::string, long long> kUnits = {
      {"ms", 1},        {"s", 1000},       {"m", 60'000},           {"min", 60'000},
      {"h", 3'600'000}, {"d", 86'400'000}, {"w", 7 * 86'400'000LL}, {"y", 365 * 86'400'000LL},
  };
  auto unit = kUnits.find(text.substr(i));
  if (unit == kUnits.end()) {
    return Bad("duration", "unknown unit in '" + text + "' (use ms, s, m, h, d, w or y)");
  }
  // Durations are added to clock readings in nanoseconds (int64: about 292 years), so a larger
  // value would overflow there rather than mean "never".
  constexpr long long kMaxMillis = 100 * 365 * 86'400'000LL;
  if (n > kMaxMillis / unit->second) return Bad("duration", "too large (at most 100 years)");
  return Millis(n * unit->second);
}

Result<RateLimit> ParseRateLimit(const std::string& text) {
  RateLimit limit;
  if (text == "off") {
    limit.enabled = false;
    return limit;
  }
  auto slash = text.find('/');
  long long n = 0;
  if (slash == std::string::npos || !ParseDigits(text.substr(0, slash), 1'000'000, &n) || n == 0) {
    return Bad("rate", "expected N/s, N/min, N/h or off");
  }
  std::string unit = text.substr(slash + 1);
  if (unit == "s" || unit == "sec") {
    limit.window = Millis(1000);
  } else if (unit == "min" || unit == "m") {
    limit.window = Millis(60'000);
  } else if (unit == "h" || unit == "hour") {
    limit.window = Millis(3'600'000);
  } else {
    return Bad("rate", "expected N/s, N/min, N/h or off");
  }
  limit.requests = static_cast<int>(n);
  return limit;
}

Result<HostPort> ParseHostPort(const std::string& text) {
  HostPort hp;
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return Bad("listen", "expected host:port");
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) return Bad("listen", "expected [v6]:port");
    host = host.substr(1, host.size() - 2);
  }
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':') {
      return Bad("listen", "bad host");
    }
  }
  long long port = 0;
  if (!ParseDigits(text.substr(colon + 1), 65535, &port)) return Bad("listen", "bad port");
  hp.host = host;
  hp.port = static_cast<int>(port);
  return hp;
}

Result<Cidr> ParseCidr(const std::string& text) {
  Cidr cidr;
  auto slash = text.find('/');
  std::string addr = text.substr(0, slash);
  unsigned char buf[16];
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
    cidr.network.assign(buf, buf + 4);
  } else if (inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
    cidr.network.assign(buf, buf + 16);
  } else {
    return Bad("cidr", "bad address '" + addr + "'");
  }
  int max_prefix = static_cast<int>(cidr.network.size() * 8);
  cidr.prefix = max_prefix;
  if (slash != std::string::npos) {
    long long p = 0;
    if (!ParseDigits(text.substr(slash + 1), max_prefix, &p)) return Bad("cidr", "bad prefix");
    cidr.prefix = static_cast<int>(p);
  }
  return cidr;
}

}  // namespace optin
