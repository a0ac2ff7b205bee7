// CleverReach answers: any status, body and Retry-After give a Status or a value, never an
// exception or UB; error messages never carry a secret or an address; list answers keep every
// row; an upsert puts each sent row in exactly one of succeeded/failed, in order; a token answer
// yields a non-empty token whose refresh time is positive and within its (capped) lifetime.
#include "integrations/cleverreach/answers.h"
#include "integrations/cleverreach/response.h"
#include "tests/fuzz/fuzz_util.h"

using namespace optin;
using namespace optin::cleverreach;
using namespace optin::fuzz;

namespace {

// Upper-case and digits only: "[redacted]" and "[address]" can never help spell one.
const std::vector<std::string> kSecrets = {"CLIENTSECRET0123456789", "ACCESSTOKEN9876543210"};

void CheckScrubbed(const std::string& text) {
  FUZZ_CHECK(text.find('@') == std::string::npos);
  for (const auto& secret : kSecrets) FUZZ_CHECK(text.find(secret) == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const long kStatuses[] = {200, 201, 204, 400, 401, 403, 404, 409, 413, 429, 500, 503};
  HttpResponse response;
  response.status = data[0] < 12 * 20 ? kStatuses[data[0] % 12] : data[0] * 3 - 200;
  auto parts = Fields(AsString(data + 1, size - 1), 2);
  response.body = parts[0];
  response.retry_after = parts[1];

  int retry = ParseRetryAfter(response.retry_after);
  FUZZ_CHECK(retry >= 0 && retry <= 999'999'999);
  std::string scrubbed = Scrub(response.body, kSecrets);
  CheckScrubbed(scrubbed);
  FUZZ_CHECK(scrubbed.size() <= 203);

  auto answer = ReadJsonAnswer(response, "upsert", kSecrets);
  bool success = response.status >= 200 && response.status < 300;
  if (!answer.ok()) {
    const Status& s = answer.status();
    FUZZ_CHECK(s.message().rfind("CleverReach upsert", 0) == 0);
    CheckScrubbed(s.message());
    if (success) FUZZ_CHECK(s.code() == StatusCode::kUnavailable);
    if (response.status == 429)
      FUZZ_CHECK(s.code() == StatusCode::kRateLimited && s.retry_after() == retry);
    if (response.status >= 500) FUZZ_CHECK(s.code() == StatusCode::kUnavailable);
  } else {
    FUZZ_CHECK(success);
    const nlohmann::json& json = *answer;
    std::vector<Receiver> rows(3);
    rows[0].email = "anna@example.com";
    rows[1].email = "Bob@Example.com";
    rows[2].email = "anna@example.com";
    auto upsert = ReadUpsertAnswer(json, rows);
    FUZZ_CHECK(upsert.ok() == json.is_array());
    if (upsert.ok()) {
      FUZZ_CHECK(upsert->succeeded.size() + upsert->failed.size() == rows.size());
      size_t s = 0, f = 0;
      for (const auto& row : rows) {  // each row in one list, both lists in input order
        bool in_s = s < upsert->succeeded.size() && upsert->succeeded[s] == row.email;
        bool in_f = f < upsert->failed.size() && upsert->failed[f] == row.email;
        FUZZ_CHECK(in_s || in_f);
        in_s ? ++s : ++f;
      }
    }
    auto inactive = ReadInactiveAnswer(json);
    FUZZ_CHECK(inactive.ok() == json.is_array());
    if (inactive.ok()) FUZZ_CHECK(inactive->size() == json.size());
    auto groups = ReadGroupsAnswer(json);
    FUZZ_CHECK(groups.ok() == json.is_array());
    if (groups.ok()) FUZZ_CHECK(groups->size() == json.size());
    auto receiver = ReadReceiverAnswer(json);
    FUZZ_CHECK(receiver.ok() == json.is_object());
    if (receiver.ok()) {
      FUZZ_CHECK(receiver->data.attributes.is_object() &&
                 receiver->data.global_attributes.is_object());
    }
    if (json.is_object()) {
      for (const auto& item : json.items()) {
        JsonInt(json, item.key().c_str());
        JsonString(json, item.key().c_str());
      }
    }
  }

  auto token = ReadTokenAnswer(response.body);
  if (token.ok()) {
    FUZZ_CHECK(!token->access_token.empty());
    FUZZ_CHECK(token->lifetime_seconds > 0 && token->lifetime_seconds <= kMaxTokenLifetime);
    FUZZ_CHECK(token->refresh_after_seconds > 0 &&
               token->refresh_after_seconds <= token->lifetime_seconds);
  } else {
    FUZZ_CHECK(token.status().code() == StatusCode::kUnavailable);
  }
  std::string reason = TokenRejectionReason(response.body, kSecrets[0]);
  FUZZ_CHECK(reason.size() <= 40 && reason.find('@') == std::string::npos);
  return 0;
}
