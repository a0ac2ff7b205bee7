#include "integrations/cleverreach/answers.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "integrations/cleverreach/response.h"

namespace optin::cleverreach {
namespace {

constexpr int64_t kDefaultTokenLifetime = 3600;  // when the answer leaves expires_in out
constexpr int64_t kMaxRefreshMargin = 300;       // refresh this long before expiry (at most)

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

RemoteReceiver FromJson(const nlohmann::json& j) {
  RemoteReceiver r;
  r.id = JsonInt(j, "id");
  r.group_id = JsonInt(j, "group_id");
  r.active = JsonInt(j, "active") != 0;
  r.data.email = JsonString(j, "email");
  r.data.registered = JsonInt(j, "registered");
  r.data.activated = JsonInt(j, "activated");
  r.data.deactivated = JsonInt(j, "deactivated");
  r.data.source = JsonString(j, "source");
  if (j.contains("attributes") && j["attributes"].is_object()) r.data.attributes = j["attributes"];
  if (j.contains("global_attributes") && j["global_attributes"].is_object()) {
    r.data.global_attributes = j["global_attributes"];
  }
  return r;
}

}  // namespace

Result<nlohmann::json> ReadJsonAnswer(const HttpResponse& response, const std::string& what,
                                      const std::vector<std::string>& secrets) {
  if (response.status < 200 || response.status >= 300) {
    return ErrorFromResponse(response, what, secrets);
  }
  if (response.body.empty()) return nlohmann::json();
  auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_discarded()) return MalformedAnswer(what);
  return json;
}

Result<UpsertResult> ReadUpsertAnswer(const nlohmann::json& answer,
                                      const std::vector<Receiver>& rows) {
  if (!answer.is_array()) return MalformedAnswer("upsert");
  std::unordered_set<std::string> done;
  for (const auto& item : answer) done.insert(Lower(JsonString(item, "email")));
  UpsertResult result;
  for (const auto& row : rows) {
    (done.count(Lower(row.email)) ? result.succeeded : result.failed).push_back(row.email);
  }
  return result;
}

Result<std::vector<InactiveReceiver>> ReadInactiveAnswer(const nlohmann::json& answer) {
  if (!answer.is_array()) return MalformedAnswer("inactive receivers");
  std::vector<InactiveReceiver> rows;
  for (const auto& item : answer) {
    rows.push_back(InactiveReceiver{JsonString(item, "email"), JsonInt(item, "deactivated")});
  }
  return rows;
}

Result<RemoteReceiver> ReadReceiverAnswer(const nlohmann::json& answer) {
  if (!answer.is_object()) return MalformedAnswer("receiver");
  return FromJson(answer);
}

Result<std::vector<Group>> ReadGroupsAnswer(const nlohmann::json& answer) {
  if (!answer.is_array()) return MalformedAnswer("groups");
  std::vector<Group> groups;
  for (const auto& item : answer)
    groups.push_back(Group{JsonInt(item, "id"), JsonString(item, "name")});
  return groups;
}

Result<TokenAnswer> ReadTokenAnswer(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return MalformedAnswer("token");
  auto token = json.find("access_token");
  if (token == json.end() || !token->is_string() || token->get_ref<const std::string&>().empty()) {
    return MalformedAnswer("token");
  }
  TokenAnswer answer;
  answer.access_token = token->get<std::string>();
  int64_t lifetime = JsonInt(json, "expires_in");
  if (lifetime <= 0) lifetime = kDefaultTokenLifetime;
  answer.lifetime_seconds = std::min(lifetime, kMaxTokenLifetime);
  answer.refresh_after_seconds =
      answer.lifetime_seconds - std::min(kMaxRefreshMargin, answer.lifetime_seconds / 10);
  return answer;
}

std::string TokenRejectionReason(const std::string& body, const std::string& secret) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return "";
  auto error = json.find("error");
  if (error == json.end() || !error->is_string()) return "";
  return Scrub(error->get<std::string>(), {secret}).substr(0, 40);
}

}  // namespace optin::cleverreach
