#include "tests/support/load.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

namespace optin::test {

SignupLoad::SignupLoad(std::function<int()> port, std::string prefix, int threads,
                       std::chrono::milliseconds pace)
    : port_(std::move(port)), prefix_(std::move(prefix)), pace_(pace) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { Run(i); });
}

SignupLoad::~SignupLoad() { Stop(); }

void SignupLoad::Stop() {
  stop_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void SignupLoad::Run(int thread_index) {
  int port = 0;
  std::unique_ptr<httplib::Client> client;
  for (int n = 0; !stop_; ++n) {
    if (port != port_() || client == nullptr) {
      port = port_();
      client = std::make_unique<httplib::Client>("127.0.0.1", port);
      client->set_connection_timeout(2, 0);
      client->set_read_timeout(10, 0);
    }
    LoadResult r;
    r.email =
        prefix_ + "-" + std::to_string(thread_index) + "-" + std::to_string(n) + "@example.com";
    auto start = std::chrono::steady_clock::now();
    auto res =
        client->Post("/subscribe", nlohmann::json{{"email", r.email}}.dump(), "application/json");
    r.at = std::chrono::steady_clock::now();
    r.seconds = std::chrono::duration<double>(r.at - start).count();
    r.status = res ? res->status : 0;
    if (!res) client.reset();
    {
      std::lock_guard<std::mutex> lock(mu_);
      results_.push_back(r);
    }
    std::this_thread::sleep_for(pace_);
  }
}

std::vector<LoadResult> SignupLoad::Results() const {
  std::lock_guard<std::mutex> lock(mu_);
  return results_;
}

size_t SignupLoad::Count(int status) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& r : results_) n += r.status == status ? 1 : 0;
  return n;
}

}  // namespace optin::test
