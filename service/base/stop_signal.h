// StopSignal: lets background workers sleep until their next step or until shutdown, whichever
// comes first, and be woken early when new work arrives. Safe for concurrent use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace optin {

class StopSignal {
 public:
  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }
  bool stopped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stopped_;
  }
  // Sleeps up to `d`; returns false when stopped.
  template <typename Duration>
  bool SleepFor(Duration d) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, d, [this] { return stopped_; });
    return !stopped_;
  }

 private:
  mutable std::mutex mu_;  // guards stopped_
  std::condition_variable cv_;
  bool stopped_ = false;
};

}  // namespace optin
