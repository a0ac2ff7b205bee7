// FakeCleverReach: the REST v3 resources (groups, receivers, blacklist) over the in-memory state.
#include <httplib.h>

#include "tests/fakes/fake_cleverreach.h"
#include "tests/fakes/fake_http_util.h"

namespace optin::test {
namespace {

int64_t GroupId(const httplib::Request& req) {
  std::string text = req.matches[1];
  return fake::IsDigits(text) ? std::stoll(text) : -1;
}

int IntParam(const httplib::Request& req, const char* name, int fallback) {
  std::string text = req.get_param_value(name);
  return fake::IsDigits(text) && text.size() < 9 ? std::stoi(text) : fallback;
}

const char* kNoGroup = "Not Found: invalid group";
const char* kNoReceiver = "Not Found: invalid receiver";

}  // namespace

void FakeCleverReach::GroupsList(const httplib::Request&, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, name] : groups_) {
    out.push_back({{"id", id},
                   {"name", name},
                   {"locked", false},
                   {"backup", true},
                   {"receiver_info", ""},
                   {"stamp", fake::UnixNow()},
                   {"last_mailing", 0},
                   {"last_changed", fake::UnixNow()}});
  }
  fake::SendJson(res, 200, out);
}

void FakeCleverReach::GroupsGet(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = groups_.find(GroupId(req));
  if (it == groups_.end()) return fake::SendError(res, 404, kNoGroup);
  fake::SendJson(res, 200,
                 {{"id", it->first},
                  {"name", it->second},
                  {"locked", false},
                  {"backup", true},
                  {"receiver_info", ""},
                  {"stamp", fake::UnixNow()},
                  {"last_mailing", 0},
                  {"last_changed", fake::UnixNow()}});
}

void FakeCleverReach::Upsert(const httplib::Request& req, httplib::Response& res) {
  auto rows = nlohmann::json::parse(req.body, nullptr, false);
  std::lock_guard<std::mutex> lock(mu_);
  int64_t gid = GroupId(req);
  if (groups_.count(gid) == 0) return fake::SendError(res, 404, kNoGroup);
  if (rows.is_discarded() || !rows.is_array()) {
    return fake::SendError(res, 400, "Bad Request: expected an array of receivers");
  }
  if (rows.size() > batch_limit_) return fake::SendError(res, 413, "Payload Too Large");
  nlohmann::json out = nlohmann::json::array();
  for (const auto& row : rows) {
    if (!row.is_object() || !row.contains("email") || !row["email"].is_string()) continue;
    std::string email = row["email"];
    if (!fake::ValidEmail(email) || fail_upsert_.count(fake::Lower(email)) > 0) continue;
    Store(gid, row);
    ++upserted_rows_;
    out.push_back(fake::ReceiverJson(*Find(gid, email)));
  }
  fake::SendJson(res, 200, out);
}

void FakeCleverReach::ReceiverGet(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = Find(GroupId(req), req.matches[2]);
  if (r == nullptr) return fake::SendError(res, 404, kNoReceiver);
  fake::SendJson(res, 200, fake::ReceiverJson(*r));
}

void FakeCleverReach::ReceiverDeactivate(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = Find(GroupId(req), req.matches[2]);
  if (r == nullptr) return fake::SendError(res, 404, kNoReceiver);
  r->deactivated = fake::UnixNow();
  r->active = false;
  fake::SendJson(res, 200, true);
}

void FakeCleverReach::ReceiverActivate(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = Find(GroupId(req), req.matches[2]);
  if (r == nullptr) return fake::SendError(res, 404, kNoReceiver);
  r->deactivated = 0;
  r->activated = fake::UnixNow();
  r->active = true;
  fake::SendJson(res, 200, true);
}

void FakeCleverReach::BouncesList(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!bounces_enabled_)
    return fake::SendError(res, 403, "Forbidden: not available for this account");
  constexpr size_t kPage = 100;  // no documented pagesize: a fixed page, the last one shorter
  size_t page = static_cast<size_t>(IntParam(req, "page", 0));
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = page * kPage; i < bounces_.size() && out.size() < kPage; ++i) {
    const auto& b = bounces_[i];
    out.push_back({{"email", b.email},
                   {"category", b.category},
                   {"type", b.type},
                   {"type_id", b.type == "hard"   ? 1
                               : b.type == "soft" ? 2
                                                  : 3},
                   {"occurences", 1},
                   {"last_update", b.last_update},
                   {"expires_by", b.expires_by},
                   {"bounce_message", b.message}});
  }
  fake::SendJson(res, 200, out);
}

