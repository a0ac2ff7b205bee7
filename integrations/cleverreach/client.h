// CleverReach REST API v3 (see /work/shared/cleverreach-api.md): the CleverReachApi interface the
// sync worker and tests program against, and CleverReachClient, its libcurl implementation that
// owns the OAuth token. CleverReachClient is one per thread (not internally locked: it owns one
// curl handle and a token cache); give each worker thread its own client.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integrations/cleverreach/http_transport.h"
#include "service/base/config.h"
#include "service/base/status.h"

namespace optin::cleverreach {

constexpr size_t kDefaultBatchSize = 250;  // CleverReach's own core; halve on kPayloadTooLarge
constexpr int kMaxPageSize = 5000;

// What optin sends for one receiver. name, language and unsubscribe_url go into `attributes`
// (group-local); the caller fills both attribute objects.
struct Receiver {
  std::string email;
  int64_t registered = 0;   // unix s
  int64_t activated = 0;    // unix s, 0 = not activated
  int64_t deactivated = 0;  // unix s, 0 = not unsubscribed
  std::string source;
  nlohmann::json global_attributes = nlohmann::json::object();
  nlohmann::json attributes = nlohmann::json::object();
};

// A receiver as CleverReach returns it.
struct RemoteReceiver {
  int64_t id = 0;
  int64_t group_id = 0;
  bool active = false;
  Receiver data;
};

// Per-row outcome of one upsert batch, emails spelled as the caller sent them, in input order.
// A failed row was answered neither with an error nor as a success: retry it alone.
struct UpsertResult {
  std::vector<std::string> succeeded;
  std::vector<std::string> failed;
};

// One row of the inactive list. deactivated == 0 means never activated (not an unsubscribe).
struct InactiveReceiver {
  std::string email;
  int64_t deactivated = 0;
};

struct Group {
  int64_t id = 0;
  std::string name;
};

// Every call returns a Status whose code tells the caller what to do:
//   ok; kRateLimited (429: retry_after() seconds when CleverReach sent Retry-After, else 0 — then
//   back off Config.sync_rate_limit_backoff); kUnavailable (5xx, network error, timeout, malformed
//   answer: retry with backoff); kPayloadTooLarge (413: halve the batch); kUnauthorized
//   (credentials rejected, or 401 again after a fresh token); kInvalidArgument (400, 403) and
//   kNotFound (404) are permanent for that item. Messages never hold a secret, a token or an
//   address.
class CleverReachApi {
 public:
  virtual ~CleverReachApi() = default;
  // REQUIRES: rows.size() <= 1000 is advisable; the server answers 413 above its limit.
  virtual Result<UpsertResult> UpsertReceivers(int64_t group_id,
                                               const std::vector<Receiver>& rows) = 0;
  // NotFound when the address is not in the group.
  virtual Status DeactivateReceiver(int64_t group_id, const std::string& email) = 0;
  // Revives a deactivated receiver (a restriction lifted). NotFound when not in the group.
  virtual Status ActivateReceiver(int64_t group_id, const std::string& email) = 0;
  // Idempotent: not in the group (404) is success.
  virtual Status DeleteReceiverFromGroup(int64_t group_id, const std::string& email) = 0;
  // Idempotent: already gone (404) is success.
  virtual Status DeleteReceiver(const std::string& email) = 0;
  // Idempotent: already listed (409) is success.
  virtual Status BlacklistAdd(const std::string& email, const std::string& comment) = 0;
  // Idempotent: not listed (404) is success.
  virtual Status BlacklistRemove(const std::string& email) = 0;
  // One page (from 0) of the group's inactive receivers; the last page has fewer than `pagesize`
  // rows. REQUIRES: 1 <= pagesize <= kMaxPageSize.
  virtual Result<std::vector<InactiveReceiver>> ListInactiveReceivers(int64_t group_id, int page,
                                                                      int pagesize) = 0;
  virtual Result<RemoteReceiver> GetReceiver(int64_t group_id, const std::string& id_or_email) = 0;
  virtual Result<std::vector<Group>> ListGroups() = 0;
};

// True for the outcomes worth retrying later (kUnavailable, kRateLimited).
bool IsTransient(const Status& status);

class CleverReachClient : public CleverReachApi {
 public:
  // Uses cleverreach_client_id/_secret, _api_url, _token_url and sync_http_timeout (total per
  // HTTP call; connecting is capped at 5 s). `config` is copied.
  explicit CleverReachClient(const Config& config);

  Result<UpsertResult> UpsertReceivers(int64_t group_id,
                                       const std::vector<Receiver>& rows) override;
  Status DeactivateReceiver(int64_t group_id, const std::string& email) override;
  Status ActivateReceiver(int64_t group_id, const std::string& email) override;
  Status DeleteReceiverFromGroup(int64_t group_id, const std::string& email) override;
  Status DeleteReceiver(const std::string& email) override;
  Status BlacklistAdd(const std::string& email, const std::string& comment) override;
  Status BlacklistRemove(const std::string& email) override;
  Result<std::vector<InactiveReceiver>> ListInactiveReceivers(int64_t group_id, int page,
                                                              int pagesize) override;
  Result<RemoteReceiver> GetReceiver(int64_t group_id, const std::string& id_or_email) override;
  Result<std::vector<Group>> ListGroups() override;

 private:
  // Sends an API call with the cached token; on 401 fetches a new token and sends it once more.
  Result<HttpResponse> Call(const std::string& method, const std::string& path,
                            const std::string& body = "");
  // Call() plus: 2xx with a JSON body parsed, everything else mapped to a Status.
  Result<nlohmann::json> CallJson(const std::string& method, const std::string& path,
                                  const std::string& body = "");
  Status EnsureToken();
  Status FetchToken();
  std::string GroupPath(int64_t group_id) const;

  std::string client_id_;
  std::string client_secret_;
  std::string api_url_;
  std::string token_url_;
  HttpTransport transport_;
  std::string token_;
  std::chrono::steady_clock::time_point token_expires_{};
};

}  // namespace optin::cleverreach
