// CleverReachClient's OAuth part: client-credentials token fetch and the cached-token check.
#include <algorithm>

#include "integrations/cleverreach/client.h"
#include "integrations/cleverreach/response.h"
#include "service/log.h"

namespace optin::cleverreach {
namespace {

constexpr int64_t kDefaultTokenLifetime = 3600;  // when the answer leaves expires_in out
constexpr int64_t kMaxRefreshMargin = 300;       // refresh this long before expiry (at most)

}  // namespace

Status CleverReachClient::EnsureToken() {
  if (!token_.empty() && std::chrono::steady_clock::now() < token_expires_) return Status::Ok();
  return FetchToken();
}

Status CleverReachClient::FetchToken() {
  token_.clear();
  HttpRequest request;
  request.method = "POST";
  request.url = token_url_;
  request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  request.body = "grant_type=client_credentials";
  request.basic_user = client_id_;
  request.basic_password = client_secret_;
  auto response = transport_.Send(request);
  if (!response.ok()) return response.status();

  long code = response->status;
  if (code == 400 || code == 401 || code == 403) {
    // OAuth names the reason in "error" (invalid_grant, invalid_client): safe and useful.
    auto body = nlohmann::json::parse(response->body, nullptr, false);
    std::string reason;
    if (body.is_object() && body["error"].is_string()) {
      reason = Scrub(body["error"].get<std::string>(), {client_secret_}).substr(0, 40);
    }
    LogWarn("cleverreach_auth_rejected", {{"status", code}, {"reason", reason}});
    return Status(StatusCode::kUnauthorized, "cleverreach_auth",
                  "CleverReach rejected the client credentials (HTTP " + std::to_string(code) +
                      (reason.empty() ? "" : ", " + reason) + ")");
  }
  if (code < 200 || code >= 300) {
    return ErrorFromResponse(*response, "token", {client_id_, client_secret_});
  }
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  std::string token = JsonString(body, "access_token");
  if (body.is_discarded() || !body.is_object() || !body["access_token"].is_string() ||
      token.empty()) {
    return MalformedAnswer("token");
  }
  int64_t lifetime = JsonInt(body, "expires_in");
  if (lifetime <= 0) lifetime = kDefaultTokenLifetime;
  int64_t margin = std::min(kMaxRefreshMargin, lifetime / 10);
  token_ = token;
  token_expires_ = std::chrono::steady_clock::now() + std::chrono::seconds(lifetime - margin);
  LogInfo("cleverreach_token_fetched", {{"expires_in", lifetime}});
  return Status::Ok();
}

}  // namespace optin::cleverreach
