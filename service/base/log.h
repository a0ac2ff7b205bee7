// Structured logging: one JSON object per line on stderr ({"time","level","event",...fields}).
// Callers must never pass an email address or a secret as a field: use AddressTag() for
// addresses. Safe for concurrent use (lines are written whole under a mutex).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace optin {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void Log(LogLevel level, const std::string& event,
         const nlohmann::json& fields = nlohmann::json::object());
inline void LogInfo(const std::string& event,
                    const nlohmann::json& fields = nlohmann::json::object()) {
  Log(LogLevel::kInfo, event, fields);
}
inline void LogWarn(const std::string& event,
                    const nlohmann::json& fields = nlohmann::json::object()) {
  Log(LogLevel::kWarn, event, fields);
}
inline void LogError(const std::string& event,
                     const nlohmann::json& fields = nlohmann::json::object()) {
  Log(LogLevel::kError, event, fields);
}

// Lines below this level are dropped (default kInfo).
void SetLogLevel(LogLevel level);

// A short, stable, non-reversible tag for a normalised address: the first 12 hex digits of
// HMAC-SHA-256 under a key derived from OPTIN_SECRET (SetAddressTagSecret). Lets an operator
// correlate log lines of one deployment without the log holding personal data, and without
// anyone who reads the log being able to test a guessed address (an unsalted hash would allow
// that). The one place that computes tags: storage and the app layers call this.
std::string AddressTag(const std::string& normalized_address);

// Installs the deployment's secret for AddressTag (the key is derived from it with its own
// domain-separation label, so it is unrelated to the token and proof-of-work keys). Called once
// at start-up after the config is loaded; until then, tags are keyed with an empty secret.
// Safe for concurrent use, but tags change when the secret does.
void SetAddressTagSecret(const std::string& secret);

}  // namespace optin
