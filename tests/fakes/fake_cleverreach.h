// FakeCleverReach: an in-process HTTP server that plays CleverReach's OAuth endpoint and the
// REST API v3 calls optin uses (cleverreach-api.md), with in-memory groups, receivers, blacklist
// and tokens, plus fault injection. Runs on its own thread on 127.0.0.1 and a free port. All
// methods are safe for concurrent use (one mutex guards the state). One per test.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace optin::test {

struct FakeReceiver {
  int64_t id = 0;
  int64_t group_id = 0;
  std::string email;
  int64_t registered = 0;
  int64_t activated = 0;
  int64_t deactivated = 0;
  std::string source;
  nlohmann::json attributes = nlohmann::json::object();
  nlohmann::json global_attributes = nlohmann::json::object();
  bool active = false;
  int bounced = 0;  // > 0: listed by GET /groups/{gid}/receivers?type=bounce
};

// One row of the account-wide GET /bounces (cleverreach-api.md, "Account bounces").
struct FakeBounce {
  std::string email;
  std::string type = "hard";  // hard, soft, spam
  std::string category = "unknown_user";
  int64_t last_update = 0;
  int64_t expires_by = 0;
  std::string message;
};

struct FakeBlacklistEntry {
  std::string email;
  std::string comment;
  int64_t stamp = 0;
};

// One injected answer in place of the real one. Faults are consumed first from the route's queue,
// then from the global queue. kDrop shuts the accepted socket down from inside the handler, so
// the client sees the connection closed with no answer at all (see fake_cleverreach_faults.cpp).
// kDelay waits, then answers normally (the state changes even though the client gave up).
struct Fault {
  enum class Kind { kStatus, kRateLimited, kUnauthorized, kDelay, kDrop, kMalformedJson };
  Kind kind = Kind::kStatus;
  int status = 500;
  int retry_after = -1;  // kRateLimited: -1 = no Retry-After header
  std::chrono::milliseconds delay{0};

  static Fault Status(int code) { return {Kind::kStatus, code, -1, {}}; }
  static Fault RateLimited(int retry_after = -1) {
    return {Kind::kRateLimited, 429, retry_after, {}};
  }
  static Fault Unauthorized() { return {Kind::kUnauthorized, 401, -1, {}}; }
  static Fault Delay(std::chrono::milliseconds d) { return {Kind::kDelay, 200, -1, d}; }
  static Fault Drop() { return {Kind::kDrop, 0, -1, {}}; }
  static Fault MalformedJson() { return {Kind::kMalformedJson, 200, -1, {}}; }
};

// Route names for faults and call counts: "token", "groups.list", "groups.get",
// "receivers.upsert", "receivers.get", "receivers.deactivate", "receivers.activate",
// "receivers.remove" (from a group), "receivers.delete" (everywhere), "receivers.list",
// "bounces.list", "blacklist.add", "blacklist.list", "blacklist.get", "blacklist.remove".
// Like CleverReach (cleverreach-api.md), an upsert does not reactivate a receiver that was
// deactivated with a `deactivated` time: only PUT .../activate does.
class FakeCleverReach {
 public:
  static constexpr const char* kClientId = "fake-client-id";
  static constexpr const char* kClientSecret = "fake-client-secret-s3cr3t";

  // Starts serving; the process ignores SIGPIPE from then on (kDrop writes to a dead socket).
  FakeCleverReach();
  ~FakeCleverReach();
  FakeCleverReach(const FakeCleverReach&) = delete;
  FakeCleverReach& operator=(const FakeCleverReach&) = delete;

  int port() const { return port_; }
  std::string api_url() const;    // http://127.0.0.1:PORT/v3
  std::string token_url() const;  // http://127.0.0.1:PORT/oauth/token.php

  // Set-up.
  int64_t AddGroup(const std::string& name);
  void SetBatchLimit(size_t rows);     // upsertplus above this: 413 (default 1000)
  void SetTokenLifetime(int seconds);  // expires_in of new tokens (default 3600)
  void SetTokenAnswerVariant(bool scope_as_array, bool omit_token_type);
  void ExpireAllTokens();                       // every token issued so far answers 401
  void FailUpsertOf(const std::string& email);  // upsertplus leaves this row out of its answer
  void PutReceiver(FakeReceiver receiver);      // id assigned when 0
  // An unsubscribe made on CleverReach's side: deactivated = at, active = false.
  bool UnsubscribeOnCleverReach(int64_t group_id, const std::string& email, int64_t at);
  // Changes made behind optin's back (drift for reconciliation tests).
  bool ActivateOnCleverReach(int64_t group_id, const std::string& email);
  bool RemoveOnCleverReach(int64_t group_id, const std::string& email);
  // The receiver bounced (listed by type=bounce); false when it is not in the group.
  bool BounceReceiver(int64_t group_id, const std::string& email, int count = 1);
  // A row of GET /bounces; `bounces_enabled` = false makes the route answer 403 (accounts without
  // it).
  void AddAccountBounce(FakeBounce bounce);
  void SetAccountBouncesEnabled(bool enabled);

