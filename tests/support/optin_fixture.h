// An end-to-end fixture: a fresh database, the real optin binary serving on a random port with
// mail written as .eml files, and an HTTP client with helpers for the common calls. One per test.
#pragma once

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/process.h"
#include "tests/support/test_db.h"

namespace optin::test {

constexpr const char* kAdminToken = "test-admin-token-0123456789";

class OptinFixture {
 public:
  // `overrides` are applied on top of BaseEnv.
  explicit OptinFixture(const Env& overrides = {});
  ~OptinFixture();

  httplib::Client& client() { return *client_; }
  TestDatabase& db() { return db_; }
  OptinProcess& process() { return *process_; }
  const std::string& mail_dir() const { return mail_dir_; }

  // POST a JSON body; returns the response (fails the test if there is none).
  httplib::Result PostJson(const std::string& path, const nlohmann::json& body, bool admin = false);
  httplib::Result Admin(const std::string& method, const std::string& path,
                        const nlohmann::json& body = nullptr);
  // POST /subscribe {"email": email, ...extra}; REQUIREs a 202.
  void Subscribe(const std::string& email, const nlohmann::json& extra = nlohmann::json::object());
  // Waits until `count` .eml files exist; returns them.
  std::vector<std::string> WaitForMails(size_t count);
  // Waits for a mail to `email` and returns the confirmation token in the newest one.
  std::string ConfirmTokenFor(const std::string& email);
  // Signs up, waits for the mail, confirms; returns the subscription's unsubscribe URL path+query.
  std::string SubscribeAndConfirm(const std::string& email);
  // Restarts optin (same database, same mail dir).
  void Restart();

 private:
  TestDatabase db_;
  Env env_;
  std::string mail_dir_;
  std::unique_ptr<OptinProcess> process_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace optin::test
