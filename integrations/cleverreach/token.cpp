// CleverReachClient's OAuth part: client-credentials token fetch and the cached-token check.
#include "integrations/cleverreach/answers.h"
#include "integrations/cleverreach/client.h"
#include "integrations/cleverreach/response.h"
#include "service/base/log.h"

namespace optin::cleverreach {

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
    std::string reason = TokenRejectionReason(response->body, client_secret_);
    LogWarn("cleverreach_auth_rejected", {{"status", code}, {"reason", reason}});
    return Status(StatusCode::kUnauthorized, "cleverreach_auth",
                  "CleverReach rejected the client credentials (HTTP " + std::to_string(code) +
                      (reason.empty() ? "" : ", " + reason) + ")");
  }
  if (code < 200 || code >= 300) {
    return ErrorFromResponse(*response, "token", {client_id_, client_secret_});
  }
  auto answer = ReadTokenAnswer(response->body);
  if (!answer.ok()) return answer.status();
  token_ = answer->access_token;
  token_expires_ =
      std::chrono::steady_clock::now() + std::chrono::seconds(answer->refresh_after_seconds);
  LogInfo("cleverreach_token_fetched", {{"expires_in", answer->lifetime_seconds}});
  return Status::Ok();
}

}  // namespace optin::cleverreach
