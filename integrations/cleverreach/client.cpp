#include "integrations/cleverreach/client.h"

#include "integrations/cleverreach/answers.h"

namespace optin::cleverreach {
namespace {

constexpr std::chrono::milliseconds kConnectTimeout(5'000);

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

nlohmann::json ToJson(const Receiver& r) {
  return {{"email", r.email},          {"registered", r.registered},
          {"activated", r.activated},  {"deactivated", r.deactivated},
          {"source", r.source},        {"global_attributes", r.global_attributes},
          {"attributes", r.attributes}};
}

// Turns "already done" answers of idempotent calls into success.
Status OkIf(const Result<nlohmann::json>& result, StatusCode already_done) {
  if (result.ok() || result.status().code() == already_done) return Status::Ok();
  return result.status();
}

}  // namespace

bool IsTransient(const Status& status) {
  return status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kRateLimited;
}

CleverReachClient::CleverReachClient(const Config& config)
    : client_id_(config.cleverreach_client_id),
      client_secret_(config.cleverreach_client_secret),
      api_url_(TrimSlash(config.cleverreach_api_url)),
      token_url_(config.cleverreach_token_url),
      transport_(kConnectTimeout, config.sync_http_timeout) {}

Result<HttpResponse> CleverReachClient::Call(const std::string& method, const std::string& path,
                                             const std::string& body) {
  for (int attempt = 0;; ++attempt) {
    Status token = EnsureToken();
    if (!token.ok()) return token;
    HttpRequest request;
    request.method = method;
    request.url = api_url_ + path;
    request.headers = {"Authorization: Bearer " + token_, "Accept: application/json"};
    if (!body.empty()) request.headers.push_back("Content-Type: application/json");
    request.body = body;
    auto response = transport_.Send(request);
    if (!response.ok() || response->status != 401 || attempt == 1) return response;
    token_.clear();  // rejected: the next round fetches a fresh one
  }
}

Result<nlohmann::json> CleverReachClient::CallJson(const std::string& method,
                                                   const std::string& path,
                                                   const std::string& body) {
  auto response = Call(method, path, body);
  if (!response.ok()) return response.status();
  // The first path segment names the call in messages; the rest may hold an address.
  std::string what = method + " " + path.substr(0, path.find('/', 1));
  return ReadJsonAnswer(*response, what, {client_secret_, token_});
}

std::string CleverReachClient::GroupPath(int64_t group_id) const {
  return "/groups/" + std::to_string(group_id);
}

Result<UpsertResult> CleverReachClient::UpsertReceivers(int64_t group_id,
                                                        const std::vector<Receiver>& rows) {
  if (rows.empty()) return UpsertResult();
  nlohmann::json batch = nlohmann::json::array();
  for (const auto& row : rows) batch.push_back(ToJson(row));
  auto answer = CallJson("POST", GroupPath(group_id) + "/receivers/upsertplus", batch.dump());
  if (!answer.ok()) return answer.status();
  return ReadUpsertAnswer(*answer, rows);
}

Status CleverReachClient::DeactivateReceiver(int64_t group_id, const std::string& email) {
  return CallJson("PUT",
                  GroupPath(group_id) + "/receivers/" + transport_.Escape(email) + "/setinactive")
      .status();
}

Status CleverReachClient::ActivateReceiver(int64_t group_id, const std::string& email) {
  return CallJson("PUT",
                  GroupPath(group_id) + "/receivers/" + transport_.Escape(email) + "/activate")
      .status();
}

Status CleverReachClient::DeleteReceiverFromGroup(int64_t group_id, const std::string& email) {
  return OkIf(CallJson("DELETE", GroupPath(group_id) + "/receivers/" + transport_.Escape(email)),
              StatusCode::kNotFound);
}

Status CleverReachClient::DeleteReceiver(const std::string& email) {
  return OkIf(CallJson("DELETE", "/receivers/" + transport_.Escape(email)), StatusCode::kNotFound);
}

Status CleverReachClient::BlacklistAdd(const std::string& email, const std::string& comment) {
  nlohmann::json body = {{"email", email}, {"comment", comment}};
  return OkIf(CallJson("POST", "/blacklist", body.dump()), StatusCode::kConflict);
}

Status CleverReachClient::BlacklistRemove(const std::string& email) {
  return OkIf(CallJson("DELETE", "/blacklist/" + transport_.Escape(email)), StatusCode::kNotFound);
}

Result<std::vector<InactiveReceiver>> CleverReachClient::ListInactiveReceivers(int64_t group_id,
                                                                               int page,
                                                                               int pagesize) {
  if (page < 0 || pagesize < 1 || pagesize > kMaxPageSize) {
    return Status::InvalidArgument("invalid_page", "page >= 0 and 1 <= pagesize <= 5000");
  }
  auto answer = CallJson("GET", GroupPath(group_id) + "/receivers?type=inactive&page=" +
                                    std::to_string(page) + "&pagesize=" + std::to_string(pagesize));
  if (!answer.ok()) return answer.status();
  return ReadInactiveAnswer(*answer);
}

Result<RemoteReceiver> CleverReachClient::GetReceiver(int64_t group_id,
                                                      const std::string& id_or_email) {
  auto answer =
      CallJson("GET", GroupPath(group_id) + "/receivers/" + transport_.Escape(id_or_email));
  if (!answer.ok()) return answer.status();
  return ReadReceiverAnswer(*answer);
}

Result<std::vector<Group>> CleverReachClient::ListGroups() {
  auto answer = CallJson("GET", "/groups");
  if (!answer.ok()) return answer.status();
  return ReadGroupsAnswer(*answer);
}

}  // namespace optin::cleverreach
