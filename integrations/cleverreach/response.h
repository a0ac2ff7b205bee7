// Reading CleverReach's HTTP answers: their status codes mapped to optin's Status kinds, the
// Retry-After header, loosely typed JSON fields, and scrubbing of secrets and addresses from
// text that goes into a Status message. Pure functions; safe for concurrent use.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integrations/cleverreach/http_transport.h"
#include "service/base/status.h"

namespace optin::cleverreach {

// Seconds from a Retry-After value (delta-seconds or an HTTP date); at least 1, or 0 when the
// value is absent or unreadable (0 tells the caller to use its own backoff).
int ParseRetryAfter(const std::string& value);

// Replaces every `secrets` entry (non-empty ones) and anything that looks like an email address,
// and cuts the result to 200 characters.
std::string Scrub(std::string text, const std::vector<std::string>& secrets);

// The Status for a non-2xx answer to `what` (e.g. "upsert"). The server's error text, scrubbed of
// `secrets` and addresses, ends the message.
Status ErrorFromResponse(const HttpResponse& response, const std::string& what,
                         const std::vector<std::string>& secrets);

// Unavailable: a 2xx answer that is not the JSON expected.
Status MalformedAnswer(const std::string& what);

// Lenient field readers: CleverReach sends numbers sometimes as strings, and fields may be absent.
// JsonInt gives 0 for what it cannot read, including numbers outside int64's range.
int64_t JsonInt(const nlohmann::json& object, const char* key);
std::string JsonString(const nlohmann::json& object, const char* key);

}  // namespace optin::cleverreach
