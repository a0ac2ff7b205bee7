// Structured logging: one JSON object per line on stderr ({"time","level","event",...fields}).
// Callers must never pass an email address or a secret as a field: use AddressTag() for
// addresses. Safe for concurrent use (lines are written whole under a mutex).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace optin {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void Log(LogLevel level, const std::string& event, const nlohmann::json& fields = nlohmann::json::object());
inline void LogInfo(const std::string& event, const nlohmann::json& fields = nlohmann::json::object()) {
  Log(LogLevel::kInfo, event, fields);
}
inline void LogWarn(const std::string& event, const nlohmann::json& fields = nlohmann::json::object()) {
  Log(LogLevel::kWarn, event, fields);
}
inline void LogError(const std::string& event, const nlohmann::json& fields = nlohmann::json::object()) {
  Log(LogLevel::kError, event, fields);
}

// Lines below this level are dropped (default kInfo).
void SetLogLevel(LogLevel level);

// A short, stable, non-reversible tag for a normalised address: the first 12 hex digits of its
// SHA-256. Lets an operator correlate log lines without the log holding personal data.
std::string AddressTag(const std::string& normalized_address);

}  // namespace optin
