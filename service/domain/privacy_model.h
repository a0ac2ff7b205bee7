// The plain data of privacy requests (CONTRACT §3 privacy, §5): request types, outcomes and the
// records an access export shows. Value types shared by service/, storage/ and the HTTP adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optin {

enum class PrivacyRequestType {
  kAccess,
  kErasure,
  kObjection,
  kUnsubscribe,
  kRestriction,      // Art. 18: pause every subscription, keep the data
  kLiftRestriction,  // ... and resume them
};

const char* PrivacyTypeName(PrivacyRequestType type);
std::optional<PrivacyRequestType> ParsePrivacyType(const std::string& text);

// The access export's formats (CONTRACT §7): "json" (default) or "csv"; nullopt for anything else.
// "" counts as json.
std::optional<std::string> ParseExportFormat(const std::string& text);

enum class PrivacyRequestResult {
  kMailQueued,      // known address: a verification mail is on its way
  kUnknownAddress,  // nothing stored, nothing sent
  kThrottled,       // a verification mail went to the address within the last hour
};

// One privacy request as an access export shows it.
struct PrivacyRequestRecord {
  int64_t id = 0;
  std::string type;
  std::string language;
  std::string requested_at;
  std::string expires_at;
  std::string completed_at;  // "" = not carried out
  std::string outcome_json;  // "" = none
};

// What an erasure removed.
struct ErasureCounts {
  int64_t subscriptions = 0;
  int64_t consent_events = 0;
  int64_t queued_mails = 0;
  int64_t sync_rows_replaced = 0;
  bool subscriber_deleted = false;
  bool cleverreach_notified = false;  // a delete_receiver row was queued
};

}  // namespace optin
