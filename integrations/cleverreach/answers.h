// Reading the bodies of CleverReach's answers into optin's types: the JSON of a 2xx answer (or
// the Status of any other), upsert results, receivers, groups, the inactive list and OAuth
// tokens. Apart from CleverReachClient so that tests and fuzzers reach them without a network.
// Pure functions; safe for concurrent use.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integrations/cleverreach/client.h"
#include "integrations/cleverreach/http_transport.h"
#include "service/base/status.h"

namespace optin::cleverreach {

// A token's lifetime is capped so that "now + lifetime" can never overflow a clock.
constexpr int64_t kMaxTokenLifetime = 365 * 86'400;

// The JSON of a 2xx answer to `what` (null for an empty body); ErrorFromResponse for any other
// status; MalformedAnswer for a 2xx body that is not JSON.
Result<nlohmann::json> ReadJsonAnswer(const HttpResponse& response, const std::string& what,
                                      const std::vector<std::string>& secrets);

// upsertplus: every row lands in `succeeded` (its email came back, in any case) or `failed`, in
// input order. MalformedAnswer unless `answer` is an array.
Result<UpsertResult> ReadUpsertAnswer(const nlohmann::json& answer,
                                      const std::vector<Receiver>& rows);
// MalformedAnswer unless `answer` is an array (of receivers) / an object (one receiver).
Result<std::vector<InactiveReceiver>> ReadInactiveAnswer(const nlohmann::json& answer);
Result<RemoteReceiver> ReadReceiverAnswer(const nlohmann::json& answer);
Result<std::vector<Group>> ReadGroupsAnswer(const nlohmann::json& answer);

struct TokenAnswer {
  std::string access_token;           // never empty
  int64_t lifetime_seconds = 0;       // expires_in; 3600 when absent, at most kMaxTokenLifetime
  int64_t refresh_after_seconds = 0;  // lifetime minus a margin of at most 300 s; > 0
};

// The token of a 2xx OAuth answer; MalformedAnswer("token") without a non-empty string
// access_token.
Result<TokenAnswer> ReadTokenAnswer(const std::string& body);

// OAuth's "error" (invalid_grant, invalid_client) of a rejected token request, scrubbed of
// `secret`, at most 40 characters; "" when the body has none.
std::string TokenRejectionReason(const std::string& body, const std::string& secret);

}  // namespace optin::cleverreach
