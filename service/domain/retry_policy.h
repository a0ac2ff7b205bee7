// The one retry rule of optin's outboxes (mail and CleverReach sync): exponential backoff from a
// base, capped, with ±20 % jitter, and the one random source for that jitter (OpenSSL CSPRNG).
#pragma once

#include <chrono>

namespace optin {

struct RetryPolicy {
  std::chrono::milliseconds base{5'000};     // the first delay
  std::chrono::milliseconds cap{3'600'000};  // no delay is longer than this (before jitter)
};

// base * 2^attempts (attempts failed so far; negative counts as 0), capped, times a jitter factor
// in [0.8, 1.2) given by `unit` in [0, 1). At least 1 ms.
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempts, double unit);

// A uniformly distributed number in [0, 1). Safe for concurrent use.
double RandomUnit();

}  // namespace optin
