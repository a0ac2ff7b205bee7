#include "tests/support/optin_fixture.h"

#include <catch2/catch.hpp>

#include "tests/support/mail_reader.h"
#include "tests/support/wait.h"

namespace optin::test {

OptinFixture::OptinFixture(const Env& overrides) : db_(/*migrated=*/true) {
  env_ = BaseEnv(db_.url());
  for (const auto& [k, v] : overrides) env_[k] = v;
  mail_dir_ = env_["OPTIN_MAIL_DIR"];
  Restart();
}

OptinFixture::~OptinFixture() {
  if (process_) process_->Terminate();
}

void OptinFixture::Restart() {
  if (process_) process_->Terminate();
  process_ = std::make_unique<OptinProcess>(env_);
  process_->Start();
  int port = process_->WaitForPort();
  client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
  client_->set_read_timeout(15, 0);
}

httplib::Result OptinFixture::PostJson(const std::string& path, const nlohmann::json& body,
                                       bool admin) {
  httplib::Headers headers;
  if (admin) headers.emplace("Authorization", std::string("Bearer ") + kAdminToken);
  auto r = client_->Post(path.c_str(), headers, body.dump(), "application/json");
  REQUIRE(r);
  return r;
}

httplib::Result OptinFixture::Admin(const std::string& method, const std::string& path,
                                    const nlohmann::json& body) {
  httplib::Headers headers = {{"Authorization", std::string("Bearer ") + kAdminToken}};
  httplib::Result r{nullptr, httplib::Error::Unknown};
  if (method == "GET")
    r = client_->Get(path.c_str(), headers);
  else if (method == "DELETE")
    r = client_->Delete(path.c_str(), headers);
  else if (method == "PUT")
    r = client_->Put(path.c_str(), headers, body.dump(), "application/json");
  else
    r = client_->Post(path.c_str(), headers, body.dump(), "application/json");
  REQUIRE(r);
  return r;
}

void OptinFixture::Subscribe(const std::string& email, const nlohmann::json& extra) {
  nlohmann::json body = extra;
  body["email"] = email;
  auto r = PostJson("/subscribe", body);
  INFO(r->body);
  REQUIRE(r->status == 202);
}

std::vector<std::string> OptinFixture::WaitForMails(size_t count) {
  bool ok =
      WaitUntil([&] { return ReadEmlFiles(mail_dir_).size() >= count; }, std::chrono::seconds(15));
  INFO("optin log:\n" << process_->Log());
  REQUIRE(ok);
  return ReadEmlFiles(mail_dir_);
}

std::string OptinFixture::ConfirmTokenFor(const std::string& email) {
  std::string token;
  bool ok = WaitUntil(
      [&] {
        for (const auto& mail : ReadEmlFiles(mail_dir_)) {
          if (mail.find("\r\nTo: " + email + "\r\n") == std::string::npos) continue;
          token = QueryValue(FindLink(mail, "/confirm?token="), "token");
        }
        return !token.empty();
      },
      std::chrono::seconds(15));
  INFO("optin log:\n" << process_->Log());
  REQUIRE(ok);
  return token;
}

std::string OptinFixture::SubscribeAndConfirm(const std::string& email) {
  Subscribe(email);
  std::string token = ConfirmTokenFor(email);
  auto r = PostJson("/confirm", {{"token", token}});
  REQUIRE(r->status == 200);
  auto who = Admin("GET", "/admin/subscribers?email=" + email);
  REQUIRE(who->status == 200);
  auto doc = nlohmann::json::parse(who->body);
  std::string url = doc["subscriptions"][0]["unsubscribe_url"];
  return url.substr(url.find("/unsubscribe"));
}

}  // namespace optin::test
