#include "service/http/elastic_task_queue.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "tests/support/wait.h"

using optin::http::ElasticTaskQueue;
using namespace std::chrono_literals;

namespace {

// A gate that blocked tasks wait on until the test opens it.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  void Wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return open; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu);
    open = true;
    cv.notify_all();
  }
};

}  // namespace

TEST_CASE("elastic task queue: starts threads beyond the core while all are busy, up to the max",
          "[http][queue]") {
  ElasticTaskQueue q(2, 5, 100ms);
  Gate gate;
  std::atomic<int> running{0};
  for (int i = 0; i < 8; ++i)
    q.enqueue([&] {
      ++running;
      gate.Wait();
    });
  REQUIRE(optin::test::WaitUntil([&] { return running == 5; }, 5s));
  CHECK(q.stats().threads == 5);
  CHECK(q.stats().queued == 3);
  gate.Open();
  REQUIRE(optin::test::WaitUntil([&] { return running == 8; }, 5s));
  // The extra threads end after being idle a while; the core stays.
  CHECK(optin::test::WaitUntil([&] { return q.stats().threads == 2; }, 5s));
}

TEST_CASE("elastic task queue: serves the newest first when more wait than there are core threads",
          "[http][queue]") {
  ElasticTaskQueue q(1, 1);
  Gate gate;
  std::mutex mu;
  std::vector<int> order;
  q.enqueue([&] { gate.Wait(); });
  REQUIRE(optin::test::WaitUntil([&] { return q.stats().busy == 1; }, 5s));
  for (int i = 0; i < 4; ++i) {
    q.enqueue([&, i] {
      std::lock_guard<std::mutex> lock(mu);
      order.push_back(i);
    });
  }
  gate.Open();
  REQUIRE(optin::test::WaitUntil(
      [&] {
        std::lock_guard<std::mutex> lock(mu);
        return order.size() == 4;
      },
      5s));
  // Newest first while the queue is longer than the core (1), then the last one in FIFO order.
  CHECK(order == std::vector<int>{3, 2, 1, 0});
}

TEST_CASE("elastic task queue: shutdown runs what is queued and waits for every thread",
          "[http][queue]") {
  std::atomic<int> done{0};
  {
    ElasticTaskQueue q(2, 4);
    for (int i = 0; i < 20; ++i) q.enqueue([&] { ++done; });
    q.shutdown();
    CHECK(done == 20);
    CHECK(q.stats().threads == 0);
  }
  CHECK(done == 20);
}