  // Fault injection: the next `times` calls of `route` ("" = any route) get `fault`.
  void InjectFault(const std::string& route, Fault fault, int times = 1);
  void ClearFaults();

  // Reading state.
  std::optional<FakeReceiver> Receiver(int64_t group_id, const std::string& email) const;
  std::vector<FakeReceiver> Receivers(int64_t group_id) const;
  std::vector<FakeBlacklistEntry> Blacklist() const;
  int Calls(const std::string& route) const;
  int UpsertedRows() const;  // rows stored by upsertplus, over all calls
  int TokensIssued() const;
  int Connections() const;                // distinct client connections seen
  std::string LastAuthorization() const;  // Authorization header of the last API call

 private:
  using Handler = void (FakeCleverReach::*)(const httplib::Request&, httplib::Response&);
  void Route(const char* method, const std::string& path, const std::string& name, Handler h);
  void RegisterRoutes();
  // Counts the call and applies a queued fault; true when the fault answered the request.
  bool ApplyFault(const std::string& name, const httplib::Request& req, httplib::Response& res);
  bool Authorized(const httplib::Request& req, httplib::Response& res);
  FakeReceiver* Find(int64_t group_id, const std::string& id_or_email);  // REQUIRES: mu_ held
  void Store(int64_t group_id, const nlohmann::json& row);               // REQUIRES: mu_ held
  void Reindex(int64_t group_id);                                        // REQUIRES: mu_ held

  void Token(const httplib::Request& req, httplib::Response& res);
  void GroupsList(const httplib::Request& req, httplib::Response& res);
  void GroupsGet(const httplib::Request& req, httplib::Response& res);
  void Upsert(const httplib::Request& req, httplib::Response& res);
  void ReceiverGet(const httplib::Request& req, httplib::Response& res);
  void ReceiverDeactivate(const httplib::Request& req, httplib::Response& res);
  void ReceiverActivate(const httplib::Request& req, httplib::Response& res);
  void BouncesList(const httplib::Request& req, httplib::Response& res);
  void ReceiverRemove(const httplib::Request& req, httplib::Response& res);
  void ReceiverDelete(const httplib::Request& req, httplib::Response& res);
  void ReceiversList(const httplib::Request& req, httplib::Response& res);
  void BlacklistAdd(const httplib::Request& req, httplib::Response& res);
  void BlacklistList(const httplib::Request& req, httplib::Response& res);
  void BlacklistGet(const httplib::Request& req, httplib::Response& res);
  void BlacklistRemove(const httplib::Request& req, httplib::Response& res);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::map<int64_t, std::string> groups_;
  std::map<int64_t, std::vector<FakeReceiver>> receivers_;  // by group
  // Lower-case email -> position of its first receiver in receivers_[group]; lookups by address
  // stay O(1) when a benchmark pushes tens of thousands of receivers.
  std::map<int64_t, std::unordered_map<std::string, size_t>> by_email_;
  std::vector<FakeBlacklistEntry> blacklist_;
  std::vector<FakeBounce> bounces_;
  bool bounces_enabled_ = true;
  std::map<std::string, std::chrono::steady_clock::time_point> tokens_;
  std::set<std::string> fail_upsert_;                // lower-case emails
  std::map<std::string, std::deque<Fault>> faults_;  // "" = global
  std::map<std::string, int> calls_;
  std::set<int> client_ports_;
  std::string last_authorization_;
  size_t batch_limit_ = 1000;
  int token_lifetime_ = 3600;
  bool scope_as_array_ = false;
  bool omit_token_type_ = false;
  int tokens_issued_ = 0;
  int upserted_rows_ = 0;
  int64_t next_group_id_ = 1001;
  int64_t next_receiver_id_ = 500001;
};

// The OPTIN_* settings that point an optin process at `fake`, with sync intervals short enough
// for tests; `http_timeout` is OPTIN_SYNC_HTTP_TIMEOUT (e.g. "2s").
std::map<std::string, std::string> OptinEnvFor(const FakeCleverReach& fake,
                                               const std::string& http_timeout);

}  // namespace optin::test