void FakeCleverReach::ReceiverRemove(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = Find(GroupId(req), req.matches[2]);
  if (r == nullptr) return fake::SendError(res, 404, kNoReceiver);
  int64_t gid = r->group_id;
  auto& group = receivers_[gid];
  group.erase(group.begin() + (r - group.data()));
  Reindex(gid);
  fake::SendJson(res, 200, true);
}

void FakeCleverReach::ReceiverDelete(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string email = fake::Lower(req.matches[1]);
  bool found = false;
  for (auto& [gid, group] : receivers_) {
    auto before = group.size();
    group.erase(
        std::remove_if(group.begin(), group.end(),
                       [&](const FakeReceiver& r) { return fake::Lower(r.email) == email; }),
        group.end());
    if (group.size() != before) Reindex(gid);
    found = found || group.size() != before;
  }
  if (!found) return fake::SendError(res, 404, kNoReceiver);
  fake::SendJson(res, 200, true);
}

void FakeCleverReach::ReceiversList(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t gid = GroupId(req);
  if (groups_.count(gid) == 0) return fake::SendError(res, 404, kNoGroup);
  std::string type = req.has_param("type") ? req.get_param_value("type") : "all";
  int page = IntParam(req, "page", 0);
  int pagesize = std::clamp(IntParam(req, "pagesize", 50), 1, 5000);
  std::vector<const FakeReceiver*> rows;
  for (const auto& r : receivers_[gid]) {
    if (type == "all" || (type == "active" && r.active) || (type == "inactive" && !r.active) ||
        (type == "bounce" && r.bounced > 0)) {
      rows.push_back(&r);
    }
  }
  std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->id < b->id; });
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = static_cast<size_t>(page) * pagesize;
       i < rows.size() && out.size() < static_cast<size_t>(pagesize); ++i) {
    out.push_back(fake::ReceiverJson(*rows[i]));
  }
  fake::SendJson(res, 200, out);
}

void FakeCleverReach::BlacklistAdd(const httplib::Request& req, httplib::Response& res) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  std::string email = body.is_object() ? body.value("email", "") : "";
  if (!fake::ValidEmail(email)) return fake::SendError(res, 400, "Bad Request: invalid email");
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& entry : blacklist_) {
    if (fake::Lower(entry.email) == fake::Lower(email)) {
      return fake::SendError(res, 409, "Conflict: duplicate entry");
    }
  }
  blacklist_.push_back({email, body.value("comment", ""), fake::UnixNow()});
  const auto& e = blacklist_.back();
  fake::SendJson(
      res, 200,
      {{"email", e.email}, {"comment", e.comment}, {"stamp", e.stamp}, {"isLocked", false}});
}

void FakeCleverReach::BlacklistList(const httplib::Request&, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : blacklist_) {
    out.push_back(
        {{"email", e.email}, {"comment", e.comment}, {"stamp", e.stamp}, {"isLocked", false}});
  }
  fake::SendJson(res, 200, out);
}

void FakeCleverReach::BlacklistGet(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& e : blacklist_) {
    if (fake::Lower(e.email) == fake::Lower(req.matches[1])) {
      return fake::SendJson(
          res, 200,
          {{"email", e.email}, {"comment", e.comment}, {"stamp", e.stamp}, {"isLocked", false}});
    }
  }
  fake::SendError(res, 404, "Not Found: not on the blacklist");
}

void FakeCleverReach::BlacklistRemove(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string email = fake::Lower(req.matches[1]);
  auto it = std::find_if(blacklist_.begin(), blacklist_.end(), [&](const FakeBlacklistEntry& e) {
    return fake::Lower(e.email) == email;
  });
  if (it == blacklist_.end()) return fake::SendError(res, 404, "Not Found: not on the blacklist");
  blacklist_.erase(it);
  fake::SendJson(res, 200, true);
}

}  // namespace optin::test
