// FakeCleverReach: the in-memory receiver store and the test API that reads and changes it.
#include <httplib.h>

#include "tests/fakes/fake_cleverreach.h"
#include "tests/fakes/fake_http_util.h"

namespace optin::test {

FakeReceiver* FakeCleverReach::Find(int64_t group_id, const std::string& id_or_email) {
  auto group = receivers_.find(group_id);
  if (group == receivers_.end()) return nullptr;
  if (!fake::IsDigits(id_or_email)) {
    auto& index = by_email_[group_id];
    auto it = index.find(fake::Lower(id_or_email));
    return it == index.end() ? nullptr : &group->second[it->second];
  }
  for (auto& r : group->second) {
    if (std::to_string(r.id) == id_or_email) return &r;
  }
  return nullptr;
}

void FakeCleverReach::Reindex(int64_t group_id) {
  auto& index = by_email_[group_id];
  index.clear();
  const auto& group = receivers_[group_id];
  for (size_t i = 0; i < group.size(); ++i) index.emplace(fake::Lower(group[i].email), i);
}

void FakeCleverReach::Store(int64_t group_id, const nlohmann::json& row) {
  std::string email = row.value("email", "");
  FakeReceiver* r = Find(group_id, email);
  if (r == nullptr) {
    FakeReceiver fresh;
    fresh.id = next_receiver_id_++;
    fresh.group_id = group_id;
    fresh.email = email;
    fresh.registered = fake::UnixNow();
    auto& group = receivers_[group_id];
    group.push_back(fresh);
    by_email_[group_id].emplace(fake::Lower(email), group.size() - 1);
    r = &group.back();
  }
  auto number = [&row](const char* key, int64_t& field) {
    if (row.contains(key) && row[key].is_number()) field = row[key].get<int64_t>();
  };
  number("registered", r->registered);
  if (r->registered == 0) r->registered = fake::UnixNow();
  // A receiver deactivated with a time stays deactivated: only the activate call revives it.
  bool was_deactivated = r->deactivated != 0;
  number("activated", r->activated);
  int64_t deactivated = r->deactivated;
  number("deactivated", deactivated);
  if (!was_deactivated || deactivated != 0) r->deactivated = deactivated;
  if (row.contains("source") && row["source"].is_string()) r->source = row["source"];
  if (row.contains("attributes") && row["attributes"].is_object()) {
    r->attributes.update(row["attributes"]);
  }
  if (row.contains("global_attributes") && row["global_attributes"].is_object()) {
    r->global_attributes.update(row["global_attributes"]);
  }
  r->active = r->activated > 0 && r->deactivated == 0;
}

void FakeCleverReach::PutReceiver(FakeReceiver receiver) {
  std::lock_guard<std::mutex> lock(mu_);
  if (receiver.id == 0) receiver.id = next_receiver_id_++;
  auto& group = receivers_[receiver.group_id];
  by_email_[receiver.group_id].emplace(fake::Lower(receiver.email), group.size());
  group.push_back(std::move(receiver));
}

bool FakeCleverReach::UnsubscribeOnCleverReach(int64_t group_id, const std::string& email,
                                               int64_t at) {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = Find(group_id, email);
  if (r == nullptr) return false;
  r->deactivated = at;
  r->active = false;
  return true;
}

bool FakeCleverReach::ActivateOnCleverReach(int64_t group_id, const std::string& email) {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = Find(group_id, email);
  if (r == nullptr) return false;
  r->deactivated = 0;
  if (r->activated == 0) r->activated = fake::UnixNow();
  r->active = true;
  return true;
}

bool FakeCleverReach::RemoveOnCleverReach(int64_t group_id, const std::string& email) {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = Find(group_id, email);
  if (r == nullptr) return false;
  auto& group = receivers_[group_id];
  group.erase(group.begin() + (r - group.data()));
  Reindex(group_id);
  return true;
}

bool FakeCleverReach::BounceReceiver(int64_t group_id, const std::string& email, int count) {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = Find(group_id, email);
  if (r == nullptr) return false;
  r->bounced = count;
  return true;
}

void FakeCleverReach::AddAccountBounce(FakeBounce bounce) {
  std::lock_guard<std::mutex> lock(mu_);
  if (bounce.last_update == 0) bounce.last_update = fake::UnixNow();
  if (bounce.expires_by == 0) bounce.expires_by = bounce.last_update + 90 * 86'400;
  bounces_.push_back(std::move(bounce));
}

void FakeCleverReach::SetAccountBouncesEnabled(bool enabled) {
  std::lock_guard<std::mutex> lock(mu_);
  bounces_enabled_ = enabled;
}

std::optional<FakeReceiver> FakeCleverReach::Receiver(int64_t group_id,
                                                      const std::string& email) const {
  std::lock_guard<std::mutex> lock(mu_);
  FakeReceiver* r = const_cast<FakeCleverReach*>(this)->Find(group_id, email);
  if (r == nullptr) return std::nullopt;
  return *r;
}

std::vector<FakeReceiver> FakeCleverReach::Receivers(int64_t group_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = receivers_.find(group_id);
  return it == receivers_.end() ? std::vector<FakeReceiver>{} : it->second;
}

std::vector<FakeBlacklistEntry> FakeCleverReach::Blacklist() const {
  std::lock_guard<std::mutex> lock(mu_);
  return blacklist_;
}

int FakeCleverReach::Calls(const std::string& route) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(route);
  return it == calls_.end() ? 0 : it->second;
}

int FakeCleverReach::UpsertedRows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return upserted_rows_;
}

int FakeCleverReach::TokensIssued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tokens_issued_;
}

int FakeCleverReach::Connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(client_ports_.size());
}

std::string FakeCleverReach::LastAuthorization() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_authorization_;
}

}  // namespace optin::test
