// Small helpers shared by the fake CleverReach's source files: JSON answers in CleverReach's
// shapes and address handling. Stateless; safe for concurrent use.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/fakes/fake_cleverreach.h"

namespace optin::test::fake {

inline void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// CleverReach's API error shape: {"error":{"code","message"}}.
inline void SendError(httplib::Response& res, int status, const std::string& message) {
  SendJson(res, status, {{"error", {{"code", status}, {"message", message}}}});
}

inline std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

inline bool IsDigits(const std::string& text) {
  return !text.empty() && text.size() < 18 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

inline bool ValidEmail(const std::string& email) {
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos)
    return false;
  if (email.find('.', at) == std::string::npos || email.back() == '.') return false;
  return std::none_of(email.begin(), email.end(), [](unsigned char c) { return std::isspace(c); });
}

inline int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline nlohmann::json ReceiverJson(const FakeReceiver& r) {
  return {{"id", r.id},
          {"email", r.email},
          {"activated", r.activated},
          {"registered", r.registered},
          {"deactivated", r.deactivated},
          {"source", r.source},
          {"attributes", r.attributes},
          {"global_attributes", r.global_attributes},
          {"active", r.active},
          {"bounced", r.bounced},
          {"group_id", r.group_id},
          {"tags", nlohmann::json::array()}};
}

}  // namespace optin::test::fake
