// ElasticTaskQueue: the task queue behind cpp-httplib's server. httplib 0.11 hands every accepted
// connection to the queue and a worker thread stays with that connection until it closes, so
// idle or slow clients hold threads. This queue keeps `core` threads, starts more (up to `max`)
// while every thread is busy, lets the extra ones end after a quiet while, and when more tasks
// wait than there are core threads it serves the newest first, so that a burst of idle
// connections does not push a fresh request (a health check, a real visitor) to the back.
// Safe for concurrent use.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace optin::http {

class ElasticTaskQueue : public httplib::TaskQueue {
 public:
  struct Stats {
    size_t threads = 0;
    size_t busy = 0;
    size_t queued = 0;
  };

  // REQUIRES: 1 <= core <= max.
  ElasticTaskQueue(size_t core, size_t max,
                   std::chrono::milliseconds extra_idle = std::chrono::seconds(5));
  ~ElasticTaskQueue() override;

  void enqueue(std::function<void()> fn) override;
  // Runs what is queued, then ends every thread; waits for them.
  void shutdown() override;
  Stats stats() const;

 private:
  void Spawn(bool core);  // REQUIRES: mu_ held
  void Work(bool core);

  const size_t core_;
  const size_t max_;
  const std::chrono::milliseconds extra_idle_;
  mutable std::mutex mu_;  // guards everything below
  std::condition_variable work_cv_;
  std::condition_variable gone_cv_;
  std::deque<std::function<void()>> queue_;
  size_t threads_ = 0;
  size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace optin::http
