#include "service/http/elastic_task_queue.h"

#include <thread>

namespace optin::http {

ElasticTaskQueue::ElasticTaskQueue(size_t core, size_t max, std::chrono::milliseconds extra_idle)
    : core_(core), max_(max < core ? core : max), extra_idle_(extra_idle) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < core_; ++i) Spawn(true);
}

ElasticTaskQueue::~ElasticTaskQueue() { shutdown(); }

void ElasticTaskQueue::Spawn(bool core) {
  ++threads_;
  // Detached: extra threads end on their own; shutdown() waits for the count to reach zero.
  std::thread([this, core] { Work(core); }).detach();
}

void ElasticTaskQueue::enqueue(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutdown_) return;
  queue_.push_back(std::move(fn));
  if (idle_ < queue_.size() && threads_ < max_) Spawn(false);
  work_cv_.notify_one();
}

void ElasticTaskQueue::Work(bool core) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    ++idle_;
    bool woke = true;
    if (core) {
      work_cv_.wait(lock, [this] { return shutdown_ || !queue_.empty(); });
    } else {
      woke = work_cv_.wait_for(lock, extra_idle_, [this] { return shutdown_ || !queue_.empty(); });
    }
    --idle_;
    if (queue_.empty() && (shutdown_ || !woke)) break;
    std::function<void()> task;
    // Newest first under pressure: see the header.
    if (queue_.size() > core_) {
      task = std::move(queue_.back());
      queue_.pop_back();
    } else {
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    task();
    task = nullptr;
    lock.lock();
  }
  --threads_;
  gone_cv_.notify_all();
}

void ElasticTaskQueue::shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  shutdown_ = true;
  work_cv_.notify_all();
  gone_cv_.wait(lock, [this] { return threads_ == 0; });
}

ElasticTaskQueue::Stats ElasticTaskQueue::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Stats{threads_, threads_ - idle_, queue_.size()};
}

}  // namespace optin::http
