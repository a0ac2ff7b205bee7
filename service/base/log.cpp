#include "service/base/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <utility>

#include "service/base/crypto.h"

namespace optin {
namespace {

std::atomic<int> g_min_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_log_mutex;  // guards stderr so lines never interleave

const char kAddressTagLabel[] = "optin address tag key v1";

std::mutex g_tag_key_mutex;  // guards TagKey()
std::string& TagKey() {
  static std::string key = HmacSha256("", kAddressTagLabel);
  return key;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::string NowRfc3339() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

void SetLogLevel(LogLevel level) { g_min_level = static_cast<int>(level); }

void Log(LogLevel level, const std::string& event, const nlohmann::json& fields) {
  if (static_cast<int>(level) < g_min_level) return;
  nlohmann::json line = {{"time", NowRfc3339()}, {"level", LevelName(level)}, {"event", event}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  std::lock_guard<std::mutex> lock(g_log_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

void SetAddressTagSecret(const std::string& secret) {
  std::string key = HmacSha256(secret, kAddressTagLabel);
  std::lock_guard<std::mutex> lock(g_tag_key_mutex);
  TagKey() = std::move(key);
}

std::string AddressTag(const std::string& normalized_address) {
  std::string key;
  {
    std::lock_guard<std::mutex> lock(g_tag_key_mutex);
    key = TagKey();
  }
  return HexEncode(HmacSha256(key, normalized_address)).substr(0, 12);
}

}  // namespace optin
