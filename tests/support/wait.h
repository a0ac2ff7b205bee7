// Waiting on a condition with a deadline (never a bare sleep as synchronisation).
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace optin::test {

// Polls `condition` every few milliseconds until it holds (true) or `timeout` passes (false).
inline bool WaitUntil(const std::function<bool()>& condition,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace optin::test
