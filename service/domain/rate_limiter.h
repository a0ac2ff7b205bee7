// RateLimiter: counts requests per key (client address or normalised address hash) in memory and
// says whether one more is allowed within the configured window. A key may burst up to
// `requests`, then earns one request back every window/requests (a token bucket, kept as GCRA).
// Memory is bounded: stale keys are dropped. Safe for concurrent use.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "service/base/config.h"

namespace optin {

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit, size_t max_keys = 100'000);
  ~RateLimiter();

  // True and counts the request when `key` is under its limit at `now`; otherwise false and
  // sets *retry_after_seconds (>= 1). Always true when the limit is disabled.
  bool Allow(const std::string& key, std::chrono::steady_clock::time_point now,
             int* retry_after_seconds);
  bool Allow(const std::string& key, int* retry_after_seconds) {
    return Allow(key, std::chrono::steady_clock::now(), retry_after_seconds);
  }

  // Keys currently remembered; never more than max_keys (rounded up to whole shards).
  size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace optin
