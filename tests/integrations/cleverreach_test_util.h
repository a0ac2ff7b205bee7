// Helpers for the CleverReach client tests: a Config pointing at a FakeCleverReach, and capture
// of this process's stderr (where log lines go). One per test; not shared between threads.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>

#include "service/base/config.h"
#include "tests/fakes/fake_cleverreach.h"

namespace optin::test {

inline Config ConfigFor(const FakeCleverReach& fake,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  Config config;
  config.cleverreach_client_id = FakeCleverReach::kClientId;
  config.cleverreach_client_secret = FakeCleverReach::kClientSecret;
  config.cleverreach_api_url = fake.api_url();
  config.cleverreach_token_url = fake.token_url();
  config.sync_http_timeout = timeout;
  return config;
}

// Redirects fd 2 into a temporary file until Text() or destruction.
class StderrCapture {
 public:
  StderrCapture() : file_(std::tmpfile()), saved_(dup(2)) {
    std::fflush(stderr);
    dup2(fileno(file_), 2);
  }
  ~StderrCapture() {
    Restore();
    std::fclose(file_);
  }
  std::string Text() {
    Restore();
    std::string text;
    std::rewind(file_);
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, file_)) > 0;) text.append(buf, n);
    return text;
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::FILE* file_;
  int saved_;
};

}  // namespace optin::test
