// Client-side load for fault-injection and abuse tests: threads that keep sending requests to
// an optin whose port may change (restarts), remembering each answer (status 0 = no answer).
// Safe for concurrent use: the load threads and the test thread share it through a mutex.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace optin::test {

struct LoadResult {
  std::string email;
  int status = 0;  // 0: no answer (connection refused, reset, timeout)
  double seconds = 0;
  std::chrono::steady_clock::time_point at;
};

// `threads` threads POST /subscribe {"email": PREFIX-T-N@example.com} to 127.0.0.1:port() until
// Stop(), pausing `pace` between requests (a rate bound, not synchronisation).
class SignupLoad {
 public:
  SignupLoad(std::function<int()> port, std::string prefix, int threads,
             std::chrono::milliseconds pace);
  ~SignupLoad();
  void Stop();
  std::vector<LoadResult> Results() const;
  size_t Count(int status) const;

 private:
  void Run(int thread_index);
  std::function<int()> port_;
  std::string prefix_;
  std::chrono::milliseconds pace_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;  // guards results_
  std::vector<LoadResult> results_;
  std::vector<std::thread> threads_;
};

}  // namespace optin::test
