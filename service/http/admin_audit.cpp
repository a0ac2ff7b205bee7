// GET /admin/audit?since=&limit=: the admin audit trail, oldest first, in pages.
#include <regex>

#include "service/http/admin_routes.h"
#include "service/http/respond.h"

namespace optin::http {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

Status BadRequest(const std::string& message) {
  return Status::InvalidArgument("invalid_request", message);
}

bool AllDigits(const std::string& s, size_t max_len) {
  return !s.empty() && s.size() <= max_len &&
         s.find_first_not_of("0123456789") == std::string::npos;
}

// An ISO 8601 UTC time: 2026-12-04T02:30:00Z, optionally with a fraction of seconds.
bool IsUtcTime(const std::string& s) {
  static const std::regex kTime(
      R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z)");
  return s.size() <= 40 && std::regex_match(s, kTime);
}

void Page(const AdminDeps& d, const httplib::Request& req, httplib::Response& res) {
  int64_t after_id = 0;
  std::string since_time;
  if (req.has_param("since")) {
    std::string since = req.get_param_value("since");
    if (AllDigits(since, 18)) {
      after_id = std::stoll(since);
    } else if (IsUtcTime(since)) {
      since_time = since;
    } else {
      return WriteError(res, BadRequest("since must be the id of the last row seen or a UTC time "
                                        "such as 2026-01-31T12:00:00Z"));
    }
  }
  int limit = kDefaultLimit;
  if (req.has_param("limit")) {
    std::string text = req.get_param_value("limit");
    if (!AllDigits(text, 4) || std::stoi(text) < 1 || std::stoi(text) > kMaxLimit) {
      return WriteError(res, BadRequest("limit must be a number from 1 to 1000"));
    }
    limit = std::stoi(text);
  }
  for (const auto& [key, value] : req.params) {
    if (key != "since" && key != "limit") {
      return WriteError(res, BadRequest("unknown parameter " + key.substr(0, 40)));
    }
  }
  // One row more than asked tells whether another page follows.
  auto rows = d.audit.Page(after_id, since_time, limit + 1);
  if (!rows.ok()) return WriteError(res, rows.status());
  bool more = static_cast<int>(rows->size()) > limit;
  if (more) rows->pop_back();
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : *rows) {
    entries.push_back({{"id", e.id},
                       {"at", e.occurred_at},
                       {"admin", e.admin},
                       {"action", e.action},
                       {"target", e.target},
                       {"outcome", e.outcome},
                       {"detail", nlohmann::json::parse(e.detail_json, nullptr, false)}});
  }
  int64_t next = rows->empty() ? after_id : rows->back().id;
  WriteJson(res, 200,
            {{"entries", entries},
             {"next_since", more ? nlohmann::json(std::to_string(next)) : nlohmann::json(nullptr)},
             {"last_id", rows->empty() ? nlohmann::json(nullptr) : nlohmann::json(next)}});
}

}  // namespace

void RegisterAuditRoutes(HttpServer& server, const AdminDeps& d) {
  server.Handle("GET", "/admin/audit",
                AdminOnly(d.config, [d](const httplib::Request& req, httplib::Response& res) {
                  Page(d, req, res);
                }));
}

}  // namespace optin::http
