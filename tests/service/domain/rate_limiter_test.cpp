#include "service/domain/rate_limiter.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

using optin::RateLimit;
using optin::RateLimiter;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

using TimePoint = std::chrono::steady_clock::time_point;
const TimePoint kT0 = TimePoint() + std::chrono::hours(1000);

RateLimit Limit(int requests, milliseconds window) {
  RateLimit limit;
  limit.requests = requests;
  limit.window = window;
  return limit;
}

}  // namespace

TEST_CASE("a key gets its burst, then is refused with the wait", "[rate_limiter]") {
  RateLimiter limiter(Limit(3, seconds(60)));
  int retry = -1;
  CHECK(limiter.Allow("k", kT0, &retry));
  CHECK(limiter.Allow("k", kT0, &retry));
  CHECK(limiter.Allow("k", kT0 + seconds(1), &retry));
  CHECK(retry == -1);  // untouched while allowed
  CHECK_FALSE(limiter.Allow("k", kT0 + seconds(1), &retry));
  CHECK(retry == 19);  // one request comes back every 20 s, counted from the first
  // Refusals do not count against the key: the wait stays the same.
  CHECK_FALSE(limiter.Allow("k", kT0 + seconds(1), &retry));
  CHECK(retry == 19);
  CHECK_FALSE(limiter.Allow("k", kT0 + seconds(20) - milliseconds(1), &retry));
  CHECK(retry == 1);  // rounded up, never 0
  CHECK(limiter.Allow("k", kT0 + seconds(20), &retry));
  CHECK_FALSE(limiter.Allow("k", kT0 + seconds(20), &retry));
  CHECK(retry == 20);
}

TEST_CASE("retry-after rounds up to whole seconds", "[rate_limiter]") {
  RateLimiter limiter(Limit(2, milliseconds(3'000)));  // one back every 1.5 s
  int retry = 0;
  CHECK(limiter.Allow("k", kT0, &retry));
  CHECK(limiter.Allow("k", kT0, &retry));
  CHECK_FALSE(limiter.Allow("k", kT0, &retry));
  CHECK(retry == 2);
  CHECK_FALSE(limiter.Allow("k", kT0 + milliseconds(500), &retry));
  CHECK(retry == 1);
  CHECK(limiter.Allow("k", kT0 + milliseconds(1'500), &retry));
}

TEST_CASE("waiting the advertised time always succeeds", "[rate_limiter]") {
  RateLimiter limiter(Limit(30, seconds(60)));
  TimePoint now = kT0;
  int allowed = 0;
  for (int i = 0; i < 200; ++i) {
    int retry = 0;
    if (limiter.Allow("k", now, &retry)) {
      ++allowed;
    } else {
      REQUIRE(retry >= 1);
      now += seconds(retry);
      REQUIRE(limiter.Allow("k", now, &retry));
      ++allowed;
    }
    now += milliseconds(100);
  }
  CHECK(allowed == 200);
}

TEST_CASE("a whole window restores the whole burst", "[rate_limiter]") {
  RateLimiter limiter(Limit(5, seconds(10)));
  int retry = 0;
  for (int round = 0; round < 3; ++round) {
    TimePoint now = kT0 + seconds(10) * round;
    for (int i = 0; i < 5; ++i) CHECK(limiter.Allow("k", now, &retry));
    CHECK_FALSE(limiter.Allow("k", now, &retry));
  }
}

TEST_CASE("keys are limited independently", "[rate_limiter]") {
  RateLimiter limiter(Limit(1, seconds(60)));
  int retry = 0;
  CHECK(limiter.Allow("198.51.100.1", kT0, &retry));
  CHECK_FALSE(limiter.Allow("198.51.100.1", kT0, &retry));
  CHECK(limiter.Allow("198.51.100.2", kT0, &retry));
  CHECK(limiter.Allow("", kT0, &retry));
  CHECK_FALSE(limiter.Allow("198.51.100.2", kT0, &retry));
}

TEST_CASE("a disabled limit allows everything and remembers nothing", "[rate_limiter]") {
  RateLimit off = Limit(1, seconds(60));
  off.enabled = false;
  RateLimiter limiter(off);
  int retry = 0;
  for (int i = 0; i < 1000; ++i) CHECK(limiter.Allow("k", kT0, &retry));
  CHECK(limiter.size() == 0);
}

TEST_CASE("a null retry pointer is tolerated", "[rate_limiter]") {
  RateLimiter limiter(Limit(1, seconds(60)));
  CHECK(limiter.Allow("k", kT0, nullptr));
  CHECK_FALSE(limiter.Allow("k", kT0, nullptr));
}

TEST_CASE("memory stays bounded and stale keys go first", "[rate_limiter]") {
  const size_t max_keys = 1'600;  // 100 per shard
  RateLimiter limiter(Limit(2, seconds(60)), max_keys);
  int retry = 0;
  for (int i = 0; i < 50'000; ++i) {
    limiter.Allow("key-" + std::to_string(i), kT0 + milliseconds(i), &retry);
    REQUIRE(limiter.size() <= max_keys);
  }
  CHECK(limiter.size() > max_keys / 2);

  // When live keys must go, those nearest to a full bucket go first: the busy key stays limited.
  RateLimiter busy(Limit(1, seconds(1000)), max_keys);
  CHECK(busy.Allow("busy", kT0 + seconds(500), &retry));
  for (int i = 0; i < 10'000; ++i)
    busy.Allow("other-" + std::to_string(i), kT0 + milliseconds(i), &retry);
  CHECK(busy.size() <= max_keys);
  CHECK_FALSE(busy.Allow("busy", kT0 + seconds(500), &retry));
  CHECK_FALSE(busy.Allow("other-9999", kT0 + seconds(10), &retry));
}

TEST_CASE("keys whose bucket has refilled are dropped before live ones", "[rate_limiter]") {
  RateLimiter limiter(Limit(2, seconds(1)), 1'600);  // a key is stale 0.5 s after one request
  int retry = 0;
  for (int i = 0; i < 20'000; ++i) {
    limiter.Allow("key-" + std::to_string(i), kT0 + milliseconds(i), &retry);
  }
  // Only keys from the last half second are live, so nothing live had to be evicted.
  CHECK(limiter.size() <= 1'600);
  for (int i = 19'600; i < 20'000; ++i) {
    INFO(i);
    CHECK(limiter.Allow("key-" + std::to_string(i), kT0 + milliseconds(20'000), &retry));
    CHECK_FALSE(limiter.Allow("key-" + std::to_string(i), kT0 + milliseconds(20'000), &retry));
  }
}

TEST_CASE("concurrent requests are counted exactly", "[rate_limiter]") {
  const int kThreads = 8;
  const int kPerThread = 2'000;
  RateLimiter limiter(Limit(5'000, seconds(3600)));
  std::atomic<int> shared_allowed{0};
  std::atomic<int> own_allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      int retry = 0;
      for (int i = 0; i < kPerThread; ++i) {
        if (limiter.Allow("shared", kT0, &retry)) ++shared_allowed;
        if (limiter.Allow("own-" + std::to_string(t), kT0, &retry)) ++own_allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(shared_allowed == 5'000);
  CHECK(own_allowed == kThreads * kPerThread);
  CHECK(limiter.size() == kThreads + 1);
}
