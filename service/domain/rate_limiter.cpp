#include "service/domain/rate_limiter.h"

#include <algorithm>
#include <array>
#include <climits>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace optin {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kShards = 16;
// A full shard frees at least this fraction of itself at once, so that the O(n) sweep is paid
// once per many inserts rather than on every insert while an attacker churns through keys.
constexpr size_t kFreeDivisor = 8;

int CeilSeconds(Clock::duration d) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  long long seconds = (ns + 999'999'999) / 1'000'000'000;
  return static_cast<int>(std::clamp<long long>(seconds, 1, INT_MAX));
}

}  // namespace

// GCRA: per key only the "theoretical arrival time" (tat) is kept, the instant at which the
// key's bucket is full again. Each request pushes it one interval further; a request is refused
// while that would put it more than `burst` ahead of now. A tat in the past means a full bucket,
// so such an entry can be dropped without changing any answer.
struct RateLimiter::Impl {
  struct alignas(64) Shard {  // own cache line: shards are locked by different threads
    mutable std::mutex mutex;
    std::unordered_map<std::string, Clock::time_point> tat;  // guarded by mutex
  };

  bool enabled = false;
  Clock::duration interval{1};  // the cost of one request
  Clock::duration burst{1};     // requests * interval, never more than the window
  size_t shard_capacity = 1;
  std::array<Shard, kShards> shards;

  Shard& ShardFor(const std::string& key) {
    return shards[std::hash<std::string>()(key) % kShards];
  }
  void MakeRoom(Shard& shard, Clock::time_point now) const;
};

// REQUIRES: shard.mutex held and shard.tat.size() >= shard_capacity.
void RateLimiter::Impl::MakeRoom(Shard& shard, Clock::time_point now) const {
  auto& map = shard.tat;
  for (auto it = map.begin(); it != map.end();) {
    it = it->second <= now ? map.erase(it) : std::next(it);
  }
  size_t target = shard_capacity - std::max<size_t>(1, shard_capacity / kFreeDivisor);
  if (map.size() <= target) return;
  // Still full of live keys: forget those nearest to a full bucket, which loses the least.
  size_t excess = map.size() - target;
  std::vector<Clock::time_point> tats;
  tats.reserve(map.size());
  for (const auto& entry : map) tats.push_back(entry.second);
  std::nth_element(tats.begin(), tats.begin() + (excess - 1), tats.end());
  Clock::time_point threshold = tats[excess - 1];
  for (auto it = map.begin(); it != map.end() && excess > 0;) {
    if (it->second < threshold) {
      it = map.erase(it);
      --excess;
    } else {
      ++it;
    }
  }
  for (auto it = map.begin(); it != map.end() && excess > 0;) {
    if (it->second == threshold) {
      it = map.erase(it);
      --excess;
    } else {
      ++it;
    }
  }
}

RateLimiter::RateLimiter(RateLimit limit, size_t max_keys) : impl_(std::make_unique<Impl>()) {
  impl_->enabled = limit.enabled;
  // ParseRateLimit never yields these; clamping keeps a hand-built limit from dividing by zero.
  auto requests = std::max(1, limit.requests);
  Clock::duration window = std::max<Clock::duration>(limit.window, Clock::duration(1));
  impl_->interval = std::max<Clock::duration>(window / requests, Clock::duration(1));
  impl_->burst = impl_->interval * requests;
  impl_->shard_capacity = std::max<size_t>(1, (max_keys + kShards - 1) / kShards);
}

RateLimiter::~RateLimiter() = default;

bool RateLimiter::Allow(const std::string& key, Clock::time_point now, int* retry_after_seconds) {
  if (!impl_->enabled) return true;
  Impl::Shard& shard = impl_->ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.tat.find(key);
  bool known = it != shard.tat.end();
  Clock::time_point start = known ? std::max(it->second, now) : now;
  Clock::time_point next = start + impl_->interval;
  if (next - now > impl_->burst) {
    if (retry_after_seconds != nullptr)
      *retry_after_seconds = CeilSeconds(next - impl_->burst - now);
    return false;
  }
  if (known) {
    it->second = next;
    return true;
  }
  if (shard.tat.size() >= impl_->shard_capacity) impl_->MakeRoom(shard, now);
  shard.tat.emplace(key, next);
  return true;
}

size_t RateLimiter::size() const {
  size_t total = 0;
  for (const auto& shard : impl_->shards) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    total += shard.tat.size();
  }
  return total;
}

}  // namespace optin
