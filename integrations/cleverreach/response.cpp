#include "integrations/cleverreach/response.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <ctime>

namespace optin::cleverreach {

int ParseRetryAfter(const std::string& value) {
  if (value.empty()) return 0;
  bool digits = value.size() <= 9;
  for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) return std::max(1, std::stoi(value));
  time_t when = curl_getdate(value.c_str(), nullptr);
  if (when < 0) return 0;
  auto delta = static_cast<int64_t>(when) - static_cast<int64_t>(std::time(nullptr));
  return static_cast<int>(std::clamp<int64_t>(delta, 1, 86'400));
}

std::string Scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + 10)) {
      text.replace(pos, secret.size(), "[redacted]");
    }
  }
  // Anything around an '@' up to a delimiter is taken for an address. (No std::regex: GCC 12
  // warns inside it under -fsanitize, and the build must stay warning-free.)
  static const std::string kDelimiters = " \t\r\n\"'<>(),;:[]{}";
  for (auto at = text.find('@'); at != std::string::npos; at = text.find('@', at)) {
    auto first = text.find_last_of(kDelimiters, at);
    first = first == std::string::npos ? 0 : first + 1;
    auto last = text.find_first_of(kDelimiters, at);
    if (last == std::string::npos) last = text.size();
    text.replace(first, last - first, "[address]");
    at = first + 9;
  }
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text;
}

namespace {

// CleverReach's error text: {"error":{"code","message"}}, {"error":"..."}, or OAuth's
// {"error","error_description"}.
std::string ServerMessage(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("error")) return "";
  const auto& error = json["error"];
  if (error.is_object()) return JsonString(error, "message");
  if (!error.is_string()) return "";
  std::string text = error.get<std::string>();
  std::string description = JsonString(json, "error_description");
  return description.empty() ? text : text + ": " + description;
}

}  // namespace

Status ErrorFromResponse(const HttpResponse& response, const std::string& what,
                         const std::vector<std::string>& secrets) {
  long code = response.status;
  std::string message = "CleverReach " + what + ": HTTP " + std::to_string(code);
  std::string server = Scrub(ServerMessage(response.body), secrets);
  if (!server.empty()) message += ": " + server;
  switch (code) {
    case 429:
      return Status(StatusCode::kRateLimited, "cleverreach_rate_limited", message)
          .WithRetryAfter(ParseRetryAfter(response.retry_after));
    case 413:
      return Status(StatusCode::kPayloadTooLarge, "cleverreach_payload_too_large", message);
    case 401:
      return Status(StatusCode::kUnauthorized, "cleverreach_unauthorized", message);
    case 404:
      return Status::NotFound("cleverreach_not_found", message);
    case 409:
      return Status::Conflict(message);
    default:
      break;
  }
  if (code >= 400 && code < 500) return Status::InvalidArgument("cleverreach_rejected", message);
  return Status::Unavailable(message);
}

Status MalformedAnswer(const std::string& what) {
  return Status::Unavailable("CleverReach " + what + ": malformed answer");
}

int64_t JsonInt(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number_unsigned()) {
    auto v = it->get<uint64_t>();
    return v <= static_cast<uint64_t>(INT64_MAX) ? static_cast<int64_t>(v) : 0;
  }
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_float()) {
    // Out of int64's range the cast is undefined behaviour: treat it as unreadable.
    double v = it->get<double>();
    return v > -9.2e18 && v < 9.2e18 ? static_cast<int64_t>(v) : 0;
  }
  if (it->is_boolean()) return it->get<bool>() ? 1 : 0;
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    return end != s.c_str() ? v : 0;
  }
  return 0;
}

std::string JsonString(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace optin::cleverreach
